import { describe, expect, it } from "vitest";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import type { UserParityInput } from "../../src/parity/user-parity.js";
import { DEFAULT_PARITY_RULES, type ParityRules } from "../../src/parity/parity-rules.js";
import { DEFAULT_SEVERITIES, FINDING_KINDS, FINDING_KIND_MEANINGS, type FindingKind, type Severity } from "../../src/parity/finding-kinds.js";
import { buildHistoryLink, buildKleerEntry, buildKleerTwin, buildLegacyEntry, buildSkippedEntry, buildTimeInfo, buildUserLink, buildWeeklyStats, IDS } from "../builders.js";
import { cleanKleer, cleanLegacy, kindsOf, runUser } from "./parity-fixture.js";

const L1 = "400000000000000001";
const L2 = "400000000000000002";
const L3 = "400000000000000003";

/** The clean Kleer listing with one event replaced (by legacy id). */
function kleerWith(legacyId: string, change: (twin: TimeEntry) => TimeEntry | null, extra: TimeEntry[] = []): Partial<UserParityInput> {
  const legacy = cleanLegacy();
  const entries = legacy.flatMap((e) => {
    const twin = buildKleerTwin(e);
    if (e.registrationId !== legacyId) return [twin];
    const changed = change(twin);
    return changed ? [changed] : [];
  });
  return { kleerListing: { entries: [...entries, ...extra], skipped: [] } };
}

function statsWith(change: Partial<ReturnType<typeof buildWeeklyStats>>): Partial<UserParityInput> {
  return { kleerStats: [{ ...buildWeeklyStats(), ...change }] };
}

/** A team that knows its workflow: week → certified, month → approved (the old default). */
const WORKFLOW_RULES = { ...DEFAULT_PARITY_RULES, statusCorrespondence: { week: ["certified"], month: ["approved"] } } as const;

interface KindCase {
  kind: FindingKind;
  input: () => Partial<UserParityInput>;
  /** @default DEFAULT_PARITY_RULES */
  rules?: ParityRules;
  /** @default the kind's default severity */
  severity?: Severity;
  /** Fields the single finding of `kind` must carry. */
  expect?: Partial<{ legacyId: string | null; kleerId: string | null; date: string | null; field: string | null; legacyValue: string | null; kleerValue: string | null }>;
}

