import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexMapping } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { legacyIdFromForeignId, matchEntries, type MatchEntriesResult } from "../../src/parity/entry-matching.js";
import { DEFAULT_TOLERANCES } from "../../src/parity/parity-rules.js";
import { buildKleerEntry, buildKleerTwin, buildLegacyEntry, buildMapping, IDS } from "../builders.js";
import { runUser } from "./parity-fixture.js";

const mapping = indexMapping(buildMapping());
const match = (legacy: TimeEntry[], kleer: TimeEntry[], relinks: Map<string, string> = new Map()): MatchEntriesResult =>
  matchEntries({ legacy, kleer, relinks, mapping, hoursTolerance: DEFAULT_TOLERANCES.entryHours });
const summary = (r: MatchEntriesResult) => ({
  pairs: r.pairs.map((p) => `${p.legacy.registrationId}=${p.kleer.registrationId}:${p.evidence}`),
  duplicates: r.duplicates.map((d) => `${d.legacy.registrationId}+${d.kleer.registrationId}:${d.evidence}`),
  missing: r.missing.map((e) => e.registrationId),
  extra: r.extra.map((e) => e.kleer.registrationId),
});

describe("matchEntries", () => {
  it("reads the legacy id from a `milltime:` foreign id only", () => {
    expect(legacyIdFromForeignId("milltime:400000000000123456")).toBe("400000000000123456");
    expect(legacyIdFromForeignId("toki-5512-880021-44310-1767596400000000000")).toBeNull();
    expect(legacyIdFromForeignId("milltime:")).toBeNull();
    expect(legacyIdFromForeignId(undefined)).toBeNull();
  });

  it("prefers the foreign id over a relink, and a relink over content", () => {
    const a = buildLegacyEntry({ registrationId: "401", hours: 1 });
    const b = buildLegacyEntry({ registrationId: "402", hours: 2 });
    const c = buildLegacyEntry({ registrationId: "403", hours: 3 });
    // 7003 looks exactly like entry 401, but its foreign id names 403.
    const kleer = [
      buildKleerEntry({ registrationId: "7003", hours: 1, foreignId: "milltime:403" }),
      buildKleerEntry({ registrationId: "7002", hours: 5, note: "other" }),
      buildKleerEntry({ registrationId: "7001", hours: 1 }),
    ];
    const result = match([a, b, c], kleer, new Map([["402", "7002"]]));
    expect(summary(result)).toEqual({ pairs: ["401=7001:content", "402=7002:relink", "403=7003:foreign_id"], duplicates: [], missing: [], extra: [] });
  });

  it("pairs across dates only by foreign id or relink, never by content", () => {
    const legacy = buildLegacyEntry({ registrationId: "401", date: "2026-05-12" });
    const byContent = match([legacy], [buildKleerEntry({ registrationId: "7001", date: "2026-05-11" })]);
    expect(summary(byContent)).toMatchObject({ pairs: [], missing: ["401"], extra: ["7001"] });
    const byRelink = match([legacy], [buildKleerEntry({ registrationId: "7001", date: "2026-05-11" })], new Map([["401", "7001"]]));
    expect(summary(byRelink).pairs).toEqual(["401=7001:relink"]);
  });

  it("assigns content matches by best score, not first come", () => {
    // First-come would give 401 (listed first) the first event of the day.
    const meeting = buildLegacyEntry({ registrationId: "401", hours: 1, note: "Weekly meeting", activityId: IDS.milltimeActivity.meeting });
    const dev = buildLegacyEntry({ registrationId: "402", hours: 3, note: "Login bug" });
    const kleer = [
      buildKleerEntry({ registrationId: "7001", hours: 3, note: "Login bug" }),
      buildKleerEntry({ registrationId: "7002", hours: 1, note: "Weekly meeting", activityId: String(IDS.kleerActivity.meeting) }),
    ];
    expect(summary(match([meeting, dev], kleer)).pairs).toEqual(["401=7002:content", "402=7001:content"]);
  });

  it("does not pair by content when too little agrees", () => {
    const legacy = buildLegacyEntry({ registrationId: "401", hours: 1, note: "Weekly meeting" });
    const other = buildKleerEntry({ registrationId: "7001", hours: 6, note: "Travel", projectId: "902", activityId: "22428" });
    expect(summary(match([legacy], [other]))).toMatchObject({ pairs: [], missing: ["401"], extra: ["7001"] });
  });

  it("calls a second event with the same foreign id, or an identical copy, a duplicate", () => {
    const legacy = buildLegacyEntry({ registrationId: "401" });
    const twin = buildKleerTwin(legacy, { registrationId: "7001" });
    const byForeignId = match([legacy], [buildKleerTwin(legacy, { registrationId: "7009" }), twin]);
    expect(summary(byForeignId)).toMatchObject({ pairs: ["401=7001:foreign_id"], duplicates: ["401+7009:foreign_id"], extra: [] });
    const copy = buildKleerTwin(legacy, { registrationId: "7002", foreignId: "" });
    expect(summary(match([legacy], [twin, copy]))).toMatchObject({ pairs: ["401=7001:foreign_id"], duplicates: ["401+7002:content"] });
  });

  it("prefers the same-date claimant when two events claim one registration", () => {
    const legacy = buildLegacyEntry({ registrationId: "401", date: "2026-05-12" });
    const shifted = buildKleerTwin(legacy, { registrationId: "7001", date: "2026-05-11" });
    const same = buildKleerTwin(legacy, { registrationId: "7002" });
    expect(summary(match([legacy], [shifted, same]))).toMatchObject({ pairs: ["401=7002:foreign_id"], duplicates: ["401+7001:foreign_id"] });
  });

  it("gives the same result for any input order", () => {
    const legacy: TimeEntry[] = [];
    const kleer: TimeEntry[] = [];
    for (let i = 0; i < 12; i++) {
      const date = `2026-05-1${i % 3}`;
      const entry = buildLegacyEntry({ registrationId: `40${i}`, date, hours: 1 + (i % 2), note: i % 4 === 0 ? "Standup" : `Task ${i % 5}` });
      legacy.push(entry);
      // Mixed evidence: foreign ids, none, identical-looking content, a duplicate and an extra.
      if (i % 3 === 0) kleer.push(buildKleerTwin(entry, { registrationId: `70${i}` }));
      else if (i % 3 === 1) kleer.push(buildKleerTwin(entry, { registrationId: `70${i}`, foreignId: "" }));
    }
    kleer.push(buildKleerTwin(legacy[0] as TimeEntry, { registrationId: "7099" }));
    kleer.push(buildKleerEntry({ registrationId: "7098", date: "2026-05-10", hours: 1, note: "Standup" }));
    const relinks = new Map([["402", "7099"]]);
    const expected = JSON.stringify(match(legacy, kleer, relinks));
    fc.assert(
      fc.property(fc.shuffledSubarray(legacy, { minLength: legacy.length }), fc.shuffledSubarray(kleer, { minLength: kleer.length }), (l, k) => {
        expect(JSON.stringify(match(l, k, relinks))).toBe(expected);
      }),
      { numRuns: 100 },
    );
    const entries = JSON.stringify(runUser({ legacyEntries: legacy, kleerListing: { entries: kleer, skipped: [] }, relinks }));
    expect(JSON.stringify(runUser({ legacyEntries: [...legacy].reverse(), kleerListing: { entries: [...kleer].reverse(), skipped: [] }, relinks }))).toBe(entries);
  });
});
