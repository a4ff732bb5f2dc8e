import { describe, expect, it } from "vitest";
import { checkFlexDrift } from "../../src/parity/flex-drift.js";
import { DEFAULT_FLEX_DRIFT_RULES } from "../../src/parity/parity-rules.js";
import { compareTimeInfo, type TimeInfoRow } from "../../src/parity/time-info-comparison.js";
import { buildTimeInfo, buildWeeklyStats } from "../builders.js";

// TimeInfo per period as the time_info table and the period findings show it: both sides of each
// figure, which figures differ beyond the tolerance, and the flex balance to carry over.
const W1 = { from: "2026-05-11", to: "2026-05-17" };
const W2 = { from: "2026-05-18", to: "2026-05-24" };
const compare = (legacy: Parameters<typeof compareTimeInfo>[0]["legacy"], kleer: Parameters<typeof compareTimeInfo>[0]["kleer"], periods = [W1, W2], toleranceHours = 0.01) =>
  compareTimeInfo({ userKey: 7, periods, legacy, kleer, toleranceHours });

describe("compareTimeInfo", () => {
  it("records both sides of every figure per period; Milltime's remaining as read, not clamped", () => {
    const result = compare([buildTimeInfo({ worked: 42 }), buildTimeInfo({ absence: 8, worked: 32 })], [buildWeeklyStats({ worked: 42 }), buildWeeklyStats({ absence: 8, worked: 32 })]);
    expect(result.rows).toEqual([
      {
        userKey: 7, periodStart: "2026-05-11", periodEnd: "2026-05-17",
        legacyWorked: 42, legacyScheduled: 40, legacyAbsence: 0, legacyCovered: 42, legacyRemaining: -2, legacyFlexPeriod: 2, legacyFlexBalance: 3.5,
        kleerWorked: 42, kleerScheduled: 40, kleerAbsence: 0, kleerCovered: 42, kleerRemaining: 0, kleerFlexPeriod: 2,
      },
      {
        userKey: 7, periodStart: "2026-05-18", periodEnd: "2026-05-24",
        legacyWorked: 32, legacyScheduled: 40, legacyAbsence: 8, legacyCovered: 40, legacyRemaining: 0, legacyFlexPeriod: 0, legacyFlexBalance: 3.5,
        kleerWorked: 32, kleerScheduled: 40, kleerAbsence: 8, kleerCovered: 40, kleerRemaining: 0, kleerFlexPeriod: 0,
      },
    ]);
    // A negative PeriodTimeLeft is shown as 0 by Toki's UI, as Kleer's remaining is: no finding.
    expect(result.findings.map((f) => f.kind)).toEqual(["flex_balance_unavailable"]);
  });

  it("a side that was not read leaves its columns null and compares nothing", () => {
    const noKleer = compare([buildTimeInfo(), buildTimeInfo({ worked: 10 })], null);
    expect(noKleer.rows.map((r) => [r.legacyWorked, r.kleerWorked, r.kleerFlexPeriod])).toEqual([[40, null, null], [10, null, null]]);
    expect(noKleer.findings.map((f) => f.kind)).toEqual(["flex_balance_unavailable"]);
    expect(noKleer.flexBalance).toBe(3.5);
    const noLegacy = compare(null, [buildWeeklyStats(), buildWeeklyStats({ worked: 10 })]);
    expect(noLegacy.rows.map((r) => [r.legacyWorked, r.legacyRemaining, r.legacyFlexBalance, r.kleerWorked])).toEqual([[null, null, null, 40], [null, null, null, 10]]);
    expect(noLegacy.findings).toEqual([]);
    expect(noLegacy.flexBalance).toBeNull();
    expect(compare(null, null, []).rows).toEqual([]);
  });

  it("states each differing figure with both values and the signed difference, dated the period's first day", () => {
    const result = compare([buildTimeInfo(), buildTimeInfo({ flexTimeCurrent: -1.25 })], [buildWeeklyStats(), buildWeeklyStats({ scheduled: 32 })]);
    expect(result.findings.map((f) => [f.kind, f.date, f.field, f.legacyValue, f.kleerValue, f.message, f.details])).toEqual([
      ["timeinfo_scheduled_mismatch", "2026-05-18", "scheduled", "40", "32", "2026-05-18–2026-05-24 scheduled (ScheduledPeriodTime ↔ scheduledHours): 40 h (40:00) in Milltime, 32 h (32:00) in Kleer (480 min less in Kleer)", { periodEnd: "2026-05-24" }],
      ["flex_period_mismatch", "2026-05-18", "flex_period", "0", "8", "2026-05-18–2026-05-24 period flex (FlexTimePeriodIncl ↔ periodFlexHours): 0 h (0:00) in Milltime, 8 h (8:00) in Kleer (480 min more in Kleer)", { periodEnd: "2026-05-24" }],
      ["flex_balance_unavailable", "2026-05-18", "flex_balance", "-1.25", null, "Milltime flex balance -1.25 h (-1:15) at the end of 2026-05-24 has no Kleer equivalent: carry it over as the opening balance", { periodEnd: "2026-05-24" }],
    ]);
    expect(result.flexBalance).toBe(-1.25);
  });

  it("a difference within the tolerance is no finding; just beyond it is", () => {
    const within = compare([buildTimeInfo()], [buildWeeklyStats({ worked: 40.25, periodFlexHours: 0, coveredHours: 40 })], [W1], 0.25);
    expect(within.findings.map((f) => f.kind)).toEqual(["flex_balance_unavailable"]);
    const beyond = compare([buildTimeInfo()], [buildWeeklyStats({ worked: 40.26, periodFlexHours: 0, coveredHours: 40 })], [W1], 0.25);
    expect(beyond.findings.map((f) => f.kind)).toEqual(["timeinfo_worked_mismatch", "flex_balance_unavailable"]);
  });

  it("every figure of the correspondence table is compared", () => {
    const kinds = (change: Partial<ReturnType<typeof buildWeeklyStats>>) => compare([buildTimeInfo()], [{ ...buildWeeklyStats(), ...change }], [W1]).findings.map((f) => f.kind);
    expect(kinds({ absenceHours: 1 })).toEqual(["timeinfo_absence_mismatch", "flex_balance_unavailable"]);
    expect(kinds({ remainingHours: 1 })).toEqual(["timeinfo_remaining_mismatch", "flex_balance_unavailable"]);
    expect(kinds({ coveredHours: 41 })).toEqual(["timeinfo_covered_mismatch", "flex_balance_unavailable"]);
  });

  it("refuses sides whose length does not match the periods", () => {
    expect(() => compare([buildTimeInfo()], null)).toThrow(new RangeError("expected 2 legacy TimeInfo values, got 1"));
    expect(() => compare(null, [buildWeeklyStats()])).toThrow(new RangeError("expected 2 Kleer weekly stats, got 1"));
  });
});

