import { TZDate, tzOffset } from "@date-fns/tz";
// One module each, not the package index: the index loads all of date-fns (~250 modules, ~0.2 s
// of CPU at every start, in the history worker thread too).
import { getISOWeek } from "date-fns/getISOWeek";
import { getISOWeekYear } from "date-fns/getISOWeekYear";
import type { DateRange, Instant, IsoDate } from "./time-entry.js";
import { isIsoDate } from "./iso-date.js";
import { dayNumberOf, isoDateOfDayNumber, isoWeekdayOf, isoWeekOfDayNumber } from "./day-number.js";

export { isIsoDate };

function toUtcMidnight(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

// Each helper below takes the day-number arithmetic for a real date of a year 0100–9999 and
// keeps its Date-based reading for anything else (an impossible date rolls over as Date does).

export function addDays(date: IsoDate, days: number): IsoDate {
  const n = dayNumberOf(date);
  const fast = n === undefined || !Number.isInteger(days) ? undefined : isoDateOfDayNumber(n + days);
  if (fast !== undefined) return fast;
  const d = toUtcMidnight(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** ISO-8601 week number of a calendar date (what Toki shows as `weekNumber`). */
export function isoWeekOf(date: IsoDate): number {
  const n = dayNumberOf(date);
  if (n !== undefined) return isoWeekOfDayNumber(n).week;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return getISOWeek(new Date(y, m - 1, d));
}

/** ISO week-numbering year of a calendar date. */
export function isoWeekYearOf(date: IsoDate): number {
  const n = dayNumberOf(date);
  if (n !== undefined) return isoWeekOfDayNumber(n).year;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return getISOWeekYear(new Date(y, m - 1, d));
}

/** Monday of the ISO week holding `date`. */
export function isoWeekStart(date: IsoDate): IsoDate {
  const n = dayNumberOf(date);
  const fast = n === undefined ? undefined : isoDateOfDayNumber(n - isoWeekdayOf(n) + 1);
  if (fast !== undefined) return fast;
  const dow = toUtcMidnight(date).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

const HOUR_MS = 3_600_000;
/** Hours remembered per zone before its cache starts afresh (about 23 years of hours). */
const OFFSET_CACHE_HOURS = 200_000;
const offsetCaches = new Map<string, Map<number, number>>();

/**
 * The zone's offset in minutes (as @date-fns/tz's tzOffset) for every instant of a UTC hour, or
 * NaN when the offset changes within it. One Intl format per hour instead of per instant: an
 * offset equal at an hour's first and last millisecond held all hour, since no zone changes its
 * offset twice within one hour.
 */
function hourOffset(timeZone: string, hour: number): number {
  let cache = offsetCaches.get(timeZone);
  if (!cache) offsetCaches.set(timeZone, (cache = new Map()));
  let offset = cache.get(hour);
  if (offset === undefined) {
    const first = tzOffset(timeZone, new Date(hour * HOUR_MS));
    offset = first === tzOffset(timeZone, new Date(hour * HOUR_MS + HOUR_MS - 1)) ? first : Number.NaN;
    if (cache.size >= OFFSET_CACHE_HOURS) cache.clear();
    cache.set(hour, offset);
  }
  return offset;
}

/** The calendar date of an instant in a time zone (Toki's "local registration day"). */
export function localDateOf(instant: Instant, timeZone: string): IsoDate {
  const ms = new Date(instant).getTime();
  // Stryker disable next-line ConditionalExpression: tzOffset of an invalid date is NaN, which sends it to TZDate as well.
  if (Number.isFinite(ms)) {
    const offset = hourOffset(timeZone, Math.floor(ms / HOUR_MS));
    if (!Number.isNaN(offset)) {
      // TZDate's wall clock: the instant moved by the offset rounded to whole seconds.
      const wall = ms - Math.round(-offset * 60) * 1000;
      const fast = isoDateOfDayNumber(Math.floor(wall / 86_400_000));
      if (fast !== undefined) return fast;
    }
  }
  const d = new TZDate(ms, timeZone);
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, "0");
  const day = String(d.getDate()).padStart(2, "0");
  return `${y}-${m}-${day}`;
}

/** The instant of a local wall-clock time on a date in a time zone. */
export function instantAt(date: IsoDate, time: string, timeZone: string): Instant {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm, ss] = time.split(":").map(Number) as [number, number, number | undefined];
  return new Date(new TZDate(y, m - 1, d, hh, mm, ss ?? 0, timeZone).getTime()).toISOString();
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function inRange(date: IsoDate, range: DateRange): boolean {
  return date >= range.from && date <= range.to;
}

export function eachDay(range: DateRange): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function lastDayOfMonth(date: IsoDate): IsoDate {
  const [y, m] = date.split("-").map(Number) as [number, number];
  return fromUtc(new Date(Date.UTC(y, m, 0)));
}

/** Splits an inclusive range into calendar-month chunks (first and last may be partial). */
export function splitByMonth(range: DateRange): DateRange[] {
  const out: DateRange[] = [];
  let from = range.from;
  while (from <= range.to) {
    const end = lastDayOfMonth(from);
    const to = end < range.to ? end : range.to;
    out.push({ from, to });
    from = addDays(to, 1);
  }
  return out;
}

/** Splits an inclusive range into ISO weeks (Mon–Sun) clipped to the range. */
export function splitByIsoWeek(range: DateRange): DateRange[] {
  const out: DateRange[] = [];
  let from = range.from;
  while (from <= range.to) {
    const end = addDays(isoWeekStart(from), 6);
    const to = end < range.to ? end : range.to;
    out.push({ from, to });
    from = addDays(to, 1);
  }
  return out;
}

export type PeriodKind = "week" | "month";

export function splitByPeriod(range: DateRange, period: PeriodKind): DateRange[] {
  return period === "week" ? splitByIsoWeek(range) : splitByMonth(range);
}
