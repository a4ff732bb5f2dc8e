import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it, onTestFinished } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { ConfigError } from "../../src/domain/errors.js";
import { migrateReport, REPORT_MIGRATIONS } from "../../src/report/report-migrations.js";
import { openReportStore } from "../../src/report/report-store.js";
import { runCliProcess } from "../replay/replay-cli-support.js";
import { startWorld, type ReplayWorld } from "../replay/replay-fixture.js";
import { Worker } from "node:worker_threads";
import { buildUserLink } from "../builders.js";
import { sampleResultUser1, steppingClock } from "./report-fixture.js";

const require = createRequire(import.meta.url);
const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** Another tool's SQLite file; it even has a `runs` table of its own. */
function foreignFile(world: ReplayWorld, name: string): string {
  const file = join(world.dir, name);
  const db = new Database(file);
  db.exec("CREATE TABLE runs (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO runs (what) VALUES ('theirs'); CREATE TABLE notes (x TEXT)");
  db.close();
  return file;
}

/** `world.args` with another report file. */
const argsWith = (world: ReplayWorld, report: string) => world.args().map((a) => (a === world.reportFile ? report : a));

describe("a SQLite file that is not a toki-parity report", () => {
  it("is refused by compare with exit 2 and left byte for byte as it was", async () => {
    const world = await startWorld();
    const file = foreignFile(world, "other-tool.sqlite");
    const before = digest(file);
    const code = await runCli(["compare", ...argsWith(world, file)]);
    expect(code).toBe(2);
    expect(digest(file)).toBe(before);
    // Not even switched to WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()).toEqual([{ name: "notes" }, { name: "runs" }]);
    db.close();
    // No Kleer or Milltime request was made for a run that could not be recorded.
    expect(world.kleer.requestLog).toEqual([]);
  });

  it("is refused by the read-only commands with exit 2, never 4", async () => {
    const world = await startWorld();
    const file = foreignFile(world, "other-tool.sqlite");
    const before = digest(file);
    for (const argv of [["report", file], ["report", file, "--format", "html"], ["gate", file, "--max-blocking", "0"]]) {
      expect(await runCli(argv), argv.join(" ")).toBe(2);
    }
    expect(digest(file)).toBe(before);
  });
});

describe("report migrations", () => {
  it("apply in one transaction: a failing step leaves a fresh file without any table", () => {
    const db = new Database(":memory:");
    const broken = [...REPORT_MIGRATIONS, { version: 99, description: "broken", sql: "CREATE TABLE half (x); SELECT * FROM nowhere" }];
    expect(() => migrateReport(db, "t", broken)).toThrow(/nowhere/);
    expect(db.prepare("SELECT name FROM sqlite_master").all()).toEqual([]);
    db.close();
  });
});

describe("concurrent compares on one report file", () => {
  it("all four complete with every user's rows", { timeout: 120_000 }, async () => {
    const world = await startWorld({ kleerFaults: { latencyMs: 5 } });
    const runs = await Promise.all([0, 1, 2, 3].map(() => runCliProcess(["compare", ...world.args()])));
    const codes = runs.map((r) => r.code);
    for (const r of runs) expect(r.stderr).not.toMatch(/locked|SQLITE_BUSY/i);
    // Every run sees the same data, so all end alike (1 = blocking findings of the scenario, not an error).
    expect(new Set(codes).size, runs.map((r) => r.stderr).join("\n")).toBe(1);
    expect(codes[0]).not.toBe(4);
    const db = world.report();
    const rows = db.prepare("SELECT run_id, status FROM runs WHERE command = 'compare'").all() as Array<{ run_id: string; status: string }>;
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.status === "completed")).toBe(true);
    const perRun = db.prepare("SELECT run_id, COUNT(*) AS users FROM run_users GROUP BY run_id").all() as Array<{ users: number }>;
    expect(perRun.map((r) => r.users)).toEqual([3, 3, 3, 3]);
    const findings = db.prepare("SELECT run_id, COUNT(*) AS n FROM findings GROUP BY run_id").all() as Array<{ n: number }>;
    expect(findings).toHaveLength(4);
    expect(new Set(findings.map((f) => f.n)).size).toBe(1);
  });
});

describe("openReportStore", () => {
  it("refuses another tool's file and a file that is not SQLite, changing neither", async () => {
    const world = await startWorld();
    const file = foreignFile(world, "theirs.sqlite");
    const before = digest(file);
    expect(() => openReportStore(file, { clock: steppingClock() })).toThrow(ConfigError);
    expect(() => openReportStore(file, { clock: steppingClock() })).toThrow(/not a toki-parity report file \(it holds notes, runs\); nothing was changed/);
    expect(digest(file)).toBe(before);
    const text = join(world.dir, "notes.txt");
    writeFileSync(text, "plain text, not a database\n".repeat(100));
    expect(() => openReportStore(text, { clock: steppingClock() })).toThrow(ConfigError);
    expect(readFileSync(text, "utf8")).toBe("plain text, not a database\n".repeat(100));
  });
});

/**
 * Another connection (a worker thread, as another process would be) takes the write lock,
 * says so, and commits a row shortly after. Returns when the lock is held.
 */
async function holdWriteLock(file: string): Promise<{ done: Promise<void> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const Database = require(workerData.module);
     const db = new Database(workerData.file);
     db.exec("BEGIN IMMEDIATE");
     db.prepare("INSERT INTO runs (run_id, command, status, started_at, tool_version) VALUES (?, 'compare', 'running', 't', 'v')").run('other-' + Math.random());
     parentPort.postMessage("locked");
     setTimeout(() => { db.exec("COMMIT"); db.close(); parentPort.postMessage("committed"); }, 300);`,
    { eval: true, workerData: { file, module: require.resolve("better-sqlite3") } },
  );
  const messages: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    worker.on("error", reject);
    worker.on("exit", () => resolve());
  });
  await new Promise<void>((resolve) => worker.on("message", (m: string) => (messages.push(m), m === "locked" && resolve())));
  return { done };
}

describe("report-store write transactions", () => {
  it("wait for another connection's write instead of failing at once (they start IMMEDIATE)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "toki-report-lock-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "shared.sqlite");
    const store = openReportStore(file, { clock: steppingClock() });
    const runId = store.startRun({ command: "compare", toolVersion: "test" });
    // The batch reads the run's status before writing: a deferred transaction would read, then
    // find its snapshot stale once the other writer commits, and fail with SQLITE_BUSY.
    const other = await holdWriteLock(file);
    store.writeUserBatch(runId, { user: buildUserLink({ tokiUserId: 1 }), result: sampleResultUser1() });
    await other.done;
    const users = store.db.prepare("SELECT COUNT(*) AS n FROM run_users WHERE run_id = ?").get(runId) as { n: number };
    expect(users.n).toBe(1);
    const held = await holdWriteLock(file);
    expect(store.startRun({ command: "compare", toolVersion: "test" })).toMatch(/^\d{8}T/);
    await held.done.catch(() => undefined);
    store.db.close();
  });
});
