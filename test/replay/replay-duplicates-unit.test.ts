import { describe, expect, it } from "vitest";
import { decideDuplicate, findKleerDuplicates, legacyIdOfForeignId, type DuplicateHolder } from "../../src/replay/index.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import type { PlanRow } from "../../src/replay/index.js";

const holder = (eventId: string, over: Partial<DuplicateHolder> = {}): DuplicateHolder => ({ eventId, createdBy: null, live: true, unedited: true, linkedBy: [], ...over });
const ours = (eventId: string, journalId: number, over: Partial<DuplicateHolder> = {}) => holder(eventId, { createdBy: { runId: `RUN-${journalId}`, journalId }, ...over });
const actions = (holders: DuplicateHolder[]) => decideDuplicate(holders).map((d) => `${d.eventId}:${d.action}`);

describe("which copy of a duplicated entry cleanup --duplicates deletes", () => {
  it.each([
    ["another file's or a person's event holds the entry: every copy of ours is extra", [holder("5"), ours("9", 1)], ["5:leave", "9:delete"]],
    ["all ours: the earliest journal row is kept, not the lowest event id", [ours("5", 7), ours("9", 3)], ["5:delete", "9:retain"]],
    ["all ours: the one a timer_history row points at is kept", [ours("5", 1), ours("9", 2, { linkedBy: [44] })], ["5:delete", "9:retain"]],
    ["a copy of ours that a timer_history row points at is never deleted", [holder("5"), ours("9", 1, { linkedBy: [44] })], ["5:leave", "9:retain"]],
    ["a copy of ours edited since (toki-… foreign-id) is the user's", [ours("5", 1, { unedited: false }), ours("9", 2)], ["5:leave", "9:delete"]],
    ["nothing of ours: nothing is deleted", [holder("5"), holder("9")], ["5:leave", "9:leave"]],
    ["a copy already gone is not counted as the keeper", [ours("5", 1, { live: false }), ours("9", 2)], ["5:gone", "9:retain"]],
  ])("%s", (_name, holders, expected) => {
    expect(actions(holders)).toEqual(expected);
  });

  it("never deletes every live event of an entry", () => {
    const sets: DuplicateHolder[][] = [[ours("1", 1), ours("2", 2), ours("3", 3)], [ours("1", 2, { linkedBy: [1] }), ours("2", 1, { linkedBy: [2] })], [ours("1", 1, { live: false }), ours("2", 2, { live: false })]];
    for (const set of sets) {
      const live = set.filter((h) => h.live).length;
      const deleted = decideDuplicate(set).filter((d) => d.action === "delete").length;
      expect(live === 0 || deleted < live).toBe(true);
    }
  });
});

describe("the read-back after applying", () => {
  const row = (legacyId: string): PlanRow => ({ userKey: 1, legacyId, date: "2026-03-02", foreignId: `milltime:${legacyId}`, action: "create" }) as PlanRow;
  const entry = (registrationId: string, foreignId: string) => ({ registrationId, foreignId }) as unknown as TimeEntry;

  it("groups events by the legacy entry their foreign-id (or this file's journal, after an edit) names; only planned entries count", () => {
    const listing = {
      entries: [entry("12", "milltime:A"), entry("3", "milltime:A"), entry("20", "toki-5501-801-901-1"), entry("21", "milltime:B"), entry("30", "milltime:X"), entry("31", "milltime:X")],
      skipped: [{ registrationId: "22", date: "2026-03-02", hours: 1, reason: "projectless" as const, foreignId: "milltime:B" }],
    };
    const journaled = new Map([["20", "C"]]);
    const rows = [row("A"), row("B"), row("C")];
    expect(findKleerDuplicates(listing, rows, 5501, journaled)).toEqual([
      { tokiUserId: 1, kleerUserId: 5501, legacyId: "A", date: "2026-03-02", eventIds: ["3", "12"] },
      { tokiUserId: 1, kleerUserId: 5501, legacyId: "B", date: "2026-03-02", eventIds: ["21", "22"] },
    ]);
    expect(findKleerDuplicates({ ...listing, entries: [...listing.entries, entry("40", "milltime:C")] }, rows, 5501, journaled).map((d) => [d.legacyId, d.eventIds])).toContainEqual(["C", ["20", "40"]]);
  });

  it("reads only milltime:<id> foreign-ids", () => {
    expect(legacyIdOfForeignId("milltime:400")).toBe("400");
    expect(legacyIdOfForeignId("milltime:")).toBeUndefined();
    expect(legacyIdOfForeignId("toki-1-2-3-4")).toBeUndefined();
    expect(legacyIdOfForeignId(undefined)).toBeUndefined();
  });
});
