import type { DateRange, IsoDate } from "../domain/time-entry.js";
import { computeWeeklyStats, type WeeklyStats } from "../domain/time-info.js";
import { isAbsence } from "./kleer-mapping.js";
import type { KleerEvent, KleerPayrollEvent, KleerPayrollSchedule } from "./kleer-schema.js";

/**
 * The sum of `valueOf` over the rows of each period, adding in the rows' own order (as a scan of
 * every row per period does, so the floating-point sums are the same to the last bit). The rows
 * are sorted by date once and each period finds its first row by binary search: a two-year
 * compare asks for about 105 weekly periods over the same two years of rows.
 */
function sumByPeriod<T>(periods: readonly DateRange[], rows: readonly T[], dateOf: (row: T) => IsoDate, valueOf: (row: T) => number): number[] {
  const order = rows.map((_, index) => index).sort((a, b) => {
    const da = dateOf(rows[a]!);
    const db = dateOf(rows[b]!);
    return da < db ? -1 : da > db ? 1 : a - b;
  });
  return periods.map((period) => {
    let low = 0;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (dateOf(rows[order[mid]!]!) < period.from) low = mid + 1;
      else high = mid;
    }
    const inPeriod: number[] = [];
    for (let i = low; i < order.length && dateOf(rows[order[i]!]!) <= period.to; i++) inPeriod.push(order[i]!);
    inPeriod.sort((a, b) => a - b);
    let sum = 0;
    for (const index of inPeriod) sum += valueOf(rows[index]!);
    return sum;
  });
}

/**
 * WeeklyStats of each period from rows already fetched (rows outside a period are ignored):
 * worked = Σ hours of events with a client-project (visible or not, listed or skipped), scheduled = Σ actual-hours,
 * absence = Σ payroll hours except WorkHour and unknown types.
 */
export function computeStatsForPeriods(
  periods: readonly DateRange[],
  events: readonly KleerEvent[],
  schedule: readonly KleerPayrollSchedule[],
  payrollEvents: readonly KleerPayrollEvent[],
): WeeklyStats[] {
  const worked = sumByPeriod(periods, events.filter((e) => e["client-project"] !== null), (e) => e.date, (e) => e.hours);
  const scheduled = sumByPeriod(periods, schedule, (s) => s.date, (s) => s["actual-hours"]);
  const absence = sumByPeriod(periods, payrollEvents.filter((p) => isAbsence(p.type)), (p) => p.date, (p) => p.hours);
  return periods.map((_, i) => computeWeeklyStats(worked[i]!, scheduled[i]!, absence[i]!));
}
