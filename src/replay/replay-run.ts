import pLimit from "p-limit";
import type { CutoverMapping, UserLink } from "../domain/cutover-mapping.js";
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger, type Clock, type Logger } from "../domain/ports.js";
import type { DateRange } from "../domain/time-entry.js";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";
import { describeSourceError } from "../compare/compare-sources.js";
import { createBufferedRecorder } from "../report/report-recorder.js";
import type { ReportStore } from "../report/report-store.js";
import { acquireRunLease, kleerLeaseTarget, type RunLease } from "../report/report-lease.js";
import { applyUserRows } from "./replay-apply.js";
import { createReplayJournal, type ReplayJournal } from "./replay-journal.js";
import { countPlan } from "./replay-plan.js";
import { planUser, ReplaySourceError, type ReplaySources } from "./replay-read.js";
import { readBackUser, recordReadBackFindings } from "./replay-readback.js";
import { createReplayPlanStore, type ReplayPlanStore } from "./replay-store.js";
import type { KleerDuplicate, PlanRow, ReplayMode, ReplaySummary, ReplayTarget, ReplayUserError } from "./replay-types.js";

/** Users read at once, and create requests in flight, when the caller gives no concurrency. */
export const DEFAULT_REPLAY_CONCURRENCY = 4;
/** Plan rows returned for printing. */
export const DEFAULT_PLAN_PREVIEW_ROWS = 20;

export interface ReplayProgress {
  phase: "plan" | "apply" | "read-back";
  /** Users finished in this phase. */
  done: number;
  total: number;
  tokiUserId: number;
  /** Apply phase: plan rows to write (not blocked) settled so far, of all planned users. */
  entries?: { done: number; total: number } | undefined;
}

export interface RunReplayOptions {
  /** The replayed range (inclusive): legacy entries whose registration day lies in it. */
  range: DateRange;
  /** The users to process (already filtered/sharded), with their mapped ids. */
  users: readonly UserLink[];
  mapping: CutoverMapping;
  sources: ReplaySources;
  /** The report store (a run with command `replay` is written to it). */
  store: ReportStore;
  clock: Clock;
  /** Zone of the local registration day. */
  timeZone: string;
  mode: ReplayMode;
  /** The Kleer host and company written to (recorded; a resume must use the same). */
  target: Omit<ReplayTarget, "timeZone">;
  /** Users read at once and creates in flight. @default DEFAULT_REPLAY_CONCURRENCY */
  concurrency?: number | undefined;
  /** Continue this replay run (apply mode only) instead of starting a new one. */
  resumeRunId?: string | undefined;
  /** Take the Kleer target's write lease over from this run (`--take-over RUN`). */
  takeOverRunId?: string | undefined;
  /** Lease timing (tests). @default RUN_LEASE_TTL_MS / RUN_LEASE_RENEW_MS */
  lease?: { ttlMs?: number; renewEveryMs?: number } | undefined;
  toolVersion: string;
  /** Extra options recorded in `options_json` (never secrets). */
  runOptions?: Record<string, unknown> | undefined;
  /** @default DEFAULT_PLAN_PREVIEW_ROWS */
  previewRows?: number | undefined;
  /** @default globalRedactor */
  redactor?: SecretRedactor | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  onProgress?: ((progress: ReplayProgress) => void) | undefined;
}

export interface ReplayRunResult {
  summary: ReplaySummary;
  /** The first plan rows of the run, in plan order. */
  preview: PlanRow[];
}

function sameTarget(a: Omit<ReplayTarget, "timeZone">, b: Omit<ReplayTarget, "timeZone">): boolean {
  return a.kleerBaseUrl.replace(/\/+$/, "") === b.kleerBaseUrl.replace(/\/+$/, "") && a.kleerCompanyId === b.kleerCompanyId;
}

