import Database from "better-sqlite3";
import { addDays } from "../../../src/domain/calendar.js";
import type {
  EntryOutcome,
  HtmlReportInput,
  ReportEntryRecord,
  ReportFindingRecord,
  ReportRequestRecord,
  ReportTimeInfoRecord,
} from "../../../src/report/html/html-report-input.js";

export const SAMPLE_RUN_ID = "run-2026-03-02-parity";
export const SAMPLE_WEEKS = 8;
export const SAMPLE_FIRST_MONDAY = "2026-01-05";
export const SAMPLE_USERS = ["101", "102", "103", "104"] as const;
export const SCRIPT_NOTE = `Sprint planning <script>window.__pwned = true</script> & "review"`;

/** Week-by-week figures; user 102's Kleer flex counts a half hour more each week (a drift). */
function sampleTimeInfo(): ReportTimeInfoRecord[] {
  const out: ReportTimeInfoRecord[] = [];
  SAMPLE_USERS.forEach((userKey, u) => {
    let balance = [12.5, -3.25, 0, 40][u]!;
    for (let w = 0; w < SAMPLE_WEEKS; w += 1) {
      const periodStart = addDays(SAMPLE_FIRST_MONDAY, 7 * w);
      const scheduled = userKey === "104" ? 32 : 40;
      const absence = w === 3 && userKey !== "103" ? 8 : 0;
      const worked = scheduled - absence + [1.5, -0.5, 0.25, 2][(w + u) % 4]!;
      const legacyFlex = worked + absence - scheduled;
      balance += legacyFlex;
      const kleerDrift = userKey === "102" ? 0.5 : userKey === "101" && w === 5 ? -2 : 0;
      out.push({
        userKey,
        periodStart,
        periodEnd: addDays(periodStart, 6),
        legacyWorked: worked,
        legacyScheduled: scheduled,
        legacyAbsence: absence,
        legacyFlexPeriod: legacyFlex,
        legacyFlexBalance: balance,
        kleerWorked: userKey === "101" && w === 5 ? worked - 2 : worked,
        kleerScheduled: scheduled,
        kleerAbsence: absence + (userKey === "102" ? 0.5 : 0),
        kleerFlexPeriod: userKey === "104" && w === 6 ? null : legacyFlex + kleerDrift,
      });
    }
  });
  return out;
}

function sampleEntries(): ReportEntryRecord[] {
  const out: ReportEntryRecord[] = [];
  SAMPLE_USERS.forEach((userKey, u) => {
    for (let i = 0; i < 5 * SAMPLE_WEEKS; i += 1) {
      const date = addDays(SAMPLE_FIRST_MONDAY, Math.floor(i / 5) * 7 + (i % 5));
      let outcome: EntryOutcome = "match";
      if (userKey === "101" && (i === 7 || i === 22)) outcome = "mismatch";
      if (userKey === "102" && (i === 3 || i === 4)) outcome = "mismatch";
      if (userKey === "103" && i === 11) outcome = "missing_in_kleer";
      if (userKey === "103" && i === 30) outcome = "extra_in_kleer";
      if (userKey === "104" && i === 2) outcome = "unmapped";
      const legacyId = outcome === "extra_in_kleer" ? null : `4000000000001${u}${String(i).padStart(4, "0")}`;
      const kleerId = outcome === "missing_in_kleer" || outcome === "unmapped" ? null : String(7001000 + u * 100 + i);
      out.push({ userKey, date, legacyId, kleerId, outcome });
    }
  });
  return out;
}

function finding(partial: Partial<ReportFindingRecord> & Pick<ReportFindingRecord, "kind" | "severity" | "message">): ReportFindingRecord {
  return {
    userKey: null,
    date: null,
    legacyId: null,
    kleerId: null,
    field: null,
    legacyValue: null,
    kleerValue: null,
    suppressed: false,
    suppressionReason: null,
    ...partial,
  };
}

