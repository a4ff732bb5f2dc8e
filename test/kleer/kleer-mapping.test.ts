import { describe, expect, it } from "vitest";
import { instantAt } from "../../src/domain/calendar.js";
import type { CreateTimeEntryRequest } from "../../src/domain/time-entry.js";
import { computeStatsForPeriods } from "../../src/kleer/kleer-stats.js";
import {
  allowedActivityIds,
  buildEventWritable,
  dayStatusesByDate,
  indexLookups,
  isProjectVisible,
  mapEvent,
  mapEvents,
  noteOf,
  statusOf,
  toActivities,
  toDayStatuses,
  toProject,
  tokiForeignId,
  unixNanosOf,
} from "../../src/kleer/kleer-mapping.js";
import { acts, buildActivity, buildDayStatus, buildEvent, buildPayrollEvent, buildProject, buildSchedule } from "./kleer-builders.js";

const USER = 5512;
const ALL = [1, 2, 3, 4];

describe("activity restriction truth table (kleer-api.md §7)", () => {
  const rows: Array<{ name: string; allActivities: boolean; p: number[]; users: Array<{ user: { id: number }; activities: unknown[] }>; allowed: number[] }> = [
    { name: "all-activities: A, user restriction ignored", allActivities: true, p: [1], users: [{ user: { id: USER }, activities: acts(2) }], allowed: ALL },
    { name: "all-activities with nothing else: A", allActivities: true, p: [], users: [], allowed: ALL },
    { name: "P empty, U none (user not listed): nothing", allActivities: false, p: [], users: [], allowed: [] },
    { name: "P empty, U none (listed with no activities): nothing", allActivities: false, p: [], users: [{ user: { id: USER }, activities: [] }], allowed: [] },
    { name: "P empty, U non-empty: U", allActivities: false, p: [], users: [{ user: { id: USER }, activities: acts(3) }], allowed: [3] },
    { name: "P empty, U includes an id missing from A: still U", allActivities: false, p: [], users: [{ user: { id: USER }, activities: acts(3, 99) }], allowed: [3, 99] },
    { name: "P non-empty, U none: P", allActivities: false, p: [1, 2], users: [], allowed: [1, 2] },
    { name: "P non-empty, U none (listed empty): P", allActivities: false, p: [1, 2], users: [{ user: { id: USER }, activities: [] }], allowed: [1, 2] },
    { name: "P non-empty, another user's U does not apply: P", allActivities: false, p: [1, 2], users: [{ user: { id: 9 }, activities: acts(2) }], allowed: [1, 2] },
    { name: "P non-empty, U non-empty: P ∩ U", allActivities: false, p: [1, 2], users: [{ user: { id: USER }, activities: acts(2, 3) }], allowed: [2] },
    { name: "P non-empty, U disjoint: nothing", allActivities: false, p: [1], users: [{ user: { id: USER }, activities: acts(3) }], allowed: [] },
  ];
  it.each(rows)("$name", ({ allActivities, p, users, allowed }) => {
    const project = buildProject({ "all-activities": allActivities, activities: acts(...p), users });
    expect([...allowedActivityIds(project, USER, ALL)].sort()).toEqual([...allowed].sort());
  });

  it("the observed project (all-activities false, no project activities, one user with one activity)", () => {
    const project = buildProject({ "all-activities": false, activities: [], users: [{ user: { id: USER }, activities: acts(2) }] });
    const listed = toActivities(project, USER, ALL.map((id) => buildActivity(id)));
    expect(listed).toEqual([{ id: "2", name: "Aktivitet 2", projectId: "880021" }]);
  });

  it("the picker lists A filtered to the allowed set, so ids missing from A never show", () => {
    const project = buildProject({ activities: acts(1, 99) });
    expect(toActivities(project, USER, [buildActivity(1), buildActivity(2)]).map((a) => a.id)).toEqual(["1"]);
  });
});

describe("project visibility", () => {
  it.each([
    { active: true, allUsers: true, users: [], visible: true },
    { active: true, allUsers: false, users: [{ user: { id: USER } }], visible: true },
    { active: true, allUsers: false, users: [{ user: { id: 9 } }], visible: false },
    { active: false, allUsers: true, users: [{ user: { id: USER } }], visible: false },
  ])("active=$active all-users=$allUsers → $visible", ({ active, allUsers, users, visible }) => {
    expect(isProjectVisible(buildProject({ active, "all-users": allUsers, users }), USER)).toBe(visible);
  });

  it("the project number becomes the code only when non-empty", () => {
    expect(toProject(buildProject({ number: "P-7" }))).toEqual({ id: "880021", name: "Projekt", code: "P-7" });
    expect(toProject(buildProject({ number: "" }))).toEqual({ id: "880021", name: "Projekt" });
  });
});

