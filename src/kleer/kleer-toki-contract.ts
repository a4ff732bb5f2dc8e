import type { TokiDecodeViolation } from "../domain/toki-decode.js";
import { daysInMonth, digitsAt } from "../domain/iso-date.js";

/**
 * Toki's decode contract: what Toki's own Kleer client (`kleer/src/types.rs` at ponbac/toki2 HEAD,
 * serde + serde_json + the `time` crate) accepts, field by field. The toolkit's zod schemas read
 * Kleer leniently so the comparison still happens; this module says which replies Toki itself
 * would refuse. serde fails a whole reply on its first bad value; here every bad value is listed
 * so a report can name each field once.
 *
 * serde rules mirrored: unknown keys are ignored (no `deny_unknown_fields`); a field without
 * `default` that is not an `Option` must be present; `Option<T>` accepts a missing key and `null`;
 * `#[serde(default)]` on a non-`Option` accepts a missing key but not `null`; `i64` needs an
 * integer, `f64` any finite number; strings and booleans are not coerced.
 */
const TYPES = "kleer/src/types.rs";
const at = (line: number | string) => `${TYPES}:${line}`;

type RowOf = (value: Record<string, unknown>) => { date: string | null; id: string | null };

/**
 * One check of a reply. Every 2xx reply is walked, so the walk allocates nothing for a value that
 * passes: the path is one stack pushed and popped along the way, and the row a value sits in is
 * only read (its date and id) when a violation is reported.
 */
interface Walk {
  out: TokiDecodeViolation[];
  path: (string | number)[];
  row: Record<string, unknown> | null;
  rowOf: RowOf | null;
}

type Decoder = (value: unknown, walk: Walk) => void;

interface FieldSpec {
  decode: Decoder;
  /** `required`: must be present and match; `default`: may be missing, not null; `option`: may be missing or null. */
  presence: "required" | "default" | "option";
  line: number | string;
}

const MAX_VALUE = 120;
function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function formatPath(path: readonly (string | number)[], withIndex: boolean): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += withIndex ? `[${segment}]` : "[]";
    else out += out === "" ? segment : `.${segment}`;
  }
  return out === "" ? "(root)" : out;
}

