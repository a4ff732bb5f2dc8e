import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkTokiDecode, isTokiDate, type TokiReplyType } from "../../src/kleer/kleer-toki-contract.js";

/** A Kleer event Toki decodes (the shape of Toki's own test, kleer/src/types.rs:349-382). */
const event = (change: Record<string, unknown> = {}, drop: string[] = []) => {
  const base: Record<string, unknown> = {
    id: { id: 4494670 },
    "foreign-id": "",
    user: { id: 31118 },
    activity: { id: 22427 },
    "client-project": { id: 322222 },
    date: "2026-05-04",
    hours: 8,
    comment: "External comment",
    status: { type: "OPEN", "registration-user": { id: 5236 }, "registration-date": "2026-05-04" },
    ...change,
  };
  for (const key of drop) delete base[key];
  return base;
};
const events = (...rows: unknown[]) => ({ "event-readables": rows });
const fields = (type: TokiReplyType, json: unknown) => checkTokiDecode(type, json).map((v) => `${v.path} ${v.value}`);

describe("Toki's decode contract (kleer/src/types.rs at ponbac/toki2 HEAD)", () => {
  it("accepts what Toki's own tests decode", () => {
    expect(fields("events", events(event()))).toEqual([]);
    expect(fields("users", { users: [{ id: 31118, "foreign-id": "aad", "internal-id": 123, name: "Ada", email: "a@x.se", active: true, "dimension-entry": { id: 1 }, dimensions: {} }] })).toEqual([]);
    expect(fields("payrollEvents", { "payroll-events": [{ id: 1, date: "2020-07-13", hours: 8, type: "VACATION", comment: "" }, { id: 2, date: "2020-07-30", hours: 2, type: "WorkHour" }] })).toEqual([]);
  });

  // One row per rule: each must fail when the rule is broken.
  const rejects: Array<{ rule: string; type: TokiReplyType; json: unknown; expect: string[] }> = [
    { rule: "status type is SCREAMING_SNAKE_CASE only (types.rs:164-170)", type: "events", json: events(event({ status: { type: "Open" } })), expect: ['event-readables[0].status.type "Open"'] },
    { rule: "status type lower case fails too", type: "eventStatuses", json: { "event-restriction-readables": [{ status: { type: "approved", "event-date": "2026-05-04" } }] }, expect: ['event-restriction-readables[0].status.type "approved"'] },
    { rule: "status type is required inside a status (types.rs:175-176)", type: "events", json: events(event({ status: {} })), expect: ["event-readables[0].status.type (missing)"] },
    { rule: "String + serde(default): null foreign-id fails (types.rs:188-189)", type: "events", json: events(event({ "foreign-id": null })), expect: ["event-readables[0].foreign-id null"] },
    { rule: "String + serde(default): null project number fails (types.rs:143-144)", type: "clientProjects", json: { "client-project-readables": [{ id: { id: 1 }, number: null, name: "P", active: true }] }, expect: ["client-project-readables[0].number null"] },
    { rule: "String + serde(default): null activity description fails (types.rs:114-115)", type: "activities", json: { "activity-readables": [{ id: { id: 1 }, name: "A", description: null }] }, expect: ["activity-readables[0].description null"] },
    { rule: "bool + serde(default): null all-activities fails (types.rs:147-148)", type: "clientProjects", json: { "client-project-readables": [{ id: { id: 1 }, name: "P", active: true, "all-activities": null }] }, expect: ["client-project-readables[0].all-activities null"] },
    { rule: "Vec + serde(default): a null list fails (types.rs:211-212)", type: "events", json: { "event-readables": null }, expect: ["event-readables null"] },
    { rule: "event date is strict [year]-[month]-[day] (types.rs:195-196, 32-40)", type: "events", json: events(event({ date: "2026-05-04T00:00:00" })), expect: ['event-readables[0].date "2026-05-04T00:00:00"'] },
    { rule: "registration-date is strict too (types.rs:178-179, 57-69)", type: "events", json: events(event({ status: { type: "OPEN", "registration-date": "2026-05-04 08:00" } })), expect: ['event-readables[0].status.registration-date "2026-05-04 08:00"'] },
    { rule: "event-date of a day status is strict (types.rs:180-181)", type: "eventStatuses", json: { "event-restriction-readables": [{ status: { type: "OPEN", "event-date": "2026-5-4" } }] }, expect: ['event-restriction-readables[0].status.event-date "2026-5-4"'] },
    { rule: "a date must exist", type: "payrollSchedule", json: { "payroll-user-schedule-metadatas": [{ date: "2026-02-30", "level-of-employment": 1, "gross-hours": 8, "net-hours": 8, "actual-hours": 8 }] }, expect: ['payroll-user-schedule-metadatas[0].date "2026-02-30"'] },
    { rule: "required fields without default must be present (types.rs:187-197)", type: "events", json: events(event({}, ["user", "hours"])), expect: ["event-readables[0].user (missing)", "event-readables[0].hours (missing)"] },
    { rule: "f64 rejects null and strings (types.rs:197)", type: "events", json: events(event({ hours: "8" })), expect: ['event-readables[0].hours "8"'] },
    { rule: "KleerIdRef needs an integer id (types.rs:72-75)", type: "events", json: events(event({ activity: { id: 1.5 } })), expect: ["event-readables[0].activity.id 1.5"] },
    { rule: "an id reference is an object, not a bare number", type: "events", json: events(event({ user: 31118 })), expect: ["event-readables[0].user 31118"] },
    { rule: "Option<String> accepts null, not a number (types.rs:198-199)", type: "events", json: events(event({ comment: 5 })), expect: ["event-readables[0].comment 5"] },
    { rule: "Option<bool> approved (types.rs:202-203)", type: "events", json: events(event({ approved: "yes" })), expect: ['event-readables[0].approved "yes"'] },
    { rule: "payroll event type must be a string (types.rs:215-244, serde(other) only for strings)", type: "payrollEvents", json: { "payroll-events": [{ date: "2026-05-04", hours: 8, type: 3 }] }, expect: ["payroll-events[0].type 3"] },
    { rule: "users' foreign-id: string, number or null only (types.rs:4-17)", type: "users", json: { users: [{ id: 1, "foreign-id": true, name: "A", active: true }] }, expect: ["users[0].foreign-id true"] },
    { rule: "users' name is a required String (types.rs:93)", type: "users", json: { users: [{ id: 1, name: null, active: true }] }, expect: ["users[0].name null"] },
    { rule: "user-assignment activities default to [] but not null (types.rs:135-136)", type: "clientProjects", json: { "client-project-readables": [{ id: { id: 1 }, name: "P", active: true, users: [{ user: { id: 2 }, activities: null }] }] }, expect: ["client-project-readables[0].users[0].activities null"] },
    { rule: "schedule hours are required numbers (types.rs:310-313)", type: "payrollSchedule", json: { "payroll-user-schedule-metadatas": [{ date: "2026-05-04", "level-of-employment": 1, "gross-hours": 8, "net-hours": null, "actual-hours": 8 }] }, expect: ["payroll-user-schedule-metadatas[0].net-hours null"] },
    { rule: "the reply root is an object", type: "activities", json: [], expect: ["(root) []"] },
    { rule: "saved id is an integer (types.rs:300-303)", type: "saved", json: { id: "7" }, expect: ['id "7"'] },
  ];
  it.each(rejects)("$rule", ({ type, json, expect: expected }) => {
    expect(fields(type, json)).toEqual(expected);
  });

  // What Toki accepts must not be reported (a false blocking finding).
  const accepts: Array<{ rule: string; type: TokiReplyType; json: unknown }> = [
    { rule: "missing String + serde(default) keys", type: "events", json: events(event({}, ["foreign-id"])) },
    { rule: "missing and null Option fields", type: "events", json: events(event({ "client-project": null, comment: null, "internal-comment": null, status: null, child: null, approved: null }), event({}, ["client-project", "comment", "status"])) },
    { rule: "a missing list key reads as empty", type: "payrollEvents", json: {} },
    { rule: "unknown keys are ignored", type: "activities", json: { "activity-readables": [{ id: { id: 1 }, name: "A", extra: null }], more: 1 } },
    { rule: "null registration-date and event-date", type: "eventStatuses", json: { "event-restriction-readables": [{ status: { type: "CERTIFIED", "registration-date": null, "event-date": null } }] } },
    { rule: "any payroll type string (serde(other) → Unknown)", type: "payrollEvents", json: { "payroll-events": [{ date: "2026-05-04", hours: 1, type: "Overtime" }] } },
    { rule: "users' ids as numbers, null email", type: "users", json: { users: [{ id: 1, "foreign-id": 42, "internal-id": null, name: "A", email: null, active: false, dimensions: null }] } },
  ];
  it.each(accepts)("accepts $rule", ({ type, json }) => {
    expect(fields(type, json)).toEqual([]);
  });

  it("dates follow the time crate: optional sign, four-digit year, real day", () => {
    expect(["2026-05-04", "2024-02-29", "+2026-05-04", "0000-01-01"].map(isTokiDate)).toEqual([true, true, true, true]);
    expect(["2026-5-4", "20260504", "2026-05-04T00:00:00", "2025-02-29", "2026-13-01", "12026-01-01", " 2026-05-04"].map(isTokiDate)).toEqual([
      false, false, false, false, false, false, false,
    ]);
  });

  it("reads dates exactly as the time crate's format description does (any text near the date form)", () => {
    // The format `[year]-[month]-[day]` as a pattern, then the calendar (kept here as the reference).
    const reference = (value: string): boolean => {
      const m = /^([+-]?)(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!m) return false;
      const year = Number(m[2]) * (m[1] === "-" ? -1 : 1);
      const [month, day] = [Number(m[3]), Number(m[4])];
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      return month >= 1 && month <= 12 && day >= 1 && day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
    };
    const near = fc.array(fc.constantFrom("0", "1", "2", "3", "9", "-", "+", " ", "x", "\u0660"), { maxLength: 12 }).map((units) => units.join(""));
    const dated = fc
      .tuple(fc.constantFrom("", "+", "-"), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([sign, y, m, d]) => `${sign}${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
    fc.assert(
      fc.property(fc.oneof(near, dated, fc.string()), (value) => {
        expect(isTokiDate(value)).toBe(reference(value));
      }),
      { numRuns: 5_000 },
    );
  });

  it("names each offending row's date and id, and the Toki line it mirrors", () => {
    const [v] = checkTokiDecode("events", events(event({ status: { type: "Certified" } })));
    expect(v).toMatchObject({ field: "event-readables[].status.type", rowDate: "2026-05-04", rowId: "4494670", mirrors: "kleer/src/types.rs:164-170", expected: "OPEN, APPROVED, CERTIFIED" });
  });
});
