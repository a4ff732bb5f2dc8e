import { describe, expect, it } from "vitest";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";
import { checkFlexDrift } from "../../src/parity/flex-drift.js";
import { finaliseFindings } from "../../src/parity/finding.js";
import { DEFAULT_FLEX_DRIFT_RULES, DEFAULT_PARITY_RULES } from "../../src/parity/parity-rules.js";
import type { TimeInfoRow } from "../../src/parity/time-info-comparison.js";

/** Weeks whose Kleer period flex exceeds Milltime's by `extra` hours each. */
function weeks(extra: number[], legacyFlex = 0.5): TimeInfoRow[] {
  return extra.map((e, i) => {
    const day = (offset: number) => new Date(Date.UTC(2026, 10, 2 + 7 * i + offset)).toISOString().slice(0, 10);
    return {
      userKey: 3, periodStart: day(0), periodEnd: day(6),
      legacyWorked: 40, legacyScheduled: 40, legacyAbsence: 0, legacyCovered: 40, legacyRemaining: 0, legacyFlexPeriod: legacyFlex, legacyFlexBalance: 12,
      kleerWorked: 40, kleerScheduled: 0, kleerAbsence: 0, kleerCovered: 40, kleerRemaining: 0, kleerFlexPeriod: legacyFlex + e,
    };
  });
}

const severity = (rows: TimeInfoRow[], rulesFile: unknown = {}) => {
  const rules = parseParityRules(rulesFile);
  const draft = checkFlexDrift(3, rows, rules.flexDrift);
  return draft === null ? null : finaliseFindings([draft], rules)[0]?.severity;
};

describe("flex drift", () => {
  it.each([
    { name: "exactly the 8 h default is not a finding", extra: [4, 4], rules: {}, expected: null },
    { name: "just above 8 h is a warning", extra: [4, 4.05], rules: {}, expected: "warning" },
    { name: "a negative drift counts by magnitude", extra: [-5, -5], rules: {}, expected: "warning" },
    { name: "drifts that cancel out are no finding", extra: [40, -40], rules: {}, expected: null },
    { name: "320 h without a Kleer schedule is never info (default rules)", extra: Array(8).fill(40), rules: {}, expected: "warning" },
    { name: "blocking is opt-in", extra: Array(8).fill(40), rules: { flex_drift: { blocking_hours: 40 } }, expected: "blocking" },
    { name: "between the thresholds it stays a warning", extra: [20], rules: { flex_drift: { blocking_hours: 40 } }, expected: "warning" },
    { name: "a per-user threshold overrides the default", extra: [20], rules: { flex_drift: { users: { "3": { warning_hours: 24 } } } }, expected: null },
    { name: "a per-user blocking threshold", extra: [20], rules: { flex_drift: { users: { "3": { blocking_hours: 16 } } } }, expected: "blocking" },
    { name: "another user's threshold does not apply", extra: [20], rules: { flex_drift: { users: { "4": { warning_hours: 24 } } } }, expected: "warning" },
    { name: "a severity for the kind in the rules file wins", extra: [20], rules: { severities: { flex_drift: "blocking" } }, expected: "blocking" },
  ])("$name", ({ extra, rules, expected }) => {
    expect(severity(weeks(extra), rules)).toBe(expected);
  });

  it("states span, both sums, the drift and the threshold; dated the first period", () => {
    const draft = checkFlexDrift(3, weeks(Array(8).fill(40)), DEFAULT_FLEX_DRIFT_RULES);
    expect(draft).toMatchObject({ kind: "flex_drift", userKey: 3, date: "2026-11-02", field: "flex_drift", legacyValue: "4", kleerValue: "324", caseSeverity: "warning" });
    expect(draft?.message).toBe(
      "2026-11-02–2026-12-27 cumulative flex drift +320 h: period flex sums to 4 h (4:00) in Milltime, 324 h (324:00) in Kleer (19200 min more in Kleer), above the 8 h warning threshold",
    );
  });

  it("sums only the periods read on both sides and says so", () => {
    const rows = weeks([10, 10]);
    rows[1] = { ...(rows[1] as TimeInfoRow), kleerFlexPeriod: null };
    expect(checkFlexDrift(3, rows)?.message).toContain("+10 h (1 of 2 periods read on both sides)");
    expect(checkFlexDrift(3, rows.map((r) => ({ ...r, legacyFlexPeriod: null })))).toBeNull();
  });

  it("the default rules carry the 8 h warning threshold and no blocking one; the rules file is checked", () => {
    expect(parseParityRules({}).flexDrift?.default).toEqual({ warningHours: 8, blockingHours: null });
    expect(DEFAULT_PARITY_RULES.severities.flex_drift).toBe("warning");
    expect(() => parseParityRules({ flex_drift: { warning_hours: 10, blocking_hours: 5 } })).toThrow(expect.objectContaining({ issues: ["flex_drift: blocking_hours (5) is below warning_hours (10)"] }));
    expect(() => parseParityRules({ flex_drift: { users: { anna: { warning_hours: 1 } } } })).toThrow(/not valid/);
    expect(() => parseParityRules({ flex_drift: { warning_hours: 0 } })).toThrow(/not valid/);
  });
});
