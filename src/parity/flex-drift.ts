import type { Severity } from "./finding-kinds.js";
import { describeDifference, draftFinding, formatHours, hoursValue, type FindingDraft } from "./finding.js";
import { DEFAULT_FLEX_DRIFT_RULES, type FlexDriftRules } from "./parity-rules.js";
import type { TimeInfoRow } from "./time-info-comparison.js";

/** Floating-point slack, as for the tolerances. */
const EPSILON = 1e-9;

/**
 * One finding per user whose period flex, summed over the periods both sides were read, drifts
 * beyond the threshold: `flex_drift`, dated the first period's first day, its severity the case's
 * (warning or blocking by threshold; a rules-file severity for the kind overrides it).
 */
export function checkFlexDrift(userKey: number, rows: readonly TimeInfoRow[], rules: FlexDriftRules = DEFAULT_FLEX_DRIFT_RULES): FindingDraft | null {
  const read = rows.filter((r) => r.legacyFlexPeriod !== null && r.kleerFlexPeriod !== null);
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (read.length === 0 || !first || !last) return null;
  const legacy = read.reduce((sum, r) => sum + (r.legacyFlexPeriod as number), 0);
  const kleer = read.reduce((sum, r) => sum + (r.kleerFlexPeriod as number), 0);
  const drift = kleer - legacy;
  const threshold = rules.users.get(userKey) ?? rules.default;
  const magnitude = Math.abs(drift);
  if (magnitude <= threshold.warningHours + EPSILON) return null;
  const blocking = threshold.blockingHours !== null && magnitude > threshold.blockingHours + EPSILON;
  const caseSeverity: Severity = blocking ? "blocking" : "warning";
  const limit = blocking ? `the ${threshold.blockingHours} h blocking threshold` : `the ${threshold.warningHours} h warning threshold`;
  const partial = read.length === rows.length ? "" : ` (${read.length} of ${rows.length} periods read on both sides)`;
  const signed = `${drift >= 0 ? "+" : ""}${Number(drift.toFixed(2))} h`;
  return draftFinding({
    kind: "flex_drift",
    userKey,
    date: first.periodStart,
    field: "flex_drift",
    legacyValue: hoursValue(legacy),
    kleerValue: hoursValue(kleer),
    message:
      `${first.periodStart}–${last.periodEnd} cumulative flex drift ${signed}${partial}: period flex sums to ${formatHours(legacy)} in Milltime, ` +
      `${formatHours(kleer)} in Kleer (${describeDifference(legacy, kleer)}), above ${limit}`,
    details: { periodEnd: last.periodEnd, periods: read.length, driftHours: Number(drift.toFixed(6)), warningHours: threshold.warningHours, blockingHours: threshold.blockingHours },
    caseSeverity,
  });
}