function report(walk: Walk, value: unknown, expected: string, mirrors: string): void {
  const row = walk.row && walk.rowOf ? walk.rowOf(walk.row) : { date: null, id: null };
  walk.out.push({
    path: formatPath(walk.path, true),
    field: formatPath(walk.path, false),
    expected,
    value: show(value),
    mirrors,
    rowDate: row.date,
    rowId: row.id,
  });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON number serde_json reads as `i64`; JSON text like `1.0` cannot be told apart after JSON.parse. */
const i64 = (line: number | string): Decoder => (value, walk) => {
  if (typeof value !== "number" || !Number.isInteger(value) || Math.abs(value) > 9_223_372_036_854_775_807)
    report(walk, value, "an integer (i64)", at(line));
};
const f64 = (line: number | string): Decoder => (value, walk) => {
  if (typeof value !== "number" || !Number.isFinite(value)) report(walk, value, "a number (f64)", at(line));
};
const string = (line: number | string): Decoder => (value, walk) => {
  if (typeof value !== "string") report(walk, value, "a string", at(line));
};
const bool = (line: number | string): Decoder => (value, walk) => {
  if (typeof value !== "boolean") report(walk, value, "true or false", at(line));
};
const anyJson: Decoder = () => {};

/** `optional_string_from_any` (types.rs:4-17): string, number or null. */
const stringNumberOrNull = (line: number | string): Decoder => (value, walk) => {
  if (value !== null && typeof value !== "string" && typeof value !== "number")
    report(walk, value, "a string, a number or null", `${at(line)} (optional_string_from_any, ${TYPES}:4-17)`);
};

const MINUS = 45;
const PLUS = 43;

/**
 * `Date::parse(value, "[year]-[month]-[day]")` of the time crate (no `large-dates`): optional
 * sign, 4-digit year, 2-digit month and day, a real day, nothing after. Read by character codes:
 * every date of every reply passes through here.
 */
export function isTokiDate(value: string): boolean {
  const signed = value.charCodeAt(0) === MINUS || value.charCodeAt(0) === PLUS ? 1 : 0;
  if (value.length !== 10 + signed || value.charCodeAt(signed + 4) !== MINUS || value.charCodeAt(signed + 7) !== MINUS) return false;
  const unsignedYear = digitsAt(value, signed, 4);
  const month = digitsAt(value, signed + 5, 2);
  const day = digitsAt(value, signed + 8, 2);
  if (unsignedYear < 0 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(value.charCodeAt(0) === MINUS ? -unsignedYear : unsignedYear, month);
}
const date = (line: number | string, helper: string): Decoder => (value, walk) => {
  if (typeof value !== "string" || !isTokiDate(value))
    report(walk, value, "a date in [year]-[month]-[day] form (YYYY-MM-DD)", `${at(line)} (${helper})`);
};

const oneOf = (values: readonly string[], line: number | string): Decoder => (value, walk) => {
  if (typeof value !== "string" || !values.includes(value)) report(walk, value, values.join(", "), at(line));
};
/** `#[serde(other)] Unknown` takes any string, but a non-string still fails. */
const anyString = (line: number | string): Decoder => (value, walk) => {
  if (typeof value !== "string") report(walk, value, "a string (a payroll event type)", at(line));
};

const vec = (item: Decoder, line: number | string): Decoder => (value, walk) => {
  if (!Array.isArray(value)) return report(walk, value, "an array", at(line));
  const { path } = walk;
  for (let index = 0; index < value.length; index++) {
    path.push(index);
    item(value[index], walk);
    path.pop();
  }
};

const hasOwn = Object.prototype.hasOwnProperty;

function struct(name: string, line: number | string, fields: Record<string, FieldSpec>, row?: RowOf): Decoder {
  // Compiled once: the walk visits the fields in their declared order, as before.
  const specs = Object.entries(fields).map(([key, spec]) => ({ key, ...spec, mirrors: at(spec.line) }));
  return (value, walk) => {
    if (!isObject(value)) return report(walk, value, `an object (${name})`, at(line));
    const savedRow = walk.row;
    const savedRowOf = walk.rowOf;
    if (row) {
      walk.row = value;
      walk.rowOf = row;
    }
    const { path } = walk;
    for (const spec of specs) {
      if (!hasOwn.call(value, spec.key)) {
        if (spec.presence === "required") {
          path.push(spec.key);
          report(walk, undefined, "the field to be present", spec.mirrors);
          path.pop();
        }
        continue;
      }
      const field = value[spec.key];
      if (field === null && spec.presence === "option") continue;
      path.push(spec.key);
      spec.decode(field, walk);
      path.pop();
    }
    walk.row = savedRow;
    walk.rowOf = savedRowOf;
  };
}

const req = (decode: Decoder, line: number | string): FieldSpec => ({ decode, presence: "required", line });
const def = (decode: Decoder, line: number | string): FieldSpec => ({ decode, presence: "default", line });
const opt = (decode: Decoder, line: number | string): FieldSpec => ({ decode, presence: "option", line });

const plainDate = (value: unknown): string | null => (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && isTokiDate(value) ? value : null);
const idOf = (value: unknown): string | null =>
  typeof value === "number" ? String(value) : isObject(value) && typeof value.id === "number" ? String(value.id) : null;

const idRef = struct("KleerIdRef", "72-75", { id: req(i64(74), 74) });

const userReadable = struct("KleerUserReadable", "85-101", {
  id: req(i64(88), 88),
  "foreign-id": def(stringNumberOrNull("89-90"), "89-90"),
  "internal-id": def(stringNumberOrNull("91-92"), "91-92"),
  name: req(string(93), 93),
  email: opt(string("94-95"), "94-95"),
  active: req(bool(96), 96),
  "dimension-entry": opt(anyJson, "97-98"),
  dimensions: def(anyJson, "99-100"),
});

const activityReadable = struct("KleerActivityReadable", "109-118", {
  id: req(idRef, 112),
  name: req(string(113), 113),
  description: def(string("114-115"), "114-115"),
  "mandatory-child-when-reporting": def(bool("116-117"), "116-117"),
});

const projectActivity = struct("KleerProjectActivityAssignment", "127-130", { activity: req(idRef, 129) });
const projectUser = struct("KleerProjectUserAssignment", "132-137", {
  user: req(idRef, 134),
  activities: def(vec(projectActivity, "135-136"), "135-136"),
});
const clientProjectReadable = struct("KleerClientProjectReadable", "139-155", {
  id: req(idRef, 142),
  number: def(string("143-144"), "143-144"),
  name: req(string(145), 145),
  active: req(bool(146), 146),
  "all-activities": def(bool("147-148"), "147-148"),
  activities: def(vec(projectActivity, "149-150"), "149-150"),
  "all-users": def(bool("151-152"), "151-152"),
  users: def(vec(projectUser, "153-154"), "153-154"),
});

/** `KleerStatusType` is `rename_all = "SCREAMING_SNAKE_CASE"` without aliases: the XSD's `Open` fails. */
export const TOKI_STATUS_TYPES = ["OPEN", "APPROVED", "CERTIFIED"] as const;
const eventStatus = struct("KleerEventStatus", "172-182", {
  type: req(oneOf(TOKI_STATUS_TYPES, "164-170"), "175-176"),
  "registration-user": opt(idRef, 177),
  "registration-date": opt(date("178-179", `option_date_format, ${TYPES}:57-69`), "178-179"),
  "event-date": opt(date("180-181", `option_date_format, ${TYPES}:57-69`), "180-181"),
});

const eventReadable = struct(
  "KleerEventReadable",
  "184-206",
  {
    id: req(idRef, 187),
    "foreign-id": def(string("188-189"), "188-189"),
    user: req(idRef, 190),
    activity: req(idRef, 191),
    "client-project": opt(idRef, 192),
    child: opt(string("193-194"), "193-194"),
    date: req(date("195-196", `date_format, ${TYPES}:32-40`), "195-196"),
    hours: req(f64(197), 197),
    comment: opt(string("198-199"), "198-199"),
    "internal-comment": opt(string("200-201"), "200-201"),
    approved: opt(bool("202-203"), "202-203"),
    status: opt(eventStatus, "204-205"),
  },
  (row) => ({ date: plainDate(row.date), id: idOf(row.id) }),
);

const payrollEvent = struct(
  "KleerPayrollEvent",
  "246-260",
  {
    id: opt(i64("249-250"), "249-250"),
    date: req(date("251-252", `date_format, ${TYPES}:32-40`), "251-252"),
    hours: req(f64(253), 253),
    type: req(anyString("215-244"), "254-255"),
    child: opt(string("256-257"), "256-257"),
    comment: opt(string("258-259"), "258-259"),
  },
  (row) => ({ date: plainDate(row.date), id: idOf(row.id) }),
);

const restriction = struct("KleerEventRestrictionReadable", "269-272", { status: req(eventStatus, 271) }, (row) => ({
  date: isObject(row.status) ? plainDate(row.status["event-date"]) : null,
  id: null,
}));

const schedule = struct(
  "KleerScheduleMetadata",
  "305-314",
  {
    date: req(date("308-309", `date_format, ${TYPES}:32-40`), "308-309"),
    "level-of-employment": req(f64(310), 310),
    "gross-hours": req(f64(311), 311),
    "net-hours": req(f64(312), 312),
    "actual-hours": req(f64(313), 313),
  },
  (row) => ({ date: plainDate(row.date), id: null }),
);

const list = (name: string, line: string, key: string, item: Decoder, keyLine: string) =>
  struct(name, line, { [key]: def(vec(item, keyLine), keyLine) });

/** The reply types of Toki's Kleer client (kleer/src/client.rs), by the toolkit's endpoint id. */
export const TOKI_REPLY_DECODERS = {
  users: list("KleerUserList", "103-107", "users", userReadable, "105-106"),
  clientProjects: list("KleerClientProjectList", "157-162", "client-project-readables", clientProjectReadable, "160-161"),
  activeClientProjects: list("KleerClientProjectList", "157-162", "client-project-readables", clientProjectReadable, "160-161"),
  activities: list("KleerActivityList", "120-125", "activity-readables", activityReadable, "123-124"),
  events: list("KleerEventList", "208-213", "event-readables", eventReadable, "211-212"),
  event: eventReadable,
  eventStatuses: list("KleerEventRestrictionList", "274-279", "event-restriction-readables", restriction, "277-278"),
  payrollSchedule: list("KleerScheduleMetadataList", "316-321", "payroll-user-schedule-metadatas", schedule, "319-320"),
  payrollEvents: list("KleerPayrollEventList", "262-267", "payroll-events", payrollEvent, "265-266"),
  saved: struct("KleerSavedId", "300-303", { id: req(i64(302), 302) }),
} as const satisfies Record<string, Decoder>;

export type TokiReplyType = keyof typeof TOKI_REPLY_DECODERS;

/** Every value of a parsed Kleer reply that Toki's serde types would refuse (empty: Toki decodes it). */
export function checkTokiDecode(type: TokiReplyType, json: unknown): TokiDecodeViolation[] {
  const walk: Walk = { out: [], path: [], row: null, rowOf: null };
  TOKI_REPLY_DECODERS[type](json, walk);
  return walk.out;
}
