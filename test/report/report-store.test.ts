import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { migrateReport, REPORT_MIGRATIONS, REPORT_SCHEMA_VERSION, schemaVersionOf } from "../../src/report/report-migrations.js";
import { createBufferedRecorder } from "../../src/report/report-recorder.js";
import { formatRunId } from "../../src/report/report-run-id.js";
import { createReportStore, openReportStore } from "../../src/report/report-store.js";
import { buildUserLink } from "../builders.js";
import { memoryStore, SAMPLE_RANGE, SAMPLE_RULES, sampleResultUser1, sampleResultUser2, steppingClock } from "./report-fixture.js";

const dirs: string[] = [];
function tempFile(name = "report.sqlite"): string {
  const dir = mkdtempSync(join(tmpdir(), "toki-report-"));
  dirs.push(dir);
  return join(dir, name);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const columnsOf = (db: Database.Database, table: string): string[] =>
  (db.prepare("SELECT name FROM pragma_table_info(?)").all(table) as Array<{ name: string }>).map((r) => r.name);

describe("report schema", () => {
  it("has the contract tables and columns", () => {
    const { db } = memoryStore();
    expect(columnsOf(db, "runs")).toEqual(expect.arrayContaining(["run_id", "command", "status", "started_at", "finished_at", "from_date", "to_date", "options_json", "tool_version"]));
    expect(columnsOf(db, "entries")).toEqual(expect.arrayContaining(["run_id", "user_key", "date", "legacy_id", "kleer_id", "outcome"]));
    expect(columnsOf(db, "findings")).toEqual(
      expect.arrayContaining(["run_id", "kind", "severity", "user_key", "date", "legacy_id", "kleer_id", "field", "legacy_value", "kleer_value", "message", "suppressed", "suppression_reason"]),
    );
    expect(columnsOf(db, "time_info")).toEqual(
      expect.arrayContaining([
        "run_id", "user_key", "period_start", "period_end", "legacy_worked", "legacy_scheduled", "legacy_absence", "legacy_flex_period",
        "legacy_flex_balance", "kleer_worked", "kleer_scheduled", "kleer_absence", "kleer_flex_period",
      ]),
    );
    expect(columnsOf(db, "requests")).toEqual(expect.arrayContaining(["run_id", "system", "method", "route", "status", "attempts", "duration_ms"]));
    expect(columnsOf(db, "suppressions")).toEqual(expect.arrayContaining(["run_id", "kind", "user_key", "reason"]));
  });

  it("applies migrations once; re-opening a file is a no-op", () => {
    const file = tempFile();
    openReportStore(file, { clock: steppingClock() }).db.close();
    const db = new Database(file);
    expect(schemaVersionOf(db)).toBe(REPORT_SCHEMA_VERSION);
    expect(migrateReport(db, "2026-11-26T00:00:00Z")).toBe(REPORT_SCHEMA_VERSION);
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_version").get()).toEqual({ n: REPORT_MIGRATIONS.length });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("applies later migrations in order and rolls a failing one back", () => {
    const db = new Database(":memory:");
    const more = [
      ...REPORT_MIGRATIONS,
      { version: REPORT_SCHEMA_VERSION + 2, description: "later", sql: "ALTER TABLE runs ADD COLUMN later TEXT" },
      { version: REPORT_SCHEMA_VERSION + 1, description: "sooner", sql: "ALTER TABLE runs ADD COLUMN sooner TEXT" },
    ];
    expect(migrateReport(db, "t", more)).toBe(REPORT_SCHEMA_VERSION + 2);
    expect(columnsOf(db, "runs").slice(-2)).toEqual(["sooner", "later"]);
    const broken = [...more, { version: REPORT_SCHEMA_VERSION + 3, description: "broken", sql: "ALTER TABLE runs ADD COLUMN half TEXT; SELECT * FROM nowhere" }];
    expect(() => migrateReport(db, "t", broken)).toThrow(/nowhere/);
    expect(schemaVersionOf(db)).toBe(REPORT_SCHEMA_VERSION + 2);
    expect(columnsOf(db, "runs")).not.toContain("half");
  });

  it("refuses a file from a newer tool and a file that is not a report", () => {
    const db = new Database(":memory:");
    migrateReport(db, "t", [...REPORT_MIGRATIONS, { version: 99, description: "future", sql: "SELECT 1" }]);
    expect(() => createReportStore(db, { clock: steppingClock() })).toThrow(ConfigError);
    const other = tempFile("other.sqlite");
    const foreign = new Database(other);
    foreign.exec("CREATE TABLE notes (x TEXT)");
    foreign.close();
    expect(() => openReportStore(other, { clock: steppingClock(), mustExist: true })).toThrow(/not a toki-parity report file/);
    expect(() => openReportStore(tempFile("missing.sqlite"), { clock: steppingClock(), mustExist: true })).toThrow(ConfigError);
    const empty = tempFile("empty.sqlite");
    writeFileSync(empty, "");
    expect(() => openReportStore(empty, { clock: steppingClock(), mustExist: true })).toThrow(/not a toki-parity report file/);
  });
});

describe("runs", () => {
  it("formats sortable run ids", () => {
    expect(formatRunId(new Date("2026-11-25T13:45:01.123Z"), "ab12")).toBe("20261125T134501Z-ab12");
  });

  it("writes a run with its users, entries, findings, time info, requests and suppressions", () => {
    const store = memoryStore();
    const runId = store.startRun({ command: "compare", range: SAMPLE_RANGE, period: "week", options: { users: [1, 2] }, toolVersion: "0.1.0", suppressions: SAMPLE_RULES.suppressions });
    // The first clock tick went to the migration's applied_at.
    expect(runId).toBe("20261125T134502Z-0000");
    expect(store.getRun(runId).startedAt).toBe("2026-11-25T13:45:02.000Z");
    const recorder = createBufferedRecorder();
    recorder.record({ system: "kleer", method: "GET", route: "/company/{companyId}/event", status: 200, attempts: 1, durationMs: 12 });
    recorder.record({ system: "milltime", method: "GET", route: "/cgi/mt.cgi/api/store/UserCalendar", status: 500, attempts: 1, durationMs: 30 });
    store.writeUserBatch(runId, { user: buildUserLink(), result: sampleResultUser1(), requests: recorder.drain() });
    store.writeUserBatch(runId, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
    store.completeRun(runId, { entriesCompared: 6 });

    const run = store.getRun();
    expect(run).toMatchObject({ runId, command: "compare", status: "completed", fromDate: "2026-05-11", toDate: "2026-05-17", period: "week", options: { users: [1, 2] }, summary: { entriesCompared: 6 } });
    expect(run.finishedAt).not.toBeNull();
    expect(store.readRunUsers(runId).map((u) => [u.userKey, u.status, u.matches, u.mismatches, u.extra, u.blocking, u.suppressed, u.flexBalance])).toEqual([
      [1, "compared", 2, 1, 1, 2, 2, 3.5],
      [2, "compared", 3, 0, 0, 0, 0, 3.5],
    ]);
    expect(store.readEntries(runId, 1).map((e) => e.outcome)).toEqual(["mismatch", "match", "match", "extra_in_kleer"]);
    const findings = store.readFindings(runId);
    expect(findings.find((f) => f.kind === "note_mismatch")).toMatchObject({ suppressed: true, suppressionReason: "Notes were edited in Kleer on purpose", kleerValue: "Code review & <merge>" });
    expect(findings.find((f) => f.kind === "link_orphan")?.details).toMatchObject({ historyId: 1 });
    expect(store.countFindingsByKind(runId).find((k) => k.kind === "hours_mismatch")).toEqual({ kind: "hours_mismatch", blocking: 1, warning: 0, info: 0, suppressed: 0, consequences: { blocking: 0, warning: 0, info: 0 } });
    expect(store.readTimeInfo(runId)).toHaveLength(2);
    expect(store.summariseRequests(runId)).toEqual([
      { system: "kleer", requests: 1, failed: 0, attempts: 1, totalDurationMs: 12 },
      { system: "milltime", requests: 1, failed: 1, attempts: 1, totalDurationMs: 30 },
    ]);
    expect(store.readSuppressions(runId).map((s) => [s.kind, s.matchedFindings])).toEqual([["note_mismatch", 1], ["link_orphan", 1]]);
  });

  it("writes every entry row of a user with many, in order, across the multi-row statements and their remainder", () => {
    const store = memoryStore();
    const runId = store.startRun({ command: "compare", toolVersion: "0.1.0" });
    const base = sampleResultUser1();
    // 2 × 64 rows to full statements, and 13 rows left over for the single-row one.
    const outcomes = ["match", "mismatch", "missing_in_kleer", "extra_in_kleer", "unmapped", "skipped"] as const;
    const entries = Array.from({ length: 141 }, (_, i) => ({
      userKey: 1,
      date: `2026-05-${String(11 + (i % 7)).padStart(2, "0")}`,
      legacyId: i % 5 === 3 ? null : String(8_000_000 + i),
      kleerId: i % 4 === 2 ? null : String(9_000_000 + i),
      outcome: outcomes[i % outcomes.length]!,
      evidence: i % 3 === 0 ? ("foreign_id" as const) : null,
      legacyHours: i % 6 === 1 ? null : i / 4,
      kleerHours: i % 7 === 2 ? null : i / 8,
    }));
    store.writeUserBatch(runId, { user: buildUserLink(), result: { ...base, entries } });
    expect(store.readEntries(runId, 1)).toEqual(entries.map(({ userKey: _userKey, ...row }) => expect.objectContaining(row)));
  });

  it("keeps many runs and picks the latest by default", () => {
    const store = memoryStore();
    const first = store.startRun({ command: "compare", toolVersion: "0.1.0" });
    store.completeRun(first);
    const second = store.startRun({ command: "compare", toolVersion: "0.1.0" });
    expect(store.getRun().runId).toBe(second);
    expect(store.getRun(first).status).toBe("completed");
    expect(store.listRuns().map((r) => r.runId)).toEqual([second, first]);
    expect(() => store.getRun("nope")).toThrow(/run nope is not in the report file/);
  });

  it("never leaves half a batch: a failing write rolls the user's rows back, earlier rows stay", () => {
    const store = memoryStore();
    const earlier = store.startRun({ command: "compare", toolVersion: "0.1.0" });
    store.writeUserBatch(earlier, { user: buildUserLink(), result: sampleResultUser1() });
    store.completeRun(earlier);

    const runId = store.startRun({ command: "compare", toolVersion: "0.1.0" });
    store.writeUserBatch(runId, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
    const bad = sampleResultUser1();
    // A severity the schema refuses, after entries and some findings were already inserted.
    bad.findings[bad.findings.length - 1] = { ...bad.findings[bad.findings.length - 1]!, severity: "fatal" as never };
    expect(() => store.writeUserBatch(runId, { user: buildUserLink(), result: bad })).toThrow(/CHECK constraint/);
    store.failRun(runId, "boom");

    const count = (table: string, run: string) => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ? AND user_key = 1`).get(run) as { n: number }).n;
    expect([count("run_users", runId), count("entries", runId), count("findings", runId), count("time_info", runId)]).toEqual([0, 0, 0, 0]);
    expect(store.readRunUsers(runId).map((u) => u.userKey)).toEqual([2]);
    expect(store.getRun(runId)).toMatchObject({ status: "failed", errorMessage: "boom" });
    expect(store.getRun(earlier).status).toBe("completed");
    expect(count("entries", earlier)).toBe(4);
    expect(() => store.writeUserBatch(runId, { user: buildUserLink(), result: sampleResultUser1() })).toThrow(/is failed/);
  });

  it("a killed process leaves the run running and the file readable", () => {
    const file = tempFile();
    const store = openReportStore(file, { clock: steppingClock() });
    const runId = store.startRun({ command: "compare", toolVersion: "0.1.0" });
    store.writeUserBatch(runId, { user: buildUserLink(), result: sampleResultUser1() });
    store.db.close();
    const again = openReportStore(file, { clock: steppingClock(), mustExist: true });
    expect(again.getRun(runId).status).toBe("running");
    expect(again.readRunUsers(runId)).toHaveLength(1);
    again.db.close();
  });
});