/** Checks that a run can be resumed with these options; returns its id. */
function openResumedRun(options: RunReplayOptions, store: ReportStore, plans: ReplayPlanStore, runId: string): string {
  const run = store.getRun(runId);
  const replay = plans.getRun(runId);
  if (replay.mode !== "apply" || options.mode !== "apply")
    throw new TokiError("USAGE", `--resume continues an applying run: ${replay.mode === "apply" ? "pass --apply" : `run ${runId} was a dry run; start a new run with --apply`}`);
  if (!sameTarget(replay, options.target))
    throw new TokiError("REFUSED", `run ${runId} wrote to ${replay.kleerBaseUrl} company ${replay.kleerCompanyId}; this invocation points at ${options.target.kleerBaseUrl} company ${options.target.kleerCompanyId}`);
  if (replay.timeZone !== options.timeZone)
    throw new ConfigError(`run ${runId} planned registration days in ${replay.timeZone}; pass --time-zone ${replay.timeZone}`);
  if (run.fromDate !== options.range.from || run.toDate !== options.range.to)
    throw new ConfigError(`run ${runId} replays ${run.fromDate} … ${run.toDate}, not ${options.range.from} … ${options.range.to}`);
  const selected = new Map(options.users.map((u) => [u.tokiUserId, u]));
  const recorded = plans.readUsers(runId);
  const outside = recorded.filter((u) => !selected.has(u.userKey)).map((u) => u.userKey);
  if (outside.length > 0)
    throw new ConfigError(`run ${runId} also covers Toki users ${outside.join(", ")}, which this invocation does not select; pass the same --users/--shard`);
  // The stored plan names Kleer users; a mapping that now says otherwise must not receive those rows.
  const moved = recorded.filter((u) => u.status === "planned" && (selected.get(u.userKey)?.kleerUserId ?? null) !== u.kleerUserId);
  if (moved.length > 0)
    throw new ConfigError(
      `the mapping changed since run ${runId} was planned`,
      moved.map((u) => `Toki user ${u.userKey}: planned for Kleer user ${u.kleerUserId ?? "none"}, now mapped to ${selected.get(u.userKey)?.kleerUserId ?? "none"}; start a new run`),
    );
  plans.reopenRun(runId);
  return runId;
}

/**
 * Replays the legacy entries of a range into Kleer, as Toki would have written them.
 *
 * Phase 1 plans every user (reads only) and stores the plan; phase 2 (apply mode) makes sure
 * each planned entry ends with exactly one event carrying its foreign-id, journaling every
 * create before sending it. A user whose sources cannot be read is recorded and gets no
 * writes; anything else that fails (the store, a bug) marks the run failed and is rethrown.
 * A resumed run plans only the users it has no plan for and then applies as usual.
 */
export async function runReplay(options: RunReplayOptions): Promise<ReplayRunResult> {
  const { range } = options;
  const concurrency = options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(`concurrency must be a positive integer, got ${concurrency}`);
  if (range.from > range.to) throw new ConfigError(`the range starts ${range.from}, after its end ${range.to}`);
  const redactor = options.redactor ?? globalRedactor;
  const logger = options.logger ?? silentLogger;
  const { store, clock, mode } = options;
  const plans = createReplayPlanStore(store.db, { redactor });
  const started = clock.now().getTime();
  // Applying takes the target's lease first: a second process on the same company refuses at
  // once instead of writing every entry again; every create re-checks the lease is still held.
  const lease =
    mode === "apply"
      ? acquireRunLease(store.db, {
          target: kleerLeaseTarget(options.target.kleerBaseUrl, options.target.kleerCompanyId),
          runId: options.resumeRunId ?? "(starting)",
          command: "replay",
          clock,
          takeOver: options.takeOverRunId,
          ttlMs: options.lease?.ttlMs,
          renewEveryMs: options.lease?.renewEveryMs,
        })
      : undefined;
  try {
    if (lease?.tookOverFrom) logger.warn("replay took the write lease over", { target: lease.target, from: lease.tookOverFrom.runId });
    return await runLeased(options, plans, lease, started, concurrency, redactor, logger);
  } finally {
    lease?.release();
  }
}