const cases: KindCase[] = [
  { kind: "missing_in_kleer", input: () => kleerWith(L1, () => null), expect: { legacyId: L1, kleerId: null, date: "2026-05-12" } },
  {
    kind: "extra_in_kleer",
    input: () => kleerWith(L1, (t) => t, [buildKleerEntry({ registrationId: "7100000", date: "2026-05-15", hours: 0.5, note: "Extra meeting", projectId: "902", activityId: "22428" })]),
    expect: { legacyId: null, kleerId: "7100000", date: "2026-05-15" },
  },
  {
    kind: "duplicate_in_kleer",
    input: () => kleerWith(L1, (t) => t, [buildKleerTwin(cleanLegacy()[0] as TimeEntry, { registrationId: "7100001" })]),
    expect: { legacyId: L1, kleerId: "7100001" },
  },
  { kind: "date_mismatch", input: () => kleerWith(L1, (t) => ({ ...t, date: "2026-05-11" })), expect: { legacyValue: "2026-05-12", kleerValue: "2026-05-11", date: "2026-05-12" } },
  { kind: "hours_mismatch", input: () => kleerWith(L1, (t) => ({ ...t, hours: 2.5 })), expect: { legacyValue: "2.25", kleerValue: "2.5", kleerId: "7000001" } },
  { kind: "project_mismatch", input: () => kleerWith(L1, (t) => ({ ...t, projectId: "902" })), expect: { legacyValue: "901", kleerValue: "902" } },
  { kind: "activity_mismatch", input: () => kleerWith(L1, (t) => ({ ...t, activityId: "22428" })), expect: { legacyValue: "22427", kleerValue: "22428" } },
  { kind: "note_mismatch", input: () => kleerWith(L1, (t) => ({ ...t, note: "Sprint planning (changed)" })), expect: { legacyValue: "Sprint planning", kleerValue: "Sprint planning (changed)" } },
  {
    kind: "status_mismatch",
    input: () => kleerWith(L3, (t) => ({ ...t, lock: { kind: "status", status: "certified" } })),
    rules: WORKFLOW_RULES,
    expect: { legacyValue: "month", kleerValue: "certified" },
  },
  { kind: "editability_regression", input: () => kleerWith(L2, (t) => ({ ...t, lock: { kind: "status", status: "open" } })), expect: { legacyValue: "week", kleerValue: "open" } },
  { kind: "editability_change", input: () => kleerWith(L1, (t) => ({ ...t, lock: { kind: "status", status: "approved" } })), expect: { legacyValue: "none", kleerValue: "approved" } },
  {
    kind: "unmapped_user",
    input: () => ({ user: buildUserLink({ kleerUserId: undefined }), kleerListing: null, kleerStats: null }),
    expect: { date: "2026-05-11", legacyValue: "201" },
  },
  {
    kind: "unmapped_project",
    input: () => {
      const legacy = cleanLegacy().map((e) => (e.registrationId === L1 ? { ...e, projectId: IDS.milltimeProject.unmapped } : e));
      return { legacyEntries: legacy, kleerListing: { entries: cleanKleer(), skipped: [] } };
    },
    expect: { legacyId: L1, legacyValue: IDS.milltimeProject.unmapped },
  },
  {
    kind: "unmapped_activity",
    input: () => {
      const legacy = cleanLegacy().map((e) => (e.registrationId === L1 ? { ...e, activityId: IDS.milltimeActivity.unmapped } : e));
      return { legacyEntries: legacy, kleerListing: { entries: cleanKleer(), skipped: [] } };
    },
    expect: { legacyId: L1, legacyValue: IDS.milltimeActivity.unmapped },
  },
  { kind: "projectless_event", input: () => ({ kleerListing: { entries: cleanKleer(), skipped: [buildSkippedEntry({ registrationId: "7200000" })] } }), expect: { kleerId: "7200000", legacyId: null } },
  {
    kind: "unlisted_event",
    input: () => ({ kleerListing: { entries: cleanKleer(), skipped: [buildSkippedEntry({ registrationId: "7200001", reason: "unknown_project", projectId: "999" })] } }),
    expect: { kleerId: "7200001", kleerValue: "999", field: "project" },
  },
  {
    kind: "link_orphan",
    input: () => ({ historyLinks: [buildHistoryLink({ registrationId: "400000000000099999" })] }),
    severity: "info",
    expect: { legacyId: "400000000000099999", date: "2026-05-12" },
  },
  { kind: "link_duration_mismatch", input: () => ({ historyLinks: [buildHistoryLink({ registrationId: L1, minutes: 165 })] }), expect: { legacyId: L1, legacyValue: "2.25", field: "duration" } },
  { kind: "timeinfo_worked_mismatch", input: () => statsWith({ workedHours: 39 }), expect: { date: "2026-05-11", legacyValue: "40", kleerValue: "39", field: "worked" } },
  { kind: "timeinfo_scheduled_mismatch", input: () => statsWith({ scheduledHours: 32 }), expect: { legacyValue: "40", kleerValue: "32" } },
  { kind: "timeinfo_absence_mismatch", input: () => statsWith({ absenceHours: 8 }), expect: { legacyValue: "0", kleerValue: "8" } },
  { kind: "timeinfo_covered_mismatch", input: () => statsWith({ coveredHours: 48 }), expect: { legacyValue: "40", kleerValue: "48" } },
  { kind: "timeinfo_remaining_mismatch", input: () => statsWith({ remainingHours: 4 }), expect: { legacyValue: "0", kleerValue: "4" } },
  { kind: "flex_period_mismatch", input: () => statsWith({ periodFlexHours: -1 }), expect: { legacyValue: "0", kleerValue: "-1" } },
  {
    kind: "history_row_invalid",
    input: () => ({ historyProblems: [{ rowId: "17", line: 18, tokiUserId: 1, reason: "end_time 2026-05-12T06:45:00.000Z is before start_time 2026-05-12T07:00:00.000Z" }] }),
    expect: { field: "history_row", legacyValue: "17", date: null, legacyId: null },
  },
  {
    kind: "source_error",
    input: () => ({ kleerListing: null, kleerStats: null, failures: [{ system: "kleer", message: "AUTH_FAILED: integration token is invalid or expired" }] }),
    expect: { field: "kleer", date: "2026-05-11" },
  },
  {
    kind: "toki_decode_error",
    input: () => ({
      tokiDecodeReplies: [
        {
          endpoint: "GET /company/{companyId}/event?userId={userId}&startDate={startDate}&endDate={endDate}",
          scope: "user",
          requestRange: { from: "2026-05-01", to: "2026-05-31" },
          tokiRequests: ["GET /time-tracking/time-entries", "GET /time-tracking/time-info"],
          violations: [
            // Two rows of one reply with the same bad field: one finding. A row outside the range is not this run's.
            { path: "event-readables[0].status.type", field: "event-readables[].status.type", expected: "OPEN, APPROVED, CERTIFIED", value: '"Open"', mirrors: "kleer/src/types.rs:164-170", rowDate: "2026-05-03", rowId: "7000009" },
            { path: "event-readables[1].status.type", field: "event-readables[].status.type", expected: "OPEN, APPROVED, CERTIFIED", value: '"Open"', mirrors: "kleer/src/types.rs:164-170", rowDate: "2026-05-12", rowId: "7000001" },
            { path: "event-readables[2].status.type", field: "event-readables[].status.type", expected: "OPEN, APPROVED, CERTIFIED", value: '"Open"', mirrors: "kleer/src/types.rs:164-170", rowDate: "2026-05-13", rowId: "7000002" },
          ],
        },
      ],
    }),
    expect: { field: "event-readables[].status.type", kleerValue: '"Open"', kleerId: "7000001", date: "2026-05-12" },
  },
];

