import { describe, expect, it } from "vitest";
import { buildHtmlReportModel, decideVerdict, formatRunOptions, userAnchor } from "../../../src/report/html/html-report-model.js";
import { buildPeriodPoints, pickOpeningBalance } from "../../../src/report/html/html-report-periods.js";
import type { FindingRecord, TimeInfoRow } from "../../../src/report/html/html-report-input.js";
import { buildFinding, buildSampleInput, SAMPLE_WEEKS } from "./html-report-fixture.js";

function timeInfo(periodStart: string, legacyFlex: number | null, kleerFlex: number | null, balance: number | null = null): TimeInfoRow {
  return {
    userKey: 7,
    periodStart,
    periodEnd: periodStart,
    legacyWorked: 8,
    legacyScheduled: 8,
    legacyAbsence: 0,
    legacyCovered: 8,
    legacyRemaining: 0,
    legacyFlexPeriod: legacyFlex,
    legacyFlexBalance: balance,
    kleerWorked: 8,
    kleerScheduled: 8,
    kleerAbsence: 0,
    kleerCovered: 8,
    kleerRemaining: 0,
    kleerFlexPeriod: kleerFlex,
  };
}

function finding(partial: Partial<FindingRecord>): FindingRecord {
  return buildFinding({ kind: "hours_mismatch", severity: "blocking", userKey: 7, message: "m", ...partial });
}

describe("buildHtmlReportModel", () => {
  const model = buildHtmlReportModel(buildSampleInput());

  it("counts active findings by severity and keeps suppressed ones apart", () => {
    expect(model.totals.findings).toEqual({ blocking: 6, warning: 2, info: 5 });
    expect(model.totals.suppressed).toBe(1);
    expect(model.totals.usersWithBlocking).toBe(4);
    expect(model.verdict.level).toBe("not_ready");
  });

  it("counts findings per kind with the most severe kinds first", () => {
    const byKind = Object.fromEntries(model.kindCounts.map((k) => [k.kind, k]));
    expect(byKind.editability_regression).toMatchObject({ blocking: 2, warning: 0, info: 0, total: 2, suppressed: 0 });
    expect(byKind.flex_balance_unavailable).toMatchObject({ info: 4, total: 4 });
    expect(byKind.editability_change).toMatchObject({ total: 0, suppressed: 1 });
    expect(model.kindCounts[0]!.blocking).toBeGreaterThan(0);
    expect(model.kindCounts.at(-1)!.kind).toBe("editability_change");
  });

  it("summarises entries and findings per user", () => {
    const u103 = model.users.find((u) => u.userKey === 103)!;
    expect(u103.outcomes).toMatchObject({ total: 40, match: 38, missing_in_kleer: 1, extra_in_kleer: 1 });
    expect(u103.findingCounts).toEqual({ blocking: 2, warning: 0, info: 1 });
    const u104 = model.users.find((u) => u.userKey === 104)!;
    expect(u104.suppressedCount).toBe(1);
    expect(u104.findingCounts.warning).toBe(0);
    // Match rate as the gate counts it: Kleer-only rows (extra_in_kleer) and skipped rows are not compared.
    expect(model.totals).toMatchObject({ users: 4, entries: 160, compared: 159, matches: 153 });
  });

  it("computes the cumulative flex drift as the running sum of Kleer − Milltime period flex", () => {
    const u102 = model.users.find((u) => u.userKey === 102)!;
    expect(u102.periods).toHaveLength(SAMPLE_WEEKS);
    expect(u102.periods.map((p) => p.cumulativeDrift)).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(u102.finalDrift).toBe(4);
    expect(model.users.find((u) => u.userKey === 101)!.finalDrift).toBe(-2);
  });

  it("takes the opening balance from the flex_balance_unavailable finding", () => {
    const u101 = model.users.find((u) => u.userKey === 101)!;
    expect(u101.openingBalance).toEqual({ hours: u101.periods.at(-1)!.legacyFlexBalance, rawValue: null, asOf: "2026-03-01", source: "flex_balance_unavailable" });
    expect(u101.status).toBeNull();
  });

  it("lists editability regressions and matches suppressions to the findings they hid", () => {
    expect(model.editabilityRegressions.map((f) => f.legacyId)).toEqual(["40000000000011003", "40000000000011004"]);
    expect(model.suppressions).toEqual([
      { kind: "editability_change", userKey: 104, reason: "Payroll closed February in Kleer first (agreed with HR)", scope: "2026-02-01 – 2026-02-28", matched: 1, origin: "rule" },
    ]);
  });

  it("masks secret-looking option values", () => {
    expect(model.optionsText).toContain('"token": "[redacted]"');
    expect(model.optionsText).not.toContain("kleer-secret-token-123");
    expect(formatRunOptions({})).toBeNull();
    expect(formatRunOptions([{ password: "hunter22", user: "a" }])).toContain('"password": "[redacted]"');
  });

  it("orders users numerically and derives suppressions from findings when the file lists no rules", () => {
    const input = buildSampleInput();
    input.suppressions = [];
    const entry = { date: "2026-01-05", legacyId: null, kleerId: null, outcome: "match" as const, evidence: null, legacyHours: null, kleerHours: null };
    input.entries = [{ ...entry, userKey: 10 }, { ...entry, userKey: 9 }];
    input.findings = [finding({ userKey: null, suppressed: true, suppressionReason: "known" }), finding({ userKey: null, suppressed: true, suppressionReason: "known" })];
    input.timeInfo = [];
    const m = buildHtmlReportModel(input);
    expect(m.users.map((u) => u.userKey)).toEqual([9, 10]);
    expect(m.runFindings).toHaveLength(2);
    expect(m.suppressions).toEqual([{ kind: "hours_mismatch", userKey: null, reason: "known", scope: null, matched: 2, origin: "finding" }]);
    expect(m.verdict.level).toBe("ready");
  });
});

