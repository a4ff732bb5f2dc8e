import type { TimerHistoryRowProblem } from "../domain/timer-history.js";
import { compareIds, draftFinding, findSuppression, type Finding, type FindingDraft } from "./finding.js";
import type { ParityRules } from "./parity-rules.js";

function describeRow(problem: TimerHistoryRowProblem): string {
  return `timer history row ${problem.rowId}${problem.line === undefined ? "" : ` (line ${problem.line})`}`;
}

const byRow = (a: TimerHistoryRowProblem, b: TimerHistoryRowProblem) => (a.line ?? 0) - (b.line ?? 0) || compareIds(a.rowId, b.rowId);

/**
 * One `history_row_invalid` per timer-history row that could not be read: it is neither checked
 * as a link nor relinked after the cutover, so the report must say so rather than drop it.
 */
export function checkHistoryRows(userKey: number, problems: readonly TimerHistoryRowProblem[]): FindingDraft[] {
  return [...problems].sort(byRow).map((p) =>
    draftFinding({
      kind: "history_row_invalid",
      userKey,
      field: "history_row",
      legacyValue: p.rowId,
      message: `${describeRow(p)} cannot be read: ${p.reason}; it is neither checked as a link nor relinked`,
      details: { rowId: p.rowId, line: p.line ?? null, reason: p.reason },
    }),
  );
}

/** A finding of no user's batch (`user_key` NULL when the row's user could not be read). */
export type RunFinding = Omit<Finding, "userKey"> & { userKey: number | null };

/** The same findings for rows that belong to no user of the run, with the rules applied. */
export function checkUnattributedHistoryRows(problems: readonly TimerHistoryRowProblem[], rules: ParityRules): RunFinding[] {
  return [...problems].sort(byRow).map((p) => {
    const draft = { ...checkHistoryRows(0, [p])[0]!, userKey: p.tokiUserId ?? null };
    const index = findSuppression(rules.suppressions, draft as FindingDraft);
    const suppression = index >= 0 ? rules.suppressions[index] : undefined;
    return { ...draft, severity: rules.severities.history_row_invalid, suppressed: suppression !== undefined, suppressionReason: suppression?.reason ?? null };
  });
}