describe("finding kinds", () => {
  it("a clean migration yields no findings except the informational flex balance", () => {
    const result = runUser();
    expect(result.findings.map((f) => f.kind)).toEqual(["flex_balance_unavailable"]);
    expect(result.findings[0]).toMatchObject({ severity: "info", date: "2026-05-11", legacyValue: "3.5", kleerValue: null });
    expect(result.entries.map((e) => e.outcome)).toEqual(["match", "match", "match"]);
    expect(result.counts).toMatchObject({ legacyEntries: 3, compared: 3, matches: 3, kleerEvents: 3 });
    expect(result.flexBalance).toBe(3.5);
  });

  it.each(cases)("$kind is reported once, alone", ({ kind, input, rules, severity, expect: fields }) => {
    const result = runUser(input(), rules);
    expect(kindsOf(result)).toEqual([kind]);
    const finding = result.findings.find((f) => f.kind === kind);
    expect(finding).toMatchObject({ userKey: 1, severity: severity ?? DEFAULT_SEVERITIES[kind], suppressed: false, causedBy: null, ...fields });
    expect(finding?.message.length).toBeGreaterThan(10);
  });

  it("flex_balance_unavailable is absent when the legacy TimeInfo was not read", () => {
    const result = runUser({ legacyTimeInfo: null });
    expect(result.findings).toEqual([]);
    expect(result.flexBalance).toBeNull();
  });

  it("covers every kind of the vocabulary, each with a meaning and a default severity", () => {
    // flex_drift sums periods (never alone with one period's difference): test/parity/flex-drift.test.ts.
    const covered = new Set<FindingKind>([...cases.map((c) => c.kind), "flex_balance_unavailable", "flex_drift"]);
    expect([...FINDING_KINDS].filter((k) => !covered.has(k))).toEqual([]);
    for (const kind of FINDING_KINDS) {
      expect(FINDING_KIND_MEANINGS[kind].length).toBeGreaterThan(10);
      expect(DEFAULT_SEVERITIES[kind]).toMatch(/^(blocking|warning|info)$/);
    }
  });
});

