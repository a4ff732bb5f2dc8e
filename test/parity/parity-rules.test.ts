import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { DEFAULT_SEVERITIES } from "../../src/parity/finding-kinds.js";
import { DEFAULT_PARITY_RULES } from "../../src/parity/parity-rules.js";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { buildKleerTwin } from "../builders.js";
import { cleanKleer, cleanLegacy, runUser } from "./parity-fixture.js";

function issuesOf(input: unknown): string[] {
  try {
    parseParityRules(input, "rules.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe("rules.json is not valid");
    return (error as ConfigError).issues;
  }
  throw new Error("expected a ConfigError");
}

describe("parseParityRules", () => {
  it("gives the defaults for an empty file", () => {
    expect(parseParityRules({})).toEqual(DEFAULT_PARITY_RULES);
  });

  it("defaults the status correspondence to any locked status for any lock", () => {
    expect(parseParityRules({}).statusCorrespondence).toEqual({ week: ["approved", "certified"], month: ["approved", "certified"] });
    expect(parseParityRules({ status_correspondence: { week: "certified" } }).statusCorrespondence).toEqual({ week: ["certified"], month: ["approved", "certified"] });
  });

  it("normalises minutes to hours, single statuses to lists and suppressions to camelCase", () => {
    const rules = parseParityRules({
      version: 1,
      period: "month",
      severities: { note_mismatch: "info", status_mismatch: "blocking" },
      tolerances: { entry_minutes: 1, timeinfo_minutes: 6, link_minutes: 3 },
      status_correspondence: { week: "certified", month: ["approved", "certified"] },
      suppressions: [
        { kind: "hours_mismatch", user_key: 12, from: "2026-05-01", to: "2026-05-31", reason: "Rounded by payroll in May" },
        { kind: "extra_in_kleer", kleer_id: 7001234, reason: "Created in Kleer after the cutover" },
      ],
    });
    expect(rules.period).toBe("month");
    expect(rules.severities).toEqual({ ...DEFAULT_SEVERITIES, note_mismatch: "info", status_mismatch: "blocking" });
    expect([...(rules.explicitSeverities ?? [])].sort()).toEqual(["note_mismatch", "status_mismatch"]);
    expect(rules.tolerances.entryHours).toBeCloseTo(1 / 60, 12);
    expect(rules.tolerances.timeInfoHours).toBeCloseTo(0.1, 12);
    expect(rules.tolerances.linkHours).toBeCloseTo(0.05, 12);
    expect(rules.statusCorrespondence).toEqual({ week: ["certified"], month: ["approved", "certified"] });
    expect(rules.suppressions).toEqual([
      { kind: "hours_mismatch", userKey: 12, from: "2026-05-01", to: "2026-05-31", legacyId: undefined, kleerId: undefined, reason: "Rounded by payroll in May" },
      { kind: "extra_in_kleer", userKey: undefined, from: undefined, to: undefined, legacyId: undefined, kleerId: "7001234", reason: "Created in Kleer after the cutover" },
    ]);
  });

  it.each([
    { name: "lowers the severity of source_error", file: { severities: { source_error: "warning" } }, issue: 'severities.source_error: "warning" is refused' },
    { name: "makes source_error info", file: { severities: { source_error: "info" } }, issue: 'severities.source_error: "info" is refused' },
    { name: "suppresses source_error", file: { suppressions: [{ kind: "note_mismatch", reason: "ok" }, { kind: "source_error", user_key: 9, reason: "password rotated" }] }, issue: "suppressions[1]: a source_error cannot be suppressed" },
  ])("refuses a rules file that $name", ({ file, issue }) => {
    let error: unknown;
    try {
      parseParityRules(file, "rules file r.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe("rules file r.json silences source errors");
    expect((error as ConfigError).issues.join("\n")).toContain(issue);
  });

  it("accepts a rules file that keeps source_error blocking", () => {
    expect(parseParityRules({ severities: { source_error: "blocking" } }).severities.source_error).toBe("blocking");
  });

  it("names every bad key", () => {
    const issues = issuesOf({
      severities: { note_mismatch: "fatal", nonsense_kind: "info" },
      tolerances: { entry_minutes: "1", extra: 2 },
      status_correspondence: { week: "open" },
      suppressions: [{ kind: "hours_mismatch", reason: "  " }, { kind: "renamed_kind", from: "2026-02-30", reason: "x" }],
      tolerence: 1,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^severities\.note_mismatch: expected one of blocking, warning, info/),
        'severities: unknown key "nonsense_kind" (not a finding kind)',
        expect.stringMatching(/^tolerances\.entry_minutes: .*expected number/),
        'tolerances: unknown key "extra"',
        'status_correspondence.week[0]: expected "approved" or "certified"',
        "suppressions[0].reason: a suppression needs a non-empty reason",
        expect.stringMatching(/^suppressions\[1\]\.kind: expected one of the finding kinds/),
        "suppressions[1].from: expected a real date in YYYY-MM-DD form",
        '(root): unknown key "tolerence" (did you mean "tolerances"?)',
      ]),
    );
  });

  it("names the key a misspelt one was probably meant to be", () => {
    expect(
      issuesOf({
        severities: { note_mismatc: "info" },
        tolerances: { entry_minute: 5 },
        suppressions: [{ kind: "note_mismatch", reason: "accepted", user_kee: 3 }],
        flex_drift: { users: { "7": { warning_hour: 2 } } },
        Period: "week",
      }),
    ).toEqual(
      expect.arrayContaining([
        'severities: unknown key "note_mismatc" (did you mean "note_mismatch"?) (not a finding kind)',
        'tolerances: unknown key "entry_minute" (did you mean "entry_minutes"?)',
        'suppressions[0]: unknown key "user_kee" (did you mean "user_key"?)',
        'flex_drift.users.7: unknown key "warning_hour" (did you mean "warning_hours"?)',
        '(root): unknown key "Period" (did you mean "period"?)',
      ]),
    );
  });

  it("requires a reason on every suppression", () => {
    expect(issuesOf({ suppressions: [{ kind: "note_mismatch" }] })).toEqual([expect.stringMatching(/^suppressions\[0\]\.reason: /)]);
  });
});

describe("rules applied to a comparison", () => {
  const hoursOff = () => {
    const legacy = cleanLegacy();
    const entries = cleanKleer().map((e) => (e.registrationId === "7000001" ? { ...e, hours: 2.3 } : e));
    return { legacyEntries: legacy, kleerListing: { entries, skipped: [] } };
  };

  it("changes a kind's severity", () => {
    const rules = parseParityRules({ severities: { hours_mismatch: "warning" } });
    expect(runUser(hoursOff(), rules).findings.find((f) => f.kind === "hours_mismatch")?.severity).toBe("warning");
  });

  it("widens the entry tolerance", () => {
    expect(runUser(hoursOff(), parseParityRules({ tolerances: { entry_minutes: 3.5 } })).findings.map((f) => f.kind)).toEqual(["flex_balance_unavailable"]);
  });

  it("keeps a suppressed finding, marked with its reason, and counts the pair as a match", () => {
    const rules = parseParityRules({ suppressions: [{ kind: "hours_mismatch", user_key: 1, from: "2026-05-12", to: "2026-05-12", reason: "Known rounding" }] });
    const result = runUser(hoursOff(), rules);
    expect(result.findings.find((f) => f.kind === "hours_mismatch")).toMatchObject({ suppressed: true, suppressionReason: "Known rounding", severity: "blocking" });
    expect(result.entries.find((e) => e.kleerId === "7000001")?.outcome).toBe("match");
  });

  it("does not suppress when a given criterion differs", () => {
    for (const suppression of [
      { kind: "hours_mismatch", user_key: 2, reason: "other user" },
      { kind: "hours_mismatch", from: "2026-05-13", reason: "later" },
      { kind: "hours_mismatch", legacy_id: "400000000000000002", reason: "other entry" },
      { kind: "hours_mismatch", kleer_id: "7000002", reason: "other event" },
      { kind: "note_mismatch", reason: "other kind" },
    ]) {
      const result = runUser(hoursOff(), parseParityRules({ suppressions: [suppression] }));
      expect(result.findings.find((f) => f.kind === "hours_mismatch")?.suppressed).toBe(false);
    }
  });

  it("matches a suppression by Kleer id", () => {
    const legacy = cleanLegacy();
    const l = legacy[0] as TimeEntry;
    const entries = [...cleanKleer(), buildKleerTwin(l, { registrationId: "7100001" })];
    const rules = parseParityRules({ suppressions: [{ kind: "duplicate_in_kleer", kleer_id: 7100001, reason: "Deleted in Kleer on Monday" }] });
    const result = runUser({ legacyEntries: legacy, kleerListing: { entries, skipped: [] } }, rules);
    expect(result.findings.find((f) => f.kind === "duplicate_in_kleer")).toMatchObject({ suppressed: true, suppressionReason: "Deleted in Kleer on Monday" });
  });
});
