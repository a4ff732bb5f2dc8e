import { describe, expect, it } from "vitest";
import { checkTokiDecode, isTokiDate, type TokiReplyType } from "../../src/kleer/kleer-toki-contract.js";

// Field by field, every rule of Toki's decode contract with the line of kleer/src/types.rs (ponbac/toki2
// HEAD) the finding cites: a reply Toki's serde refuses must name the field, what Toki expects and
// where the rule lives, so that a product reviewer can check it against Toki's own code.
const T = "kleer/src/types.rs";
const DATE = "a date in [year]-[month]-[day] form (YYYY-MM-DD)";
const PRESENT = "the field to be present";

/** One reply of each type that Toki decodes, every field given. */
const valid = (): Record<TokiReplyType, Record<string, unknown>> => {
  const event = {
    id: { id: 4494670 }, "foreign-id": "", user: { id: 31118 }, activity: { id: 22427 }, "client-project": { id: 322222 }, child: "c",
    date: "2026-05-04", hours: 8, comment: "c", "internal-comment": "i", approved: false,
    status: { type: "OPEN", "registration-user": { id: 5236 }, "registration-date": "2026-05-04", "event-date": "2026-05-04" },
  };
  const project = {
    id: { id: 322222 }, number: "P1", name: "P", active: true, "all-activities": false, activities: [{ activity: { id: 22427 } }],
    "all-users": false, users: [{ user: { id: 31118 }, activities: [{ activity: { id: 22427 } }] }],
  };
  return {
    users: { users: [{ id: 31118, "foreign-id": "aad", "internal-id": 123, name: "Ada", email: "a@x.se", active: true, "dimension-entry": { id: 1 }, dimensions: {} }] },
    activities: { "activity-readables": [{ id: { id: 22427 }, name: "Dev", description: "", "mandatory-child-when-reporting": false }] },
    clientProjects: { "client-project-readables": [project] },
    activeClientProjects: { "client-project-readables": [project] },
    events: { "event-readables": [event] },
    event,
    eventStatuses: { "event-restriction-readables": [{ status: { type: "APPROVED", "registration-user": { id: 5236 }, "registration-date": "2026-05-04", "event-date": "2026-05-05" } }] },
    payrollSchedule: { "payroll-user-schedule-metadatas": [{ date: "2026-05-04", "level-of-employment": 1, "gross-hours": 8, "net-hours": 8, "actual-hours": 8 }] },
    payrollEvents: { "payroll-events": [{ id: 9, date: "2026-05-04", hours: 8, type: "VACATION", child: "c", comment: "c" }] },
    saved: { id: 7 },
  };
};

const DROP = Symbol("drop");
/** The valid reply of `type` with the value at `path` replaced (or dropped); `[]` replaces the root. */
function reply(type: TokiReplyType, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const root: unknown = valid()[type];
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DROP) delete node[last];
  else node[last] = value;
  return root;
}
const violations = (type: TokiReplyType, json: unknown) => checkTokiDecode(type, json).map((v) => `${v.path} ${v.value} | ${v.expected} | ${v.mirrors}`);