async function runLeased(
  options: RunReplayOptions,
  plans: ReplayPlanStore,
  lease: RunLease | undefined,
  started: number,
  concurrency: number,
  redactor: SecretRedactor,
  logger: Logger,
): Promise<ReplayRunResult> {
  const { range, store, clock, mode, timeZone } = options;
  const journal = guardedJournal(createReplayJournal(store.db, { clock, redactor }), lease);

  let runId: string;
  if (options.resumeRunId !== undefined) {
    runId = openResumedRun(options, store, plans, options.resumeRunId);
  } else {
    runId = store.startRun({
      command: "replay",
      range,
      toolVersion: options.toolVersion,
      options: { ...options.runOptions, mode, from: range.from, to: range.to, timeZone, users: options.users.length, concurrency, kleer: { baseUrl: options.target.kleerBaseUrl, companyId: options.target.kleerCompanyId } },
    });
    plans.registerRun(runId, mode, { ...options.target, timeZone });
  }
  lease?.setRunId(runId);
  logger.info("replay run started", { runId, mode, resumed: options.resumeRunId !== undefined, users: options.users.length });

  const applyErrors: ReplayUserError[] = [];
  let duplicates: KleerDuplicate[] = [];
  try {
    // Events earlier runs of this file wrote: still the entry's even if edited (foreign-id changed) since.
    const journaled = journal.journaledEvents();
    // And the journal's word per legacy entry, confirmed by GET before anything is created.
    const byLegacyId = journal.journaledEventsByLegacyId();
    const existingByUser = await planPhase(options, runId, plans, concurrency, logger, journaled, byLegacyId);
    if (mode === "apply") {
      await applyPhase(options, runId, plans, journal, existingByUser, { journaled, byLegacyId }, concurrency, redactor, logger, applyErrors);
      duplicates = await readBackPhase(options, runId, plans, journal, concurrency, redactor, applyErrors);
      recordReadBackFindings(store, runId, duplicates);
      if (duplicates.length > 0) logger.warn("replay read-back: legacy entries with more than one Kleer event", { runId, entries: duplicates.length });
    }
  } catch (error) {
    store.failRun(runId, describeSourceError(error, redactor));
    logger.warn("replay run failed", { runId });
    throw error;
  }

  const summary = summarise(options, runId, plans, journal, applyErrors, duplicates, clock.now().getTime() - started);
  store.completeRun(runId, summary);
  const preview = plans.readPlan(runId).slice(0, options.previewRows ?? DEFAULT_PLAN_PREVIEW_ROWS);
  return { summary, preview };
}

async function planPhase(
  options: RunReplayOptions,
  runId: string,
  plans: ReplayPlanStore,
  concurrency: number,
  logger: Logger,
  journaled: ReadonlyMap<string, string>,
  byLegacyId: ReadonlyMap<string, readonly string[]>,
): Promise<Map<number, Map<string, string[]>>> {
  const done = new Map(plans.readUsers(runId).map((u) => [u.userKey, u.status]));
  const todo = options.users.filter((u) => done.get(u.tokiUserId) !== "planned");
  const existingByUser = new Map<number, Map<string, string[]>>();
  const limit = pLimit(concurrency);
  let count = 0;
  await Promise.all(
    todo.map((user) =>
      limit(async () => {
        const recorder = createBufferedRecorder();
        const ids = { userKey: user.tokiUserId, milltimeUserId: user.milltimeUserId ?? null, kleerUserId: user.kleerUserId ?? null };
        try {
          const planned = await planUser(user, options.range, options.mapping, options.timeZone, options.sources, recorder, journaled, byLegacyId);
          plans.writeUserPlan(runId, ids, planned.rows, recorder.drain());
          if (planned.existing) existingByUser.set(user.tokiUserId, planned.existing);
        } catch (error) {
          if (!(error instanceof ReplaySourceError)) throw error;
          const message = describeSourceError(error.cause, options.redactor ?? globalRedactor);
          plans.writeUserError(runId, { ...ids, errorSystem: error.system, errorMessage: message }, recorder.drain());
          logger.warn("replay: a source of the user could not be read; nothing of theirs is written", { runId, tokiUserId: user.tokiUserId, system: error.system });
        }
        options.onProgress?.({ phase: "plan", done: ++count, total: todo.length, tokiUserId: user.tokiUserId });
      }),
    ),
  );
  return existingByUser;
}