describe("consequences of a period's root difference", () => {
  const causes = (legacy: ReturnType<typeof buildTimeInfo>, kleer: ReturnType<typeof buildWeeklyStats>) =>
    Object.fromEntries(compare([legacy], [kleer], [W1]).findings.filter((f) => f.kind !== "flex_balance_unavailable").map((f) => [f.field, f.causedBy?.field ?? null]));

  it("remaining follows a scheduled difference when covered agrees", () => {
    // Scheduled 44 h in Kleer: 4 h remaining and −4 h flex follow from scheduled alone.
    expect(causes(buildTimeInfo(), buildWeeklyStats({ scheduled: 44 }))).toEqual({ scheduled: null, remaining: "scheduled", flex_period: "scheduled" });
  });

  it("a covered difference with both worked and absence differing points at worked", () => {
    expect(causes(buildTimeInfo(), buildWeeklyStats({ worked: 38, absence: 1 }))).toEqual({ worked: null, absence: null, covered: "worked", remaining: "worked", flex_period: "worked" });
  });

  it("a Milltime remaining that breaks max(0, scheduled − covered) stays a root", () => {
    expect(causes(buildTimeInfo({ periodTimeLeft: 5 }), buildWeeklyStats({ worked: 38 }))).toEqual({ worked: null, covered: "worked", remaining: null, flex_period: "worked" });
  });

  it("a Milltime covered that breaks worked + absence stays a root, and what follows points at it", () => {
    expect(causes(buildTimeInfo({ workedPeriodWithAbsenceTime: 39, periodTimeLeft: 1, flexTimePeriodIncl: -1 }), buildWeeklyStats({ worked: 38 }))).toEqual({
      worked: null, covered: null, remaining: "covered", flex_period: "covered",
    });
  });
});

describe("flex drift details", () => {
  const rows = (extra: number[]): TimeInfoRow[] =>
    extra.map((e, i) => ({
      userKey: 3, periodStart: `2026-11-0${2 + i}`, periodEnd: `2026-11-0${2 + i}`,
      legacyWorked: 40, legacyScheduled: 40, legacyAbsence: 0, legacyCovered: 40, legacyRemaining: 0, legacyFlexPeriod: 1, legacyFlexBalance: 12,
      kleerWorked: 40, kleerScheduled: 40, kleerAbsence: 0, kleerCovered: 40, kleerRemaining: 0, kleerFlexPeriod: 1 + e,
    }));

  it("a negative drift above the blocking threshold: signed message, blocking case, the figures in details", () => {
    const draft = checkFlexDrift(3, rows([-10, -10.5]), { default: { warningHours: 8, blockingHours: 16 }, users: new Map() });
    expect(draft).toMatchObject({ date: "2026-11-02", legacyValue: "2", kleerValue: "-18.5", caseSeverity: "blocking" });
    expect(draft?.message).toBe(
      "2026-11-02–2026-11-03 cumulative flex drift -20.5 h: period flex sums to 2 h (2:00) in Milltime, -18.5 h (-18:30) in Kleer (1230 min less in Kleer), above the 16 h blocking threshold",
    );
    expect(draft?.details).toEqual({ periodEnd: "2026-11-03", periods: 2, driftHours: -20.5, warningHours: 8, blockingHours: 16 });
  });

  it("exactly at the blocking threshold it is a warning; no rows, no finding", () => {
    expect(checkFlexDrift(3, rows([16]), { default: { warningHours: 8, blockingHours: 16 }, users: new Map() })?.caseSeverity).toBe("warning");
    expect(checkFlexDrift(3, [], DEFAULT_FLEX_DRIFT_RULES)).toBeNull();
  });
});