type Row = [type: TokiReplyType, path: Array<string | number>, value: unknown, expected: string, mirrors: string];
const at = (lines: string) => `${T}:${lines}`;
const rows: Row[] = [
  // KleerUserList / KleerUserReadable (types.rs:85-107)
  ["users", [], "x", "an object (KleerUserList)", at("103-107")],
  ["users", ["users"], {}, "an array", at("105-106")],
  ["users", ["users", 0], 5, "an object (KleerUserReadable)", at("85-101")],
  ["users", ["users", 0, "id"], "1", "an integer (i64)", at("88")],
  ["users", ["users", 0, "id"], DROP, PRESENT, at("88")],
  ["users", ["users", 0, "foreign-id"], true, "a string, a number or null", `${at("89-90")} (optional_string_from_any, ${T}:4-17)`],
  ["users", ["users", 0, "internal-id"], {}, "a string, a number or null", `${at("91-92")} (optional_string_from_any, ${T}:4-17)`],
  ["users", ["users", 0, "name"], 5, "a string", at("93")],
  ["users", ["users", 0, "name"], DROP, PRESENT, at("93")],
  ["users", ["users", 0, "email"], 5, "a string", at("94-95")],
  ["users", ["users", 0, "active"], "true", "true or false", at("96")],
  ["users", ["users", 0, "active"], DROP, PRESENT, at("96")],
  // KleerActivityList / KleerActivityReadable / KleerIdRef (types.rs:72-75, 109-125)
  ["activities", [], [], "an object (KleerActivityList)", at("120-125")],
  ["activities", ["activity-readables"], 5, "an array", at("123-124")],
  ["activities", ["activity-readables", 0], "a", "an object (KleerActivityReadable)", at("109-118")],
  ["activities", ["activity-readables", 0, "id"], 22427, "an object (KleerIdRef)", at("72-75")],
  ["activities", ["activity-readables", 0, "id"], DROP, PRESENT, at("112")],
  ["activities", ["activity-readables", 0, "id", "id"], "22427", "an integer (i64)", at("74")],
  ["activities", ["activity-readables", 0, "id", "id"], DROP, PRESENT, at("74")],
  ["activities", ["activity-readables", 0, "name"], null, "a string", at("113")],
  ["activities", ["activity-readables", 0, "name"], DROP, PRESENT, at("113")],
  ["activities", ["activity-readables", 0, "description"], 5, "a string", at("114-115")],
  ["activities", ["activity-readables", 0, "mandatory-child-when-reporting"], "no", "true or false", at("116-117")],
  // KleerClientProjectList and its assignments (types.rs:127-162)
  ["clientProjects", [], 5, "an object (KleerClientProjectList)", at("157-162")],
  ["activeClientProjects", [], 5, "an object (KleerClientProjectList)", at("157-162")],
  ["clientProjects", ["client-project-readables"], "x", "an array", at("160-161")],
  ["activeClientProjects", ["client-project-readables"], "x", "an array", at("160-161")],
  ["clientProjects", ["client-project-readables", 0], null, "an object (KleerClientProjectReadable)", at("139-155")],
  ["clientProjects", ["client-project-readables", 0, "id"], DROP, PRESENT, at("142")],
  ["clientProjects", ["client-project-readables", 0, "number"], 5, "a string", at("143-144")],
  ["clientProjects", ["client-project-readables", 0, "name"], DROP, PRESENT, at("145")],
  ["clientProjects", ["client-project-readables", 0, "active"], DROP, PRESENT, at("146")],
  ["clientProjects", ["client-project-readables", 0, "all-activities"], "x", "true or false", at("147-148")],
  ["clientProjects", ["client-project-readables", 0, "activities"], {}, "an array", at("149-150")],
  ["clientProjects", ["client-project-readables", 0, "activities", 0], 5, "an object (KleerProjectActivityAssignment)", at("127-130")],
  ["clientProjects", ["client-project-readables", 0, "activities", 0, "activity"], DROP, PRESENT, at("129")],
  ["clientProjects", ["client-project-readables", 0, "all-users"], 1, "true or false", at("151-152")],
  ["clientProjects", ["client-project-readables", 0, "users"], 5, "an array", at("153-154")],
  ["clientProjects", ["client-project-readables", 0, "users", 0], "u", "an object (KleerProjectUserAssignment)", at("132-137")],
  ["clientProjects", ["client-project-readables", 0, "users", 0, "user"], DROP, PRESENT, at("134")],
  ["clientProjects", ["client-project-readables", 0, "users", 0, "activities"], 5, "an array", at("135-136")],
  // KleerEventList / KleerEventReadable / KleerEventStatus (types.rs:164-213)
  ["events", [], "x", "an object (KleerEventList)", at("208-213")],
  ["events", ["event-readables"], 5, "an array", at("211-212")],
  ["events", ["event-readables", 0], [], "an object (KleerEventReadable)", at("184-206")],
  ["event", [], 5, "an object (KleerEventReadable)", at("184-206")],
  ["events", ["event-readables", 0, "id"], DROP, PRESENT, at("187")],
  ["events", ["event-readables", 0, "foreign-id"], 5, "a string", at("188-189")],
  ["events", ["event-readables", 0, "user"], DROP, PRESENT, at("190")],
  ["events", ["event-readables", 0, "user"], null, "an object (KleerIdRef)", at("72-75")],
  ["events", ["event-readables", 0, "activity"], DROP, PRESENT, at("191")],
  ["events", ["event-readables", 0, "client-project"], 5, "an object (KleerIdRef)", at("72-75")],
  ["events", ["event-readables", 0, "child"], 5, "a string", at("193-194")],
  ["events", ["event-readables", 0, "date"], DROP, PRESENT, at("195-196")],
  ["events", ["event-readables", 0, "date"], "2026-02-30", DATE, `${at("195-196")} (date_format, ${T}:32-40)`],
  ["event", ["date"], ["2026-05-04"], DATE, `${at("195-196")} (date_format, ${T}:32-40)`],
  ["events", ["event-readables", 0, "hours"], DROP, PRESENT, at("197")],
  ["events", ["event-readables", 0, "hours"], null, "a number (f64)", at("197")],
  ["events", ["event-readables", 0, "comment"], 5, "a string", at("198-199")],
  ["events", ["event-readables", 0, "internal-comment"], 5, "a string", at("200-201")],
  ["events", ["event-readables", 0, "approved"], "yes", "true or false", at("202-203")],
  ["events", ["event-readables", 0, "status"], 5, "an object (KleerEventStatus)", at("172-182")],
  ["events", ["event-readables", 0, "status", "type"], "Open", "OPEN, APPROVED, CERTIFIED", at("164-170")],
  ["events", ["event-readables", 0, "status", "type"], DROP, PRESENT, at("175-176")],
  ["events", ["event-readables", 0, "status", "registration-user"], 5, "an object (KleerIdRef)", at("72-75")],
  ["events", ["event-readables", 0, "status", "registration-date"], "2026-05-04T08:00", DATE, `${at("178-179")} (option_date_format, ${T}:57-69)`],
  ["events", ["event-readables", 0, "status", "event-date"], "4 May", DATE, `${at("180-181")} (option_date_format, ${T}:57-69)`],
  // KleerEventRestrictionList (types.rs:269-279)
  ["eventStatuses", [], [], "an object (KleerEventRestrictionList)", at("274-279")],
  ["eventStatuses", ["event-restriction-readables"], 5, "an array", at("277-278")],
  ["eventStatuses", ["event-restriction-readables", 0], 5, "an object (KleerEventRestrictionReadable)", at("269-272")],
  ["eventStatuses", ["event-restriction-readables", 0, "status"], DROP, PRESENT, at("271")],
  // KleerScheduleMetadataList (types.rs:305-321)
  ["payrollSchedule", [], "x", "an object (KleerScheduleMetadataList)", at("316-321")],
  ["payrollSchedule", ["payroll-user-schedule-metadatas"], 5, "an array", at("319-320")],
  ["payrollSchedule", ["payroll-user-schedule-metadatas", 0], 5, "an object (KleerScheduleMetadata)", at("305-314")],
  ["payrollSchedule", ["payroll-user-schedule-metadatas", 0, "date"], DROP, PRESENT, at("308-309")],
  ["payrollSchedule", ["payroll-user-schedule-metadatas", 0, "date"], "2026-05-4", DATE, `${at("308-309")} (date_format, ${T}:32-40)`],
  ["payrollSchedule", ["payroll-user-schedule-metadatas", 0, "level-of-employment"], DROP, PRESENT, at("310")],
  ["payrollSchedule", ["payroll-user-schedule-metadatas", 0, "gross-hours"], "8", "a number (f64)", at("311")],
  ["payrollSchedule", ["payroll-user-schedule-metadatas", 0, "net-hours"], DROP, PRESENT, at("312")],
  ["payrollSchedule", ["payroll-user-schedule-metadatas", 0, "actual-hours"], null, "a number (f64)", at("313")],
  // KleerPayrollEventList (types.rs:215-267)
  ["payrollEvents", [], 5, "an object (KleerPayrollEventList)", at("262-267")],
  ["payrollEvents", ["payroll-events"], {}, "an array", at("265-266")],
  ["payrollEvents", ["payroll-events", 0], "e", "an object (KleerPayrollEvent)", at("246-260")],
  ["payrollEvents", ["payroll-events", 0, "id"], 1.5, "an integer (i64)", at("249-250")],
  ["payrollEvents", ["payroll-events", 0, "date"], DROP, PRESENT, at("251-252")],
  ["payrollEvents", ["payroll-events", 0, "date"], "20260504", DATE, `${at("251-252")} (date_format, ${T}:32-40)`],
  ["payrollEvents", ["payroll-events", 0, "hours"], DROP, PRESENT, at("253")],
  ["payrollEvents", ["payroll-events", 0, "type"], DROP, PRESENT, at("254-255")],
  ["payrollEvents", ["payroll-events", 0, "type"], 3, "a string (a payroll event type)", at("215-244")],
  ["payrollEvents", ["payroll-events", 0, "child"], 5, "a string", at("256-257")],
  ["payrollEvents", ["payroll-events", 0, "comment"], 5, "a string", at("258-259")],
  // KleerSavedId (types.rs:300-303)
  ["saved", [], [], "an object (KleerSavedId)", at("300-303")],
  ["saved", ["id"], DROP, PRESENT, at("302")],
  ["saved", ["id"], "7", "an integer (i64)", at("302")],
];

