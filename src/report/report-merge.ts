import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { ConfigError } from "../domain/errors.js";
import type { Clock } from "../domain/ports.js";
import { NON_PARITY_COMMANDS } from "./report-reader.js";
import { createReportStore, openReportDatabase } from "./report-store.js";

/** Tables whose rows belong to one run and are copied as they are (their own ids renumbered). */
const RUN_TABLES = ["run_users", "entries", "findings", "time_info", "requests"] as const;

export interface MergeReportsOptions {
  outFile: string;
  /** Shard report files; the latest run of each is merged (or `runIds[i]`). */
  inputs: readonly string[];
  runIds?: ReadonlyArray<string | undefined>;
  clock: Clock;
  toolVersion: string;
}

export interface MergeReportsResult {
  runId: string;
  mergedRuns: Array<{ file: string; runId: string; users: number }>;
  users: number;
  findings: number;
}

interface RunRow {
  run_id: string;
  command: string;
  status: string;
  from_date: string | null;
  to_date: string | null;
  period: string | null;
  options_json: string;
}

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA main.table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name).filter((n) => n !== "id");
}

/**
 * Copies a shard run's findings with their ids shifted past the merged file's highest id, so a
 * consequence's `caused_by` still names its root. A shard file from before `caused_by` existed
 * has none to carry.
 */
function copyFindings(db: Database.Database, alias: string, runId: string, shardRunId: string): void {
  const shardColumns = new Set((db.prepare(`PRAGMA ${alias}.table_info(findings)`).all() as Array<{ name: string }>).map((c) => c.name));
  const list = columnsOf(db, "findings").filter((c) => c !== "run_id" && c !== "caused_by" && shardColumns.has(c)).join(", ");
  const { top } = db.prepare("SELECT COALESCE(MAX(id), 0) AS top FROM main.findings").get() as { top: number };
  const { low } = db.prepare(`SELECT COALESCE(MIN(id), 1) AS low FROM ${alias}.findings WHERE run_id = ?`).get(shardRunId) as { low: number };
  const shift = top - low + 1;
  const cause = shardColumns.has("caused_by") ? "CASE WHEN caused_by IS NULL THEN NULL ELSE caused_by + @shift END" : "NULL";
  db.prepare(
    `INSERT INTO main.findings (id, run_id, ${list}, caused_by) SELECT id + @shift, @runId, ${list}, ${cause} FROM ${alias}.findings WHERE run_id = @shardRunId ORDER BY id`,
  ).run({ shift, runId, shardRunId });
}

/**
 * Combines the runs of shard report files into one run of a new report. Shards must cover the
 * same range and period and disjoint users; the merged run's rows are the union of the shards'
 * rows, so its findings equal those of an unsharded run.
 */
