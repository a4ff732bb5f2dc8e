import type { PeriodPoint } from "./html-report-periods.js";

/**
 * Stable ids of a user's period rows (the "chart data" table), which the overview heatmap links
 * to: `user-3-p2026-03-02` from the user's anchor and the period's first day, so a link written
 * into a ticket still points at the same week after the report is rendered again. Two periods of
 * one user that start on the same day (a run mixing period lengths) add the last day.
 */
export function periodAnchors(userAnchor: string, periods: readonly PeriodPoint[]): string[] {
  const starts = new Map<string, number>();
  for (const p of periods) starts.set(p.periodStart, (starts.get(p.periodStart) ?? 0) + 1);
  return periods.map((p) => `${userAnchor}-p${p.periodStart}${(starts.get(p.periodStart) ?? 0) > 1 ? `-${p.periodEnd}` : ""}`);
}
