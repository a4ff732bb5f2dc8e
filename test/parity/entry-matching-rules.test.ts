import { describe, expect, it } from "vitest";
import { indexMapping } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { legacyIdFromForeignId, matchEntries, MIN_CONTENT_SCORE, scoreContent, type MatchEntriesResult } from "../../src/parity/entry-matching.js";
import { DEFAULT_TOLERANCES } from "../../src/parity/parity-rules.js";
import { buildKleerEntry, buildKleerTwin, buildLegacyEntry, buildMapping, IDS } from "../builders.js";

// The evidence rules of the matcher, one rule per test: which claim wins when two name one
// registration, which leftover event is a second copy and which an unrelated extra.
const mapping = indexMapping(buildMapping());
const match = (legacy: TimeEntry[], kleer: TimeEntry[], relinks: Map<string, string> = new Map()): MatchEntriesResult =>
  matchEntries({ legacy, kleer, relinks, mapping, hoursTolerance: DEFAULT_TOLERANCES.entryHours });
const summary = (r: MatchEntriesResult) => ({
  pairs: r.pairs.map((p) => `${p.legacy.registrationId}=${p.kleer.registrationId}:${p.evidence}`),
  duplicates: r.duplicates.map((d) => `${d.legacy.registrationId}+${d.kleer.registrationId}:${d.evidence}`),
  missing: r.missing.map((e) => e.registrationId),
  extra: r.extra.map((e) => `${e.kleer.registrationId}${e.claimedLegacyId === null ? "" : `→${e.claimedLegacyId}`}`),
});
const entry = buildLegacyEntry({ registrationId: "401", hours: 2, note: "Login bug" });

describe("claims by foreign id and relink", () => {
  it("reads a foreign id's registration with surrounding spaces trimmed", () => {
    expect(legacyIdFromForeignId("milltime: 401 ")).toBe("401");
    expect(legacyIdFromForeignId("milltime:   ")).toBeNull();
    expect(legacyIdFromForeignId(null)).toBeNull();
    expect(legacyIdFromForeignId("Milltime:401")).toBeNull();
  });

  it("a foreign-id claim wins over a relink claim to the same registration, even when the relinked event looks closer", () => {
    const byForeignId = buildKleerTwin(entry, { registrationId: "7002", hours: 3 });
    const relinked = buildKleerTwin(entry, { registrationId: "7001", foreignId: "" });
    expect(summary(match([entry], [byForeignId, relinked], new Map([["401", "7001"]])))).toEqual({
      pairs: ["401=7002:foreign_id"], duplicates: ["401+7001:relink"], missing: [], extra: [],
    });
  });

  it("of two same-day foreign-id claims the closer in content pairs, the other is a duplicate", () => {
    const off = buildKleerTwin(entry, { registrationId: "7001", hours: 5, note: "other" });
    const close = buildKleerTwin(entry, { registrationId: "7002" });
    expect(summary(match([entry], [off, close]))).toMatchObject({ pairs: ["401=7002:foreign_id"], duplicates: ["401+7001:foreign_id"] });
    // The same-day claim pairs even when the other day's claim is closer in content and listed first.
    const sameDay = buildKleerTwin(entry, { registrationId: "7003", note: "Login bug (cont.)" });
    const otherDay = buildKleerTwin(entry, { registrationId: "7004", date: "2026-05-13" });
    expect(summary(match([entry], [otherDay, sameDay]))).toMatchObject({ pairs: ["401=7003:foreign_id"], duplicates: ["401+7004:foreign_id"] });
    // Equal content: the lower Kleer id pairs.
    const a = buildKleerTwin(entry, { registrationId: "7009" });
    const b = buildKleerTwin(entry, { registrationId: "70010" });
    expect(summary(match([entry], [b, a]))).toMatchObject({ pairs: ["401=7009:foreign_id"], duplicates: ["401+70010:foreign_id"] });
  });

  it("a relink never takes an event another registration's foreign id holds, nor one naming an unknown registration", () => {
    const other = buildLegacyEntry({ registrationId: "402", hours: 2, note: "Login bug" });
    const held = buildKleerTwin(other, { registrationId: "7001" });
    const stray = buildKleerEntry({ registrationId: "7002", hours: 2, note: "Login bug", foreignId: "milltime:499" });
    expect(summary(match([entry, other], [held, stray], new Map([["401", "7001"]])))).toEqual({
      pairs: ["402=7001:foreign_id"], duplicates: [], missing: ["401"], extra: ["7002→499"],
    });
    expect(summary(match([entry], [stray], new Map([["401", "7002"]])))).toEqual({ pairs: [], duplicates: [], missing: ["401"], extra: ["7002→499"] });
  });

  it("a relink to an event that is not listed is no claim", () => {
    expect(summary(match([entry], [], new Map([["401", "7001"]])))).toEqual({ pairs: [], duplicates: [], missing: ["401"], extra: [] });
  });
});

