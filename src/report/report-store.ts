import Database from "better-sqlite3";
import type { PeriodKind } from "../domain/calendar.js";
import type { UserLink } from "../domain/cutover-mapping.js";
import { ConfigError, TokiError } from "../domain/errors.js";
import type { Clock } from "../domain/ports.js";
import type { DateRange } from "../domain/time-entry.js";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";
import type { RequestRecord } from "../http/request-log.js";
import { findSuppression, refersTo, type FindingRef } from "../parity/finding.js";
import type { Suppression } from "../parity/parity-rules.js";
import type { EntryRow, UserParityResult } from "../parity/user-parity.js";
import type { RunFinding } from "../parity/history-row-check.js";
import { migrateReport } from "./report-migrations.js";
import { createReportReader, type ReportReader } from "./report-reader.js";
import { formatRunId, randomRunSuffix } from "./report-run-id.js";

/** Entry rows per INSERT statement (9 parameters each, well under SQLite's 32,766). */
const ENTRY_ROWS_PER_INSERT = 64;

/** One entry row's parameters, in the entries table's column order. */
function pushEntryParams(params: unknown[], runId: string, e: EntryRow): void {
  params.push(runId, e.userKey, e.date, e.legacyId, e.kleerId, e.outcome, e.evidence, e.legacyHours, e.kleerHours);
}

export interface ReportStoreOptions {
  clock: Clock;
  /** Suffix of new run ids. @default four random hex characters */
  runSuffix?: () => string;
  /** Applied to every text column written (a last line of defence). @default globalRedactor */
  redactor?: SecretRedactor;
}

export interface StartRunInput {
  /** The CLI command that produced the run, e.g. `compare`. */
  command: string;
  range?: DateRange | undefined;
  period?: PeriodKind | undefined;
  /** Stored as `options_json`: the run's options, never a secret. */
  options?: Record<string, unknown> | undefined;
  toolVersion: string;
  /** The suppressions in effect, stored with their reasons. */
  suppressions?: readonly Suppression[] | undefined;
}

/** One user's results: written in a single transaction, so a crash never leaves half of it. */
export interface UserBatch {
  user: UserLink;
  result: UserParityResult;
  requests?: readonly RequestRecord[] | undefined;
  /** Who the user is, for people reading the report (Kleer's users list). */
  person?: { name: string | null; email: string | null } | undefined;
}

/** The SQLite report store: many runs per file, each user's results written atomically. */
export interface ReportStore extends ReportReader {
  readonly db: Database.Database;
  /** Creates a `running` run and returns its id. */
  startRun(input: StartRunInput): string;
  /** Writes one user's rows (run_users, entries, findings, time_info, requests) in one transaction. */
  writeUserBatch(runId: string, batch: UserBatch): void;
  /** Writes findings of no user's batch (e.g. an unreadable history row whose user is unknown). */
  writeRunFindings(runId: string, findings: readonly RunFinding[]): void;
  /** Marks a running run completed, storing its summary. */
  completeRun(runId: string, summary?: unknown): void;
  /** Marks a running run failed with a message free of secrets. */
  failRun(runId: string, errorMessage: string): void;
}

/** How long a report-file write waits for another process's write transaction before failing. */
export const REPORT_BUSY_TIMEOUT_MS = 30_000;

export interface OpenReportDatabaseOptions {
  /** Refuse to create the file (report and gate read existing files). @default false */
  mustExist?: boolean;
}

/**
 * What a SQLite file holds before it is used as a report: nothing yet (a new report), a
 * toki-parity report (its `schema_version` table), or somebody else's tables. Reads only.
 */
export function classifyReportDatabase(db: Database.Database): { kind: "empty" } | { kind: "report" } | { kind: "foreign"; tables: string[] } {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map(
    (r) => r.name,
  );
  if (tables.length === 0) return { kind: "empty" };
  if (tables.includes("schema_version")) return { kind: "report" };
  return { kind: "foreign", tables };
}

