import pLimit from "p-limit";
import type { Dispatcher } from "undici";
import { resolveWriteMode, type WriteMode } from "../config/write-guard.js";
import { TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import { globalRedactor } from "../http/redact.js";
import { describeSourceError } from "../compare/compare-sources.js";
import { createKleerAdapter, createKleerClient, createKleerCompanyLookups, type KleerClient } from "../kleer/index.js";
import { createBufferedRecorder } from "../report/report-recorder.js";
import { openReportStore } from "../report/report-store.js";
import { acquireRunLease, kleerLeaseTarget } from "../report/report-lease.js";
import { TOOL_VERSION } from "../cli/tool-version.js";
import { isAmbiguousWriteFailure } from "./replay-apply.js";
import { createReplayJournal } from "./replay-journal.js";
import { replayForeignId } from "./replay-plan.js";
import { createReplayPlanStore } from "./replay-store.js";

/** Events verified and deleted at once. */
export const CLEANUP_CONCURRENCY = 4;

export type CleanupAction = "deleted" | "already-gone" | "kept" | "would-delete";

export interface CleanupOptions {
  reportFile: string;
  /** The replay run whose events are removed. */
  runId: string;
  /** Delete (`--apply`); otherwise only verify and list. */
  apply: boolean;
  /** @default false */
  allowProduction?: boolean | undefined;
  /** Take the Kleer company's write lease over from this run (`--take-over RUN`). */
  takeOverRunId?: string | undefined;
  kleer: {
    /** @default the host the replay run wrote to; another host is refused */
    baseUrl?: string | undefined;
    token: string;
    /** @default the company the replay run wrote to; another company is refused */
    companyId?: number | undefined;
  };
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  dispatcher?: Dispatcher | undefined;
}

export interface CleanupItem {
  userKey: number;
  legacyId: string;
  kleerEventId: string;
  action: CleanupAction;
  reason: string | null;
}

export interface CleanupResult {
  cleanupRunId: string;
  replayRunId: string;
  mode: WriteMode;
  /** Events the replay run recorded as created by it. */
  candidates: number;
  deleted: number;
  alreadyGone: number;
  wouldDelete: number;
  kept: CleanupItem[];
  items: CleanupItem[];
}

type KleerEvent = Awaited<ReturnType<KleerClient["getEvent"]>>;

const isNotFound = (error: unknown) => error instanceof TokiError && error.code === "NOT_FOUND";

/**
 * Deletes exactly the events a replay run created: journal rows with outcome `created`, each
 * verified by GET first (still there, still the run's user, foreign-id still `milltime:<that
 * legacy id>`) — anything else is kept and said why. A missing event counts as already gone,
 * so a second cleanup deletes nothing. Dry run unless `apply`; the production guard applies.
 */
export async function cleanupReplayRun(options: CleanupOptions): Promise<CleanupResult> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = openReportStore(options.reportFile, { clock, mustExist: true });
  let releaseLease = () => {};
  try {
    const plans = createReplayPlanStore(store.db);
    const replay = plans.getRun(options.runId);
    const baseUrl = options.kleer.baseUrl?.replace(/\/+$/, "") ?? replay.kleerBaseUrl;
    const companyId = options.kleer.companyId ?? replay.kleerCompanyId;
    if (baseUrl !== replay.kleerBaseUrl.replace(/\/+$/, "") || companyId !== replay.kleerCompanyId)
      throw new TokiError("REFUSED", `run ${replay.runId} wrote to ${replay.kleerBaseUrl} company ${replay.kleerCompanyId}; cleanup of it must go there, not to ${baseUrl} company ${companyId}`);
    const mode = resolveWriteMode({ baseUrl, apply: options.apply, allowProduction: options.allowProduction ?? false });

    const journal = createReplayJournal(store.db, { clock });
    const seen = new Set<string>();
    const candidates = journal
      .read(replay.runId)
      .filter((r) => r.outcome === "created" && r.kleerEventId !== null && !seen.has(r.kleerEventId) && seen.add(r.kleerEventId));

    // Deleting takes the company's write lease, like replay --apply, so the two never interleave.
    const lease =
      mode === "apply"
        ? acquireRunLease(store.db, { target: kleerLeaseTarget(baseUrl, companyId), runId: "(starting)", command: "cleanup", clock, takeOver: options.takeOverRunId })
        : undefined;
    releaseLease = () => lease?.release();
    const cleanupRunId = store.startRun({ command: "cleanup", toolVersion: TOOL_VERSION, options: { replayRun: replay.runId, mode, kleer: { baseUrl, companyId } } });
    lease?.setRunId(cleanupRunId);
    const recorder = createBufferedRecorder();
    const client = createKleerClient({ baseUrl, token: options.kleer.token, companyId, dispatcher: options.dispatcher, recorder, strictLists: true });
    const lookups = createKleerCompanyLookups(client);
    const insert = store.db.prepare(
      "INSERT INTO replay_cleanup (cleanup_run_id, replay_run_id, user_key, legacy_id, kleer_event_id, action, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const items: CleanupItem[] = [];
    const record = (item: CleanupItem) => {
      items.push(item);
      insert.run(cleanupRunId, replay.runId, item.userKey, item.legacyId, item.kleerEventId, item.action, item.reason === null ? null : globalRedactor.redact(item.reason), clock.now().toISOString());
    };

    const fetchEvent = async (eventId: number): Promise<KleerEvent | null> => {
      try {
        return await client.getEvent(eventId);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    };

    const handle = async (c: (typeof candidates)[number]): Promise<CleanupItem> => {
      const base = { userKey: c.userKey, legacyId: c.legacyId, kleerEventId: c.kleerEventId! };
      const eventId = Number(c.kleerEventId);
      const event = await fetchEvent(eventId);
      if (event === null) return { ...base, action: "already-gone", reason: "Kleer has no such event" };
      const expected = replayForeignId(c.legacyId);
      if (event["foreign-id"] !== expected)
        return { ...base, action: "kept", reason: `its foreign-id is now ${JSON.stringify(event["foreign-id"])}, not ${expected}: it no longer names this legacy entry` };
      if (event.user.id !== c.kleerUserId) return { ...base, action: "kept", reason: `it now belongs to Kleer user ${event.user.id}, not ${c.kleerUserId}` };
      if (mode === "dry-run") return { ...base, action: "would-delete", reason: null };
      lease?.assertHeld();
      const adapter = createKleerAdapter({ client, kleerUserId: c.kleerUserId, lookups, clock, logger, timeZone: replay.timeZone });
      try {
        await adapter.deleteTimeEntry(c.kleerEventId!);
        return { ...base, action: "deleted", reason: null };
      } catch (error) {
        if (isNotFound(error)) return { ...base, action: "already-gone", reason: "gone before the delete" };
        // A delete whose reply was lost may have been carried out: look again instead of guessing.
        if (isAmbiguousWriteFailure(error) && (await fetchEvent(eventId).catch(() => undefined)) === null)
          return { ...base, action: "deleted", reason: "confirmed by GET after the reply was lost" };
        return { ...base, action: "kept", reason: describeSourceError(error, globalRedactor) };
      }
    };

    try {
      const limit = pLimit(CLEANUP_CONCURRENCY);
      const results = await Promise.all(
        candidates.map((c) =>
          limit(async () => {
            try {
              return await handle(c);
            } catch (error) {
              return { userKey: c.userKey, legacyId: c.legacyId, kleerEventId: c.kleerEventId!, action: "kept" as const, reason: describeSourceError(error, globalRedactor) };
            }
          }),
        ),
      );
      store.db.transaction(() => results.forEach(record)).immediate();
      plans.recordRequests(cleanupRunId, null, recorder.drain());
    } catch (error) {
      store.failRun(cleanupRunId, describeSourceError(error, globalRedactor));
      throw error;
    } finally {
      await client.close();
    }
    const count = (action: CleanupAction) => items.filter((i) => i.action === action).length;
    const result: CleanupResult = {
      cleanupRunId,
      replayRunId: replay.runId,
      mode,
      candidates: candidates.length,
      deleted: count("deleted"),
      alreadyGone: count("already-gone"),
      wouldDelete: count("would-delete"),
      kept: items.filter((i) => i.action === "kept"),
      items,
    };
    store.completeRun(cleanupRunId, { ...result, items: undefined });
    logger.info("cleanup finished", { cleanupRunId, replayRunId: replay.runId, deleted: result.deleted, kept: result.kept.length });
    return result;
  } finally {
    releaseLease();
    store.db.close();
  }
}

/** The lines printed after `cleanup`. */
export function formatCleanupResult(r: CleanupResult): string {
  const lines = [
    `Cleanup run ${r.cleanupRunId} of replay run ${r.replayRunId} (${r.mode}): ${r.candidates} event${r.candidates === 1 ? "" : "s"} created by the run`,
    r.mode === "apply"
      ? `Deleted ${r.deleted}, already gone ${r.alreadyGone}, kept ${r.kept.length}`
      : `Would delete ${r.wouldDelete}, already gone ${r.alreadyGone}, kept ${r.kept.length}. Add --apply to delete.`,
  ];
  for (const k of r.kept) lines.push(`  kept event ${k.kleerEventId} (legacy ${k.legacyId}, user ${k.userKey}): ${k.reason ?? ""}`);
  return lines.join("\n");
}