const pathText = (path: Array<string | number>) => path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("") || "(root)";
const shown = (value: unknown) => (value === DROP ? "(missing)" : JSON.stringify(value));

describe("Toki's decode contract, field by field, with the types.rs line each refusal cites", () => {
  it("every valid reply decodes", () => {
    for (const [type, json] of Object.entries(valid())) expect(violations(type as TokiReplyType, json), type).toEqual([]);
  });

  it.each(rows.map((r) => ({ name: `${r[0]} ${pathText(r[1])} = ${shown(r[2])}`, row: r })))("$name", ({ row: [type, path, value, expected, mirrors] }) => {
    expect(violations(type, reply(type, path, value))).toEqual([`${pathText(path)} ${shown(value)} | ${expected} | ${mirrors}`]);
  });

  it("i64 ids span Toki's whole range, from i64::MIN up; beyond it they are refused", () => {
    expect(violations("saved", { id: -9_223_372_036_854_775_808 })).toEqual([]);
    expect(violations("saved", { id: 1e19 })).toEqual([`id 10000000000000000000 | an integer (i64) | ${T}:302`]);
  });

  it("a long offending value is cut to 120 characters", () => {
    const [v] = checkTokiDecode("saved", { id: "9".repeat(300) });
    expect(v?.value).toBe(`"${"9".repeat(118)}…`);
    expect(v?.value).toHaveLength(120);
    const [exact] = checkTokiDecode("saved", { id: "9".repeat(118) });
    expect(exact?.value).toBe(`"${"9".repeat(118)}"`);
  });

  it("names the row: an event's day and id, a payroll event's bare id, a day status's event-date, a schedule row's day", () => {
    const row = (type: TokiReplyType, path: Array<string | number>, value: unknown) => checkTokiDecode(type, reply(type, path, value)).map((v) => [v.rowDate, v.rowId]);
    expect(row("events", ["event-readables", 0, "comment"], 5)).toEqual([["2026-05-04", "4494670"]]);
    expect(row("event", ["comment"], 5)).toEqual([["2026-05-04", "4494670"]]);
    expect(row("payrollEvents", ["payroll-events", 0, "comment"], 5)).toEqual([["2026-05-04", "9"]]);
    expect(row("eventStatuses", ["event-restriction-readables", 0, "status", "type"], "Open")).toEqual([["2026-05-05", null]]);
    expect(row("payrollSchedule", ["payroll-user-schedule-metadatas", 0, "gross-hours"], null)).toEqual([["2026-05-04", null]]);
    // Outside a row (the list itself) there is no row to name.
    expect(row("events", ["event-readables"], 5)).toEqual([[null, null]]);
  });

  it("a row's day or id that is not a plain value is not named", () => {
    const first = (json: unknown) => checkTokiDecode("event", json).map((v) => [v.path, v.rowDate, v.rowId]);
    const event = valid().event;
    // Toki accepts a signed year, but it is not a day the report can place the row on.
    expect(first({ ...event, date: "+2026-05-04", comment: 5 })).toEqual([["comment", null, "4494670"]]);
    expect(first({ ...event, date: ["2026-05-04"], comment: 5 })).toEqual([["date", null, "4494670"], ["comment", null, "4494670"]]);
    expect(first({ ...event, id: { id: "4494670" }, comment: 5 })).toEqual([["id.id", "2026-05-04", null], ["comment", "2026-05-04", null]]);
    expect(first({ ...event, id: null, comment: 5 })).toEqual([["id", "2026-05-04", null], ["comment", "2026-05-04", null]]);
    const status = checkTokiDecode("eventStatuses", { "event-restriction-readables": [{ status: 5 }] });
    expect(status.map((v) => [v.path, v.rowDate])).toEqual([["event-restriction-readables[0].status", null]]);
  });

  it("a row's context ends with the row: the next row and the list are named on their own", () => {
    const e = valid().event;
    const out = checkTokiDecode("events", { "event-readables": [{ ...e, comment: 5 }, { ...e, id: { id: 2 }, date: "2026-05-06", comment: 6 }] });
    expect(out.map((v) => [v.path, v.rowDate, v.rowId])).toEqual([
      ["event-readables[0].comment", "2026-05-04", "4494670"],
      ["event-readables[1].comment", "2026-05-06", "2"],
    ]);
  });

  it("calendar rules of the time crate: months 1-12, days from 1, Gregorian leap years", () => {
    expect(["2026-12-31", "2000-02-29", "2024-02-29", "2026-01-01", "-0004-02-29"].map(isTokiDate)).toEqual([true, true, true, true, true]);
    expect(["2026-00-10", "2026-05-00", "1900-02-29", "2026-04-31", "2026-12-32", "-0001-02-29"].map(isTokiDate)).toEqual([false, false, false, false, false, false]);
    // Only ASCII digits and '-' separators, in their places.
    expect(["2O26-05-04", "20/6-05-04", "2026-0:-04", "2026-05-1:", "2026x05-04", "2026-05x04", "+2026x05-04"].map(isTokiDate)).toEqual([false, false, false, false, false, false, false]);
  });
});