/**
 * Opens (or creates) a report file in WAL mode; the caller owns and closes the handle. A file
 * that is not a toki-parity report (another tool's tables, or not SQLite at all) is refused
 * before anything is written to it, not even the WAL switch; with `mustExist` an empty file is
 * refused too (there is no report in it).
 */
export function openReportDatabase(file: string, options: OpenReportDatabaseOptions = {}): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: options.mustExist ?? false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot open report file ${file}: ${reason}`, [], { cause: error });
  }
  try {
    // A connection setting (nothing is written): every lock below waits instead of failing.
    db.pragma(`busy_timeout = ${REPORT_BUSY_TIMEOUT_MS}`);
    const found = classifyReportDatabase(db);
    if (found.kind === "foreign")
      throw new ConfigError(
        `${file} is not a toki-parity report file (it holds ${found.tables.slice(0, 5).join(", ")}${found.tables.length > 5 ? ", …" : ""}); nothing was changed: pass another --report file`,
      );
    if (found.kind === "empty" && options.mustExist) throw new ConfigError(`${file} is not a toki-parity report file (it is empty)`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  } catch (error) {
    db.close();
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot use ${file} as a report file: ${reason}`, [], { cause: error });
  }
  return db;
}

/**
 * Opens a report file and wraps it in a store (migrations applied). A file that is not a
 * toki-parity report is refused rather than given report tables.
 */
export function openReportStore(file: string, options: ReportStoreOptions & OpenReportDatabaseOptions): ReportStore {
  return createReportStore(openReportDatabase(file, options), options);
}

