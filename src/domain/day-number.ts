// Calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian), by arithmetic: the
// date helpers run for every entry, link and period, and a Date plus a string per call was a
// visible share of a compare's CPU. Only well-formed real dates of years 0100–9999 take this
// path; anything else keeps the Date-based behaviour of the caller.

import { daysInMonth, digitsAt } from "./iso-date.js";

/** The day number of a `YYYY-MM-DD` real date of a year 0100–9999, or undefined for anything else. */
export function dayNumberOf(date: string): number | undefined {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return undefined;
  const y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 2);
  const d = digitsAt(date, 8, 2);
  // A non-digit reads as -1, which every bound below refuses.
  if (y < 100 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The year, month and day of a day number (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a day number, or undefined outside the years 1000–9999 (where four digits hold the year unpadded). */
export function isoDateOfDayNumber(days: number): string | undefined {
  const { y, m, d } = civilFromDays(days);
  if (y < 1000 || y > 9999) return undefined;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** ISO weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOf(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** ISO-8601 week-numbering year and week of a day number. */
export function isoWeekOfDayNumber(days: number): { year: number; week: number } {
  // The ISO week belongs to the year of its Thursday.
  const thursday = days - isoWeekdayOf(days) + 4;
  const year = civilFromDays(thursday).y;
  return { year, week: Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1 };
}
