import { addDays } from "../../../src/domain/calendar.js";
import type { FindingRecord, HtmlReportInput, RunRecord, TimeInfoRow } from "../../../src/report/html/html-report-input.js";
import type { EntryOutcome } from "../../../src/parity/user-parity.js";

export const SAMPLE_RUN_ID = "20260302T060000Z-0001";
export const SAMPLE_WEEKS = 8;
export const SAMPLE_FIRST_MONDAY = "2026-01-05";
export const SAMPLE_USERS = [101, 102, 103, 104] as const;
export const SCRIPT_NOTE = `Sprint planning <script>window.__pwned = true</script> & "review"`;

/** Week-by-week figures; user 102's Kleer flex counts a half hour more each week (a drift). */
function sampleTimeInfo(): TimeInfoRow[] {
  const out: TimeInfoRow[] = [];
  SAMPLE_USERS.forEach((userKey, u) => {
    let balance = [12.5, -3.25, 0, 40][u]!;
    for (let w = 0; w < SAMPLE_WEEKS; w += 1) {
      const periodStart = addDays(SAMPLE_FIRST_MONDAY, 7 * w);
      const scheduled = userKey === 104 ? 32 : 40;
      const absence = w === 3 && userKey !== 103 ? 8 : 0;
      const worked = scheduled - absence + [1.5, -0.5, 0.25, 2][(w + u) % 4]!;
      const legacyFlex = worked + absence - scheduled;
      balance += legacyFlex;
      const kleerWorked = userKey === 101 && w === 5 ? worked - 2 : worked;
      const kleerAbsence = absence + (userKey === 102 ? 0.5 : 0);
      out.push({
        userKey,
        periodStart,
        periodEnd: addDays(periodStart, 6),
        legacyWorked: worked,
        legacyScheduled: scheduled,
        legacyAbsence: absence,
        legacyCovered: worked + absence,
        legacyRemaining: Math.max(0, scheduled - worked - absence),
        legacyFlexPeriod: legacyFlex,
        legacyFlexBalance: balance,
        kleerWorked,
        kleerScheduled: scheduled,
        kleerAbsence,
        kleerCovered: kleerWorked + kleerAbsence,
        kleerRemaining: Math.max(0, scheduled - kleerWorked - kleerAbsence),
        kleerFlexPeriod: userKey === 104 && w === 6 ? null : kleerWorked + kleerAbsence - scheduled,
      });
    }
  });
  return out;
}

function sampleEntries(): HtmlReportInput["entries"] {
  const out: Array<HtmlReportInput["entries"][number]> = [];
  SAMPLE_USERS.forEach((userKey, u) => {
    for (let i = 0; i < 5 * SAMPLE_WEEKS; i += 1) {
      const date = addDays(SAMPLE_FIRST_MONDAY, Math.floor(i / 5) * 7 + (i % 5));
      let outcome: EntryOutcome = "match";
      if (userKey === 101 && (i === 7 || i === 22)) outcome = "mismatch";
      if (userKey === 102 && (i === 3 || i === 4)) outcome = "mismatch";
      if (userKey === 103 && i === 11) outcome = "missing_in_kleer";
      if (userKey === 103 && i === 30) outcome = "extra_in_kleer";
      if (userKey === 104 && i === 2) outcome = "unmapped";
      const legacyId = outcome === "extra_in_kleer" ? null : `4000000000001${u}${String(i).padStart(4, "0")}`;
      const kleerId = outcome === "missing_in_kleer" || outcome === "unmapped" ? null : String(7001000 + u * 100 + i);
      out.push({ userKey, date, legacyId, kleerId, outcome, evidence: outcome === "match" ? "foreign_id" : null, legacyHours: 8, kleerHours: 8 });
    }
  });
  return out;
}

let findingId = 0;
export function buildFinding(partial: Partial<FindingRecord> & Pick<FindingRecord, "kind" | "severity" | "message">): FindingRecord {
  findingId += 1;
  return {
    id: findingId,
    userKey: null,
    date: null,
    legacyId: null,
    kleerId: null,
    field: null,
    legacyValue: null,
    kleerValue: null,
    details: null,
    suppressed: false,
    suppressionReason: null,
    causedBy: null,
    ...partial,
  };
}

