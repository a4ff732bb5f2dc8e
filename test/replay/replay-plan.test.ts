import { describe, expect, it } from "vitest";
import type { UserLink } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry, TimeEntryStatus } from "../../src/domain/time-entry.js";
import type { TimerHistoryLink } from "../../src/domain/timer-history.js";
import { chooseStart, countPlan, planUserEntries, type KleerUserFacts } from "../../src/replay/index.js";
import { entry, mapping, ZONE } from "./replay-plan-fixture.js";

function facts(overrides: Partial<KleerUserFacts> = {}): KleerUserFacts {
  return {
    visibleProjects: new Map([[801, "Webbplats"]]),
    allowedActivities: new Map([[801, new Map([[901, "Utveckling"]])]]),
    dayStatuses: new Map<string, TimeEntryStatus>([["2026-03-10", "approved"], ["2026-03-11", "certified"], ["2026-03-12", "open"]]),
    existing: new Map(),
    ...overrides,
  };
}

function link(historyId: number, registrationId: string, startTime: string, minutes = 90): TimerHistoryLink {
  return {
    historyId, tokiUserId: 1, userEmail: null, registrationId, startTime, endTime: new Date(Date.parse(startTime) + minutes * 60_000).toISOString(),
    projectId: null, projectName: null, activityId: null, activityName: null, note: null,
  };
}

const user: UserLink = { tokiUserId: 1, kleerUserId: 5501 };
const plan = (entries: TimeEntry[], kleer: KleerUserFacts | null = facts(), links: TimerHistoryLink[] = [], who: UserLink = user) =>
  planUserEntries({ user: who, entries, mapping, links, timeZone: ZONE, kleer });

describe("planUserEntries: the pre-write checks", () => {
  it.each([
    ["an entry that passes every check", entry("L1"), "create", null],
    ["an unmapped project", entry("L1", { projectId: "P-gone" }), "blocked", "project_unmapped"],
    ["an unmapped activity", entry("L1", { activityId: "A-gone" }), "blocked", "activity_unmapped"],
    ["a project the user cannot see", entry("L1", { projectId: "P-hidden" }), "blocked", "project_not_visible"],
    ["an activity the user may not report", entry("L1", { activityId: "A2" }), "blocked", "activity_not_allowed"],
    ["an approved day", entry("L1", { date: "2026-03-10" }), "blocked", "day_locked"],
    ["a certified day", entry("L1", { date: "2026-03-11" }), "blocked", "day_locked"],
    ["a day whose status row says open", entry("L1", { date: "2026-03-12" }), "create", null],
    ["zero hours", entry("L1", { hours: 0 }), "blocked", "zero_hours"],
  ] as const)("%s → %s %s", (_name, e, action, code) => {
    const [row] = plan([e]);
    expect(row).toMatchObject({ action, reasonCode: code });
    if (action === "blocked") expect(row!.reason).toBeTruthy();
  });

  it("an unmapped user is blocked before anything else, and keeps the mapped project and activity for the record", () => {
    const [row] = plan([entry("L1")], null, [], { tokiUserId: 9 });
    expect(row).toMatchObject({ action: "blocked", reasonCode: "user_unmapped", kleerUserId: null, kleerProjectId: 801, kleerActivityId: 901 });
    expect(row!.reason).toBe("Toki user 9 has no Kleer user in the mapping");
  });

  it("an event already carrying the foreign-id wins over every block (it is there already)", () => {
    const [row] = plan([entry("L1", { date: "2026-03-10" })], facts({ existing: new Map([["milltime:L1", ["7001"]]]) }));
    expect(row).toMatchObject({ action: "skip-existing", existingEventId: "7001", reasonCode: null });
    const [dup] = plan([entry("L2")], facts({ existing: new Map([["milltime:L2", ["7003", "7009"]]]) }));
    expect(dup).toMatchObject({ action: "skip-existing", existingEventId: "7003" });
    expect(dup!.reason).toContain("duplicates");
  });

  it("writes what Toki would: mapped ids and names, Milltime's hours, the note or Kleer's placeholder, milltime:<id>", () => {
    const rows = plan([
      entry("L1", { hours: 4 + 15 / 60, note: "  Möte med 'kund'  " }),
      entry("L2", { note: "" }),
      entry("L3", { note: "   " }),
      entry("L4", { note: null }),
    ]);
    expect(rows[0]).toMatchObject({
      kleerUserId: 5501, kleerProjectId: 801, kleerProjectName: "Webbplats", kleerActivityId: 901, kleerActivityName: "Utveckling",
      minutes: 255, hours: 4.25, note: "  Möte med 'kund'  ", foreignId: "milltime:L1", date: "2026-03-03",
    });
    expect(rows.slice(1).map((r) => r.note)).toEqual(["missing note", "missing note", "missing note"]);
    expect(countPlan(rows)).toEqual({ create: 4, skipExisting: 0, blocked: 0, byReason: {} });
  });
});

describe("chooseStart: start and end of the event", () => {
  it("uses the latest timer-history link on the registration day; end = start + exactly the legacy minutes", () => {
    const [row] = plan([entry("L1", { hours: 1.5 })], facts(), [link(3, "L1", "2026-03-03T06:05:30.250Z", 91), link(7, "L1", "2026-03-03T12:00:00Z")]);
    expect(row).toMatchObject({ startSource: "history", startTime: "2026-03-03T12:00:00.000Z", endTime: "2026-03-03T13:30:00.000Z", hours: 1.5 });
  });

  it("accepts a start just after local midnight (the previous day in UTC) as the registration day", () => {
    const start = "2026-03-02T23:05:00Z"; // 00:05 on 2026-03-03 in Stockholm
    expect(chooseStart(entry("L1"), [link(1, "L1", start)], ZONE)).toEqual({ startTime: "2026-03-02T23:05:00.000Z", startSource: "history", note: null });
  });

  it("falls back to 08:00 local (winter and summer time) and says why when the link is on another day", () => {
    expect(chooseStart(entry("L1"), [], ZONE)).toEqual({ startTime: "2026-03-03T07:00:00.000Z", startSource: "synthetic", note: null });
    expect(chooseStart(entry("L1", { date: "2026-06-02" }), [], ZONE).startTime).toBe("2026-06-02T06:00:00.000Z");
    const other = chooseStart(entry("L1"), [link(4, "L1", "2026-03-04T08:00:00Z")], ZONE);
    expect(other).toMatchObject({ startSource: "synthetic", startTime: "2026-03-03T07:00:00.000Z" });
    expect(other.note).toBe("timer history #4 starts on 2026-03-04, not on the registration day; 08:00 local used");
    const [row] = plan([entry("L1")], facts(), [link(4, "L1", "2026-03-04T08:00:00Z")]);
    expect(row).toMatchObject({ action: "create", reason: other.note });
  });

  it("an entry longer than 16 hours from 08:00 still starts on its registration day", () => {
    const [row] = plan([entry("L1", { hours: 20 })]);
    expect(row).toMatchObject({ startTime: "2026-03-03T07:00:00.000Z", endTime: "2026-03-04T03:00:00.000Z", date: "2026-03-03", action: "create" });
  });
});
