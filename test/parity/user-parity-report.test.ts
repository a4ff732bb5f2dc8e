import { describe, expect, it } from "vitest";
import { buildUserLink, buildWeeklyStats } from "../builders.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { buildKleerEntry, buildKleerTwin, buildLegacyEntry, buildSkippedEntry, IDS } from "../builders.js";
import { runUser } from "./parity-fixture.js";

// One user's week as the report shows it: every kind of entry row (match, mismatch, missing,
// unmapped, extra, skipped, a duplicate's row), in the order the entries table and exports list
// them, with the messages product reads. A pairing, an outcome or a severity that changes shows here.
const L = (n: number) => `40000000000000000${n}`;
const legacy: TimeEntry[] = [
  buildLegacyEntry({ registrationId: L(1), date: "2026-05-12", hours: 2.25 }),
  buildLegacyEntry({ registrationId: L(2), date: "2026-05-13", hours: 1.5, projectId: IDS.milltimeProject.portal, activityId: IDS.milltimeActivity.meeting }),
  buildLegacyEntry({ registrationId: L(3), date: "2026-05-14", hours: 1, projectId: IDS.milltimeProject.unmapped }),
  buildLegacyEntry({ registrationId: L(4), date: "2026-05-15", hours: 0.5 }),
];
const kleer: TimeEntry[] = [
  buildKleerTwin(legacy[0]!, { registrationId: "7000001" }),
  buildKleerTwin(legacy[0]!, { registrationId: "7000011", hours: 1 }),
  buildKleerTwin(legacy[3]!, { registrationId: "7000004", foreignId: "" }),
  buildKleerEntry({ registrationId: "7000020", date: "2026-05-15", hours: 0.75, note: "Travel", projectId: "902", activityId: "22428" }),
  buildKleerEntry({ registrationId: "7000021", date: "2026-05-14", hours: 3, note: "Other", projectId: "902", activityId: "22428", foreignId: "milltime:400000000000077777" }),
];
const skipped = [
  buildSkippedEntry({ registrationId: "7000002", date: "2026-05-13", hours: 1.5, reason: "unknown_activity", activityId: "22999" }),
  buildSkippedEntry({ registrationId: "7000030", date: "2026-05-16", hours: 1, reason: "unknown_project", projectId: undefined }),
  buildSkippedEntry({ registrationId: "7000031", date: "2026-05-16", hours: 2, reason: "projectless" }),
];

