import type { LimitFunction } from "p-limit";
import { InvalidResponseError, ProviderHttpError, TokiError } from "../domain/errors.js";
import type { Logger } from "../domain/ports.js";
import type { CreateTimeEntryRequest, DateRange } from "../domain/time-entry.js";
import type { SecretRedactor } from "../http/redact.js";
import { describeSourceError } from "../compare/compare-sources.js";
import type { EntryJournalState, ReplayJournal } from "./replay-journal.js";
import { adoptJournaledByLookup, adoptJournaledEvents, indexForeignIds, listingRangeOf, type KleerEventOwner, type ReplayKleerClient } from "./replay-read.js";
import type { PlanRow } from "./replay-types.js";

/** Create attempts per legacy entry and invocation (each after a lookup proved the previous one absent). */
export const MAX_CREATE_ATTEMPTS = 3;

/** First wait before a create refused with 429 is sent again (doubles per attempt). */
export const RATE_LIMITED_CREATE_BACKOFF_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How one entry ended in this invocation. */
export type EntryApplyOutcome = "created" | "resolved-existing" | "failed" | "unsettled" | "already-settled";

export interface ApplyUserResult {
  outcomes: Map<string, EntryApplyOutcome>;
}

export interface ApplyUserOptions {
  runId: string;
  kleerUserId: number;
  /** The plan rows of the user that need an event (create and skip-existing). */
  rows: readonly PlanRow[];
  client: ReplayKleerClient;
  journal: ReplayJournal;
  range: DateRange;
  /** The foreign-id index read while planning in this process; listed afresh when absent. */
  existing: Map<string, string[]> | null;
  /** Events runs of the report file settled entries with (event id → legacy id), adopted when listing afresh. */
  journaled?: ReadonlyMap<string, string> | undefined;
  /** Per legacy id, the events runs of the report file settled it with (checked by GET when listing afresh). */
  journaledByLegacyId?: ReadonlyMap<string, readonly string[]> | undefined;
  /** GET one event (required with `journaledByLegacyId`). */
  findEvent?: ((eventId: string) => Promise<KleerEventOwner | null>) | undefined;
  /** Bounds the create requests in flight across all users. */
  writeLimit: LimitFunction;
  redactor: SecretRedactor;
  logger: Logger;
  /** Called once per row as it settles (already settled rows included): progress only. */
  onRowSettled?: (() => void) | undefined;
}

/**
 * A failure after which the create may or may not have taken effect: no reply (timeout,
 * connection dropped after sending), a 5xx, or a 2xx reply that could not be read. Only a
 * definitive 4xx and the adapter's own refusals (checked before sending) are not ambiguous.
 */
export function isAmbiguousWriteFailure(error: unknown): boolean {
  if (error instanceof ProviderHttpError) return error.status === undefined || error.status >= 500;
  if (error instanceof InvalidResponseError) return true;
  if (error instanceof TokiError) return error.code === "UNREACHABLE" || error.code === "PROVIDER_ERROR";
  return true;
}

function requestOf(row: PlanRow): CreateTimeEntryRequest {
  return {
    projectId: String(row.kleerProjectId),
    projectName: row.kleerProjectName ?? "",
    activityId: String(row.kleerActivityId),
    activityName: row.kleerActivityName ?? "",
    startTime: row.startTime,
    endTime: row.endTime,
    note: row.note,
    foreignId: row.foreignId,
  };
}

async function listExisting(client: ReplayKleerClient, range: DateRange, journaled: ReadonlyMap<string, string>): Promise<Map<string, string[]>> {
  const listing = await client.listTimeEntries(listingRangeOf(range));
  const index = indexForeignIds(listing);
  adoptJournaledEvents(index, listing, journaled);
  return index;
}

const codeOf = (error: unknown) => (error instanceof TokiError ? error.code : error instanceof Error ? error.name : "ERROR");

/**
 * Makes sure every row of one user has exactly one Kleer event carrying its foreign-id.
 * The user's events are listed once (or taken from planning); an entry whose event exists is
 * journaled `resolved-existing` without a request; an intent left by a killed run is resolved
 * by that listing; an ambiguous create failure is resolved by re-listing the entry's day and
 * is retried only when the foreign-id is truly absent.
 */
