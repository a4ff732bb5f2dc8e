import { addDays, isoWeekOf, isoWeekStart, lastDayOfMonth } from "../../domain/calendar.js";
import type { FindingRecord, TimeInfoRow } from "./html-report-input.js";

export interface PeriodStats {
  worked: number | null;
  scheduled: number | null;
  absence: number | null;
  flexPeriod: number | null;
}

export interface PeriodPoint {
  periodStart: string;
  periodEnd: string;
  /** Short axis label: `W10` for an ISO week, `2026-03` for a month, else `03-02`. */
  label: string;
  /** Spelled out for tables and tooltips: `2026-03-02 – 2026-03-08 (week 10)`. */
  longLabel: string;
  legacy: PeriodStats;
  kleer: PeriodStats;
  legacyFlexBalance: number | null;
  /** kleer_flex_period − legacy_flex_period; null when either side is missing. */
  flexDelta: number | null;
  /** Running Σ of flexDelta up to and including this period; null until the first known delta. */
  cumulativeDrift: number | null;
}

export interface OpeningBalance {
  /** Hours; null when the report holds no legacy balance for the user. */
  hours: number | null;
  /** The stored value when it was not a number (shown as is). */
  rawValue: string | null;
  /** The day the Milltime balance was read for (end of the last period). */
  asOf: string | null;
  source: "flex_balance_unavailable" | "run_users" | "time_info" | "none";
}

function describePeriod(start: string, end: string): { label: string; longLabel: string } {
  if (isoWeekStart(start) === start && addDays(start, 6) === end) {
    const week = isoWeekOf(start);
    return { label: `W${week}`, longLabel: `${start} – ${end} (week ${week})` };
  }
  if (start.endsWith("-01") && lastDayOfMonth(start) === end) return { label: start.slice(0, 7), longLabel: `${start} – ${end}` };
  return { label: start.slice(5), longLabel: `${start} – ${end}` };
}

/** Rounds away binary noise (0.1 + 0.2) so sums read as the hours a person would write down. */
export function roundHours(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * One point per period, oldest first, with the cumulative flex drift: how far a Kleer-era flex
 * figure would have wandered from Milltime's by the end of each period.
 */
export function buildPeriodPoints(records: readonly TimeInfoRow[]): PeriodPoint[] {
  const sorted = [...records].sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : a.periodEnd < b.periodEnd ? -1 : 1));
  let drift: number | null = null;
  return sorted.map((r) => {
    const flexDelta = r.kleerFlexPeriod !== null && r.legacyFlexPeriod !== null ? roundHours(r.kleerFlexPeriod - r.legacyFlexPeriod) : null;
    if (flexDelta !== null) drift = roundHours((drift ?? 0) + flexDelta);
    return {
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      ...describePeriod(r.periodStart, r.periodEnd),
      legacy: { worked: r.legacyWorked, scheduled: r.legacyScheduled, absence: r.legacyAbsence, flexPeriod: r.legacyFlexPeriod },
      kleer: { worked: r.kleerWorked, scheduled: r.kleerScheduled, absence: r.kleerAbsence, flexPeriod: r.kleerFlexPeriod },
      legacyFlexBalance: r.legacyFlexBalance,
      flexDelta,
      cumulativeDrift: drift,
    };
  });
}

/**
 * The flex balance a user must start with in Kleer-era Toki: the legacy balance at the end of
 * the range. The `flex_balance_unavailable` finding states it; without one, the user's stored
 * `flex_balance`, then the last period's Milltime balance, are the best the report holds.
 */
export function pickOpeningBalance(findings: readonly FindingRecord[], periods: readonly PeriodPoint[], storedBalance: number | null = null): OpeningBalance {
  const lastEnd = periods.length > 0 ? periods[periods.length - 1]!.periodEnd : null;
  const finding = findings.find((f) => f.kind === "flex_balance_unavailable" && f.legacyValue !== null);
  if (finding && finding.legacyValue !== null) {
    const text = finding.legacyValue.trim();
    const hours = Number(text);
    const numeric = text !== "" && Number.isFinite(hours);
    const periodEnd = finding.details?.["periodEnd"];
    return {
      hours: numeric ? hours : null,
      rawValue: numeric ? null : finding.legacyValue,
      asOf: typeof periodEnd === "string" ? periodEnd : finding.date,
      source: "flex_balance_unavailable",
    };
  }
  if (storedBalance !== null) return { hours: storedBalance, rawValue: null, asOf: lastEnd, source: "run_users" };
  for (let i = periods.length - 1; i >= 0; i -= 1) {
    const p = periods[i]!;
    if (p.legacyFlexBalance !== null) return { hours: p.legacyFlexBalance, rawValue: null, asOf: p.periodEnd, source: "time_info" };
  }
  return { hours: null, rawValue: null, asOf: null, source: "none" };
}
