import { addDays } from "./calendar.js";
import type { DateRange, IsoDate } from "./time-entry.js";

/** Number of calendar days of an inclusive range (1 for a single day). */
export function daysIn(range: DateRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** `date` plus `months` calendar months, the day clamped to the target month's length (Jan 31 + 1 → Feb 28). */
export function addMonthsClamped(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * Splits an inclusive range into consecutive spans of at most `maxMonths` calendar months and,
 * when `maxDays` is given, at most that many days. The spans cover every day of the range exactly
 * once, in order.
 */
export function splitBySpan(range: DateRange, maxMonths: number, maxDays?: number): DateRange[] {
  if (!Number.isInteger(maxMonths) || maxMonths < 1) throw new RangeError(`maxMonths must be a positive integer, got ${maxMonths}`);
  if (maxDays !== undefined && (!Number.isInteger(maxDays) || maxDays < 1)) throw new RangeError(`maxDays must be a positive integer, got ${maxDays}`);
  const out: DateRange[] = [];
  let from = range.from;
  while (from <= range.to) {
    let to = addDays(addMonthsClamped(from, maxMonths), -1);
    if (maxDays !== undefined) {
      const byDays = addDays(from, maxDays - 1);
      // Stryker disable next-line EqualityOperator: with byDays equal to `to` either one is the same date.
      if (byDays < to) to = byDays;
    }
    // Stryker disable next-line EqualityOperator: with `to` equal to range.to either one is the same date.
    if (to > range.to) to = range.to;
    out.push({ from, to });
    from = addDays(to, 1);
  }
  return out;
}

/**
 * The two halves of a range of at least two days: the first holds the earlier ⌊n/2⌋ days, the
 * second the rest, so every day is in exactly one half. `undefined` for a single day (it cannot
 * be split).
 */
export function halveRange(range: DateRange): [DateRange, DateRange] | undefined {
  const days = daysIn(range);
  if (days < 2) return undefined;
  const end = addDays(range.from, Math.floor(days / 2) - 1);
  return [
    { from: range.from, to: end },
    { from: addDays(end, 1), to: range.to },
  ];
}
