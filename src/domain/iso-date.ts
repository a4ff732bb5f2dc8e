// The date-form check alone, without date-fns, so flag parsers can use it when `--help` loads them.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True for a real calendar date in `YYYY-MM-DD` form (rejects 2026-02-30). Years before 0100 are
 * rejected, as the Date round trip this replaces rejected them (Date.UTC reads 0–99 as 1900–1999);
 * the arithmetic avoids a Date and a string per call (every entry's dates pass through here).
 */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 100 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}
