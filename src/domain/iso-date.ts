// The date-form check alone, without date-fns, so flag parsers can use it when `--help` loads them.
// Also the two pieces every char-code date reader of the project shares (the Kleer decode
// contract, the history export's timestamps, the day numbers): ASCII digits at a position, and
// the length of a month.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of `count` ASCII digits of `text` at `at`, or -1 when one of them is not a digit (or is past the end). */
export function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Days of `month` (1–12) of a proleptic Gregorian `year` (negative years follow the same leap rule). */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * True for a real calendar date in `YYYY-MM-DD` form (rejects 2026-02-30). Years before 0100 are
 * rejected, as the Date round trip this replaces rejected them (Date.UTC reads 0–99 as 1900–1999);
 * the arithmetic avoids a Date and a string per call (every entry's dates pass through here).
 */
export function isIsoDate(value: string): boolean {
  // Char codes, not a regular expression: exec allocated a match array and three strings per call.
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  if (year < 100 || day < 1) return false;
  // Stryker disable next-line ConditionalExpression: without it a month 0 or 13–99 has no length (day <= undefined is false); the bound says so.
  if (month < 1 || month > 12) return false;
  return day <= daysInMonth(year, month);
}
