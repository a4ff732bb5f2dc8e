import { writeFile } from "node:fs/promises";
import pg from "pg";
import { stringify } from "csv-stringify/sync";
import { ConfigError, TokiError } from "../domain/errors.js";
import { systemClock, type Clock } from "../domain/ports.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import { isPostgresUrl, openTimerHistorySource, registerPostgresUrl } from "../history/index.js";
import { globalRedactor } from "../http/redact.js";
import { acquireRunLease, historyLeaseTarget, type RunLease } from "../report/report-lease.js";
import { openReportDatabase, openReportStore } from "../report/report-store.js";
import { relinkStatements, relinkTableName, revertStatements, toSqlScript, type Relink, type RelinkRow } from "./relink-sql.js";
import { createReplayJournal, settledEventsOf } from "./replay-journal.js";
import { createReplayPlanStore } from "./replay-store.js";
import type { PlanRow } from "./replay-types.js";

/** A timer-history link the relink leaves alone, and why. */
export interface UnrelinkedLink {
  historyId: number;
  tokiUserId: number;
  registrationId: string;
  startTime: string;
  reason: string;
}

export interface RelinkPlan {
  runId: string;
  /** The backup table the SQL creates. */
  table: string;
  /** Every legacy entry the run settled (event created or found): one re-point per user and id. */
  relinks: Relink[];
  /** The history rows that will be re-pointed (when the history was read). */
  rows: RelinkRow[] | null;
  /** History links of the run's range that will not be re-pointed (when the history was read). */
  unrelinked: UnrelinkedLink[];
  /** History links already on a Kleer event this run settled. */
  alreadyRelinked: number;
  /** Settled events that cleanup has removed since: not relinked. */
  removedByCleanup: Array<{ tokiUserId: number; legacyId: string; kleerEventId: string }>;
}

/** Why a link to a registration the run did not settle stays on its Milltime id. */
function reasonFor(link: TimerHistoryLink, plan: ReadonlyMap<string, PlanRow>, removed: ReadonlySet<string>): string {
  const row = plan.get(`${link.tokiUserId}|${link.registrationId}`);
  if (removed.has(`${link.tokiUserId}|${link.registrationId}`)) return "its Kleer event was deleted by cleanup";
  if (!row) {
    return "no legacy entry of this user with that registration id was in the replay plan (another range, another user, or not a Milltime id)";
  }
  if (row.action === "blocked") return `the entry was blocked: ${row.reasonCode}: ${row.reason ?? ""}`;
  return "the entry's event was not written (failed or unsettled); resume the replay run";
}

/**
 * Pure: re-points for the settled entries, the history rows they touch and the links left
 * alone (each with its reason), from the run's plan, its settled events and the history links
 * of its range.
 */
export function classifyHistoryLinks(
  relinks: readonly Relink[],
  plan: readonly PlanRow[],
  links: readonly TimerHistoryLink[],
  removed: ReadonlySet<string>,
): { rows: RelinkRow[]; unrelinked: UnrelinkedLink[]; alreadyRelinked: number } {
  const byKey = new Map(relinks.map((r) => [`${r.tokiUserId}|${r.oldRegistrationId}`, r]));
  const targets = new Set(relinks.map((r) => `${r.tokiUserId}|${r.newRegistrationId}`));
  const planByKey = new Map(plan.map((p) => [`${p.userKey}|${p.legacyId}`, p]));
  const rows: RelinkRow[] = [];
  const unrelinked: UnrelinkedLink[] = [];
  let alreadyRelinked = 0;
  for (const link of [...links].sort((a, b) => a.historyId - b.historyId)) {
    const key = `${link.tokiUserId}|${link.registrationId}`;
    const relink = byKey.get(key);
    if (relink) rows.push({ ...relink, historyId: link.historyId });
    else if (targets.has(key)) alreadyRelinked++;
    else unrelinked.push({ historyId: link.historyId, tokiUserId: link.tokiUserId, registrationId: link.registrationId, startTime: link.startTime, reason: reasonFor(link, planByKey, removed) });
  }
  return { rows, unrelinked, alreadyRelinked };
}

