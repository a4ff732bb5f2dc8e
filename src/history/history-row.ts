import { addDays, instantAt, isIsoDate } from "../domain/calendar.js";
import { ConfigError } from "../domain/errors.js";
import { digitsAt } from "../domain/iso-date.js";
import type { DateRange } from "../domain/time-entry.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import type { HistoryQuery, HistorySkipCounts } from "./history-source.js";

/** One `timer_history` row as a source delivers it (CSV text, JSON values or PostgreSQL text). */
export interface RawHistoryRow {
  id?: unknown;
  user_id?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  project_id?: unknown;
  project_name?: unknown;
  activity_id?: unknown;
  activity_name?: unknown;
  note?: unknown;
  registration_id?: unknown;
  user_email?: unknown;
}

/** A query turned into comparable values; absent members do not filter. */
export interface HistoryRowFilter {
  /** Epoch milliseconds of the first instant of `range.from` in the time zone. */
  fromMs?: number | undefined;
  /** Epoch milliseconds of the first instant of the day after `range.to` (exclusive). */
  toMs?: number | undefined;
  tokiUserIds?: ReadonlySet<number> | undefined;
}

export type HistoryRowOutcome =
  | { kind: "link"; link: TimerHistoryLink }
  | { kind: "skipped"; reason: keyof HistorySkipCounts }
  | { kind: "bad"; reason: string; tokiUserId?: number | undefined }
  | { kind: "filtered" };

const MAX_INT4 = 2_147_483_647;

/** Throws ConfigError unless `timeZone` is an IANA zone this Node knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch (error) {
    throw new ConfigError(`unknown time zone "${timeZone}"`, [`timeZone: "${timeZone}" is not an IANA time zone`], { cause: error });
  }
}

/**
 * The instants bounding a local-day range: `[first instant of from, first instant of to + 1 day)`
 * in `timeZone`. A day is whatever the zone says (23 or 25 hours across a DST change).
 */
export function rangeBounds(range: DateRange, timeZone: string): { from: string; toExclusive: string } {
  for (const [key, value] of [["from", range.from], ["to", range.to]] as const) {
    if (!isIsoDate(value)) throw new ConfigError(`invalid range ${key} "${value}"`, [`range.${key}: expected YYYY-MM-DD`]);
  }
  if (range.from > range.to) throw new ConfigError(`range from ${range.from} is after to ${range.to}`, ["range: from is after to"]);
  return { from: instantAt(range.from, "00:00:00", timeZone), toExclusive: instantAt(addDays(range.to, 1), "00:00:00", timeZone) };
}

export function toRowFilter(query: HistoryQuery, timeZone: string): HistoryRowFilter {
  const bounds = query.range ? rangeBounds(query.range, timeZone) : undefined;
  return {
    fromMs: bounds ? Date.parse(bounds.from) : undefined,
    toMs: bounds ? Date.parse(bounds.toExclusive) : undefined,
    tokiUserIds: query.tokiUserIds ? new Set(query.tokiUserIds) : undefined,
  };
}

// PostgreSQL text output (`2026-05-12 09:30:00.123456+02`, `+05:30`, historic `+00:53:28`) and RFC 3339.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/;

/**
 * Epoch milliseconds of a timestamp with an explicit UTC offset, or undefined. Sub-millisecond
 * digits (PostgreSQL keeps microseconds) are truncated. A timestamp without offset is rejected:
 * it would depend on the zone of whoever wrote the file.
 */
export function parseTimestamp(text: string): number | undefined {
  const fast = parsePsqlTimestamp(text);
  if (fast !== undefined) return fast;
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) return undefined;
  return local - offsetMillis(m[8] ?? "Z");
}

/**
 * psql's own forms (`2026-05-12 09:30:00+00`, `…:00.123456+02`, `…+05:30`) read by char codes:
 * every row of an export has two or three timestamps. Anything else — whitespace, `Z`, seconds
 * in the offset, no real date — is left to the regular expression (undefined here), which gives
 * the same value for these forms.
 */