describe("absence of findings at the edges", () => {
  const absent: Array<{ name: string; input: () => Partial<UserParityInput> }> = [
    { name: "hours differ by exactly half a minute", input: () => kleerWith(L1, (t) => ({ ...t, hours: 2.25 + 0.5 / 60 })) },
    { name: "Kleer note null for an empty legacy note", input: () => kleerWith(L2, (t) => ({ ...t, note: null })) },
    { name: "Kleer placeholder `missing note` for an empty legacy note", input: () => kleerWith(L2, (t) => ({ ...t, note: "missing note" })) },
    { name: "surrounding whitespace in notes", input: () => kleerWith(L3, (t) => ({ ...t, note: "Code review\n" })) },
    {
      name: "a legacy note literally `missing note`",
      input: () => {
        const legacy = cleanLegacy().map((e) => (e.registrationId === L1 ? { ...e, note: "missing note" } : e));
        return { legacyEntries: legacy, kleerListing: { entries: cleanKleer(legacy), skipped: [] } };
      },
    },
    { name: "TimeInfo within one minute", input: () => statsWith({ workedHours: 40 + 0.9 / 60, coveredHours: 40 + 0.9 / 60 }) },
    {
      name: "negative PeriodTimeLeft against Kleer's clamped remaining",
      input: () => ({ legacyTimeInfo: [buildTimeInfo({ worked: 42 })], kleerStats: [buildWeeklyStats({ worked: 42 })] }),
    },
    { name: "a timer save's one-minute bonus on the link", input: () => ({ historyLinks: [buildHistoryLink({ registrationId: L1, minutes: 135 - 59 / 60 })] }) },
    { name: "a manual create's truncated seconds on the link", input: () => ({ historyLinks: [buildHistoryLink({ registrationId: L1, minutes: 135 + 50 / 60 })] }) },
    {
      name: "a link already relinked to its Kleer event",
      input: () => ({ historyLinks: [buildHistoryLink({ registrationId: "7000001" })], relinks: new Map([[L1, "7000001"]]) }),
    },
    { name: "a link outside the range", input: () => ({ historyLinks: [buildHistoryLink({ registrationId: "400000000000099999", startTime: "2026-04-01T07:00:00.000Z" })] }) },
    {
      name: "a migrated event without foreign id, matched by content",
      input: () => kleerWith(L1, (t) => ({ ...t, foreignId: "manual-import-000001" })),
    },
  ];

  it.each(absent)("$name", ({ input }) => {
    expect(kindsOf(runUser(input()))).toEqual([]);
  });

  it("accepts both statuses for an attest level when the rules allow it", () => {
    const input = kleerWith(L3, (t) => ({ ...t, lock: { kind: "status", status: "certified" } }));
    expect(kindsOf(runUser(input, WORKFLOW_RULES))).toEqual(["status_mismatch"]);
    const rules = { ...DEFAULT_PARITY_RULES, statusCorrespondence: { week: ["certified"], month: ["approved", "certified"] } as const };
    expect(kindsOf(runUser(input, rules))).toEqual([]);
  });

  // Toki maps Kleer's statuses 1:1 (toki-api/src/adapters/outbound/kleer/conversions.rs:27-31) and
  // treats every status but open as locked (time-entries-list.tsx:363): by default any locked
  // status corresponds to any lock.
  it.each([
    { legacyId: L2, attestLevel: "week", status: "approved" },
    { legacyId: L2, attestLevel: "week", status: "certified" },
    { legacyId: L3, attestLevel: "month", status: "approved" },
    { legacyId: L3, attestLevel: "month", status: "certified" },
  ] as const)("the default rules accept $status for attest level $attestLevel", ({ legacyId, status }) => {
    const input = kleerWith(legacyId, (t) => ({ ...t, lock: { kind: "status", status } }));
    expect(kindsOf(runUser(input))).toEqual([]);
    expect(runUser(input).entries.find((e) => e.legacyId === legacyId)?.outcome).toBe("match");
  });
});

