import { describe, expect, it } from "vitest";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";
import type { Finding } from "../../src/parity/finding.js";
import { buildHistoryLink, buildKleerTwin, buildTimeInfo, buildWeeklyStats } from "../builders.js";
import { cleanLegacy, runUser } from "./parity-fixture.js";

const L1 = "400000000000000001";

/** kind → the kind of its root (null for a root), for the findings of one run. */
function causes(findings: readonly Finding[]): Record<string, string | null> {
  return Object.fromEntries(findings.filter((f) => f.kind !== "flex_balance_unavailable").map((f) => [f.kind, f.causedBy?.kind ?? null]));
}

describe("consequential period findings", () => {
  it("points covered, remaining and flex at the worked-hours difference they follow from", () => {
    const result = runUser({ kleerStats: [buildWeeklyStats({ worked: 38 })] });
    expect(causes(result.findings)).toEqual({
      timeinfo_worked_mismatch: null,
      timeinfo_covered_mismatch: "timeinfo_worked_mismatch",
      timeinfo_remaining_mismatch: "timeinfo_worked_mismatch",
      flex_period_mismatch: "timeinfo_worked_mismatch",
    });
    const worked = result.findings.find((f) => f.kind === "timeinfo_worked_mismatch");
    expect(result.findings.find((f) => f.kind === "flex_period_mismatch")?.causedBy).toEqual({ kind: "timeinfo_worked_mismatch", date: "2026-05-11", legacyId: null, kleerId: null, field: "worked" });
    expect(worked?.causedBy).toBeNull();
  });

  it("points covered and flex at an absence difference, flex alone at a scheduled difference", () => {
    expect(causes(runUser({ kleerStats: [buildWeeklyStats({ absence: 8 })] }).findings)).toEqual({
      timeinfo_absence_mismatch: null,
      timeinfo_covered_mismatch: "timeinfo_absence_mismatch",
      flex_period_mismatch: "timeinfo_absence_mismatch",
    });
    expect(causes(runUser({ kleerStats: [buildWeeklyStats({ scheduled: 32 })] }).findings)).toEqual({
      timeinfo_scheduled_mismatch: null,
      flex_period_mismatch: "timeinfo_scheduled_mismatch",
    });
  });

  it("keeps a Milltime figure that breaks Kleer's derivation a problem of its own", () => {
    // FlexTimePeriodIncl 5 h is not covered − scheduled (−2 h): the flex difference is not explained by worked.
    const result = runUser({ legacyTimeInfo: [buildTimeInfo({ flexTimePeriodIncl: 5 })], kleerStats: [buildWeeklyStats({ worked: 38 })] });
    expect(causes(result.findings)).toMatchObject({ timeinfo_covered_mismatch: "timeinfo_worked_mismatch", flex_period_mismatch: null });
    // WorkedPeriodWithAbsenceTime 42 h with 40 h worked and no absence: the covered difference is its own.
    const covered = runUser({ legacyTimeInfo: [buildTimeInfo({ workedPeriodWithAbsenceTime: 42, periodTimeLeft: -2, flexTimePeriodIncl: 2 })], kleerStats: [buildWeeklyStats()] });
    expect(causes(covered.findings)).toEqual({ timeinfo_covered_mismatch: null, flex_period_mismatch: "timeinfo_covered_mismatch" });
  });

  it("gives a covered difference without a differing component no cause", () => {
    // Kleer's covered figure is off on its own (an adapter bug would look like this).
    expect(causes(runUser({ kleerStats: [{ ...buildWeeklyStats(), coveredHours: 48 }] }).findings)).toEqual({ timeinfo_covered_mismatch: null });
  });
});

describe("link_orphan severity by case", () => {
  const orphan = () => ({ historyLinks: [buildHistoryLink({ registrationId: "400000000000099999" })] });

  it("is info for a history row whose registration exists in neither system (Toki keeps history rows on delete)", () => {
    const finding = runUser(orphan()).findings.find((f) => f.kind === "link_orphan");
    expect(finding).toMatchObject({ severity: "info", causedBy: null, details: expect.objectContaining({ case: "in_neither_system" }) });
  });

  it("takes the rules file's severity for the kind when it names one", () => {
    expect(runUser(orphan(), parseParityRules({ severities: { link_orphan: "warning" } })).findings.find((f) => f.kind === "link_orphan")?.severity).toBe("warning");
    expect(runUser(orphan(), parseParityRules({ severities: { link_orphan: "blocking" } })).findings.find((f) => f.kind === "link_orphan")?.severity).toBe("blocking");
    expect(runUser(orphan(), parseParityRules({ severities: { note_mismatch: "info" } })).findings.find((f) => f.kind === "link_orphan")?.severity).toBe("info");
  });

  it("is a warning, caused by the entry's missing_in_kleer, for a link on a Milltime registration without Kleer counterpart", () => {
    const kleer = cleanLegacy().filter((e) => e.registrationId !== L1).map((e: TimeEntry) => buildKleerTwin(e));
    const result = runUser({ kleerListing: { entries: kleer, skipped: [] }, historyLinks: [buildHistoryLink({ registrationId: L1 })] });
    const link = result.findings.find((f) => f.kind === "link_orphan");
    expect(link).toMatchObject({ severity: "warning", legacyId: L1, details: expect.objectContaining({ case: "kleer_counterpart_missing" }) });
    expect(link?.causedBy).toMatchObject({ kind: "missing_in_kleer", legacyId: L1 });
    expect(link?.message).toContain("no Kleer counterpart");
  });

  it("does not judge a legacy link's counterpart when Kleer was not read", () => {
    const result = runUser({ kleerListing: null, kleerStats: null, failures: [{ system: "kleer", message: "UNREACHABLE: down" }], historyLinks: [buildHistoryLink({ registrationId: L1 })] });
    expect(result.findings.map((f) => f.kind)).not.toContain("link_orphan");
  });
});