export async function applyUserRows(options: ApplyUserOptions): Promise<ApplyUserResult> {
  const { runId, kleerUserId, client, journal, writeLimit, logger } = options;
  const outcomes = new Map<string, EntryApplyOutcome>();
  const userKey = options.rows[0]?.userKey;
  // Stryker disable next-line ConditionalExpression: without rows nothing is open either, and the `open.length === 0` return below gives the same empty result
  if (userKey === undefined) return { outcomes };
  const states = journal.statesOf(runId, userKey);
  const open = options.rows.filter((row) => {
    if (states.get(row.legacyId)?.settled) {
      outcomes.set(row.legacyId, "already-settled");
      options.onRowSettled?.();
      return false;
    }
    return true;
  });
  if (open.length === 0) return { outcomes };

  let existing = options.existing;
  if (existing === null) {
    existing = await listExisting(client, options.range, options.journaled ?? new Map());
    if (options.journaledByLegacyId && options.findEvent)
      await adoptJournaledByLookup(existing, open.map((r) => r.legacyId), options.journaledByLegacyId, kleerUserId, options.findEvent);
  }

  const lookup = async (row: PlanRow): Promise<string | undefined> => {
    const listing = await client.listTimeEntries({ from: row.date, to: row.date });
    return indexForeignIds(listing).get(row.foreignId)?.[0];
  };

  const settleFound = (intentId: number, eventId: string): EntryApplyOutcome => {
    // The intent was written after a listing showed the foreign-id absent, so the event found now
    // is this run's — unless another run of the same file already claims to have created it.
    const outcome = journal.createdByAnotherRun(runId, eventId) ? "resolved-existing" : "created";
    journal.recordOutcome(intentId, { outcome, kleerEventId: eventId, resolvedBy: "lookup" });
    return outcome;
  };

  const ensure = async (row: PlanRow, state: EntryJournalState | undefined): Promise<EntryApplyOutcome> => {
    const known = existing.get(row.foreignId)?.[0];
    if (state?.pending) {
      if (known !== undefined) return settleFound(state.pending.id, known);
      journal.recordOutcome(state.pending.id, {
        outcome: "failed",
        errorCode: "NOT_CREATED",
        errorMessage: `no Kleer event carries ${row.foreignId} after the interruption: the request did not take effect`,
        resolvedBy: "lookup",
      });
    } else if (known !== undefined) {
      journal.recordExisting(runId, row, kleerUserId, known);
      return "resolved-existing";
    }
    let attempt = state?.attempts ?? 0;
    for (let tries = 0; tries < MAX_CREATE_ATTEMPTS; tries++) {
      attempt++;
      let intentId = 0;
      try {
        // The intent is committed inside the write slot, right before the request: an intent
        // without outcome then always means "the request may have been sent".
        const eventId = await writeLimit(() => {
          intentId = journal.recordIntent(runId, row, kleerUserId, attempt);
          return client.createTimeEntry(requestOf(row));
        });
        journal.recordOutcome(intentId, { outcome: "created", kleerEventId: eventId, resolvedBy: "reply" });
        return "created";
      } catch (error) {
        // The journal could not take the intent: nothing was sent, and nothing may be sent unjournaled.
        if (intentId === 0) throw error;
        const message = describeSourceError(error, options.redactor);
        if (error instanceof ProviderHttpError && error.status === 429) {
          // Refused for the rate limit: certainly not carried out, so it is sent again after a pause.
          journal.recordOutcome(intentId, { outcome: "failed", errorCode: codeOf(error), errorMessage: message, resolvedBy: "reply" });
          await sleep(RATE_LIMITED_CREATE_BACKOFF_MS * 2 ** tries);
          continue;
        }
        if (!isAmbiguousWriteFailure(error)) {
          journal.recordOutcome(intentId, { outcome: "failed", errorCode: codeOf(error), errorMessage: message, resolvedBy: "reply" });
          return "failed";
        }
        logger.warn("ambiguous create failure; looking the foreign-id up", { runId, legacyId: row.legacyId, error: message });
        let found: string | undefined;
        try {
          found = await lookup(row);
        } catch (lookupError) {
          // Neither the write nor its absence can be shown: the intent stays open for a resume.
          logger.warn("lookup after an ambiguous failure failed; the entry stays unsettled", {
            runId,
            legacyId: row.legacyId,
            error: describeSourceError(lookupError, options.redactor),
          });
          return "unsettled";
        }
        if (found !== undefined) return settleFound(intentId, found);
        journal.recordOutcome(intentId, {
          outcome: "failed",
          errorCode: codeOf(error),
          errorMessage: `${message} (no event carries ${row.foreignId} afterwards)`,
          resolvedBy: "lookup",
        });
      }
    }
    return "failed";
  };

  await Promise.all(
    open.map(async (row) => {
      outcomes.set(row.legacyId, await ensure(row, states.get(row.legacyId)));
      options.onRowSettled?.();
    }),
  );
  return { outcomes };
}