describe("event → TimeEntry", () => {
  const lookups = indexLookups([buildProject({ name: "Intranät" })], [buildActivity(44310, "Utveckling")]);

  it("maps ids, names from the lookups, ISO week and foreign id", () => {
    const mapped = mapEvent(buildEvent({ "foreign-id": "toki-x" }), lookups, new Map());
    expect(mapped).toEqual({
      kind: "entry",
      entry: {
        registrationId: "7001",
        projectId: "880021",
        projectName: "Intranät",
        activityId: "44310",
        activityName: "Utveckling",
        date: "2026-05-04",
        hours: 1,
        note: "Arbete",
        startTime: null,
        endTime: null,
        weekNumber: 19,
        lock: { kind: "status", status: "open" },
        foreignId: "toki-x",
      },
    });
  });

  it.each([
    { comment: "Möte", internal: "Annat", note: "Möte" },
    { comment: "  Möte ", internal: "Annat", note: "  Möte " },
    { comment: "   ", internal: " Intern ", note: " Intern " },
    { comment: "", internal: "", note: null },
    { comment: null, internal: null, note: null },
  ])("note of comment=$comment internal=$internal is $note", ({ comment, internal, note }) => {
    expect(noteOf(buildEvent({ comment, "internal-comment": internal }))).toBe(note);
  });

  it.each([
    { name: "event status wins over the day", event: "APPROVED", days: [["2026-05-04", "OPEN"]], expected: "approved" },
    { name: "event OPEN wins over a locked day", event: "Open", days: [["2026-05-04", "CERTIFIED"]], expected: "open" },
    { name: "no event status: the day status", event: null, days: [["2026-05-04", "CERTIFIED"]], expected: "certified" },
    { name: "no event status: later row for the date wins", event: null, days: [["2026-05-04", "APPROVED"], ["2026-05-04", "OPEN"]], expected: "open" },
    { name: "no event status, other dates only: open", event: null, days: [["2026-05-05", "APPROVED"]], expected: "open" },
    { name: "no event status, no day rows: open", event: null, days: [], expected: "open" },
  ])("status: $name", ({ event, days, expected }) => {
    const e = buildEvent({ status: event === null ? undefined : { type: event } });
    const statuses = dayStatusesByDate(days.map(([date, type]) => buildDayStatus(date!, type!)));
    expect(statusOf(e, statuses)).toBe(expected);
    expect(mapEvent(e, lookups, statuses)).toMatchObject({ entry: { lock: { kind: "status", status: expected } } });
  });

  it("drops day rows without event-date and lists one status per date, later row winning", () => {
    const rows = [buildDayStatus("2026-05-05", "APPROVED"), buildDayStatus(null, "CERTIFIED"), buildDayStatus("2026-05-04", "OPEN"), buildDayStatus("2026-05-05", "Certified")];
    expect(toDayStatuses(rows)).toEqual([
      { date: "2026-05-04", status: "open" },
      { date: "2026-05-05", status: "certified" },
    ]);
  });

  it("skips projectless, unknown-project and unknown-activity events with the reason", () => {
    const listing = mapEvents(
      [
        buildEvent({ id: { id: 1 }, "client-project": undefined }),
        buildEvent({ id: { id: 2 }, "client-project": { id: 42 } }),
        buildEvent({ id: { id: 3 }, activity: { id: 43 }, "foreign-id": "f" }),
        buildEvent({ id: { id: 4 } }),
      ],
      lookups,
      new Map(),
    );
    expect(listing.entries.map((e) => e.registrationId)).toEqual(["4"]);
    expect(listing.skipped).toEqual([
      { registrationId: "1", date: "2026-05-04", hours: 1, reason: "projectless", activityId: "44310", foreignId: undefined },
      { registrationId: "2", date: "2026-05-04", hours: 1, reason: "unknown_project", projectId: "42", activityId: "44310", foreignId: undefined },
      { registrationId: "3", date: "2026-05-04", hours: 1, reason: "unknown_activity", projectId: "880021", activityId: "43", foreignId: "f" },
    ]);
    // One shape for every reason, keys in one order (kleer-mapping.ts: the parity code walking
    // them was deoptimised by a second shape).
    const shapes = new Set(listing.skipped.map((s) => Object.keys(s).join(",")));
    expect([...shapes]).toEqual(["registrationId,date,hours,foreignId,reason,projectId,activityId"]);
  });
});

