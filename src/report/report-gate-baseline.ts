import type { ReportDiff } from "./report-diff.js";

/** New unsuppressed blocking findings a run may have against its baseline and still pass. */
export const DEFAULT_MAX_NEW_BLOCKING = 0;

/** What `gate --baseline` adds to the gate: the diff against the baseline and its threshold. */
export interface GateBaseline {
  diff: ReportDiff;
  /** @default 0 */
  maxNewBlocking?: number | undefined;
}

/**
 * The baseline's problems with the later run. Only new blocking findings count, except where a
 * baseline would turn "not read" into a pass: a persisting unsuppressed `source_error` still
 * fails (a source that could not be read twice is not accepted), and so do users the baseline
 * compared that the later run did not compare (their findings vanish without being re-checked).
 */
export function baselineProblems(baseline: GateBaseline): string[] {
  const { diff } = baseline;
  const max = baseline.maxNewBlocking ?? DEFAULT_MAX_NEW_BLOCKING;
  const problems: string[] = [];
  const newBlocking = diff.counts.new.blocking;
  if (newBlocking > max) problems.push(`${newBlocking} new blocking finding${newBlocking === 1 ? "" : "s"} since baseline run ${diff.base.run.runId} (max ${max})`);
  const unread = diff.items.filter((i) => i.status === "persisting" && i.finding.kind === "source_error" && !i.finding.suppressed && i.finding.severity === "blocking");
  if (unread.length > 0) {
    const users = [...new Set(unread.map((i) => i.finding.userKey ?? "-"))].join(", ");
    problems.push(`${unread.length} source error${unread.length === 1 ? " persists" : "s persist"} from the baseline (users ${users} still not read)`);
  }
  if (diff.usersDroppedOut.length > 0) {
    problems.push(`${diff.usersDroppedOut.length} user${diff.usersDroppedOut.length === 1 ? "" : "s"} compared in the baseline not compared in this run (${diff.usersDroppedOut.join(", ")})`);
  }
  return problems;
}

/** The passing line's baseline part: `2 new blocking (max 0) since run X`. */
export function baselineSummary(baseline: GateBaseline): string {
  const { counts, base } = baseline.diff;
  return `${counts.new.blocking} new blocking (max ${baseline.maxNewBlocking ?? DEFAULT_MAX_NEW_BLOCKING}), ${counts.resolved.total} resolved, ${counts.persisting.blocking} persisting blocking since baseline run ${base.run.runId}`;
}