describe("content pairing among what claims left", () => {
  it("an event naming an unknown registration never pairs by content, even when identical", () => {
    const stray = buildKleerTwin(entry, { registrationId: "7001", foreignId: "milltime:499" });
    expect(summary(match([entry], [stray]))).toEqual({ pairs: [], duplicates: [], missing: ["401"], extra: ["7001→499"] });
  });

  it("an event already claimed by foreign id is not offered to another entry by content", () => {
    const other = buildLegacyEntry({ registrationId: "400", hours: 2, note: "Login bug" });
    const claimed = buildKleerTwin(entry, { registrationId: "7001" });
    expect(summary(match([other, entry], [claimed]))).toEqual({ pairs: ["401=7001:foreign_id"], duplicates: [], missing: ["400"], extra: [] });
  });

  it("assigns by best score across the day, not entry by entry in id order", () => {
    // First come (401 takes the first event it could pair with) would give 401 the look-alike
    // 7001 and leave 402 the worse 7002; by score each entry gets its exact twin.
    const a = buildLegacyEntry({ registrationId: "401", hours: 2, note: "Login bug" });
    const b = buildLegacyEntry({ registrationId: "402", hours: 2, note: "Release notes" });
    const x = buildKleerEntry({ registrationId: "7001", hours: 2, note: "Release notes" });
    const y = buildKleerEntry({ registrationId: "7002", hours: 2, note: "Login bug" });
    expect(summary(match([a, b], [x, y])).pairs).toEqual(["401=7002:content", "402=7001:content"]);
  });

  it("one event and two equally close entries: the lower registration id pairs, the other is missing", () => {
    const twinA = buildLegacyEntry({ registrationId: "402", hours: 2, note: "Login bug" });
    const twinB = buildLegacyEntry({ registrationId: "4010", hours: 2, note: "Login bug" });
    const event = buildKleerEntry({ registrationId: "7001", hours: 2, note: "Login bug" });
    expect(summary(match([twinB, twinA], [event]))).toEqual({ pairs: ["402=7001:content"], duplicates: [], missing: ["4010"], extra: [] });
  });

  it("the score threshold: exactly the minimum pairs", () => {
    // Project and activity agree (3 + 2), hours three hours apart, one note empty.
    const legacy = buildLegacyEntry({ registrationId: "401", hours: 1, note: "Login bug" });
    const event = buildKleerEntry({ registrationId: "7001", hours: 4, note: "missing note" });
    expect(scoreContent(legacy, event, mapping, DEFAULT_TOLERANCES.entryHours).score).toBe(MIN_CONTENT_SCORE);
    expect(summary(match([legacy], [event])).pairs).toEqual(["401=7001:content"]);
  });

  it("near hours add up to 1.5 points, falling to none at an hour apart", () => {
    const legacy = buildLegacyEntry({ registrationId: "401", hours: 2, note: "x" });
    const at = (hours: number) => scoreContent(legacy, buildKleerEntry({ hours, note: "y", activityId: String(IDS.kleerActivity.meeting) }), mapping, DEFAULT_TOLERANCES.entryHours);
    expect(at(2)).toMatchObject({ project: true, activity: false, hours: true, score: 6 });
    expect(at(2.5)).toMatchObject({ hours: false, score: 3.75 });
    expect(at(1.5).score).toBe(3.75);
    expect(at(3).score).toBe(3);
    expect(at(9).score).toBe(3);
  });
});

describe("leftover events: a second copy or an extra", () => {
  const paired = buildKleerTwin(entry, { registrationId: "7001" });
  const leftover = (change: Partial<TimeEntry>) => summary(match([entry], [paired, buildKleerTwin(entry, { registrationId: "7002", foreignId: "", ...change })]));

  it("identical in mapped project, activity, hours and note on the same day: a duplicate of the paired entry", () => {
    expect(leftover({})).toMatchObject({ duplicates: ["401+7002:content"], extra: [] });
  });

  it.each([
    { why: "another project", change: { projectId: String(IDS.kleerProject.portal) } },
    { why: "another activity", change: { activityId: String(IDS.kleerActivity.meeting) } },
    { why: "other hours", change: { hours: 3 } },
    { why: "another note", change: { note: "Login bug, part two" } },
    { why: "another day", change: { date: "2026-05-13" } },
  ])("$why: an extra, not a duplicate", ({ change }) => {
    expect(leftover(change)).toMatchObject({ pairs: ["401=7001:foreign_id"], duplicates: [], extra: ["7002"] });
  });

  it("duplicates are listed by registration, then Kleer id", () => {
    const second = buildLegacyEntry({ registrationId: "400", hours: 1, note: "Standup" });
    const result = match(
      [entry, second],
      [
        buildKleerTwin(entry, { registrationId: "7001" }),
        buildKleerTwin(entry, { registrationId: "7009" }),
        buildKleerTwin(entry, { registrationId: "7003" }),
        buildKleerTwin(second, { registrationId: "7005" }),
        buildKleerTwin(second, { registrationId: "7004", foreignId: "" }),
      ],
    );
    expect(summary(result).duplicates).toEqual(["400+7004:content", "401+7003:foreign_id", "401+7009:foreign_id"]);
    expect(summary(result).pairs).toEqual(["400=7005:foreign_id", "401=7001:foreign_id"]);
  });
});
