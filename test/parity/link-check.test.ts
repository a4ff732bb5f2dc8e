import { describe, expect, it } from "vitest";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { draftFinding } from "../../src/parity/finding.js";
import { checkHistoryLinks, type CheckHistoryLinksInput } from "../../src/parity/link-check.js";
import { buildHistoryLink, buildKleerEntry, buildLegacyEntry } from "../builders.js";

// Timer-history links as Toki's timer_history shows them after the cutover: which link points at
// nothing, which runs longer or shorter than its entry, and against which system it is measured.
const WEEK = { from: "2026-05-11", to: "2026-05-17" };
const legacy = buildLegacyEntry({ registrationId: "401", hours: 2.25 });
const event = buildKleerEntry({ registrationId: "7001", hours: 1 });
const check = (o: Partial<CheckHistoryLinksInput>) =>
  checkHistoryLinks({
    userKey: 1, links: [], range: WEEK, timeZone: "Europe/Stockholm", legacyEntries: [legacy], kleerEntries: [event], kleerEventIds: new Set(["7001"]),
    relinks: new Map(), legacyWithKleer: new Set(["401"]), toleranceHours: 0.05, ...o,
  }).map((f) => ({ kind: f.kind, date: f.date, legacyId: f.legacyId, kleerId: f.kleerId, legacyValue: f.legacyValue, kleerValue: f.kleerValue, message: f.message, caseSeverity: f.caseSeverity, causedBy: f.causedBy?.kind ?? null }));

describe("checkHistoryLinks", () => {
  it("a link on a Milltime entry of the right length is no finding; one beyond the tolerance is, measured against Milltime", () => {
    expect(check({ links: [buildHistoryLink({ registrationId: "401", minutes: 135 + 3 })] })).toEqual([]);
    expect(check({ links: [buildHistoryLink({ historyId: 4, registrationId: "401", minutes: 150 })], relinks: new Map([["401", "7001"]]) })).toEqual([
      {
        kind: "link_duration_mismatch", date: "2026-05-12", legacyId: "401", kleerId: "7001", legacyValue: "2.25", kleerValue: null, caseSeverity: null, causedBy: null,
        message: "timer history #4 runs 2.5 h (2:30) but Milltime registration 401 has 2.25 h (2:15) (15 min less in Milltime)",
      },
    ]);
  });

  it("a link already on a Kleer event is measured against the event", () => {
    expect(check({ links: [buildHistoryLink({ historyId: 5, registrationId: "7001", minutes: 90 })] })).toEqual([
      {
        kind: "link_duration_mismatch", date: "2026-05-12", legacyId: null, kleerId: "7001", legacyValue: null, kleerValue: "1", caseSeverity: null, causedBy: null,
        message: "timer history #5 runs 1.5 h (1:30) but Kleer registration 7001 has 1 h (1:00) (30 min less in Kleer)",
      },
    ]);
  });

  it("a link on a registration in neither system is an info orphan; one on a skipped or relinked Kleer event is not", () => {
    const link = buildHistoryLink({ historyId: 6, registrationId: "499", startTime: "2026-05-12T22:30:00.000Z", minutes: 30 });
    expect(check({ links: [link] })).toEqual([
      {
        kind: "link_orphan", date: "2026-05-13", legacyId: "499", kleerId: null, legacyValue: "499", kleerValue: null, caseSeverity: "info", causedBy: null,
        message: "timer history #6 (2026-05-12T22:30:00.000Z–2026-05-12T23:00:00.000Z) points at registration 499, which exists neither in Milltime nor in Kleer (a history row kept after a delete, from before the migration)",
      },
    ]);
    expect(check({ links: [link], kleerEventIds: new Set(["499"]) })).toEqual([]);
    expect(check({ links: [link], relinks: new Map([["401", "499"]]) })).toEqual([]);
    expect(check({ links: [link], relinks: new Map(), relinkTargets: new Set(["499"]) })).toEqual([]);
  });

  it("a link on a Milltime entry without Kleer counterpart is an orphan caused by that entry's missing finding", () => {
    const missing = draftFinding({ kind: "missing_in_kleer", userKey: 1, date: "2026-05-12", legacyId: "401", field: "entry", message: "m" });
    const link = buildHistoryLink({ historyId: 7, registrationId: "401" });
    expect(check({ links: [link], legacyWithKleer: new Set(), missingInKleer: new Map([["401", missing]]) })).toEqual([
      {
        kind: "link_orphan", date: "2026-05-12", legacyId: "401", kleerId: null, legacyValue: "401", kleerValue: null, caseSeverity: null, causedBy: "missing_in_kleer",
        message: "timer history #7 (2026-05-12T07:00:00.000Z–2026-05-12T09:15:00.000Z) points at Milltime registration 401, which has no Kleer counterpart: after the cutover the link points at nothing",
      },
    ]);
    // Entries not compared (Kleer unread): not judged.
    expect(check({ links: [link], legacyWithKleer: null })).toEqual([]);
    // Relinked to a Kleer event: it has a counterpart.
    expect(check({ links: [buildHistoryLink({ registrationId: "7001", minutes: 60 })], legacyWithKleer: new Set() })).toEqual([]);
  });

  it("checks only links starting on a local day of the range, in history-id order", () => {
    const before = buildHistoryLink({ historyId: 1, registrationId: "498", startTime: "2026-05-10T21:30:00.000Z" }); // 23:30 local, 10 May
    const first = buildHistoryLink({ historyId: 2, registrationId: "497", startTime: "2026-05-10T22:30:00.000Z" }); // 00:30 local, 11 May
    const second = buildHistoryLink({ historyId: 2, registrationId: "4960" });
    const third = buildHistoryLink({ historyId: 3, registrationId: "495" });
    expect(check({ links: [third, second, before, first] }).map((f) => f.legacyId)).toEqual(["497", "4960", "495"]);
  });

  it("without a Kleer read a Kleer-id link is measured against nothing", () => {
    const entries: TimeEntry[] = [];
    expect(check({ links: [buildHistoryLink({ registrationId: "7001", minutes: 500 })], kleerEntries: null, kleerEventIds: new Set(["7001"]), legacyEntries: entries })).toEqual([]);
  });
});