describe("one user's report", () => {
  it("lists every row and finding in report order, with the counts of the match rate", () => {
    const result = runUser({ legacyEntries: legacy, kleerListing: { entries: kleer, skipped }, relinks: new Map([[L(2), "7000002"]]) });
    expect(result.status).toBe("compared");
    expect(result.entries.map((e) => [e.date, e.legacyId, e.kleerId, e.outcome, e.evidence, e.legacyHours, e.kleerHours])).toEqual([
      ["2026-05-12", "400000000000000001", "7000001", "mismatch", "foreign_id", 2.25, 2.25],
      ["2026-05-12", "400000000000000001", "7000011", "extra_in_kleer", "foreign_id", null, 1],
      ["2026-05-13", "400000000000000002", null, "missing_in_kleer", null, 1.5, null],
      ["2026-05-13", "400000000000000002", "7000002", "skipped", null, null, 1.5],
      ["2026-05-14", "400000000000000003", null, "unmapped", null, 1, null],
      ["2026-05-14", null, "7000021", "extra_in_kleer", null, null, 3],
      ["2026-05-15", "400000000000000004", "7000004", "match", "content", 0.5, 0.5],
      ["2026-05-15", null, "7000020", "extra_in_kleer", null, null, 0.75],
      ["2026-05-16", null, "7000030", "skipped", null, null, 1],
      ["2026-05-16", null, "7000031", "skipped", null, null, 2],
    ]);
    expect(result.findings.map((f) => [f.kind, f.date, f.legacyId, f.kleerId, f.field, f.legacyValue, f.kleerValue, f.severity, f.message])).toEqual([
      ["flex_balance_unavailable", "2026-05-11", null, null, "flex_balance", "3.5", null, "info", "Milltime flex balance 3.5 h (3:30) at the end of 2026-05-17 has no Kleer equivalent: carry it over as the opening balance"],
      ["duplicate_in_kleer", "2026-05-12", "400000000000000001", "7000011", "foreign_id", null, "7000011", "blocking", "Kleer event 7000011 (2026-05-12, 1 h (1:00)) is a second event for Milltime registration 400000000000000001 (by foreign id)"],
      ["missing_in_kleer", "2026-05-13", "400000000000000002", "7000002", "entry", "1.5", null, "blocking", "Milltime registration 400000000000000002 (2026-05-13, 1.5 h (1:30), \"Customer portal\" / \"Meeting\") has no Kleer event; Kleer event 7000002 names it but Toki's listing skips that event"],
      ["unlisted_event", "2026-05-13", "400000000000000002", "7000002", "activity", null, "22999", "warning", "Kleer event 7000002 (1.5 h (1:30)) has an unknown activity 22999: counted as worked but not listed by Toki"],
      ["missing_in_kleer", "2026-05-14", "400000000000000003", null, "entry", "1", null, "blocking", "Milltime registration 400000000000000003 (2026-05-14, 1 h (1:00), \"Old project\" / \"Development\") has no Kleer event"],
      ["extra_in_kleer", "2026-05-14", "400000000000077777", "7000021", "entry", null, "3", "blocking", "Kleer event 7000021 (2026-05-14, 3 h (3:00), \"Customer portal\" / \"Meeting\") pairs with no Milltime registration; its foreign id names registration 400000000000077777, which is not among the user's legacy entries"],
      ["unmapped_project", "2026-05-14", "400000000000000003", null, "project", "300000000000000099", null, "blocking", "Milltime project 300000000000000099 \"Old project\" of registration 400000000000000003 has no Kleer project in the mapping"],
      ["extra_in_kleer", "2026-05-15", null, "7000020", "entry", null, "0.75", "blocking", "Kleer event 7000020 (2026-05-15, 0.75 h (0:45), \"Customer portal\" / \"Meeting\") pairs with no Milltime registration"],
      ["projectless_event", "2026-05-16", null, "7000031", "project", null, null, "warning", "Kleer event 7000031 (2 h (2:00)) has no project: Toki neither lists it nor counts it as worked"],
      ["unlisted_event", "2026-05-16", null, "7000030", "project", null, null, "warning", "Kleer event 7000030 (1 h (1:00)) has an unknown project ?: counted as worked but not listed by Toki"],
    ]);
    expect(result.counts).toEqual({ legacyEntries: 4, compared: 4, kleerEvents: 8, matches: 1, mismatches: 1, missing: 1, extra: 3, unmapped: 1, skipped: 0, kleerSkipped: 3 });
    // The report does not depend on the order the sources list entries in.
    const reversed = runUser({ legacyEntries: [...legacy].reverse(), kleerListing: { entries: [...kleer].reverse(), skipped: [...skipped].reverse() }, relinks: new Map([[L(2), "7000002"]]) });
    expect(reversed.entries).toEqual(result.entries);
    expect(reversed.findings).toEqual(result.findings);
  });

  it("an unmapped user: every legacy entry of the range is an unmapped row, named in one finding", () => {
    const withEmail = runUser({ user: buildUserLink({ kleerUserId: undefined, email: "anna@example.se" }), kleerListing: null, kleerStats: null, legacyEntries: legacy });
    expect(withEmail.status).toBe("unmapped");
    expect(withEmail.findings.find((f) => f.kind === "unmapped_user")?.message).toBe("Toki user 1 (anna@example.se) has no Kleer user in the mapping; 4 legacy entries not compared");
    expect(withEmail.entries.map((e) => [e.legacyId, e.outcome, e.kleerId])).toEqual(legacy.map((e) => [e.registrationId, "unmapped", null]));
    expect(withEmail.counts).toMatchObject({ legacyEntries: 4, compared: 4, unmapped: 4, matches: 0, skipped: 0, kleerEvents: 0 });
    // Its Kleer side is not compared even when a listing was read.
    const listed = runUser({ user: buildUserLink({ kleerUserId: undefined, email: "" }), legacyEntries: legacy, kleerListing: { entries: kleer, skipped }, kleerStats: [buildWeeklyStats({ worked: 30 })] });
    expect(listed.findings.find((f) => f.kind === "unmapped_user")?.message).toBe("Toki user 1 has no Kleer user in the mapping; 4 legacy entries not compared");
    expect(listed.entries.every((e) => e.outcome === "unmapped" && e.kleerId === null)).toBe(true);
    expect(listed.findings.map((f) => f.kind)).toEqual(["unmapped_user", "flex_balance_unavailable"]);
    expect(listed.timeInfo[0]?.kleerWorked).toBeNull();
  });

  it("a source error names the failing system, and entries of a failed Milltime read are skipped rows", () => {
    const result = runUser({ legacyEntries: null, legacyTimeInfo: null, failures: [{ system: "milltime", message: "AUTH_FAILED: wrong password" }] });
    expect(result.status).toBe("source_error");
    expect(result.findings.map((f) => [f.kind, f.field, f.date, f.message])).toEqual([["source_error", "milltime", "2026-05-11", "milltime: AUTH_FAILED: wrong password"]]);
    expect(result.entries).toEqual([]);
    expect(result.flexBalance).toBeNull();
  });

  it("a skipped event outside the range still names the registration it was migrated to", () => {
    const early = buildLegacyEntry({ registrationId: L(5), date: "2026-05-11", hours: 1 });
    const result = runUser({
      legacyEntries: [early],
      kleerListing: { entries: [], skipped: [buildSkippedEntry({ registrationId: "7000050", date: "2026-05-10", reason: "unknown_project", projectId: "977", foreignId: `milltime:${L(5)}` })] },
    });
    expect(result.findings.filter((f) => f.kind !== "flex_balance_unavailable").map((f) => [f.kind, f.kleerId, f.message])).toEqual([
      ["missing_in_kleer", "7000050", `Milltime registration ${L(5)} (2026-05-11, 1 h (1:00), "Intranet revamp" / "Development") has no Kleer event; Kleer event 7000050 names it but Toki's listing skips that event`],
    ]);
    expect(result.entries.map((e) => [e.legacyId, e.kleerId, e.outcome])).toEqual([[L(5), null, "missing_in_kleer"]]);
    const inRange = runUser({
      legacyEntries: [early],
      kleerListing: { entries: [], skipped: [buildSkippedEntry({ registrationId: "7000050", date: "2026-05-11", reason: "unknown_project", projectId: "977", foreignId: `milltime:${L(5)}` })] },
    });
    expect(inRange.findings.find((f) => f.kind === "unlisted_event")).toMatchObject({ field: "project", kleerValue: "977", legacyId: L(5), message: "Kleer event 7000050 (1 h (1:00)) has an unknown project 977: counted as worked but not listed by Toki" });
  });

  it("of two registrations relinked to one skipped event, the event names the lower registration id in either source order", () => {
    const first = buildLegacyEntry({ registrationId: L(7), date: "2026-05-12", hours: 1 });
    const second = buildLegacyEntry({ registrationId: L(8), date: "2026-05-12", hours: 1 });
    const skippedOnce = [buildSkippedEntry({ registrationId: "7000070", date: "2026-05-12", foreignId: "" })];
    const relinks = new Map([[L(7), "7000070"], [L(8), "7000070"]]);
    for (const legacyEntries of [[first, second], [second, first]]) {
      const result = runUser({ legacyEntries, kleerListing: { entries: [], skipped: skippedOnce }, relinks });
      expect(result.findings.find((f) => f.kind === "projectless_event")?.legacyId).toBe(L(7));
      expect(result.entries.find((e) => e.kleerId === "7000070")?.legacyId).toBe(L(7));
    }
  });

  it("of two skipped events naming one registration, the missing finding names the lower Kleer id", () => {
    const entry = buildLegacyEntry({ registrationId: L(6), date: "2026-05-12", hours: 1 });
    const skippedTwice = [
      buildSkippedEntry({ registrationId: "70000090", date: "2026-05-12", foreignId: `milltime:${L(6)}` }),
      buildSkippedEntry({ registrationId: "7000009", date: "2026-05-12", foreignId: `milltime:${L(6)}` }),
    ];
    const result = runUser({ legacyEntries: [entry], kleerListing: { entries: [], skipped: skippedTwice } });
    expect(result.findings.find((f) => f.kind === "missing_in_kleer")?.kleerId).toBe("7000009");
    expect(result.findings.filter((f) => f.kind === "projectless_event").map((f) => [f.kleerId, f.legacyId])).toEqual([["7000009", L(6)], ["70000090", L(6)]]);
  });
});
