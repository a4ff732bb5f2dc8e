import type { TimeInfoRow } from "../../parity/time-info-comparison.js";
import type {
  EntryRecord,
  FindingRecord,
  RequestSummaryRecord,
  RunRecord,
  RunUserRecord,
  SuppressionRecord,
} from "../report-records.js";

export type { EntryRecord, FindingRecord, RequestSummaryRecord, RunRecord, RunUserRecord, SuppressionRecord } from "../report-records.js";
export type { TimeInfoRow } from "../../parity/time-info-comparison.js";

/**
 * Everything the HTML report needs about one run, as the report store's reader returns it
 * (`src/report/report-reader.ts`): the page is a pure function of these rows.
 */
export interface HtmlReportInput {
  run: RunRecord;
  /** Other runs in the file, newest first (listed in the metadata). */
  otherRuns: readonly RunRecord[];
  /** Per-user totals and status (`run_users`); may be empty for a file written by other means. */
  users: readonly RunUserRecord[];
  entries: readonly EntryRecord[];
  findings: readonly FindingRecord[];
  timeInfo: readonly TimeInfoRow[];
  suppressions: readonly SuppressionRecord[];
  requests: readonly RequestSummaryRecord[];
}