export interface BuildRelinkPlanOptions {
  reportFile: string;
  runId: string;
  /** Timer history (postgres:// URL or a CSV/JSON export) to list the links of the run's range. */
  history?: string | undefined;
  clock?: Clock | undefined;
}

/** Reads a replay run's settled events (minus those cleanup removed) and, when given, the history links of its range. */
export async function buildRelinkPlan(options: BuildRelinkPlanOptions): Promise<RelinkPlan> {
  const clock = options.clock ?? systemClock;
  const store = openReportStore(options.reportFile, { clock, mustExist: true });
  let relinks: Relink[];
  let plan: PlanRow[];
  let timeZone: string;
  let range: { from: string; to: string };
  const removedByCleanup: RelinkPlan["removedByCleanup"] = [];
  try {
    const plans = createReplayPlanStore(store.db);
    const replay = plans.getRun(options.runId);
    const run = store.getRun(options.runId);
    if (run.fromDate === null || run.toDate === null) throw new ConfigError(`run ${options.runId} has no range`);
    range = { from: run.fromDate, to: run.toDate };
    timeZone = replay.timeZone;
    plan = plans.readPlan(options.runId);
    const gone = new Set(
      (store.db.prepare("SELECT DISTINCT kleer_event_id FROM replay_cleanup WHERE replay_run_id = ? AND action IN ('deleted', 'already-gone')").all(options.runId) as Array<{ kleer_event_id: string }>).map(
        (r) => r.kleer_event_id,
      ),
    );
    relinks = [];
    for (const s of settledEventsOf(createReplayJournal(store.db, { clock }), options.runId)) {
      if (gone.has(s.kleerEventId)) removedByCleanup.push({ tokiUserId: s.userKey, legacyId: s.legacyId, kleerEventId: s.kleerEventId });
      else relinks.push({ tokiUserId: s.userKey, oldRegistrationId: s.legacyId, newRegistrationId: s.kleerEventId });
    }
  } finally {
    store.db.close();
  }
  const base = { runId: options.runId, table: relinkTableName(options.runId), relinks, removedByCleanup };
  if (!options.history) return { ...base, rows: null, unrelinked: [], alreadyRelinked: 0 };
  const source = openTimerHistorySource(options.history, { timeZone });
  const links: TimerHistoryLink[] = [];
  for await (const link of source.read({ range })) links.push(link);
  const removed = new Set(removedByCleanup.map((r) => `${r.tokiUserId}|${r.legacyId}`));
  return { ...base, ...classifyHistoryLinks(relinks, plan, links, removed) };
}

/** The relink as a psql script (one transaction), or its revert. */
export function relinkSqlScript(plan: RelinkPlan, revert = false): string {
  if (revert) {
    return toSqlScript(
      [`toki-parity relink REVERT of replay run ${plan.runId}`, `Restores registration_id from ${plan.table} for rows still on the Kleer id, then drops the table once empty.`],
      revertStatements(plan.runId),
    );
  }
  const header = [
    `toki-parity relink of replay run ${plan.runId}: ${plan.relinks.length} Milltime registration id(s) → Kleer event id(s), per Toki user`,
    `Backup of every re-pointed row (id, user, old and new registration_id): table ${plan.table}`,
    `Revert: toki-parity relink --run ${plan.runId} --revert (or restore from ${plan.table})`,
    ...plan.unrelinked.map((u) => `not relinked: timer_history #${u.historyId} (user ${u.tokiUserId}, ${u.registrationId}): ${u.reason}`),
    ...plan.removedByCleanup.map((r) => `not relinked: ${r.legacyId} (user ${r.tokiUserId}): Kleer event ${r.kleerEventId} was deleted by cleanup`),
  ];
  return toSqlScript(header, relinkStatements(plan.runId, plan.relinks));
}