function parsePsqlTimestamp(text: string): number | undefined {
  if (text.length < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2), minute = digitsAt(text, 14, 2), second = digitsAt(text, 17, 2);
  if (year < 100 || month < 1 || month > 12 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let at = 19;
  let millis = 0;
  if (text.charCodeAt(at) === 46) {
    let digits = 0;
    for (at += 1; at < text.length && digitsAt(text, at, 1) >= 0; at++, digits++) if (digits < 3) millis += digitsAt(text, at, 1) * [100, 10, 1][digits]!;
    if (digits < 1 || digits > 9) return undefined;
  }
  const sign = text.charCodeAt(at) === 43 ? 1 : text.charCodeAt(at) === 45 ? -1 : 0;
  if (sign === 0) return undefined;
  const offsetHours = digitsAt(text, at + 1, 2);
  let offsetMinutes = 0;
  if (text.length === at + 6 && text.charCodeAt(at + 3) === 58) offsetMinutes = digitsAt(text, at + 4, 2);
  else if (text.length !== at + 3) return undefined;
  if (offsetHours < 0 || offsetMinutes < 0) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) return undefined;
  return local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function offsetMillis(offset: string): number {
  if (offset === "Z" || offset === "z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(/:/g, "");
  const h = Number(digits.slice(0, 2));
  const min = Number(digits.slice(2, 4) || "0");
  const s = Number(digits.slice(4, 6) || "0");
  return sign * ((h * 60 + min) * 60 + s) * 1000;
}

function parseInteger(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= 1 && value <= MAX_INT4 ? value : undefined;
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) {
    const n = Number(value);
    return n >= 1 && n <= MAX_INT4 ? n : undefined;
  }
  return undefined;
}

function show(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : value === null || value === undefined ? "NULL" : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

type TextResult = { ok: true; value: string | null } | { ok: false; reason: string };

function readText(column: string, value: unknown): TextResult {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (typeof value === "string") return { ok: true, value };
  if (typeof value === "number" && Number.isFinite(value)) return { ok: true, value: String(value) };
  return { ok: false, reason: `${column} is not text: ${show(value)}` };
}

function readTime(column: string, value: unknown): { ok: true; ms: number } | { ok: false; reason: string } {
  const ms = typeof value === "string" ? parseTimestamp(value) : undefined;
  return ms === undefined
    ? { ok: false, reason: `${column} is not a timestamp with UTC offset: ${show(value)}` }
    : { ok: true, ms };
}

/**
 * Classifies one row: filtered out, bad (with the reason), skipped (running timer or never
 * saved to a provider), or a link. Fields a filter needs are checked before filtering, so a row
 * whose user or start cannot be read is reported as bad whatever the query.
 */
export function classifyHistoryRow(raw: RawHistoryRow, filter: HistoryRowFilter): HistoryRowOutcome {
  const tokiUserId = parseInteger(raw.user_id);
  if (tokiUserId === undefined) return { kind: "bad", reason: `user_id is not a positive integer: ${show(raw.user_id)}` };
  const start = readTime("start_time", raw.start_time);
  if (!start.ok) return { kind: "bad", reason: start.reason, tokiUserId };
  if (filter.tokiUserIds && !filter.tokiUserIds.has(tokiUserId)) return { kind: "filtered" };
  if (filter.fromMs !== undefined && start.ms < filter.fromMs) return { kind: "filtered" };
  if (filter.toMs !== undefined && start.ms >= filter.toMs) return { kind: "filtered" };

  const historyId = parseInteger(raw.id);
  if (historyId === undefined) return { kind: "bad", reason: `id is not a positive integer: ${show(raw.id)}`, tokiUserId };
  if (raw.end_time === null || raw.end_time === undefined) return { kind: "skipped", reason: "noEndTime" };
  const end = readTime("end_time", raw.end_time);
  if (!end.ok) return { kind: "bad", reason: end.reason, tokiUserId };
  const startTime = new Date(start.ms).toISOString();
  const endTime = new Date(end.ms).toISOString();
  if (end.ms < start.ms) return { kind: "bad", reason: `end_time ${endTime} is before start_time ${startTime}`, tokiUserId };

  const texts: Record<string, string | null> = {};
  for (const column of ["registration_id", "project_id", "project_name", "activity_id", "activity_name", "note", "user_email"] as const) {
    const text = readText(column, raw[column]);
    if (!text.ok) return { kind: "bad", reason: text.reason, tokiUserId };
    texts[column] = text.value;
  }
  const registrationId = texts.registration_id ?? null;
  if (registrationId === null || registrationId.trim() === "") return { kind: "skipped", reason: "noRegistrationId" };
  const email = texts.user_email ?? null;

  return {
    kind: "link",
    link: {
      historyId,
      tokiUserId,
      userEmail: email === null || email.trim() === "" ? null : email,
      registrationId,
      startTime,
      endTime,
      projectId: texts.project_id ?? null,
      projectName: texts.project_name ?? null,
      activityId: texts.activity_id ?? null,
      activityName: texts.activity_name ?? null,
      note: texts.note ?? null,
    },
  };
}