describe("decideVerdict", () => {
  it.each([
    ["completed", { blocking: 1, warning: 0, info: 0 }, "not_ready"],
    ["completed", { blocking: 0, warning: 3, info: 1 }, "ready_with_warnings"],
    ["completed", { blocking: 0, warning: 0, info: 9 }, "ready"],
    ["failed", { blocking: 0, warning: 0, info: 0 }, "incomplete"],
    ["running", { blocking: 2, warning: 0, info: 0 }, "incomplete"],
  ] as const)("%s with %o is %s", (status, counts, level) => {
    expect(decideVerdict(status, counts, counts.blocking > 0 ? 1 : 0).level).toBe(level);
  });
});

describe("buildPeriodPoints", () => {
  it("sorts periods, skips unknown deltas and rounds away float noise", () => {
    const points = buildPeriodPoints([timeInfo("2026-01-19", 0.2, 0.4), timeInfo("2026-01-05", null, 1), timeInfo("2026-01-12", 0.1, 0.2)]);
    expect(points.map((p) => p.periodStart)).toEqual(["2026-01-05", "2026-01-12", "2026-01-19"]);
    expect(points.map((p) => p.flexDelta)).toEqual([null, 0.1, 0.2]);
    expect(points.map((p) => p.cumulativeDrift)).toEqual([null, 0.1, 0.3]);
  });

  it("labels ISO weeks, months and other periods", () => {
    const week = buildPeriodPoints([{ ...timeInfo("2026-03-02", 0, 0), periodEnd: "2026-03-08" }])[0]!;
    expect(week).toMatchObject({ label: "W10", longLabel: "2026-03-02 – 2026-03-08 (week 10)" });
    expect(buildPeriodPoints([{ ...timeInfo("2026-02-01", 0, 0), periodEnd: "2026-02-28" }])[0]!.label).toBe("2026-02");
    expect(buildPeriodPoints([{ ...timeInfo("2026-02-03", 0, 0), periodEnd: "2026-02-05" }])[0]!.label).toBe("02-03");
  });
});

describe("pickOpeningBalance", () => {
  const periods = buildPeriodPoints([timeInfo("2026-01-05", 0, 0, 3.5), timeInfo("2026-01-12", 0, 0, null)]);

  it("falls back to the stored user balance, the last Milltime balance read, then to none", () => {
    expect(pickOpeningBalance([], periods, 7.25)).toEqual({ hours: 7.25, rawValue: null, asOf: "2026-01-12", source: "run_users" });
    expect(pickOpeningBalance([], periods)).toEqual({ hours: 3.5, rawValue: null, asOf: "2026-01-05", source: "time_info" });
    expect(pickOpeningBalance([], [])).toEqual({ hours: null, rawValue: null, asOf: null, source: "none" });
  });

  it("keeps a non-numeric stored balance as text", () => {
    const f = finding({ kind: "flex_balance_unavailable", legacyValue: "n/a", date: "2026-01-31" });
    expect(pickOpeningBalance([f], periods)).toEqual({ hours: null, rawValue: "n/a", asOf: "2026-01-31", source: "flex_balance_unavailable" });
  });
});

describe("userAnchor", () => {
  it("is an HTML-safe id per Toki user id", () => {
    expect(userAnchor(101)).toBe("user-101");
    expect(userAnchor(-1)).toBe("user--1");
  });
});
