import { TokiError } from "../domain/errors.js";
import { globalRedactor } from "../http/redact.js";
import { DIFF_FORMAT_NAMES, DIFF_FORMATS, type DiffFormat } from "./report-diff-format.js";
import { loadReportDiff, type LoadReportDiffOptions } from "./report-diff-load.js";
import type { ReportDiff } from "./report-diff.js";
import { writeExportFile } from "./report-file-write.js";

export interface ExportReportDiffOptions extends LoadReportDiffOptions {
  /** text, json or md. @default text */
  format?: string | undefined;
  /** Write here (atomically, parent folders created); without it the text is only returned. */
  outFile?: string | undefined;
}

export interface ExportReportDiffResult {
  text: string;
  diff: ReportDiff;
  outFile: string | undefined;
}

const isDiffFormat = (value: string): value is DiffFormat => (DIFF_FORMAT_NAMES as readonly string[]).includes(value);

/** `report diff FILE [OTHER] [--base RUN] [--run RUN] [--format F] [--out OUT]`. */
export async function exportReportDiff(options: ExportReportDiffOptions): Promise<ExportReportDiffResult> {
  const format = options.format ?? "text";
  if (!isDiffFormat(format)) throw new TokiError("USAGE", `unknown diff format "${format}": use one of ${DIFF_FORMAT_NAMES.join(", ")}`);
  const diff = loadReportDiff(options);
  const text = globalRedactor.redact(DIFF_FORMATS[format](diff));
  const outFile = options.outFile === undefined ? undefined : await writeExportFile(options.outFile, text);
  return { text, diff, outFile };
}