describe("lock state rules", () => {
  it("reports only editability, not also status, when editability differs", () => {
    const result = runUser(kleerWith(L3, (t) => ({ ...t, lock: { kind: "status", status: "open" } })));
    expect(kindsOf(result)).toEqual(["editability_regression"]);
  });

  it("reports a month-approved entry that arrived certified as a status mismatch (warning) when the rules say month → approved", () => {
    const result = runUser(kleerWith(L3, (t) => ({ ...t, lock: { kind: "status", status: "certified" } })), WORKFLOW_RULES);
    expect(result.findings.find((f) => f.kind === "status_mismatch")?.severity).toBe("warning");
    expect(result.entries.find((e) => e.legacyId === L3)?.outcome).toBe("mismatch");
  });
});

describe("scope and outcomes", () => {
  it("pairs a date-shifted event before the range by foreign id, and ignores pairs of entries outside it", () => {
    const inRange = buildLegacyEntry({ registrationId: "400000000000000010", date: "2026-05-11", hours: 1 });
    const before = buildLegacyEntry({ registrationId: "400000000000000011", date: "2026-05-10", hours: 1 });
    const legacy = [...cleanLegacy(), inRange, before];
    const kleer = [...cleanKleer(), buildKleerTwin(inRange, { date: "2026-05-10" }), buildKleerTwin(before, { date: "2026-05-09" })];
    const result = runUser({ legacyEntries: legacy, kleerListing: { entries: kleer, skipped: [] } });
    expect(kindsOf(result)).toEqual(["date_mismatch"]);
    expect(result.findings.find((f) => f.kind === "date_mismatch")?.message).toContain("one day earlier");
    expect(result.entries.map((e) => e.legacyId)).not.toContain(before.registrationId);
    expect(result.counts.legacyEntries).toBe(4);
  });

  it("marks the legacy entries of a user whose Kleer side failed as skipped, outside the match rate", () => {
    const result = runUser({ kleerListing: null, kleerStats: null, failures: [{ system: "kleer", message: "PROVIDER_ERROR: Kleer returned 503" }] });
    expect(result.status).toBe("source_error");
    expect(result.entries.map((e) => e.outcome)).toEqual(["skipped", "skipped", "skipped"]);
    expect(result.counts).toMatchObject({ legacyEntries: 3, compared: 0, skipped: 3 });
  });

  it("still compares entries when only the timer history failed", () => {
    const result = runUser({ historyLinks: null, failures: [{ system: "history", message: "UNREACHABLE: connection refused" }] });
    expect(kindsOf(result)).toEqual(["source_error"]);
    expect(result.counts.matches).toBe(3);
  });

  it("names the skipped Kleer event in the missing finding of the registration it was migrated to", () => {
    const legacy = cleanLegacy();
    const entries = cleanKleer().filter((e) => e.foreignId !== `milltime:${L1}`);
    const skipped = [buildSkippedEntry({ registrationId: "7000001", date: "2026-05-12", hours: 2.25, foreignId: `milltime:${L1}` })];
    const result = runUser({ legacyEntries: legacy, kleerListing: { entries, skipped } });
    expect(kindsOf(result)).toEqual(["missing_in_kleer", "projectless_event"]);
    expect(result.findings.find((f) => f.kind === "missing_in_kleer")).toMatchObject({ legacyId: L1, kleerId: "7000001" });
    expect(result.findings.find((f) => f.kind === "projectless_event")).toMatchObject({ legacyId: L1, kleerId: "7000001" });
  });

  it("records an extra event whose foreign id names a registration the user does not have", () => {
    const stray = buildKleerEntry({ registrationId: "7300000", foreignId: "milltime:400000000000077777", date: "2026-05-15" });
    const result = runUser({ kleerListing: { entries: [...cleanKleer(), stray], skipped: [] } });
    expect(kindsOf(result)).toEqual(["extra_in_kleer"]);
    expect(result.findings.find((f) => f.kind === "extra_in_kleer")?.legacyId).toBe("400000000000077777");
  });
});