async function applyPhase(
  options: RunReplayOptions,
  runId: string,
  plans: ReplayPlanStore,
  journal: ReplayJournal,
  existingByUser: Map<number, Map<string, string[]>>,
  known: { journaled: ReadonlyMap<string, string>; byLegacyId: ReadonlyMap<string, readonly string[]> },
  concurrency: number,
  redactor: SecretRedactor,
  logger: Logger,
  applyErrors: ReplayUserError[],
): Promise<void> {
  const planned = new Map(plans.readUsers(runId).filter((u) => u.status === "planned").map((u) => [u.userKey, u]));
  const users = options.users.filter((u): u is UserLink & { kleerUserId: number } => planned.has(u.tokiUserId) && u.kleerUserId !== undefined);
  const userLimit = pLimit(concurrency);
  const writeLimit = pLimit(concurrency);
  let count = 0;
  const rowsOf = (userKey: number) => plans.readPlan(runId, userKey).filter((r) => r.action !== "blocked");
  // Entries, not just users: one user's hundreds of creates would otherwise be one silent step.
  // Counted up front, read again per user: a large plan is never held in memory whole.
  const entries = { done: 0, total: users.reduce((n, u) => n + rowsOf(u.tokiUserId).length, 0) };
  await Promise.all(
    users.map((user) =>
      userLimit(async () => {
        const rows = rowsOf(user.tokiUserId);
        const recorder = createBufferedRecorder();
        try {
          if (rows.length > 0) {
            const client = await options.sources.kleerClientFor(user, recorder);
            await applyUserRows({
              runId,
              kleerUserId: user.kleerUserId,
              rows,
              client,
              journal,
              range: options.range,
              existing: existingByUser.get(user.tokiUserId) ?? null,
              journaled: known.journaled,
              journaledByLegacyId: known.byLegacyId,
              findEvent: (eventId) => options.sources.findKleerEvent(eventId, recorder),
              writeLimit,
              redactor,
              logger,
              onRowSettled: () => {
                entries.done++;
                options.onProgress?.({ phase: "apply", done: count, total: users.length, tokiUserId: user.tokiUserId, entries: { ...entries } });
              },
            });
          }
        } catch (error) {
          // Listing the user's events failed: their entries stay unsettled for a resume.
          if (error instanceof TokiError && !(error.code === "CONFIG" || error.code === "USAGE" || error.code === "REFUSED")) {
            applyErrors.push({ tokiUserId: user.tokiUserId, system: "kleer", message: describeSourceError(error, redactor) });
          } else {
            throw error;
          }
        } finally {
          plans.recordRequests(runId, user.tokiUserId, recorder.drain());
        }
        options.onProgress?.({ phase: "apply", done: ++count, total: users.length, tokiUserId: user.tokiUserId, entries: { ...entries } });
      }),
    ),
  );
}

/**
 * After applying, lists every written-to user's events over the range again and reports each
 * legacy entry that now has more than one: the one check that sees a replay from another report
 * file (no lease of this file covers it) or a person writing the same entries at the same time.
 * A user whose read-back fails is a user error (exit 3), never "no duplicates".
 */
