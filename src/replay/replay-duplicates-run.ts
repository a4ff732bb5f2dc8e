import pLimit from "p-limit";
import type { Dispatcher } from "undici";
import { resolveWriteMode, type WriteMode } from "../config/write-guard.js";
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import { openTimerHistorySource } from "../history/index.js";
import { globalRedactor } from "../http/redact.js";
import { describeSourceError } from "../compare/compare-sources.js";
import { createKleerAdapter, createKleerClient, createKleerCompanyLookups, type KleerClient } from "../kleer/index.js";
import { createBufferedRecorder } from "../report/report-recorder.js";
import { openReportStore, type ReportStore } from "../report/report-store.js";
import { acquireRunLease, kleerLeaseTarget } from "../report/report-lease.js";
import { TOOL_VERSION } from "../cli/tool-version.js";
import { CLEANUP_CONCURRENCY } from "./replay-cleanup.js";
import { isAmbiguousWriteFailure } from "./replay-apply.js";
import { createReplayJournal } from "./replay-journal.js";
import { decideDuplicate, mergeDuplicates, type DuplicateDecision, type DuplicateHolder } from "./replay-duplicates.js";
import { legacyIdOfForeignId, readBackUser } from "./replay-readback.js";
import { createReplayPlanStore } from "./replay-store.js";
import type { KleerDuplicate, ReplayRunRecord } from "./replay-types.js";

export interface CleanupDuplicatesOptions {
  reportFile: string;
  /** Only this applying replay run's range and users. @default every applying replay run of the file on the Kleer target */
  runId?: string | undefined;
  /** Delete (`--apply`); otherwise only read, decide and list. */
  apply: boolean;
  /** @default false */
  allowProduction?: boolean | undefined;
  /** Take the Kleer company's write lease over from this run (`--take-over RUN`). */
  takeOverRunId?: string | undefined;
  /** Timer history (postgres:// URL or export): a copy a timer_history row points at is kept. */
  history?: string | undefined;
  kleer: {
    /** @default the host of the newest applying replay run (or of `runId`) */
    baseUrl?: string | undefined;
    token: string;
    /** @default the company of that run */
    companyId?: number | undefined;
  };
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  dispatcher?: Dispatcher | undefined;
}

/** One event of a duplicated entry and what the cleanup did with it. */
export interface DuplicateItem {
  tokiUserId: number;
  legacyId: string;
  kleerEventId: string;
  /** `deleted` / `would-delete` / `already-gone`: this file's copies; `retained`: this file's kept copy; `left`: not this file's. */
  action: "deleted" | "would-delete" | "already-gone" | "retained" | "left" | "kept";
  reason: string;
}

export interface CleanupDuplicatesResult {
  cleanupRunId: string;
  mode: WriteMode;
  /** The replay runs whose ranges and users were read back. */
  replayRuns: string[];
  /** Legacy entries Kleer held more than once when read. */
  entries: number;
  deleted: number;
  wouldDelete: number;
  /** Entries that still have (apply) or would still have (dry run) more than one event. */
  remaining: Array<{ tokiUserId: number; legacyId: string; eventIds: string[] }>;
  items: DuplicateItem[];
  /** False when no timer history was read, so links could not protect a copy. */
  linksChecked: boolean;
}

function scopeRuns(store: ReportStore, options: CleanupDuplicatesOptions): { runs: ReplayRunRecord[]; baseUrl: string; companyId: number } {
  const plans = createReplayPlanStore(store.db);
  const strip = (url: string) => url.replace(/\/+$/, "");
  if (options.runId !== undefined) {
    const run = plans.getRun(options.runId);
    if (run.mode !== "apply") throw new ConfigError(`run ${run.runId} was a dry run: it wrote nothing to clean up`);
    const baseUrl = strip(options.kleer.baseUrl ?? run.kleerBaseUrl);
    const companyId = options.kleer.companyId ?? run.kleerCompanyId;
    if (baseUrl !== strip(run.kleerBaseUrl) || companyId !== run.kleerCompanyId)
      throw new TokiError("REFUSED", `run ${run.runId} wrote to ${run.kleerBaseUrl} company ${run.kleerCompanyId}; its duplicates are there, not at ${baseUrl} company ${companyId}`);
    return { runs: [run], baseUrl, companyId };
  }
  const ids = (store.db.prepare("SELECT r.run_id FROM replay_runs r JOIN runs u ON u.run_id = r.run_id WHERE r.mode = 'apply' ORDER BY u.started_at DESC, u.rowid DESC").all() as Array<{ run_id: string }>).map((r) => r.run_id);
  const all = ids.map((id) => plans.getRun(id));
  const newest = all[0];
  if (!newest) throw new ConfigError("the report file holds no applying replay run: there is nothing it created");
  const baseUrl = strip(options.kleer.baseUrl ?? newest.kleerBaseUrl);
  const companyId = options.kleer.companyId ?? newest.kleerCompanyId;
  const runs = all.filter((r) => strip(r.kleerBaseUrl) === baseUrl && r.kleerCompanyId === companyId);
  if (runs.length === 0) throw new ConfigError(`no applying replay run of the report file wrote to ${baseUrl} company ${companyId}`);
  return { runs, baseUrl, companyId };
}

