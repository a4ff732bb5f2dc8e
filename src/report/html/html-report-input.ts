/**
 * The rows of one run as the HTML report reads them from the report file (the public table
 * contract: runs, entries, findings, time_info, requests, plus optional suppression data).
 * camelCase, already typed; the loader is the only place that knows the SQL column names.
 */

export type RunStatus = "running" | "completed" | "failed";
export type FindingSeverity = "blocking" | "warning" | "info";
export type EntryOutcome = "match" | "mismatch" | "missing_in_kleer" | "extra_in_kleer" | "unmapped" | "skipped";

export const FINDING_SEVERITIES: readonly FindingSeverity[] = ["blocking", "warning", "info"];
export const ENTRY_OUTCOMES: readonly EntryOutcome[] = ["match", "mismatch", "missing_in_kleer", "extra_in_kleer", "unmapped", "skipped"];

export interface ReportRunRecord {
  runId: string;
  command: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  fromDate: string | null;
  toDate: string | null;
  /** The run's options as stored (JSON text); secret-looking keys are masked before rendering. */
  optionsJson: string | null;
  toolVersion: string | null;
}

export interface ReportEntryRecord {
  userKey: string;
  date: string | null;
  legacyId: string | null;
  kleerId: string | null;
  outcome: EntryOutcome;
}

export interface ReportFindingRecord {
  kind: string;
  severity: FindingSeverity;
  userKey: string | null;
  date: string | null;
  legacyId: string | null;
  kleerId: string | null;
  field: string | null;
  legacyValue: string | null;
  kleerValue: string | null;
  message: string;
  /** True when a rule suppressed the finding: it is listed, but does not count towards the verdict. */
  suppressed: boolean;
  suppressionReason: string | null;
}

export interface ReportTimeInfoRecord {
  userKey: string;
  periodStart: string;
  periodEnd: string;
  legacyWorked: number | null;
  legacyScheduled: number | null;
  legacyAbsence: number | null;
  legacyFlexPeriod: number | null;
  /** Milltime's running flex balance when the period was read. */
  legacyFlexBalance: number | null;
  kleerWorked: number | null;
  kleerScheduled: number | null;
  kleerAbsence: number | null;
  kleerFlexPeriod: number | null;
}

export interface ReportRequestRecord {
  system: string;
  method: string;
  route: string;
  status: number | null;
  attempts: number;
  durationMs: number;
}

/** A suppression rule in effect for the run (from a `suppressions` table when the file has one). */
export interface ReportSuppressionRecord {
  kind: string | null;
  userKey: string | null;
  reason: string;
  /** Any further columns of the rule (e.g. a date range or field), as `name = value` text. */
  scope: string | null;
}

/** Everything the HTML report needs about one run. */
export interface HtmlReportInput {
  run: ReportRunRecord;
  /** Other runs in the file, newest first (shown in the metadata so a reader knows what else exists). */
  otherRuns: Array<Pick<ReportRunRecord, "runId" | "command" | "status" | "startedAt">>;
  entries: ReportEntryRecord[];
  findings: ReportFindingRecord[];
  timeInfo: ReportTimeInfoRecord[];
  requests: ReportRequestRecord[];
  suppressions: ReportSuppressionRecord[];
}
