import { describe, expect, it } from "vitest";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { DEFAULT_PARITY_RULES } from "../../src/parity/parity-rules.js";
import { buildHistoryLink, buildKleerTwin } from "../builders.js";
import { cleanLegacy, runUser } from "./parity-fixture.js";

// The match rate counts a pair as a match only when no (unsuppressed) finding about that pair
// stands: every kind about one pair or entry makes it a mismatch, a link or period finding does not.
const L1 = "400000000000000001";
const legacy = cleanLegacy();
const withTwin = (change: (twin: TimeEntry) => TimeEntry, extra: TimeEntry[] = []) => ({
  kleerListing: { entries: [...legacy.map((e) => (e.registrationId === L1 ? change(buildKleerTwin(e)) : buildKleerTwin(e))), ...extra], skipped: [] },
});
const outcomeOfL1 = (input: Parameters<typeof runUser>[0], rules = DEFAULT_PARITY_RULES) => runUser(input, rules).entries.find((e) => e.legacyId === L1 && e.kleerId !== null && e.outcome !== "extra_in_kleer")?.outcome;

describe("entry outcomes", () => {
  it.each([
    ["date_mismatch", (t: TimeEntry) => ({ ...t, date: "2026-05-13" })],
    ["hours_mismatch", (t: TimeEntry) => ({ ...t, hours: 3 })],
    ["project_mismatch", (t: TimeEntry) => ({ ...t, projectId: "902" })],
    ["activity_mismatch", (t: TimeEntry) => ({ ...t, activityId: "22428" })],
    ["note_mismatch", (t: TimeEntry) => ({ ...t, note: "other" })],
    ["editability_change", (t: TimeEntry) => ({ ...t, lock: { kind: "status", status: "approved" } }) as TimeEntry],
  ] as const)("%s makes the pair a mismatch", (kind, change) => {
    const result = runUser(withTwin(change));
    expect(result.findings.map((f) => f.kind)).toContain(kind);
    expect(outcomeOfL1(withTwin(change))).toBe("mismatch");
    expect(result.counts).toMatchObject({ matches: 2, mismatches: 1 });
  });

  it("a duplicate event makes its entry's pair a mismatch", () => {
    expect(outcomeOfL1(withTwin((t) => t, [buildKleerTwin(legacy[0]!, { registrationId: "7100001" })]))).toBe("mismatch");
  });

  it("editability regression and status mismatch on a locked entry make it a mismatch", () => {
    const L2 = "400000000000000002";
    const week = legacy.find((e) => e.registrationId === L2)!;
    const kleer = (status: "open" | "approved") => ({ kleerListing: { entries: legacy.map((e) => (e === week ? buildKleerTwin(e, { status }) : buildKleerTwin(e))), skipped: [] } });
    expect(runUser(kleer("open")).entries.find((e) => e.legacyId === L2)?.outcome).toBe("mismatch");
    const workflow = { ...DEFAULT_PARITY_RULES, statusCorrespondence: { week: ["certified"], month: ["approved"] } as const };
    const result = runUser(kleer("approved"), workflow);
    expect(result.findings.map((f) => f.kind)).toContain("status_mismatch");
    expect(result.entries.find((e) => e.legacyId === L2)?.outcome).toBe("mismatch");
  });

  it("a link finding on a paired entry leaves it a match", () => {
    const result = runUser({ historyLinks: [buildHistoryLink({ registrationId: L1, minutes: 200 })] });
    expect(result.findings.map((f) => f.kind)).toContain("link_duration_mismatch");
    expect(result.entries.find((e) => e.legacyId === L1)?.outcome).toBe("match");
  });

  it("a suppressed pair finding leaves the pair a match", () => {
    const rules = { ...DEFAULT_PARITY_RULES, suppressions: [{ kind: "hours_mismatch" as const, legacyId: L1, reason: "agreed" }] };
    expect(outcomeOfL1(withTwin((t) => ({ ...t, hours: 3 })), rules)).toBe("match");
  });
});