/**
 * `cleanup --duplicates`: reads back, for every applying replay run of the report file (or one),
 * the events of its users over its range, and for each legacy entry Kleer holds more than once
 * deletes exactly the extra copies this file's replays created (`decideDuplicate`), each checked
 * by GET before and after the delete. Dry run unless `apply`; the production guard and the
 * company's write lease apply as for `cleanup --apply`.
 */
export async function cleanupDuplicates(options: CleanupDuplicatesOptions): Promise<CleanupDuplicatesResult> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = openReportStore(options.reportFile, { clock, mustExist: true });
  let releaseLease = () => {};
  try {
    const { runs, baseUrl, companyId } = scopeRuns(store, options);
    const mode = resolveWriteMode({ baseUrl, apply: options.apply, allowProduction: options.allowProduction ?? false });
    const lease =
      mode === "apply"
        ? acquireRunLease(store.db, { target: kleerLeaseTarget(baseUrl, companyId), runId: "(starting)", command: "cleanup --duplicates", clock, takeOver: options.takeOverRunId })
        : undefined;
    releaseLease = () => lease?.release();
    const replayRuns = runs.map((r) => r.runId);
    const cleanupRunId = store.startRun({ command: "cleanup", toolVersion: TOOL_VERSION, options: { duplicates: true, replayRuns, mode, kleer: { baseUrl, companyId }, history: options.history !== undefined } });
    lease?.setRunId(cleanupRunId);
    const recorder = createBufferedRecorder();
    const client = createKleerClient({ baseUrl, token: options.kleer.token, companyId, dispatcher: options.dispatcher, recorder, strictLists: true });
    const lookups = createKleerCompanyLookups(client);
    const plans = createReplayPlanStore(store.db);
    const journal = createReplayJournal(store.db, { clock });
    try {
      const journaled = journal.journaledEvents();
      // Read back every run's users over its range, exactly as replay does after applying.
      const found: KleerDuplicate[] = [];
      for (const run of runs) {
        const range = store.getRun(run.runId);
        if (range.fromDate === null || range.toDate === null) continue;
        for (const user of plans.readUsers(run.runId)) {
          if (user.status !== "planned" || user.kleerUserId === null) continue;
          const adapter = createKleerAdapter({ client, kleerUserId: user.kleerUserId, lookups, clock, logger, timeZone: run.timeZone });
          found.push(...(await readBackUser(adapter, { from: range.fromDate, to: range.toDate }, plans.readPlan(run.runId, user.userKey), user.kleerUserId, journaled)));
        }
      }
      const duplicates = mergeDuplicates(found);
      const links = options.history === undefined ? null : await linkedEvents(options.history, duplicates);
      const items = await settleDuplicates(store, client, lookups, duplicates, links, journaled, { mode, clock, logger, lease, cleanupRunId, timeZone: runs[0]!.timeZone });
      plans.recordRequests(cleanupRunId, null, recorder.drain());
      const remaining = duplicates
        .map((d) => ({ tokiUserId: d.tokiUserId, legacyId: d.legacyId, eventIds: items.filter((i) => i.legacyId === d.legacyId && i.tokiUserId === d.tokiUserId && (i.action === "retained" || i.action === "left" || i.action === "kept")).map((i) => i.kleerEventId) }))
        .filter((r) => r.eventIds.length > 1);
      const result: CleanupDuplicatesResult = {
        cleanupRunId,
        mode,
        replayRuns,
        entries: duplicates.length,
        deleted: items.filter((i) => i.action === "deleted").length,
        wouldDelete: items.filter((i) => i.action === "would-delete").length,
        remaining,
        items,
        linksChecked: links !== null,
      };
      store.completeRun(cleanupRunId, { ...result, items: undefined });
      logger.info("cleanup --duplicates finished", { cleanupRunId, entries: result.entries, deleted: result.deleted, remaining: remaining.length });
      return result;
    } catch (error) {
      store.failRun(cleanupRunId, describeSourceError(error, globalRedactor));
      throw error;
    } finally {
      await client.close();
    }
  } finally {
    releaseLease();
    store.db.close();
  }
}

