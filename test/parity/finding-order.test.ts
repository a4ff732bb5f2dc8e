import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareFindings,
  compareIds,
  describeDifference,
  draftFinding,
  finaliseFindings,
  formatHours,
  hoursValue,
  suppressionMatches,
  type FindingDraft,
} from "../../src/parity/finding.js";
import { DEFAULT_SEVERITIES } from "../../src/parity/finding-kinds.js";
import { DEFAULT_PARITY_RULES, type ParityRules, type Suppression } from "../../src/parity/parity-rules.js";

// Report order is what exports and report diffs depend on; suppressions decide what the gate
// ignores; the value columns and messages are what people read.
const draft = (o: Partial<FindingDraft> = {}): FindingDraft =>
  draftFinding({ kind: "hours_mismatch", userKey: 1, message: "m", date: "2026-05-12", legacyId: "401", kleerId: "7001", field: "hours", ...o });

describe("compareIds", () => {
  it.each([
    ["7001234", "70012345", -1],
    ["70012345", "7001234", 1],
    ["7001", "7002", -1],
    ["7002", "7001", 1],
    ["7001", "7001", 0],
    ["b", "a", 1],
    ["a", "b", -1],
    ["10a", "9a", -1],
    ["9", "10x", 1],
    // Only whole digit strings order by length: "a10" and "a9" are plain strings.
    ["a10", "a9", -1],
  ])("%s vs %s → %d", (a, b, sign) => {
    expect(Math.sign(compareIds(a, b))).toBe(sign);
  });

  it("orders every pair of ids as the whole-digit-string rule says (lengths first only when both are digits)", () => {
    const numeric = /^\d+$/;
    const rule = (a: string, b: string) => (numeric.test(a) && numeric.test(b) && a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
    const id = fc.oneof(fc.stringMatching(/^[0-9]{0,20}$/), fc.stringMatching(/^[0-9a-z\n٣]{0,6}$/), fc.string());
    fc.assert(fc.property(id, id, (a, b) => Math.sign(compareIds(a, b)) === Math.sign(rule(a, b))), { numRuns: 5000 });
    expect(Math.sign(compareIds("", "1"))).toBe(-1);
    expect(Math.sign(compareIds("12", "3\n"))).toBe(-1);
  });
});

describe("compareFindings", () => {
  it.each([
    ["a dateless finding before a dated one", draft({ date: null }), draft()],
    ["the earlier date", draft({ date: "2026-05-11" }), draft({ date: "2026-05-12" })],
    ["the lower user", draft({ userKey: 1 }), draft({ userKey: 2 })],
    ["the kind earlier in the vocabulary", draft({ kind: "missing_in_kleer" }), draft({ kind: "hours_mismatch" })],
    ["no legacy id before one", draft({ legacyId: null }), draft()],
    ["the numerically lower legacy id", draft({ legacyId: "9" }), draft({ legacyId: "10" })],
    ["the lower Kleer id", draft({ kleerId: "7001" }), draft({ kleerId: "7002" })],
    ["no Kleer id before one", draft({ kleerId: null }), draft()],
    ["the field first in order", draft({ field: "hours" }), draft({ field: "note" })],
    ["the message first in order", draft({ message: "a" }), draft({ message: "b" })],
  ])("puts %s first", (_why, first, second) => {
    expect(compareFindings(first, second)).toBeLessThan(0);
    expect(compareFindings(second, first)).toBeGreaterThan(0);
  });

  it("treats identical findings as equal", () => {
    expect(compareFindings(draft(), draft())).toBe(0);
  });
});

describe("suppressions", () => {
  const s = (o: Partial<Suppression>): Suppression => ({ kind: "hours_mismatch", reason: "known", ...o });
  it.each([
    ["the kind alone", s({}), draft(), true],
    ["another kind", s({ kind: "note_mismatch" }), draft(), false],
    ["the user", s({ userKey: 1 }), draft(), true],
    ["another user", s({ userKey: 2 }), draft(), false],
    ["the legacy id", s({ legacyId: "401" }), draft(), true],
    ["another legacy id", s({ legacyId: "402" }), draft(), false],
    ["the Kleer id", s({ kleerId: "7001" }), draft(), true],
    ["another Kleer id", s({ kleerId: "7002" }), draft(), false],
    ["a range holding the date (inclusive)", s({ from: "2026-05-12", to: "2026-05-12" }), draft(), true],
    ["a range starting after the date", s({ from: "2026-05-13" }), draft(), false],
    ["a range ending before the date", s({ to: "2026-05-11" }), draft(), false],
    ["an open end after the date", s({ from: "2026-05-01" }), draft(), true],
    ["a range, for a finding without date", s({ to: "2026-12-31" }), draft({ date: null }), false],
    ["no range, for a finding without date", s({}), draft({ date: null }), true],
  ])("%s → %s", (_why, suppression, finding, expected) => {
    expect(suppressionMatches(suppression, finding)).toBe(expected);
  });

  it("applies severities and the first matching suppression's reason, in report order (kind before legacy id)", () => {
    const rules: ParityRules = {
      ...DEFAULT_PARITY_RULES,
      suppressions: [s({ legacyId: "402", reason: "first" }), s({ reason: "second" }), s({ kind: "missing_in_kleer", reason: "third" })],
    };
    const out = finaliseFindings([draft({ legacyId: "402" }), draft({ legacyId: "401", kind: "note_mismatch" }), draft({ legacyId: "401" })], rules);
    expect(out.map((f) => [f.legacyId, f.kind, f.severity, f.suppressed, f.suppressionReason])).toEqual([
      ["401", "hours_mismatch", DEFAULT_SEVERITIES.hours_mismatch, true, "second"],
      ["402", "hours_mismatch", DEFAULT_SEVERITIES.hours_mismatch, true, "first"],
      ["401", "note_mismatch", DEFAULT_SEVERITIES.note_mismatch, false, null],
    ]);
  });
});

describe("hours for the report", () => {
  it.each([
    [2.25, "2.25"],
    [1 / 3, "0.333333"],
    [2, "2"],
    [-0.5, "-0.5"],
  ])("value column of %d is %s", (hours, expected) => {
    expect(hoursValue(hours)).toBe(expected);
  });

  it.each([
    [2.25, "2.25 h (2:15)"],
    [-0.5, "-0.5 h (-0:30)"],
    [0, "0 h (0:00)"],
    [1 + 1 / 3600, "1.0003 h (1:00:01)"],
    [10 + 5 / 60, "10.0833 h (10:05)"],
  ])("%d hours read %s", (hours, expected) => {
    expect(formatHours(hours)).toBe(expected);
  });

  it.each([
    [2, 2.25, "15 min more in Kleer"],
    [2.25, 2, "15 min less in Kleer"],
    [2, 2 + 30 / 3600, "30 s more in Kleer"],
    [2, 2 - 30 / 3600, "30 s less in Kleer"],
    [2, 2 + 60 / 3600, "1 min more in Kleer"],
    [2, 2 + 90 / 3600, "1.5 min more in Kleer"],
    [2, 2, "0 s more in Kleer"],
  ])("%d h → %d h: %s", (legacy, kleer, expected) => {
    expect(describeDifference(legacy, kleer)).toBe(expected);
  });
});