function sampleFindings(timeInfo: readonly ReportTimeInfoRecord[]): ReportFindingRecord[] {
  const lastBalance = (userKey: string): string => String(timeInfo.filter((t) => t.userKey === userKey).at(-1)!.legacyFlexBalance);
  return [
    finding({ kind: "hours_mismatch", severity: "blocking", userKey: "101", date: "2026-01-13", legacyId: "40000000000010007", kleerId: "7001007", field: "hours", legacyValue: "7.5", kleerValue: "7", message: "30 min less in Kleer" }),
    finding({ kind: "note_mismatch", severity: "warning", userKey: "101", date: "2026-02-03", legacyId: "40000000000010022", kleerId: "7001022", field: "note", legacyValue: SCRIPT_NOTE, kleerValue: "Sprint planning and review", message: "Notes differ" }),
    finding({ kind: "timeinfo_worked_mismatch", severity: "warning", userKey: "101", date: "2026-02-09", field: "worked", legacyValue: "41.5", kleerValue: "39.5", message: "Worked hours differ by 2 h" }),
    finding({ kind: "editability_regression", severity: "blocking", userKey: "102", date: "2026-01-08", legacyId: "40000000000011003", kleerId: "7001103", field: "lock", legacyValue: "month", kleerValue: "open", message: "Attested for the month in Milltime, open in Kleer" }),
    finding({ kind: "editability_regression", severity: "blocking", userKey: "102", date: "2026-01-09", legacyId: "40000000000011004", kleerId: "7001104", field: "lock", legacyValue: "week", kleerValue: "open", message: "Attested for the week in Milltime, open in Kleer" }),
    finding({ kind: "flex_period_mismatch", severity: "info", userKey: "102", date: "2026-01-05", field: "flexPeriod", legacyValue: "-0.5", kleerValue: "0", message: "Period flex differs" }),
    finding({ kind: "editability_change", severity: "warning", userKey: "104", date: "2026-02-20", legacyId: "40000000000013030", kleerId: "7001330", field: "lock", legacyValue: "none", kleerValue: "approved", message: "Editable in Milltime, approved in Kleer", suppressed: true, suppressionReason: "Payroll closed February in Kleer first (agreed with HR)" }),
    finding({ kind: "missing_in_kleer", severity: "blocking", userKey: "103", date: "2026-01-14", legacyId: "40000000000012011", message: "No Kleer event for this Milltime registration" }),
    finding({ kind: "extra_in_kleer", severity: "blocking", userKey: "103", date: "2026-02-16", kleerId: "7001230", message: "Kleer event without a Milltime registration" }),
    finding({ kind: "source_error", severity: "blocking", userKey: "104", date: "2026-02-16", field: "kleer", message: "Kleer weekly stats for 2026-02-16 – 2026-02-22 failed: HTTP 503" }),
    ...SAMPLE_USERS.map((userKey) =>
      finding({ kind: "flex_balance_unavailable", severity: "info", userKey, date: addDays(SAMPLE_FIRST_MONDAY, 7 * SAMPLE_WEEKS - 1), field: "flexBalance", legacyValue: lastBalance(userKey), message: "Opening flex balance needed in Kleer-era Toki" }),
    ),
  ];
}

function sampleRequests(): ReportRequestRecord[] {
  const out: ReportRequestRecord[] = [];
  for (let i = 0; i < 24; i += 1) out.push({ system: "kleer", method: "GET", route: "/company/{companyId}/event", status: i === 5 ? 503 : 200, attempts: i === 5 ? 3 : 1, durationMs: 40 + i });
  for (let i = 0; i < 16; i += 1) out.push({ system: "milltime", method: "GET", route: "/cgi/mt.cgi/api/registration", status: 200, attempts: 1, durationMs: 120 + i });
  return out;
}

/** A realistic run: four users over eight weeks, findings of several kinds, one suppression. */
export function buildSampleInput(): HtmlReportInput {
  const timeInfo = sampleTimeInfo();
  return {
    run: {
      runId: SAMPLE_RUN_ID,
      command: "parity",
      status: "completed",
      startedAt: "2026-03-02T06:00:00.000Z",
      finishedAt: "2026-03-02T06:04:12.000Z",
      fromDate: SAMPLE_FIRST_MONDAY,
      toDate: addDays(SAMPLE_FIRST_MONDAY, 7 * SAMPLE_WEEKS - 1),
      optionsJson: JSON.stringify({ period: "week", concurrency: 4, kleer: { baseUrl: "https://api.kleer.se/v1", token: "kleer-secret-token-123", companyId: 42 } }),
      toolVersion: "0.1.0",
    },
    otherRuns: [],
    entries: sampleEntries(),
    findings: sampleFindings(timeInfo),
    timeInfo,
    requests: sampleRequests(),
    suppressions: [{ kind: "editability_change", userKey: "104", reason: "Payroll closed February in Kleer first (agreed with HR)", scope: "from = 2026-02-01, to = 2026-02-28" }],
  };
}