/** Builds the store on a database it receives (a file or `:memory:`) and applies pending migrations. */
export function createReportStore(db: Database.Database, options: ReportStoreOptions): ReportStore {
  const { clock } = options;
  const redactor = options.redactor ?? globalRedactor;
  const runSuffix = options.runSuffix ?? randomRunSuffix;
  migrateReport(db, clock.now().toISOString());
  const reader = createReportReader(db);
  const clean = (text: string | null | undefined): string | null => (text === null || text === undefined ? null : redactor.redact(text));
  const suppressionsByRun = new Map<string, Array<{ id: number; suppression: Suppression }>>();

  const insertRun = db.prepare(
    `INSERT INTO runs (run_id, command, status, started_at, from_date, to_date, period, options_json, tool_version)
     VALUES (@runId, @command, 'running', @startedAt, @fromDate, @toDate, @period, @optionsJson, @toolVersion)`,
  );
  const insertSuppression = db.prepare(
    `INSERT INTO suppressions (run_id, kind, user_key, from_date, to_date, legacy_id, kleer_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const runExists = db.prepare("SELECT 1 FROM runs WHERE run_id = ?");
  const runStatus = db.prepare("SELECT status FROM runs WHERE run_id = ?");
  const insertUser = db.prepare(
    `INSERT INTO run_users (run_id, user_key, milltime_user_id, kleer_user_id, status, legacy_entries, compared, kleer_events, matches,
       mismatches, missing, extra, unmapped, skipped, blocking, warnings, infos, suppressed, flex_balance, email, name, kleer_skipped)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const entryColumns = "INSERT INTO entries (run_id, user_key, date, legacy_id, kleer_id, outcome, evidence, legacy_hours, kleer_hours) VALUES ";
  const entryValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const insertEntry = db.prepare(`${entryColumns}${entryValues}`);
  // A user's entries go ENTRY_ROWS_PER_INSERT to a statement: one statement per row cost a
  // bind-and-step round trip each, a sixth of the write of a user's ~1,500 rows.
  const insertEntries = db.prepare(`${entryColumns}${Array.from({ length: ENTRY_ROWS_PER_INSERT }, () => entryValues).join(", ")}`);
  const entryParams: unknown[] = [];
  const insertFinding = db.prepare(
    `INSERT INTO findings (run_id, kind, severity, user_key, date, legacy_id, kleer_id, field, legacy_value, kleer_value, message,
       details_json, suppressed, suppression_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTimeInfo = db.prepare(
    `INSERT INTO time_info (run_id, user_key, period_start, period_end, legacy_worked, legacy_scheduled, legacy_absence, legacy_covered,
       legacy_remaining, legacy_flex_period, legacy_flex_balance, kleer_worked, kleer_scheduled, kleer_absence, kleer_covered,
       kleer_remaining, kleer_flex_period) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRequest = db.prepare(
    `INSERT INTO requests (run_id, user_key, system, method, route, status, attempts, duration_ms, span_from, span_to, split)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const setCause = db.prepare("UPDATE findings SET caused_by = ? WHERE id = ?");
  const countSuppression = db.prepare("UPDATE suppressions SET matched_findings = matched_findings + ? WHERE id = ?");
  const finishRun = db.prepare(
    "UPDATE runs SET status = ?, finished_at = ?, error_message = ?, summary_json = ? WHERE run_id = ? AND status = 'running'",
  );

  function suppressionsOf(runId: string): Array<{ id: number; suppression: Suppression }> {
    let cached = suppressionsByRun.get(runId);
    if (!cached) {
      cached = reader.readSuppressionRules(runId);
      suppressionsByRun.set(runId, cached);
    }
    return cached;
  }

  function newRunId(now: Date): string {
    for (let attempt = 0; attempt < 20; attempt++) {
      const id = formatRunId(now, runSuffix());
      if (!runExists.get(id)) return id;
    }
    throw new TokiError("REFUSED", "could not find a free run id; is the run suffix source random?");
  }

  const startRun = db.transaction((input: StartRunInput): string => {
    const now = clock.now();
    const runId = newRunId(now);
    insertRun.run({
      runId,
      command: input.command,
      startedAt: now.toISOString(),
      fromDate: input.range?.from ?? null,
      toDate: input.range?.to ?? null,
      period: input.period ?? null,
      optionsJson: clean(JSON.stringify(input.options ?? {})),
      toolVersion: input.toolVersion,
    });
    const stored: Array<{ id: number; suppression: Suppression }> = [];
    for (const s of input.suppressions ?? []) {
      const info = insertSuppression.run(runId, s.kind, s.userKey ?? null, s.from ?? null, s.to ?? null, s.legacyId ?? null, s.kleerId ?? null, clean(s.reason));
      stored.push({ id: Number(info.lastInsertRowid), suppression: s });
    }
    suppressionsByRun.set(runId, stored);
    return runId;
  });

  const writeUserBatch = db.transaction((runId: string, batch: UserBatch): void => {
    const status = (runStatus.get(runId) as { status: string } | undefined)?.status;
    if (status !== "running") throw new TokiError("REFUSED", `run ${runId} is ${status ?? "unknown"}: no more results can be written to it`);
    const { result, user } = batch;
    const key = result.userKey;
    const c = result.counts;
    const open = result.findings.filter((f) => !f.suppressed);
    const bySeverity = (s: string) => open.filter((f) => f.severity === s).length;
    insertUser.run(
      runId, key, user.milltimeUserId ?? null, user.kleerUserId === undefined ? null : String(user.kleerUserId), result.status,
      c.legacyEntries, c.compared, c.kleerEvents, c.matches, c.mismatches, c.missing, c.extra, c.unmapped, c.skipped,
      bySeverity("blocking"), bySeverity("warning"), bySeverity("info"), result.findings.length - open.length, result.flexBalance,
      clean(user.email ?? batch.person?.email ?? null), clean(batch.person?.name ?? null), c.kleerSkipped,
    );
    const entries = result.entries;
    const full = entries.length - (entries.length % ENTRY_ROWS_PER_INSERT);
    for (let at = 0; at < entries.length; ) {
      // Full statements first, then the remainder one row at a time.
      const rows = at < full ? ENTRY_ROWS_PER_INSERT : 1;
      entryParams.length = 0;
      for (const e of entries.slice(at, at + rows)) pushEntryParams(entryParams, runId, e);
      (rows === 1 ? insertEntry : insertEntries).run(entryParams);
      at += rows;
    }
    const rules = suppressionsOf(runId);
    const matched = new Map<number, number>();
    const ids: number[] = [];
    for (const f of result.findings) {
      const inserted = insertFinding.run(
        runId, f.kind, f.severity, f.userKey, f.date, f.legacyId, f.kleerId, f.field, clean(f.legacyValue), clean(f.kleerValue),
        clean(f.message), f.details ? clean(JSON.stringify(f.details)) : null, f.suppressed ? 1 : 0, clean(f.suppressionReason),
      );
      ids.push(Number(inserted.lastInsertRowid));
      if (!f.suppressed) continue;
      const index = findSuppression(rules.map((r) => r.suppression), f);
      const rule = rules[index];
      if (rule) matched.set(rule.id, (matched.get(rule.id) ?? 0) + 1);
    }
    for (const [id, count] of matched) countSuppression.run(count, id);
    // A cause names its root by identifying fields; the root is among the same user's findings.
    result.findings.forEach((f, i) => {
      if (f.causedBy === null) return;
      const rootIndex = result.findings.findIndex((root) => refersTo(f.causedBy as FindingRef, root));
      if (rootIndex >= 0 && rootIndex !== i) setCause.run(ids[rootIndex], ids[i]);
    });
    for (const t of result.timeInfo) {
      insertTimeInfo.run(
        runId, t.userKey, t.periodStart, t.periodEnd, t.legacyWorked, t.legacyScheduled, t.legacyAbsence, t.legacyCovered,
        t.legacyRemaining, t.legacyFlexPeriod, t.legacyFlexBalance, t.kleerWorked, t.kleerScheduled, t.kleerAbsence, t.kleerCovered,
        t.kleerRemaining, t.kleerFlexPeriod,
      );
    }
    for (const r of batch.requests ?? []) {
      insertRequest.run(
        runId, key, r.system, r.method, clean(r.route), r.status ?? null, r.attempts, r.durationMs, r.spanFrom ?? null, r.spanTo ?? null, r.split ? 1 : 0,
      );
    }
  });

  const writeRunFindings = db.transaction((runId: string, findings: readonly RunFinding[]): void => {
    const status = (runStatus.get(runId) as { status: string } | undefined)?.status;
    if (status !== "running") throw new TokiError("REFUSED", `run ${runId} is ${status ?? "unknown"}: no more results can be written to it`);
    for (const f of findings) {
      insertFinding.run(
        runId, f.kind, f.severity, f.userKey, f.date, f.legacyId, f.kleerId, f.field, clean(f.legacyValue), clean(f.kleerValue),
        clean(f.message), f.details ? clean(JSON.stringify(f.details)) : null, f.suppressed ? 1 : 0, clean(f.suppressionReason),
      );
    }
  });

  return {
    db,
    ...reader,
    writeRunFindings: (runId, findings) => writeRunFindings(runId, findings),
    // IMMEDIATE: the write lock is taken (waiting on busy_timeout) before the first read, so a
    // concurrent writer can never turn this transaction's read snapshot stale (SQLITE_BUSY at once).
    startRun: (input) => startRun.immediate(input),
    writeUserBatch: (runId, batch) => writeUserBatch.immediate(runId, batch),
    completeRun(runId, summary) {
      finishRun.run("completed", clock.now().toISOString(), null, summary === undefined ? null : clean(JSON.stringify(summary)), runId);
    },
    failRun(runId, errorMessage) {
      finishRun.run("failed", clock.now().toISOString(), clean(errorMessage), null, runId);
    },
  };
}
