import { describe, expect, it } from "vitest";
import type { UserLink } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry, TimeEntryStatus } from "../../src/domain/time-entry.js";
import type { TimerHistoryLink } from "../../src/domain/timer-history.js";
import { chooseStart, countPlan, planUserEntries, type KleerUserFacts } from "../../src/replay/index.js";
import type { PlanRow } from "../../src/replay/replay-types.js";
import { entry, mapping, ZONE } from "./replay-plan-fixture.js";

// What the replay plan tells the person running a cutover: each block's reason word for word,
// which existing event is taken, the Kleer names shown, and the plan's counts.
const user: UserLink = { tokiUserId: 1, kleerUserId: 5501 };

function facts(overrides: Partial<KleerUserFacts> = {}): KleerUserFacts {
  return {
    visibleProjects: new Map([[801, "Webbplats K"]]),
    allowedActivities: new Map([[801, new Map([[901, "Utveckling K"]])]]),
    dayStatuses: new Map<string, TimeEntryStatus>([["2026-03-10", "approved"]]),
    existing: new Map(),
    ...overrides,
  };
}
function link(historyId: number, registrationId: string, startTime: string): TimerHistoryLink {
  return { historyId, tokiUserId: 1, userEmail: null, registrationId, startTime, endTime: startTime, projectId: null, projectName: null, activityId: null, activityName: null, note: null };
}
const plan = (entries: TimeEntry[], kleer: KleerUserFacts | null = facts(), links: TimerHistoryLink[] = []) =>
  planUserEntries({ user, entries, mapping, links, timeZone: ZONE, kleer });

describe("replay plan reasons", () => {
  it.each([
    ["project_unmapped", entry("L1", { projectId: "P-gone", projectName: "Gammalt" }), "Milltime project P-gone (Gammalt) has no Kleer project in the mapping"],
    ["activity_unmapped", entry("L1", { activityId: "A-gone", activityName: "Resa" }), "Milltime activity A-gone (Resa) has no Kleer activity in the mapping"],
    ["project_not_visible", entry("L1", { projectId: "P-hidden" }), "Kleer project 899 is not visible to Kleer user 5501 (inactive or not assigned)"],
    ["activity_not_allowed", entry("L1", { activityId: "A2" }), "Kleer activity 902 may not be reported on project 801 by Kleer user 5501"],
    ["day_locked", entry("L1", { date: "2026-03-10" }), "2026-03-10 is approved in Kleer for user 5501"],
    ["zero_hours", entry("L1", { hours: 0 }), "the entry has 0 hours; Kleer needs an end after the start"],
    ["zero_hours", entry("L1", { hours: 0.004 }), "the entry has 0.004 hours; Kleer needs an end after the start"],
    ["zero_hours", entry("L1", { hours: -1 }), "the entry has -1 hours; Kleer needs an end after the start"],
  ] as const)("%# %s", (code, e, reason) => {
    const [row] = plan([e]);
    expect(row).toMatchObject({ action: "blocked", reasonCode: code, reason, existingEventId: null });
  });

  it("a project the user cannot see shows no Kleer names, an activity not allowed shows the project's only", () => {
    const [hidden, notAllowed, unmapped] = plan([entry("L1", { projectId: "P-hidden" }), entry("L2", { activityId: "A2" }), entry("L3", { projectId: "P-gone" })]);
    expect(hidden).toMatchObject({ kleerProjectId: 899, kleerProjectName: null, kleerActivityName: null });
    expect(notAllowed).toMatchObject({ kleerProjectName: "Webbplats K", kleerActivityId: 902, kleerActivityName: null });
    expect(unmapped).toMatchObject({ kleerProjectId: null, kleerProjectName: null, kleerActivityId: 901, kleerActivityName: null });
  });
});

describe("replay plan: events already in Kleer", () => {
  it("names the one event, or every duplicate and the one taken, or why the journal's event holds the entry", () => {
    const rows = plan(
      [entry("L1"), entry("L2"), entry("L3"), entry("L4")],
      facts({
        existing: new Map([["milltime:L1", ["7001"]], ["milltime:L2", ["7003", "7009"]], ["milltime:L3", ["7010"]], ["milltime:L4", []]]),
        existingNotes: new Map([["milltime:L3", "Kleer event 7010 was written for this entry by an earlier replay run"]]),
      }),
    );
    expect(rows.map((r) => [r.action, r.existingEventId, r.reason])).toEqual([
      ["skip-existing", "7001", "Kleer event 7001 already carries milltime:L1"],
      ["skip-existing", "7003", "Kleer events 7003, 7009 already carry milltime:L2 (duplicates; 7003 is taken)"],
      ["skip-existing", "7010", "Kleer event 7010 was written for this entry by an earlier replay run"],
      ["create", null, null],
    ]);
    expect(rows[0]).toMatchObject({ kleerProjectName: "Webbplats K", kleerActivityName: "Utveckling K", minutes: 90, note: "Arbete" });
  });
});

describe("replay plan: start of the event", () => {
  it("ignores links of other registrations, and among several on another day names the latest", () => {
    const result = chooseStart(entry("L1"), [link(9, "L2", "2026-03-03T12:00:00Z"), link(4, "L1", "2026-03-05T08:00:00Z"), link(6, "L1", "2026-03-04T08:00:00Z"), link(5, "L1", "2026-03-06T08:00:00Z")], ZONE);
    expect(result).toEqual({ startTime: "2026-03-03T07:00:00.000Z", startSource: "synthetic", note: "timer history #6 starts on 2026-03-04, not on the registration day; 08:00 local used" });
  });

  it("takes the latest link of the day even when it is listed first", () => {
    expect(chooseStart(entry("L1"), [link(8, "L1", "2026-03-03T09:00:00Z"), link(2, "L1", "2026-03-03T06:00:00Z")], ZONE).startTime).toBe("2026-03-03T09:00:00.000Z");
  });

  it("rounds Milltime's hours to whole minutes for the event's end", () => {
    const [row] = plan([entry("L1", { hours: 1 / 3 })]);
    expect(row).toMatchObject({ minutes: 20, hours: 20 / 60, endTime: "2026-03-03T07:20:00.000Z" });
  });
});

describe("countPlan", () => {
  it("counts each action and each blocking reason", () => {
    const row = (action: PlanRow["action"], reasonCode: PlanRow["reasonCode"]) => ({ action, reasonCode }) as PlanRow;
    expect(
      countPlan([row("create", null), row("blocked", "day_locked"), row("skip-existing", null), row("blocked", "day_locked"), row("blocked", "zero_hours"), row("create", null), row("blocked", null)]),
    ).toEqual({ create: 2, skipExisting: 1, blocked: 4, byReason: { day_locked: 2, zero_hours: 1 } });
  });
});
