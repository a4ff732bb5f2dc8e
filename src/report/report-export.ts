import { TokiError } from "../domain/errors.js";
import { systemClock, type Clock } from "../domain/ports.js";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";
import { isReportFormat, REPORT_FORMAT_NAMES, REPORT_FORMATS, reportSourceOf } from "./report-formats.js";
import { openReportStore } from "./report-store.js";
import { writeExportFile } from "./report-file-write.js";

export interface ExportReportOptions {
  /** The SQLite report file. */
  reportFile: string;
  /** A key of REPORT_FORMATS (json, junit, md, …). */
  format: string;
  /** @default the latest run */
  runId?: string | undefined;
  /** Write here (atomically, parent folders created); without it the text is only returned. */
  outFile?: string | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  /** Applied to the whole document as a last line of defence. @default globalRedactor */
  redactor?: SecretRedactor | undefined;
}

export interface ExportReportResult {
  text: string;
  runId: string;
  format: string;
  /** The absolute path written, when `outFile` was given. */
  outFile: string | undefined;
}

/** `report FILE --format F [--run ID] [--out OUT]`: renders one run of a report file. */
export async function exportReport(options: ExportReportOptions): Promise<ExportReportResult> {
  const { format } = options;
  if (!isReportFormat(format)) throw new TokiError("USAGE", `unknown report format "${format}": use one of ${REPORT_FORMAT_NAMES.join(", ")}`);
  const store = openReportStore(options.reportFile, { clock: options.clock ?? systemClock, mustExist: true });
  let rendered: { text: string; runId: string };
  try {
    rendered = REPORT_FORMATS[format](reportSourceOf(store.db, store, options.reportFile, options.runId));
  } finally {
    store.db.close();
  }
  const text = (options.redactor ?? globalRedactor).redact(rendered.text);
  const outFile = options.outFile === undefined ? undefined : await writeExportFile(options.outFile, text);
  return { text, runId: rendered.runId, format, outFile };
}