describe("weekly stats", () => {
  it("sums worked (events with a project), scheduled (actual-hours) and absence (not WorkHour, not unknown)", () => {
    const range = { from: "2026-05-04", to: "2026-05-10" };
    const [stats] = computeStatsForPeriods(
      [range],
      [
        buildEvent({ hours: 6.5 }),
        buildEvent({ hours: 1.5, "client-project": { id: 999 } }), // unknown project: still worked
        buildEvent({ hours: 2, "client-project": undefined }), // projectless: not worked
        buildEvent({ hours: 4, date: "2026-05-11" }), // outside the range
      ],
      [buildSchedule("2026-05-04", 8), buildSchedule("2026-05-05", 8), buildSchedule("2026-05-11", 8)],
      [
        buildPayrollEvent("2026-05-05", 3, "VACATION"),
        buildPayrollEvent("2026-05-05", 1, "LeaveOfAbsence"),
        buildPayrollEvent("2026-05-05", 5, "WorkHour"),
        buildPayrollEvent("2026-05-05", 5, "WORK_HOUR"),
        buildPayrollEvent("2026-05-05", 7, "Overtime"),
      ],
    );
    expect(stats).toEqual({
      workedHours: 8,
      scheduledHours: 16,
      absenceHours: 4,
      coveredHours: 12,
      remainingHours: 4,
      periodFlexHours: -4,
    });
  });
});

describe("building the event-writable", () => {
  const request = (over: Partial<CreateTimeEntryRequest> = {}): CreateTimeEntryRequest => ({
    projectId: "880021",
    projectName: "Intranät",
    activityId: "44310",
    activityName: "Utveckling",
    startTime: "2026-05-04T07:00:00Z",
    endTime: "2026-05-04T07:20:00Z",
    note: "Kodgranskning",
    ...over,
  });
  const build = (over: Partial<CreateTimeEntryRequest> = {}, timeZone = "Europe/Stockholm") =>
    buildEventWritable({ request: request(over), kleerUserId: USER, projectId: 880021, activityId: 44310, timeZone });

  it("writes every field in XSD order; hours are whole seconds / 3600, unrounded", () => {
    const w = build();
    expect(Object.keys(w)).toEqual(["foreign-id", "user", "activity", "client-project", "date", "hours", "comment", "internal-comment"]);
    expect(w).toEqual({
      "foreign-id": "toki-5512-880021-44310-1777878000000000000",
      user: { id: USER },
      activity: { id: 44310 },
      "client-project": { id: 880021 },
      date: "2026-05-04",
      hours: 1200 / 3600,
      comment: "Kodgranskning",
      "internal-comment": "Kodgranskning",
    });
  });

  it("truncates to whole seconds", () => {
    expect(build({ endTime: "2026-05-04T07:20:00.999Z" }).hours).toBe(1200 / 3600);
  });

  it("dates a just-after-midnight Stockholm start on its local day (not Toki's UTC date)", () => {
    const start = instantAt("2026-06-01", "01:30", "Europe/Stockholm");
    expect(start).toBe("2026-05-31T23:30:00.000Z");
    expect(build({ startTime: start, endTime: "2026-06-01T00:30:00.000Z" }).date).toBe("2026-06-01");
    expect(build({ startTime: start, endTime: "2026-06-01T00:30:00.000Z" }, "UTC").date).toBe("2026-05-31");
  });

  it.each(["", "   ", "\t\n"])("uses the `missing note` placeholder for the blank note %j", (note) => {
    const w = build({ note });
    expect([w.comment, w["internal-comment"]]).toEqual(["missing note", "missing note"]);
  });

  it("keeps a non-blank note untrimmed", () => {
    expect(build({ note: " möte " }).comment).toBe(" möte ");
  });

  it("uses the request's foreign id when given", () => {
    expect(build({ foreignId: "milltime:400000000000123456" })["foreign-id"]).toBe("milltime:400000000000123456");
  });

  it("formats the generated foreign id with 19-digit Unix nanoseconds, keeping sub-millisecond digits", () => {
    const id = tokiForeignId(USER, 880021, 44310, "2026-05-31T23:30:00.123456789Z");
    expect(id).toBe("toki-5512-880021-44310-1780270200123456789");
    expect(id).toMatch(/^toki-\d+-\d+-\d+-\d{19}$/);
    expect(unixNanosOf("2026-06-01T01:30:00+02:00")).toBe(1780270200000000000n);
  });

  it("refuses an end that is not after the start", () => {
    expect(() => build({ endTime: "2026-05-04T07:00:00Z" })).toThrow(expect.objectContaining({ code: "USAGE" }));
  });
});