/** Event id → the timer_history rows pointing at it (Toki's link: one registration id per row). */
async function linkedEvents(history: string, duplicates: readonly KleerDuplicate[]): Promise<Map<string, number[]>> {
  const wanted = new Set(duplicates.flatMap((d) => d.eventIds));
  const out = new Map<string, number[]>();
  for await (const link of openTimerHistorySource(history).read()) {
    if (!wanted.has(link.registrationId)) continue;
    out.set(link.registrationId, [...(out.get(link.registrationId) ?? []), link.historyId]);
  }
  return out;
}

type KleerEvent = Awaited<ReturnType<KleerClient["getEvent"]>>;
const isNotFound = (error: unknown) => error instanceof TokiError && error.code === "NOT_FOUND";

async function settleDuplicates(
  store: ReportStore,
  client: KleerClient,
  lookups: ReturnType<typeof createKleerCompanyLookups>,
  duplicates: readonly KleerDuplicate[],
  links: ReadonlyMap<string, number[]> | null,
  journaled: ReadonlyMap<string, string>,
  ctx: { mode: WriteMode; clock: Clock; logger: Logger; lease: { assertHeld(): void } | undefined; cleanupRunId: string; timeZone: string },
): Promise<DuplicateItem[]> {
  // Only Kleer's own reply to a create proves the event is this file's: a lookup after a lost
  // reply found *an* event with the foreign-id, which a concurrent writer may have created.
  const createdBy = store.db.prepare(
    "SELECT id, run_id FROM replay_journal WHERE kleer_event_id = ? AND legacy_id = ? AND outcome = 'created' AND resolved_by = 'reply' ORDER BY id LIMIT 1",
  );
  const settledByLookup = store.db.prepare(
    "SELECT 1 FROM replay_journal WHERE kleer_event_id = ? AND legacy_id = ? AND outcome = 'created' AND resolved_by = 'lookup' LIMIT 1",
  );
  const insert = store.db.prepare(
    "INSERT INTO replay_cleanup (cleanup_run_id, replay_run_id, user_key, legacy_id, kleer_event_id, action, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const fetchEvent = async (eventId: string): Promise<KleerEvent | null> => {
    try {
      return await client.getEvent(Number(eventId));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };
  const limit = pLimit(CLEANUP_CONCURRENCY);
  const perEntry = await Promise.all(
    duplicates.map((d) =>
      limit(async (): Promise<Array<DuplicateItem & { runId: string | null }>> => {
        const holders: DuplicateHolder[] = [];
        for (const eventId of d.eventIds) {
          const event = await fetchEvent(eventId);
          const row = createdBy.get(eventId, d.legacyId) as { id: number; run_id: string } | undefined;
          const named = event === null ? undefined : legacyIdOfForeignId(event["foreign-id"]);
          // Holds the entry: names it, or was settled for it by this file and edited since (as the read-back groups).
          const holds = event !== null && event.user.id === d.kleerUserId && (named === d.legacyId || (named === undefined && journaled.get(eventId) === d.legacyId));
          holders.push({
            eventId,
            createdBy: row ? { runId: row.run_id, journalId: row.id } : null,
            settledByLookup: row === undefined && settledByLookup.get(eventId, d.legacyId) !== undefined,
            live: holds,
            unedited: named === d.legacyId,
            linkedBy: links?.get(eventId) ?? [],
          });
        }
        const out: Array<DuplicateItem & { runId: string | null }> = [];
        for (const decision of decideDuplicate(holders)) {
          const holder = holders.find((h) => h.eventId === decision.eventId)!;
          const base = { tokiUserId: d.tokiUserId, legacyId: d.legacyId, kleerEventId: decision.eventId, runId: holder.createdBy?.runId ?? null };
          if (decision.action === "delete") out.push({ ...base, ...(await deleteCopy(decision, d, ctx, client, lookups, fetchEvent)) });
          else if (decision.action === "retain") out.push({ ...base, action: "retained", reason: decision.reason });
          else if (decision.action === "leave") out.push({ ...base, action: "left", reason: decision.reason });
          else if (holder.createdBy !== null) out.push({ ...base, action: "already-gone", reason: decision.reason });
        }
        return out;
      }),
    ),
  );
  const items = perEntry.flat();
  const at = ctx.clock.now().toISOString();
  // This file's copies go to the cleanup log under the run that created them (relink then leaves a deleted one out).
  const actionOf = (a: DuplicateItem["action"]) => (a === "retained" ? "kept" : a);
  store.db
    .transaction(() => {
      for (const i of items) if (i.runId !== null && i.action !== "left") insert.run(ctx.cleanupRunId, i.runId, i.tokiUserId, i.legacyId, i.kleerEventId, actionOf(i.action), globalRedactor.redact(i.reason), at);
    })
    .immediate();
  return items.map(({ runId: _runId, ...item }) => item);
}

async function deleteCopy(
  decision: DuplicateDecision,
  d: KleerDuplicate,
  ctx: { mode: WriteMode; clock: Clock; logger: Logger; lease: { assertHeld(): void } | undefined; timeZone: string },
  client: KleerClient,
  lookups: ReturnType<typeof createKleerCompanyLookups>,
  fetchEvent: (eventId: string) => Promise<KleerEvent | null>,
): Promise<Pick<DuplicateItem, "action" | "reason">> {
  if (ctx.mode === "dry-run") return { action: "would-delete", reason: decision.reason };
  ctx.lease?.assertHeld();
  const adapter = createKleerAdapter({ client, kleerUserId: d.kleerUserId, lookups, clock: ctx.clock, logger: ctx.logger, timeZone: ctx.timeZone });
  try {
    await adapter.deleteTimeEntry(decision.eventId);
  } catch (error) {
    if (isNotFound(error)) return { action: "already-gone", reason: "gone before the delete" };
    if (!isAmbiguousWriteFailure(error)) return { action: "kept", reason: describeSourceError(error, globalRedactor) };
  }
  // Verified by GET: a delete counts only once Kleer no longer has the event.
  const after = await fetchEvent(decision.eventId).catch(() => undefined);
  if (after === null) return { action: "deleted", reason: decision.reason };
  return { action: "kept", reason: after === undefined ? "the delete's outcome could not be confirmed by GET" : "Kleer still has it after the delete" };
}

/** The lines printed after `cleanup --duplicates`. */
export function formatCleanupDuplicatesResult(r: CleanupDuplicatesResult): string {
  const lines = [
    `Cleanup run ${r.cleanupRunId} (duplicates, ${r.mode}) over replay run${r.replayRuns.length === 1 ? "" : "s"} ${r.replayRuns.join(", ")}: ${r.entries} legacy entr${r.entries === 1 ? "y" : "ies"} with more than one Kleer event`,
    r.mode === "apply"
      ? `Deleted ${r.deleted} extra cop${r.deleted === 1 ? "y" : "ies"} this report file's replays created; ${r.remaining.length} entr${r.remaining.length === 1 ? "y" : "ies"} still with more than one event`
      : `Would delete ${r.wouldDelete} extra cop${r.wouldDelete === 1 ? "y" : "ies"} this report file's replays created; ${r.remaining.length} entr${r.remaining.length === 1 ? "y" : "ies"} would still have more than one event. Add --apply to delete.`,
  ];
  for (const i of r.items) lines.push(`  ${i.action} event ${i.kleerEventId} (legacy ${i.legacyId}, user ${i.tokiUserId}): ${i.reason}`);
  if (!r.linksChecked && r.entries > 0) lines.push("timer_history was not read (no --history): a copy a relinked history row points at is not protected; relink after this cleanup");
  return lines.join("\n");
}
