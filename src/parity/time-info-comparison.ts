import type { DateRange, IsoDate } from "../domain/time-entry.js";
import type { TimeInfo, WeeklyStats } from "../domain/time-info.js";
import type { FindingKind } from "./finding-kinds.js";
import { describeDifference, draftFinding, formatHours, hoursValue, refOf, type FindingDraft } from "./finding.js";
import { exceedsTolerance } from "./parity-rules.js";

/** One row of the report's `time_info` table: both sides of one user-period (null = not read). */
export interface TimeInfoRow {
  userKey: number;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  legacyWorked: number | null;
  legacyScheduled: number | null;
  legacyAbsence: number | null;
  legacyCovered: number | null;
  legacyRemaining: number | null;
  legacyFlexPeriod: number | null;
  legacyFlexBalance: number | null;
  kleerWorked: number | null;
  kleerScheduled: number | null;
  kleerAbsence: number | null;
  kleerCovered: number | null;
  kleerRemaining: number | null;
  kleerFlexPeriod: number | null;
}

interface FigureRule {
  kind: FindingKind;
  field: string;
  label: string;
  legacy: (t: TimeInfo) => number;
  kleer: (s: WeeklyStats) => number;
}

/** The correspondence table; remaining is compared as the UI showed it (legacy clamped at 0). */
export const TIME_INFO_FIGURES: readonly FigureRule[] = [
  { kind: "timeinfo_worked_mismatch", field: "worked", label: "worked (WorkedPeriodTime ↔ workedHours)", legacy: (t) => t.workedPeriodTime, kleer: (s) => s.workedHours },
  { kind: "timeinfo_scheduled_mismatch", field: "scheduled", label: "scheduled (ScheduledPeriodTime ↔ scheduledHours)", legacy: (t) => t.scheduledPeriodTime, kleer: (s) => s.scheduledHours },
  { kind: "timeinfo_absence_mismatch", field: "absence", label: "absence (AbsencePeriodTime ↔ absenceHours)", legacy: (t) => t.absencePeriodTime, kleer: (s) => s.absenceHours },
  { kind: "timeinfo_covered_mismatch", field: "covered", label: "covered (WorkedPeriodWithAbsenceTime ↔ coveredHours)", legacy: (t) => t.workedPeriodWithAbsenceTime, kleer: (s) => s.coveredHours },
  { kind: "timeinfo_remaining_mismatch", field: "remaining", label: "remaining (max(0, PeriodTimeLeft) ↔ remainingHours)", legacy: (t) => Math.max(0, t.periodTimeLeft), kleer: (s) => s.remainingHours },
  { kind: "flex_period_mismatch", field: "flex_period", label: "period flex (FlexTimePeriodIncl ↔ periodFlexHours)", legacy: (t) => t.flexTimePeriodIncl, kleer: (s) => s.periodFlexHours },
];

export interface CompareTimeInfoInput {
  userKey: number;
  periods: readonly DateRange[];
  /** One per period, same order; null when the legacy side was not read. */
  legacy: ReadonlyArray<TimeInfo> | null;
  /** One per period, same order; null when the Kleer side was not read (or the user is unmapped). */
  kleer: ReadonlyArray<WeeklyStats> | null;
  toleranceHours: number;
}

export interface CompareTimeInfoResult {
  rows: TimeInfoRow[];
  findings: FindingDraft[];
  /** Milltime's FlexTimeCurrent of the last period: the opening balance Kleer-era Toki needs. */
  flexBalance: number | null;
}

/**
 * Compares TimeInfo per period and records, once per user, that the legacy running flex
 * balance has no Kleer equivalent (`flex_balance_unavailable`, dated the last period's first day).
 */
