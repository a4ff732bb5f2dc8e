import { addDays, localDateOf } from "../domain/calendar.js";
import { ConfigError } from "../domain/errors.js";
import type { DateRange } from "../domain/time-entry.js";

/** Throws a ConfigError naming `--time-zone` when the zone is unknown to Intl. */
export function assertKnownTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch (error) {
    throw new ConfigError(`--time-zone: unknown time zone "${timeZone}"`, [`--time-zone: unknown time zone "${timeZone}"`], { cause: error });
  }
}

/**
 * The last full calendar month before `now`'s month, in `timeZone`: on 2026-05-14 it is
 * 2026-04-01..2026-04-30. Doctor checks this range when neither `--from` nor `--to` is given.
 */
export function defaultDoctorRange(now: Date, timeZone: string): DateRange {
  assertKnownTimeZone(timeZone);
  const today = localDateOf(now.toISOString(), timeZone);
  const to = addDays(`${today.slice(0, 7)}-01`, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}
