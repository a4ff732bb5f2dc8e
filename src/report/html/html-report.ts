import type Database from "better-sqlite3";
import { globalRedactor, type SecretRedactor } from "../../http/redact.js";
import { openReportDatabase } from "../report-store.js";
import { loadHtmlReportInput } from "./html-report-loader.js";
import { buildHtmlReportModel, type VerdictLevel } from "./html-report-model.js";
import { renderHtmlReport, type HtmlRenderOptions } from "./html-report-render.js";
import type { SinceCounts } from "./html-overview.js";
import { previousParityRunId, readDiffSide } from "../report-diff-load.js";
import { diffRuns } from "../report-diff.js";
import { createReportReader, isParityCommand } from "../report-reader.js";
import { writeExportFile } from "../report-file-write.js";

export interface WriteHtmlReportOptions extends Omit<HtmlRenderOptions, "generatedAt" | "fullListHint"> {
  /** The SQLite report file written by a run. */
  reportFile: string;
  /** The run to show. @default the most recently started run in the file */
  runId?: string | undefined;
  /** Where to write the page (parent folders are created). */
  outFile: string;
  /** Stamps "Page generated" in the run metadata. @default () => new Date() */
  clock?: () => Date;
  /** Applied to the finished page as a last line of defence against a leaked secret. @default globalRedactor */
  redactor?: SecretRedactor;
}

export interface WriteHtmlReportResult {
  outFile: string;
  runId: string;
  verdict: VerdictLevel;
  bytes: number;
  users: number;
  findings: number;
}

/** Renders the HTML page for one run of an open report database (no file output). */
export function renderHtmlReportFromDatabase(db: Database.Database, options: { runId?: string | undefined; reportFileName?: string } & HtmlRenderOptions = {}): {
  html: string;
  runId: string;
  verdict: VerdictLevel;
  users: number;
  findings: number;
} {
  const model = buildHtmlReportModel(loadHtmlReportInput(db, options.runId));
  const file = options.reportFileName ?? "FILE";
  const html = renderHtmlReport(model, {
    ...options,
    since: options.since === undefined ? sinceCountsOf(db, model.run.runId) : options.since,
    // A packed part is base64: the redaction of the finished page cannot see a secret inside it.
    redact: options.redact ?? ((text) => globalRedactor.redact(text)),
    fullListHint: options.fullListHint ?? `Every row is in the report file: toki-parity report ${file} --run ${model.run.runId} --format json (or md).`,
  });
  return { html, runId: model.run.runId, verdict: model.verdict.level, users: model.users.length, findings: model.kindCounts.reduce((n, k) => n + k.total + k.suppressed, 0) };
}

/**
 * The `html` entry of the report command's format map (`REPORT_FORMATS` in report-formats.ts):
 * renders the chosen run of the open report file. The page carries no "generated at" stamp here
 * (the map's sources have no clock); {@link writeHtmlReport} adds one.
 */
export function renderHtmlReportSource(source: { db: Database.Database; runId: string | undefined; reportFile: string }): { text: string; runId: string } {
  const rendered = renderHtmlReportFromDatabase(source.db, { runId: source.runId, reportFileName: source.reportFile });
  return { text: rendered.html, runId: rendered.runId };
}

/**
 * `toki-parity report FILE --format html [--run ID] --out OUT`: reads the report file (it must
 * exist; nothing is written to it), renders one self-contained page and writes it atomically
 * (temp file + rename).
 */
export async function writeHtmlReport(options: WriteHtmlReportOptions): Promise<WriteHtmlReportResult> {
  const db = openReportDatabase(options.reportFile, { mustExist: true });
  let rendered: ReturnType<typeof renderHtmlReportFromDatabase>;
  try {
    rendered = renderHtmlReportFromDatabase(db, {
      ...options,
      reportFileName: options.reportFile,
      generatedAt: (options.clock ?? (() => new Date()))().toISOString(),
      redact: (text) => (options.redactor ?? globalRedactor).redact(text),
    });
  } finally {
    db.close();
  }
  const html = (options.redactor ?? globalRedactor).redact(rendered.html);
  const outFile = await writeExportFile(options.outFile, html);
  return { outFile, runId: rendered.runId, verdict: rendered.verdict, bytes: Buffer.byteLength(html, "utf8"), users: rendered.users, findings: rendered.findings };
}

/** New/resolved/persisting counts against the parity run before `runId` in the same file; null when there is none. */
function sinceCountsOf(db: Database.Database, runId: string): SinceCounts | null {
  const reader = createReportReader(db);
  const run = reader.getRun(runId);
  if (!isParityCommand(run.command)) return null;
  const baseRunId = previousParityRunId(reader, runId);
  if (baseRunId === undefined) return null;
  const diff = diffRuns(readDiffSide(reader, "", baseRunId), readDiffSide(reader, "", runId));
  return { baseRunId, counts: diff.counts };
}