function sampleFindings(timeInfo: readonly TimeInfoRow[]): FindingRecord[] {
  const lastBalance = (userKey: number): string => String(timeInfo.filter((t) => t.userKey === userKey).at(-1)!.legacyFlexBalance);
  const lastWeek = addDays(SAMPLE_FIRST_MONDAY, 7 * (SAMPLE_WEEKS - 1));
  return [
    buildFinding({ kind: "hours_mismatch", severity: "blocking", userKey: 101, date: "2026-01-13", legacyId: "40000000000010007", kleerId: "7001007", field: "hours", legacyValue: "7.5", kleerValue: "7", message: "30 min less in Kleer" }),
    buildFinding({ kind: "note_mismatch", severity: "warning", userKey: 101, date: "2026-02-03", legacyId: "40000000000010022", kleerId: "7001022", field: "note", legacyValue: SCRIPT_NOTE, kleerValue: "Sprint planning and review", message: "Notes differ" }),
    buildFinding({ kind: "timeinfo_worked_mismatch", severity: "warning", userKey: 101, date: "2026-02-09", field: "worked", legacyValue: "41.5", kleerValue: "39.5", message: "Worked hours differ by 2 h" }),
    buildFinding({ kind: "editability_regression", severity: "blocking", userKey: 102, date: "2026-01-08", legacyId: "40000000000011003", kleerId: "7001103", field: "lock", legacyValue: "month", kleerValue: "open", message: "Attested for the month in Milltime, open in Kleer" }),
    buildFinding({ kind: "editability_regression", severity: "blocking", userKey: 102, date: "2026-01-09", legacyId: "40000000000011004", kleerId: "7001104", field: "lock", legacyValue: "week", kleerValue: "open", message: "Attested for the week in Milltime, open in Kleer" }),
    buildFinding({ kind: "flex_period_mismatch", severity: "info", userKey: 102, date: "2026-01-05", field: "flex_period", legacyValue: "-0.5", kleerValue: "0", message: "Period flex differs" }),
    buildFinding({ kind: "editability_change", severity: "warning", userKey: 104, date: "2026-02-20", legacyId: "40000000000013030", kleerId: "7001330", field: "lock", legacyValue: "none", kleerValue: "approved", message: "Editable in Milltime, approved in Kleer", suppressed: true, suppressionReason: "Payroll closed February in Kleer first (agreed with HR)" }),
    buildFinding({ kind: "missing_in_kleer", severity: "blocking", userKey: 103, date: "2026-01-14", legacyId: "40000000000012011", message: "No Kleer event for this Milltime registration" }),
    buildFinding({ kind: "extra_in_kleer", severity: "blocking", userKey: 103, date: "2026-02-16", kleerId: "7001230", message: "Kleer event without a Milltime registration" }),
    buildFinding({ kind: "source_error", severity: "blocking", userKey: 104, date: SAMPLE_FIRST_MONDAY, field: "history", message: "history: timer history unreachable" }),
    ...SAMPLE_USERS.map((userKey) =>
      buildFinding({
        kind: "flex_balance_unavailable",
        severity: "info",
        userKey,
        date: lastWeek,
        field: "flex_balance",
        legacyValue: lastBalance(userKey),
        message: "Milltime flex balance has no Kleer equivalent: carry it over as the opening balance",
        details: { periodEnd: addDays(lastWeek, 6) },
      }),
    ),
  ];
}

export function sampleRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: SAMPLE_RUN_ID,
    command: "compare",
    status: "completed",
    startedAt: "2026-03-02T06:00:00.000Z",
    finishedAt: "2026-03-02T06:04:12.000Z",
    fromDate: SAMPLE_FIRST_MONDAY,
    toDate: addDays(SAMPLE_FIRST_MONDAY, 7 * SAMPLE_WEEKS - 1),
    period: "week",
    options: { period: "week", concurrency: 4, kleer: { baseUrl: "https://api.kleer.se/v1", token: "kleer-secret-token-123", companyId: 42 } },
    toolVersion: "0.1.0",
    errorMessage: null,
    summary: null,
    ...overrides,
  };
}

/** A hand-built run (for the pure model and renderer tests): four users, eight weeks, findings of many kinds. */
export function buildSampleInput(): HtmlReportInput {
  const timeInfo = sampleTimeInfo();
  return {
    run: sampleRun(),
    otherRuns: [],
    users: [],
    entries: sampleEntries(),
    findings: sampleFindings(timeInfo),
    timeInfo,
    requests: [
      { system: "kleer", requests: 24, failed: 1, attempts: 26, totalDurationMs: 1250 },
      { system: "milltime", requests: 16, failed: 0, attempts: 16, totalDurationMs: 2040 },
    ],
    suppressions: [
      {
        kind: "editability_change",
        userKey: 104,
        fromDate: "2026-02-01",
        toDate: "2026-02-28",
        legacyId: null,
        kleerId: null,
        reason: "Payroll closed February in Kleer first (agreed with HR)",
        matchedFindings: 1,
      },
    ],
  };
}