/**
 * The report tables of the public contract (runs, entries, findings, time_info, requests) plus the
 * optional suppression columns and table, as the report store creates them.
 */
export const CONTRACT_SCHEMA_SQL = `
CREATE TABLE runs (run_id TEXT PRIMARY KEY, command TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
  from_date TEXT, to_date TEXT, options_json TEXT, tool_version TEXT);
CREATE TABLE entries (run_id TEXT NOT NULL, user_key TEXT NOT NULL, date TEXT, legacy_id TEXT, kleer_id TEXT, outcome TEXT NOT NULL);
CREATE TABLE findings (run_id TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL, user_key TEXT, date TEXT, legacy_id TEXT, kleer_id TEXT,
  field TEXT, legacy_value TEXT, kleer_value TEXT, message TEXT NOT NULL, suppressed INTEGER NOT NULL DEFAULT 0, suppression_reason TEXT);
CREATE TABLE time_info (run_id TEXT NOT NULL, user_key TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL,
  legacy_worked REAL, legacy_scheduled REAL, legacy_absence REAL, legacy_flex_period REAL, legacy_flex_balance REAL,
  kleer_worked REAL, kleer_scheduled REAL, kleer_absence REAL, kleer_flex_period REAL);
CREATE TABLE requests (run_id TEXT NOT NULL, system TEXT NOT NULL, method TEXT NOT NULL, route TEXT NOT NULL, status INTEGER, attempts INTEGER NOT NULL, duration_ms REAL NOT NULL);
CREATE TABLE suppressions (run_id TEXT NOT NULL, kind TEXT, user_key TEXT, date_from TEXT, date_to TEXT, reason TEXT NOT NULL);
`;

/** Writes `input` as one run into `db` (creating the contract tables when `createSchema`). */
export function writeReportRows(db: Database.Database, input: HtmlReportInput, createSchema = true): void {
  if (createSchema) db.exec(CONTRACT_SCHEMA_SQL);
  const id = input.run.runId;
  const r = input.run;
  db.transaction(() => {
    db.prepare(`INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?)`).run(id, r.command, r.status, r.startedAt, r.finishedAt, r.fromDate, r.toDate, r.optionsJson, r.toolVersion);
    const entry = db.prepare(`INSERT INTO entries VALUES (?,?,?,?,?,?)`);
    for (const e of input.entries) entry.run(id, e.userKey, e.date, e.legacyId, e.kleerId, e.outcome);
    const finding = db.prepare(`INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    for (const f of input.findings) {
      finding.run(id, f.kind, f.severity, f.userKey, f.date, f.legacyId, f.kleerId, f.field, f.legacyValue, f.kleerValue, f.message, f.suppressed ? 1 : 0, f.suppressionReason);
    }
    const ti = db.prepare(`INSERT INTO time_info VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    for (const t of input.timeInfo) {
      ti.run(id, t.userKey, t.periodStart, t.periodEnd, t.legacyWorked, t.legacyScheduled, t.legacyAbsence, t.legacyFlexPeriod, t.legacyFlexBalance, t.kleerWorked, t.kleerScheduled, t.kleerAbsence, t.kleerFlexPeriod);
    }
    const req = db.prepare(`INSERT INTO requests VALUES (?,?,?,?,?,?,?)`);
    for (const q of input.requests) req.run(id, q.system, q.method, q.route, q.status, q.attempts, q.durationMs);
    const sup = db.prepare(`INSERT INTO suppressions VALUES (?,?,?,?,?,?)`);
    for (const s of input.suppressions) sup.run(id, s.kind, s.userKey, "2026-02-01", "2026-02-28", s.reason);
  })();
}

/** Creates a report file at `path` holding the sample run. */
export function writeSampleReportFile(path: string, input: HtmlReportInput = buildSampleInput()): void {
  const db = new Database(path);
  try {
    writeReportRows(db, input);
  } finally {
    db.close();
  }
}