async function readBackPhase(
  options: RunReplayOptions,
  runId: string,
  plans: ReplayPlanStore,
  journal: ReplayJournal,
  concurrency: number,
  redactor: SecretRedactor,
  applyErrors: ReplayUserError[],
): Promise<KleerDuplicate[]> {
  const failed = new Set(applyErrors.map((e) => e.tokiUserId));
  const planned = new Set(plans.readUsers(runId).filter((u) => u.status === "planned").map((u) => u.userKey));
  const users = options.users.filter(
    (u): u is UserLink & { kleerUserId: number } => planned.has(u.tokiUserId) && u.kleerUserId !== undefined && !failed.has(u.tokiUserId),
  );
  // Fresh: the events this very run created are in it too.
  const journaled = journal.journaledEvents();
  const limit = pLimit(concurrency);
  const found: KleerDuplicate[] = [];
  let count = 0;
  await Promise.all(
    users.map((user) =>
      limit(async () => {
        const rows = plans.readPlan(runId, user.tokiUserId);
        if (!rows.some((r) => r.action !== "blocked")) return;
        const recorder = createBufferedRecorder();
        try {
          const client = await options.sources.kleerClientFor(user, recorder);
          found.push(...(await readBackUser(client, options.range, rows, user.kleerUserId, journaled)));
        } catch (error) {
          if (!(error instanceof TokiError) || error.code === "CONFIG" || error.code === "USAGE" || error.code === "REFUSED") throw error;
          applyErrors.push({ tokiUserId: user.tokiUserId, system: "kleer", message: `reading the events back after applying failed: ${describeSourceError(error, redactor)}` });
        } finally {
          plans.recordRequests(runId, user.tokiUserId, recorder.drain());
        }
        options.onProgress?.({ phase: "read-back", done: ++count, total: users.length, tokiUserId: user.tokiUserId });
      }),
    ),
  );
  return found.sort((a, b) => a.tokiUserId - b.tokiUserId || (a.legacyId < b.legacyId ? -1 : a.legacyId > b.legacyId ? 1 : 0));
}

/** The journal with every intent (the gate of every create) behind a check that the lease is still held. */
function guardedJournal(journal: ReplayJournal, lease: RunLease | undefined): ReplayJournal {
  if (!lease) return journal;
  return {
    ...journal,
    recordIntent(runId, row, kleerUserId, attempt) {
      lease.assertHeld();
      return journal.recordIntent(runId, row, kleerUserId, attempt);
    },
  };
}

function summarise(
  options: RunReplayOptions,
  runId: string,
  plans: ReplayPlanStore,
  journal: ReplayJournal,
  applyErrors: readonly ReplayUserError[],
  duplicates: readonly KleerDuplicate[],
  durationMs: number,
): ReplaySummary {
  const users = plans.readUsers(runId);
  const rows = plans.readPlan(runId);
  const counts = countPlan(rows);
  let created = 0;
  let resolvedExisting = 0;
  let failed = 0;
  let unsettled = 0;
  if (options.mode === "apply") {
    const states = new Map<number, ReturnType<ReplayJournal["statesOf"]>>();
    for (const row of rows) {
      if (row.action === "blocked") continue;
      let perUser = states.get(row.userKey);
      if (!perUser) states.set(row.userKey, (perUser = journal.statesOf(runId, row.userKey)));
      const state = perUser.get(row.legacyId);
      if (state?.settled?.outcome === "created") created++;
      else if (state?.settled) resolvedExisting++;
      else if (state?.pending || !state) unsettled++;
      else failed++;
    }
  }
  const userErrors: ReplayUserError[] = [
    ...users
      .filter((u) => u.status === "source_error")
      .map((u) => ({ tokiUserId: u.userKey, system: u.errorSystem ?? "milltime", message: u.errorMessage ?? "" })),
    ...applyErrors,
  ].sort((a, b) => a.tokiUserId - b.tokiUserId);
  return {
    runId,
    mode: options.mode,
    range: options.range,
    resumed: options.resumeRunId !== undefined,
    users: users.length,
    usersPlanned: users.filter((u) => u.status === "planned").length,
    usersWithSourceErrors: new Set(userErrors.map((e) => e.tokiUserId)).size,
    entries: rows.length,
    plannedCreate: counts.create,
    plannedSkipExisting: counts.skipExisting,
    blocked: counts.blocked,
    blockedByReason: counts.byReason,
    created,
    resolvedExisting,
    failed,
    unsettled,
    writeRequests: plans.countKleerRequests(runId, "PUT"),
    duplicatesInKleer: [...duplicates],
    userErrors,
    compareRunId: null,
    durationMs,
  };
}