/** `tokiUserId,historyId,oldRegistrationId,newRegistrationId`: one row per history row when known, else per relink (historyId empty). */
export function relinkCsv(plan: RelinkPlan): string {
  const records = plan.rows
    ? plan.rows.map((r) => [r.tokiUserId, r.historyId, r.oldRegistrationId, r.newRegistrationId])
    : plan.relinks.map((r) => [r.tokiUserId, "", r.oldRegistrationId, r.newRegistrationId]);
  return stringify(records, { header: true, columns: ["tokiUserId", "historyId", "oldRegistrationId", "newRegistrationId"] });
}

export interface RelinkApplyResult {
  table: string;
  /** timer_history rows re-pointed (apply) or restored (revert). */
  rows: number;
  /** Re-pointed (or restored) rows per Toki user. */
  byUser: Array<{ tokiUserId: number; rows: number }>;
  /** Revert only: rows left in the backup table because they changed since the relink. */
  leftInBackup: number;
}

async function withTransaction<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const shown = registerPostgresUrl(url, globalRedactor);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: "toki-parity relink" });
  try {
    await client.connect();
  } catch (error) {
    throw new TokiError("UNREACHABLE", `PostgreSQL at ${shown} is unreachable: ${globalRedactor.redact((error as Error).message)}`, { cause: error });
  }
  try {
    await client.query("BEGIN");
    const result = await run(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if (error instanceof TokiError) throw error;
    throw new TokiError("PROVIDER_ERROR", `relink on ${shown} failed and was rolled back: ${globalRedactor.redact((error as Error).message)}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const r = await client.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [table]);
  return r.rows[0]?.found !== null && r.rows[0]?.found !== undefined;
}

/** Runs the relink (or its revert) in one transaction on Toki's database and counts what changed. */
export async function applyRelink(plan: RelinkPlan, url: string, revert = false): Promise<RelinkApplyResult> {
  if (!isPostgresUrl(url)) throw new ConfigError("relink --apply needs --history postgres://… (Toki's database)");
  return withTransaction(url, async (client) => {
    const exists = await tableExists(client, plan.table);
    if (!revert && exists) throw new TokiError("REFUSED", `the relink of run ${plan.runId} is applied already (table ${plan.table} exists); revert it first with --revert`);
    if (revert && !exists) throw new TokiError("REFUSED", `there is nothing to revert for run ${plan.runId}: table ${plan.table} does not exist`);
    const statements = revert ? revertStatements(plan.runId) : relinkStatements(plan.runId, plan.relinks);
    const counts: number[] = [];
    let byUser: Array<{ tokiUserId: number; rows: number }> = [];
    if (!revert) {
      for (const statement of statements) counts.push((await client.query(statement)).rowCount ?? 0);
      const grouped = await client.query<{ user_id: number; n: string }>(`SELECT user_id, count(*) AS n FROM "${plan.table}" GROUP BY user_id ORDER BY user_id`);
      byUser = grouped.rows.map((r) => ({ tokiUserId: r.user_id, rows: Number(r.n) }));
      return { table: plan.table, rows: counts[counts.length - 1] ?? 0, byUser, leftInBackup: 0 };
    }
    const before = await client.query<{ user_id: number; n: string }>(`SELECT user_id, count(*) AS n FROM "${plan.table}" GROUP BY user_id ORDER BY user_id`);
    const [restore, cleanup] = statements as [string, string];
    const restored = (await client.query(restore)).rowCount ?? 0;
    const left = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${plan.table}"`)).rows[0]?.n ?? 0);
    const after = await client.query<{ user_id: number; n: string }>(`SELECT user_id, count(*) AS n FROM "${plan.table}" GROUP BY user_id`);
    await client.query(cleanup);
    const leftBy = new Map(after.rows.map((r) => [r.user_id, Number(r.n)]));
    byUser = before.rows.map((r) => ({ tokiUserId: r.user_id, rows: Number(r.n) - (leftBy.get(r.user_id) ?? 0) })).filter((r) => r.rows > 0);
    return { table: plan.table, rows: restored, byUser, leftInBackup: left };
  });
}

