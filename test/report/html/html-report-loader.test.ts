import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/domain/errors.js";
import { SecretRedactor } from "../../../src/http/redact.js";
import { loadHtmlReportInput } from "../../../src/report/html/html-report-loader.js";
import { buildHtmlReportModel } from "../../../src/report/html/html-report-model.js";
import { writeHtmlReport } from "../../../src/report/html/html-report.js";
import { createReportReader } from "../../../src/report/report-reader.js";
import { createReportStore, openReportDatabase } from "../../../src/report/report-store.js";
import { steppingClock } from "../report-fixture.js";
import { SAMPLE_USERS, SAMPLE_WEEKS, SCRIPT_NOTE } from "./html-report-fixture.js";
import { SUPPRESSION_REASON, writeEngineReportFile } from "./html-report-run-fixture.js";

let dir: string;
let reportFile: string;
let compareRunId: string;
let gateRunId: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "toki-html-loader-"));
  reportFile = join(dir, "report.sqlite");
  compareRunId = writeEngineReportFile(reportFile);
  // A later run in the same file that failed before writing anything.
  const db = openReportDatabase(reportFile);
  const store = createReportStore(db, { clock: steppingClock("2026-03-03T08:00:00.000Z"), runSuffix: () => "0002" });
  gateRunId = store.startRun({ command: "compare", toolVersion: "0.1.0" });
  store.failRun(gateRunId, "Kleer unreachable");
  db.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(reportFile, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe("loadHtmlReportInput", () => {
  it("reads the newest run by default and lists the others", () => {
    const input = withDb((db) => loadHtmlReportInput(db));
    expect(input.run).toMatchObject({ runId: gateRunId, status: "failed", errorMessage: "Kleer unreachable" });
    expect(input.otherRuns.map((r) => r.runId)).toEqual([compareRunId]);
    expect(input.findings).toEqual([]);
    expect(buildHtmlReportModel(input).verdict.level).toBe("incomplete");
  });

  it("reads a chosen run: every row the store wrote, counted as the store counts them", () => {
    const { input, storeCounts } = withDb((db) => ({ input: loadHtmlReportInput(db, compareRunId), storeCounts: createReportReader(db).countFindingsByKind(compareRunId) }));
    expect(input.run.runId).toBe(compareRunId);
    expect(input.users.map((u) => u.userKey)).toEqual([...SAMPLE_USERS]);
    expect(input.timeInfo).toHaveLength(SAMPLE_USERS.length * SAMPLE_WEEKS);
    const model = buildHtmlReportModel(input);
    const byKind = (k: { kind: string; blocking: number; warning: number; info: number; suppressed: number }) => [k.kind, k.blocking, k.warning, k.info, k.suppressed];
    expect(model.kindCounts.map(byKind).sort()).toEqual(storeCounts.map(byKind).sort());
    expect(model.users.find((u) => u.userKey === 104)!.status).toBe("source_error");
    expect(model.totals.compared).toBe(input.users.reduce((n, u) => n + u.compared, 0));
    expect(model.totals.matches).toBe(input.entries.filter((e) => e.outcome === "match").length);
    expect(model.users.find((u) => u.userKey === 101)!.openingBalance).toMatchObject({ hours: 14.75, asOf: "2026-03-01", source: "flex_balance_unavailable" });
    // User 102: Kleer counts half an hour more absence each week, so Kleer-era flex drifts up 0.5 h a week.
    expect(model.users.find((u) => u.userKey === 102)!.finalDrift).toBe(4);
    expect(model.editabilityRegressions).toHaveLength(2);
    expect(model.suppressions).toEqual([
      { kind: "editability_change", userKey: 104, reason: SUPPRESSION_REASON, scope: "2026-02-16 – 2026-02-22", matched: 1, origin: "rule" },
    ]);
    expect(model.requestSummary.map((r) => r.system)).toEqual(["kleer", "milltime"]);
  });

  it("names the runs in the file when the chosen one is not there", () => {
    const error = withDb((db) => {
      try {
        loadHtmlReportInput(db, "nope");
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe("run nope is not in the report file");
    expect((error as ConfigError).issues.join()).toContain(compareRunId);
  });

  it("refuses a SQLite file that is not a report", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE runs (run_id TEXT)");
    expect(() => loadHtmlReportInput(db)).toThrow("not a toki-parity report file: missing tables entries, findings, time_info, requests");
    db.close();
  });
});

describe("writeHtmlReport", () => {
  it("writes one self-contained page for the chosen run", async () => {
    const outFile = join(dir, "out", "report.html");
    const result = await writeHtmlReport({ reportFile, runId: compareRunId, outFile, clock: () => new Date("2026-03-03T09:00:00Z"), maxRowsPerTable: 5 });
    const html = readFileSync(outFile, "utf8");
    expect(result).toMatchObject({ outFile, runId: compareRunId, verdict: "not_ready", users: 4, bytes: Buffer.byteLength(html) });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("2026-03-03T09:00:00.000Z");
    // Capped tables tell the reader how to get every row.
    expect(html).toContain(`Every row is in the report file: toki-parity report ${reportFile} --run ${compareRunId} --format json (or md).`);
    expect(html).toContain("&lt;script&gt;window.__pwned");
    expect(html).not.toContain(SCRIPT_NOTE);
    expect(existsSync(`${outFile}.${process.pid}.tmp`)).toBe(false);
  });

  it("passes the page through the redactor", async () => {
    const redactor = new SecretRedactor();
    redactor.add("Sprint planning and review");
    const outFile = join(dir, "redacted.html");
    await writeHtmlReport({ reportFile, runId: compareRunId, outFile, redactor });
    expect(readFileSync(outFile, "utf8")).not.toContain("Sprint planning and review");
  });

  it("refuses a missing report file without creating it", async () => {
    const missing = join(dir, "missing.sqlite");
    await expect(writeHtmlReport({ reportFile: missing, outFile: join(dir, "x.html") })).rejects.toBeInstanceOf(ConfigError);
    expect(existsSync(missing)).toBe(false);
  });
});
