import { describe, expect, it } from "vitest";
import { draftFinding, refersTo, refOf, severityOf, type FindingDraft } from "../../src/parity/finding.js";
import { DEFAULT_PARITY_RULES, type ParityRules } from "../../src/parity/parity-rules.js";

// A consequence names its root by the fields that identify it (the report stores caused_by from
// this); a case severity stands unless the rules file sets one for the kind.
const root = draftFinding({ kind: "timeinfo_worked_mismatch", userKey: 1, message: "m", date: "2026-05-11", field: "worked", legacyValue: "40", kleerValue: "38" });

describe("finding references", () => {
  it("a reference carries only the identifying fields, and names its finding", () => {
    expect(refOf(root)).toEqual({ kind: "timeinfo_worked_mismatch", date: "2026-05-11", legacyId: null, kleerId: null, field: "worked" });
    expect(refersTo(refOf(root), root)).toBe(true);
    expect(refersTo(refOf(root), { ...root, message: "another message", legacyValue: "41" } as FindingDraft)).toBe(true);
  });

  it.each([
    ["kind", { kind: "timeinfo_covered_mismatch" }],
    ["date", { date: "2026-05-18" }],
    ["legacy id", { legacyId: "401" }],
    ["Kleer id", { kleerId: "7001" }],
    ["field", { field: "covered" }],
  ] as const)("a finding with another %s is not the one referred to", (_why, change) => {
    expect(refersTo(refOf(root), { ...root, ...change } as FindingDraft)).toBe(false);
  });

  it("fills every optional column with null", () => {
    expect(draftFinding({ kind: "source_error", userKey: 2, message: "x" })).toEqual({
      kind: "source_error", userKey: 2, date: null, legacyId: null, kleerId: null, field: null, legacyValue: null, kleerValue: null,
      message: "x", details: null, causedBy: null, caseSeverity: null,
    });
  });
});

describe("severityOf", () => {
  const orphan = draftFinding({ kind: "link_orphan", userKey: 1, message: "m", caseSeverity: "info" });
  it("the case's severity when the rules file does not set the kind", () => {
    expect(severityOf(orphan, DEFAULT_PARITY_RULES)).toBe("info");
    expect(severityOf({ ...orphan, caseSeverity: null }, DEFAULT_PARITY_RULES)).toBe(DEFAULT_PARITY_RULES.severities.link_orphan);
  });

  it("the rules file's severity for the kind over the case's; another kind's setting changes nothing", () => {
    const rules: ParityRules = { ...DEFAULT_PARITY_RULES, severities: { ...DEFAULT_PARITY_RULES.severities, link_orphan: "blocking" }, explicitSeverities: new Set(["link_orphan"]) };
    expect(severityOf(orphan, rules)).toBe("blocking");
    const other: ParityRules = { ...DEFAULT_PARITY_RULES, explicitSeverities: new Set(["note_mismatch"]) };
    expect(severityOf(orphan, other)).toBe("info");
    expect(severityOf(orphan, { ...DEFAULT_PARITY_RULES, explicitSeverities: undefined })).toBe("info");
  });
});