export function mergeReports(options: MergeReportsOptions): MergeReportsResult {
  if (options.inputs.length === 0) throw new ConfigError("report merge needs at least one input report");
  const runs: Array<{ file: string; run: RunRow; users: number[] }> = options.inputs.map((file, i) => {
    const db = openReportDatabase(file, { mustExist: true });
    try {
      const wanted = options.runIds?.[i];
      const run = (wanted
        ? db.prepare("SELECT * FROM runs WHERE run_id = ?").get(wanted)
        : (db.prepare(`SELECT * FROM runs WHERE command NOT IN (${NON_PARITY_COMMANDS}) ORDER BY started_at DESC, run_id DESC LIMIT 1`).get() ??
          db.prepare("SELECT * FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1").get())) as RunRow | undefined;
      if (!run) throw new ConfigError(`${file} holds no run${wanted ? ` ${wanted}` : ""}`);
      if (run.status !== "completed") throw new ConfigError(`run ${run.run_id} of ${file} is ${run.status}, not completed: re-run that shard first`);
      const users = (db.prepare("SELECT user_key FROM run_users WHERE run_id = ?").all(run.run_id) as Array<{ user_key: number }>).map((r) => r.user_key);
      return { file, run, users };
    } finally {
      db.close();
    }
  });

  const first = runs[0]!.run;
  for (const { file, run } of runs) {
    if (run.from_date !== first.from_date || run.to_date !== first.to_date || run.period !== first.period) {
      throw new ConfigError(`${file} covers ${run.from_date}…${run.to_date} by ${run.period}, the first input ${first.from_date}…${first.to_date} by ${first.period}: shards must share range and period`);
    }
  }
  const owner = new Map<number, string>();
  for (const { file, users } of runs) {
    for (const u of users) {
      const other = owner.get(u);
      if (other) throw new ConfigError(`Toki user ${u} is in both ${other} and ${file}: shard reports must hold disjoint users`);
      owner.set(u, file);
    }
  }

  mkdirSync(dirname(options.outFile), { recursive: true });
  const db = openReportDatabase(options.outFile);
  try {
    const store = createReportStore(db, { clock: options.clock });
    const runId = store.startRun({
      command: "merge",
      range: first.from_date && first.to_date ? { from: first.from_date, to: first.to_date } : undefined,
      period: (first.period ?? undefined) as "week" | "month" | undefined,
      options: {
        mergedFrom: runs.map(({ file, run }) => ({ file, runId: run.run_id, command: run.command, options: JSON.parse(run.options_json) as unknown })),
      },
      toolVersion: options.toolVersion,
    });
    const suppressions = new Map<string, Record<string, unknown>>();
    // ATTACH is not allowed inside a transaction: attach every shard first, copy in one transaction.
    runs.forEach(({ file }, i) => db.prepare(`ATTACH DATABASE ? AS shard${i}`).run(file));
    const copy = db.transaction(() => {
      runs.forEach(({ run }, i) => {
        const alias = `shard${i}`;
        for (const table of RUN_TABLES) {
          if (table === "findings") {
            copyFindings(db, alias, runId, run.run_id);
            continue;
          }
          const list = columnsOf(db, table).filter((c) => c !== "run_id").join(", ");
          db.prepare(`INSERT INTO main.${table} (run_id, ${list}) SELECT ?, ${list} FROM ${alias}.${table} WHERE run_id = ?`).run(runId, run.run_id);
        }
        const rows = db
          .prepare(`SELECT kind, user_key, from_date, to_date, legacy_id, kleer_id, reason, matched_findings FROM ${alias}.suppressions WHERE run_id = ? ORDER BY id`)
          .all(run.run_id) as Array<Record<string, unknown>>;
        for (const row of rows) {
          const key = JSON.stringify([row.kind, row.user_key, row.from_date, row.to_date, row.legacy_id, row.kleer_id, row.reason]);
          const seen = suppressions.get(key);
          if (seen) seen.matched_findings = Number(seen.matched_findings) + Number(row.matched_findings);
          else suppressions.set(key, { ...row });
        }
      });
      const insert = db.prepare(
        "INSERT INTO suppressions (run_id, kind, user_key, from_date, to_date, legacy_id, kleer_id, reason, matched_findings) VALUES (@run_id, @kind, @user_key, @from_date, @to_date, @legacy_id, @kleer_id, @reason, @matched_findings)",
      );
      for (const row of suppressions.values()) insert.run({ ...row, run_id: runId });
    });
    try {
      copy.immediate();
    } finally {
      runs.forEach((_, i) => db.prepare(`DETACH DATABASE shard${i}`).run());
    }
    const findings = (db.prepare("SELECT COUNT(*) AS n FROM findings WHERE run_id = ?").get(runId) as { n: number }).n;
    store.completeRun(runId, { merged: runs.length, users: owner.size, findings });
    return {
      runId,
      mergedRuns: runs.map(({ file, run, users }) => ({ file, runId: run.run_id, users: users.length })),
      users: owner.size,
      findings,
    };
  } finally {
    db.close();
  }
}