export interface RelinkOptions {
  reportFile: string;
  runId: string;
  /** @default "sql" */
  format?: "sql" | "csv" | undefined;
  /** Emit (or with `apply` run) the revert instead. SQL only. */
  revert?: boolean | undefined;
  /** Write here instead of returning the text; an SQL relink also writes `<name>.revert.sql` beside it. */
  outFile?: string | undefined;
  /** Timer history: lists the links the relink leaves alone; a postgres:// URL is also where `apply` runs. */
  history?: string | undefined;
  /** Run it on `history` (PostgreSQL) in one transaction. */
  apply?: boolean | undefined;
  /** Take the history database's write lease over from this run (`--take-over RUN`). */
  takeOverRunId?: string | undefined;
  /** Lease timing (tests). @default RUN_LEASE_TTL_MS / RUN_LEASE_RENEW_MS */
  lease?: { ttlMs?: number; renewEveryMs?: number } | undefined;
  clock?: Clock | undefined;
}

export interface RelinkResult {
  plan: RelinkPlan;
  /** The script or CSV (null when written to files or applied). */
  text: string | null;
  /** Files written. */
  files: string[];
  /** What the database run changed (apply only). */
  applied: RelinkApplyResult | null;
}

/** The revert file beside an SQL relink file: `relink.sql` → `relink.revert.sql`. */
export function revertFileFor(outFile: string): string {
  return /\.sql$/i.test(outFile) ? outFile.replace(/\.sql$/i, ".revert.sql") : `${outFile}.revert.sql`;
}

/** `relink`: builds the relink of a replay run and emits it as SQL or CSV, or runs it on PostgreSQL. */
export async function runRelink(options: RelinkOptions): Promise<RelinkResult> {
  const format = options.format ?? "sql";
  const revert = options.revert ?? false;
  if (revert && format !== "sql") throw new TokiError("USAGE", "--revert produces SQL: use --format sql");
  if (options.apply && (!options.history || !isPostgresUrl(options.history)))
    throw new ConfigError("invalid options", ["--apply runs the relink on Toki's database: give --history postgres://…"]);
  if (options.apply) return applyLeased(options, options.history!, revert);
  const plan = await buildRelinkPlan({ reportFile: options.reportFile, runId: options.runId, history: revert ? undefined : options.history, clock: options.clock });
  const text = format === "csv" ? relinkCsv(plan) : relinkSqlScript(plan, revert);
  if (options.outFile === undefined) return { plan, text, files: [], applied: null };
  await writeFile(options.outFile, text, "utf8");
  const files = [options.outFile];
  if (format === "sql" && !revert) {
    const revertFile = revertFileFor(options.outFile);
    await writeFile(revertFile, relinkSqlScript(plan, true), "utf8");
    files.push(revertFile);
  }
  return { plan, text: null, files, applied: null };
}

/**
 * `relink --apply` (and its revert) under the history database's write lease in the report
 * file, taken before anything is read: a second relink of the same database — of this run or
 * another — refuses at once instead of re-pointing rows the first is moving.
 */
async function applyLeased(options: RelinkOptions, url: string, revert: boolean): Promise<RelinkResult> {
  const clock = options.clock ?? systemClock;
  const db = openReportDatabase(options.reportFile, { mustExist: true });
  let lease: RunLease | undefined;
  try {
    lease = acquireRunLease(db, {
      target: historyLeaseTarget(url),
      runId: options.runId,
      command: revert ? "relink --revert" : "relink",
      clock,
      takeOver: options.takeOverRunId,
      ttlMs: options.lease?.ttlMs,
      renewEveryMs: options.lease?.renewEveryMs,
    });
    const plan = await buildRelinkPlan({ reportFile: options.reportFile, runId: options.runId, history: revert ? undefined : url, clock });
    lease.assertHeld();
    return { plan, text: null, files: [], applied: await applyRelink(plan, url, revert) };
  } finally {
    lease?.release();
    db.close();
  }
}
