import type Database from "better-sqlite3";
import { loadRunReport, type RunReport } from "./report-data.js";
import { formatJsonReport } from "./report-json.js";
import { formatJunitReport } from "./report-junit.js";
import { formatMarkdownReport } from "./report-markdown.js";
import { renderHtmlReportSource } from "./html/html-report.js";
import type { ReportReader } from "./report-reader.js";
import { REPORT_FORMAT_NAMES, type ReportFormat } from "./report-format-names.js";
import { entryHoursOf } from "./report-root-causes.js";

/** What a format renders from: the open report file and the chosen run. */
export interface ReportSource {
  db: Database.Database;
  reader: ReportReader;
  /** The `--run` value; undefined means the latest run. */
  runId: string | undefined;
  /** The report file's path as the user gave it (for hints in the output). */
  reportFile: string;
  /** Loads the run for the built-in formats. */
  load(): RunReport;
}

/** Renders one run; returns the document and the id of the run it shows. */
export type ReportRenderer = (source: ReportSource) => { text: string; runId: string };

const fromRunReport =
  (format: (report: RunReport) => string, options: { entryHours?: boolean } = {}): ReportRenderer =>
  (source) => {
    const report = source.load();
    // Root causes give the hours of the entries behind them (Markdown and JSON show them).
    if (options.entryHours) report.entryHours = entryHoursOf(source.reader.readEntries(report.run.runId));
    return { text: format(report), runId: report.run.runId };
  };

/**
 * The `report --format` dispatch. Adding a format is one entry here (e.g. `html`, rendered from
 * `source.db` and `source.runId`).
 */
export const REPORT_FORMATS = {
  json: fromRunReport(formatJsonReport, { entryHours: true }),
  junit: fromRunReport(formatJunitReport),
  md: fromRunReport(formatMarkdownReport, { entryHours: true }),
  html: renderHtmlReportSource,
} satisfies Record<ReportFormat, ReportRenderer>;

export { REPORT_FORMAT_NAMES, type ReportFormat };

export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(REPORT_FORMATS, value);
}

/** Builds the source for a reader over `db`. */
export function reportSourceOf(db: Database.Database, reader: ReportReader, reportFile: string, runId: string | undefined): ReportSource {
  return { db, reader, runId, reportFile, load: () => loadRunReport(reader, runId) };
}