export function compareTimeInfo(input: CompareTimeInfoInput): CompareTimeInfoResult {
  const { userKey, periods, legacy, kleer, toleranceHours } = input;
  if (legacy && legacy.length !== periods.length) throw new RangeError(`expected ${periods.length} legacy TimeInfo values, got ${legacy.length}`);
  if (kleer && kleer.length !== periods.length) throw new RangeError(`expected ${periods.length} Kleer weekly stats, got ${kleer.length}`);
  const rows: TimeInfoRow[] = [];
  const findings: FindingDraft[] = [];
  periods.forEach((period, i) => {
    const t = legacy?.[i];
    const s = kleer?.[i];
    rows.push({
      userKey,
      periodStart: period.from,
      periodEnd: period.to,
      legacyWorked: t ? t.workedPeriodTime : null,
      legacyScheduled: t ? t.scheduledPeriodTime : null,
      legacyAbsence: t ? t.absencePeriodTime : null,
      legacyCovered: t ? t.workedPeriodWithAbsenceTime : null,
      legacyRemaining: t ? t.periodTimeLeft : null,
      legacyFlexPeriod: t ? t.flexTimePeriodIncl : null,
      legacyFlexBalance: t ? t.flexTimeCurrent : null,
      kleerWorked: s ? s.workedHours : null,
      kleerScheduled: s ? s.scheduledHours : null,
      kleerAbsence: s ? s.absenceHours : null,
      kleerCovered: s ? s.coveredHours : null,
      kleerRemaining: s ? s.remainingHours : null,
      kleerFlexPeriod: s ? s.periodFlexHours : null,
    });
    if (!t || !s) return;
    const byField = new Map<string, FindingDraft>();
    for (const figure of TIME_INFO_FIGURES) {
      const a = figure.legacy(t);
      const b = figure.kleer(s);
      if (!exceedsTolerance(a, b, toleranceHours)) continue;
      const draft = draftFinding({
        kind: figure.kind,
        userKey,
        date: period.from,
        field: figure.field,
        legacyValue: hoursValue(a),
        kleerValue: hoursValue(b),
        message: `${period.from}–${period.to} ${figure.label}: ${formatHours(a)} in Milltime, ${formatHours(b)} in Kleer (${describeDifference(a, b)})`,
        details: { periodEnd: period.to },
      });
      byField.set(figure.field, draft);
      findings.push(draft);
    }
    attachConsequences(byField, t, toleranceHours);
  });

  const lastIndex = periods.length - 1;
  const last = legacy?.[lastIndex];
  const lastPeriod = periods[lastIndex];
  if (!last || !lastPeriod) return { rows, findings, flexBalance: null };
  findings.push(
    draftFinding({
      kind: "flex_balance_unavailable",
      userKey,
      date: lastPeriod.from,
      field: "flex_balance",
      legacyValue: hoursValue(last.flexTimeCurrent),
      kleerValue: null,
      message: `Milltime flex balance ${formatHours(last.flexTimeCurrent)} at the end of ${lastPeriod.to} has no Kleer equivalent: carry it over as the opening balance`,
      details: { periodEnd: lastPeriod.to },
    }),
  );
  return { rows, findings, flexBalance: last.flexTimeCurrent };
}

/**
 * Marks the derived figures of one period as consequences of their root. Kleer derives covered
 * = worked + absence, remaining = max(0, scheduled − covered) and flex = covered − scheduled
 * (computeWeeklyStats, as Toki's adapter does); when Milltime's own figure obeys the same
 * relation within the tolerance, its difference is fully explained by the differing components,
 * so it points at the component's finding. A Milltime figure that breaks the relation is a
 * problem of its own and stays a root.
 */
function attachConsequences(byField: ReadonlyMap<string, FindingDraft>, t: TimeInfo, toleranceHours: number): void {
  const worked = byField.get("worked");
  const absence = byField.get("absence");
  const scheduled = byField.get("scheduled");
  const covered = byField.get("covered");
  const coveredConsistent = !exceedsTolerance(t.workedPeriodWithAbsenceTime, t.workedPeriodTime + t.absencePeriodTime, toleranceHours);
  if (covered && coveredConsistent) {
    const root = worked ?? absence;
    if (root) covered.causedBy = refOf(root);
  }
  // Remaining and flex follow covered (its root when it has one) and scheduled.
  // A covered difference within the tolerance leaves scheduled as the only possible cause.
  const root = covered ? (covered.causedBy ?? refOf(covered)) : scheduled ? refOf(scheduled) : undefined;
  if (!root) return;
  const legacyCovered = t.workedPeriodWithAbsenceTime;
  const remaining = byField.get("remaining");
  if (remaining && !exceedsTolerance(Math.max(0, t.periodTimeLeft), Math.max(0, t.scheduledPeriodTime - legacyCovered), toleranceHours)) remaining.causedBy = root;
  const flex = byField.get("flex_period");
  if (flex && !exceedsTolerance(t.flexTimePeriodIncl, legacyCovered - t.scheduledPeriodTime, toleranceHours)) flex.causedBy = root;
}
