import type Database from "better-sqlite3";
import type { Clock } from "../domain/ports.js";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";
import type { JournalOutcome, JournalRecord, JournalResolution, PlanRow } from "./replay-types.js";

type Row = Record<string, unknown>;
// Stryker disable next-line ConditionalExpression: better-sqlite3 gives every selected column, NULL as null, so `undefined` never reaches this
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRecord(r: Row): JournalRecord {
  return {
    id: Number(r.id),
    runId: String(r.run_id),
    userKey: Number(r.user_key),
    legacyId: String(r.legacy_id),
    foreignId: String(r.foreign_id),
    kleerUserId: Number(r.kleer_user_id),
    attempt: Number(r.attempt),
    intentAt: String(r.intent_at),
    outcome: (str(r.outcome) as JournalOutcome | null) ?? null,
    kleerEventId: str(r.kleer_event_id),
    resolvedBy: (str(r.resolved_by) as JournalResolution | null) ?? null,
    errorCode: str(r.error_code),
    errorMessage: str(r.error_message),
    outcomeAt: str(r.outcome_at),
  };
}

/** Where one legacy entry of a run stands, from its journal rows. */
export interface EntryJournalState {
  /** The intent whose outcome is unknown (written, request maybe sent, process gone), if any. */
  pending: JournalRecord | undefined;
  /** The row that settled the entry (created or resolved-existing), if any. */
  settled: JournalRecord | undefined;
  /** The latest definitive failure, if the entry is not settled. */
  lastFailure: JournalRecord | undefined;
  /** Attempts made so far (requests intended). */
  attempts: number;
}

/**
 * The write journal: every create is an intent row committed BEFORE the request and completed
 * with its outcome after, so a killed process leaves exactly the intents whose result it never
 * learnt. SQLite commits each call (WAL), so a SIGKILL loses nothing already returned.
 */
export interface ReplayJournal {
  /** Writes an intent (no outcome) and returns its id. */
  recordIntent(runId: string, row: PlanRow, kleerUserId: number, attempt: number): number;
  /** Completes an intent. */
  recordOutcome(id: number, outcome: { outcome: "created"; kleerEventId: string; resolvedBy: JournalResolution } | { outcome: "resolved-existing"; kleerEventId: string; resolvedBy: JournalResolution } | { outcome: "failed"; errorCode: string; errorMessage: string; resolvedBy: JournalResolution }): void;
  /** Records (intent and outcome at once, attempt 0) that the event existed before any request. */
  recordExisting(runId: string, row: PlanRow, kleerUserId: number, kleerEventId: string): void;
  /** Every journal row of a run (of one user when given), in write order. */
  read(runId: string, userKey?: number): JournalRecord[];
  /** Per legacy id: pending intent, settling row, last failure, attempts. */
  statesOf(runId: string, userKey: number): Map<string, EntryJournalState>;
  /** True when another run of this file records that it created the event. */
  createdByAnotherRun(runId: string, kleerEventId: string): boolean;
  /** Every event any run of this file settled an entry with: event id → legacy registration id. */
  journaledEvents(): Map<string, string>;
  /**
   * Per legacy registration id, the events runs of this file settled it with (oldest first),
   * without those a cleanup of this file deleted or found gone.
   */
  journaledEventsByLegacyId(): Map<string, string[]>;
}

export function createReplayJournal(db: Database.Database, options: { clock: Clock; redactor?: SecretRedactor }): ReplayJournal {
  const { clock } = options;
  const redactor = options.redactor ?? globalRedactor;
  const insertIntent = db.prepare(
    `INSERT INTO replay_journal (run_id, user_key, legacy_id, foreign_id, kleer_user_id, attempt, intent_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertExisting = db.prepare(
    `INSERT INTO replay_journal (run_id, user_key, legacy_id, foreign_id, kleer_user_id, attempt, intent_at, outcome, kleer_event_id, resolved_by, outcome_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, 'resolved-existing', ?, 'lookup', ?)`,
  );
  const updateOutcome = db.prepare(
    `UPDATE replay_journal SET outcome = ?, kleer_event_id = ?, resolved_by = ?, error_code = ?, error_message = ?, outcome_at = ?
     WHERE id = ? AND outcome IS NULL`,
  );
  const otherCreated = db.prepare(
    "SELECT 1 FROM replay_journal WHERE kleer_event_id = ? AND outcome = 'created' AND run_id <> ? LIMIT 1",
  );

  const read = (runId: string, userKey?: number): JournalRecord[] => {
    const rows =
      userKey === undefined
        ? db.prepare("SELECT * FROM replay_journal WHERE run_id = ? ORDER BY id").all(runId)
        : db.prepare("SELECT * FROM replay_journal WHERE run_id = ? AND user_key = ? ORDER BY id").all(runId, userKey);
    return (rows as Row[]).map(toRecord);
  };

  return {
    recordIntent(runId, row, kleerUserId, attempt) {
      const info = insertIntent.run(runId, row.userKey, row.legacyId, row.foreignId, kleerUserId, attempt, clock.now().toISOString());
      return Number(info.lastInsertRowid);
    },
    recordOutcome(id, o) {
      const at = clock.now().toISOString();
      if (o.outcome === "failed") updateOutcome.run("failed", null, o.resolvedBy, o.errorCode, redactor.redact(o.errorMessage), at, id);
      else updateOutcome.run(o.outcome, o.kleerEventId, o.resolvedBy, null, null, at, id);
    },
    recordExisting(runId, row, kleerUserId, kleerEventId) {
      const at = clock.now().toISOString();
      insertExisting.run(runId, row.userKey, row.legacyId, row.foreignId, kleerUserId, at, kleerEventId, at);
    },
    read,
    statesOf(runId, userKey) {
      const out = new Map<string, EntryJournalState>();
      for (const record of read(runId, userKey)) {
        const state = out.get(record.legacyId) ?? { pending: undefined, settled: undefined, lastFailure: undefined, attempts: 0 };
        state.attempts = Math.max(state.attempts, record.attempt);
        if (record.outcome === null) state.pending = record;
        else if (record.outcome === "failed") state.lastFailure = record;
        else state.settled ??= record;
        out.set(record.legacyId, state);
      }
      return out;
    },
    createdByAnotherRun(runId, kleerEventId) {
      return otherCreated.get(kleerEventId, runId) !== undefined;
    },
    journaledEvents() {
      const rows = db
        .prepare("SELECT kleer_event_id, legacy_id FROM replay_journal WHERE outcome IN ('created', 'resolved-existing') AND kleer_event_id IS NOT NULL ORDER BY id")
        .all() as Array<{ kleer_event_id: string; legacy_id: string }>;
      return new Map(rows.map((r) => [String(r.kleer_event_id), String(r.legacy_id)]));
    },
    journaledEventsByLegacyId() {
      const rows = db
        .prepare(
          `SELECT j.legacy_id, j.kleer_event_id FROM replay_journal j
           WHERE j.outcome IN ('created', 'resolved-existing') AND j.kleer_event_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM replay_cleanup c WHERE c.kleer_event_id = j.kleer_event_id AND c.action IN ('deleted', 'already-gone'))
           ORDER BY j.id`,
        )
        .all() as Array<{ kleer_event_id: string; legacy_id: string }>;
      const out = new Map<string, string[]>();
      for (const r of rows) {
        const list = out.get(String(r.legacy_id)) ?? [];
        if (!list.includes(String(r.kleer_event_id))) list.push(String(r.kleer_event_id));
        out.set(String(r.legacy_id), list);
      }
      return out;
    },
  };
}

/**
 * The relinks a run established: legacy registration id → Kleer event id, for every entry the
 * run settled (created, or found already existing), with the Toki user it belongs to.
 */
export function settledEventsOf(journal: ReplayJournal, runId: string): Array<{ userKey: number; legacyId: string; kleerEventId: string; kleerUserId: number; outcome: "created" | "resolved-existing" }> {
  const seen = new Set<string>();
  const out: Array<{ userKey: number; legacyId: string; kleerEventId: string; kleerUserId: number; outcome: "created" | "resolved-existing" }> = [];
  for (const r of journal.read(runId)) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a settling row always names its event and no other row does (recordOutcome, recordExisting), so each half alone skips the same rows; both narrow the types
    if ((r.outcome !== "created" && r.outcome !== "resolved-existing") || r.kleerEventId === null) continue;
    const key = `${r.userKey}|${r.legacyId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ userKey: r.userKey, legacyId: r.legacyId, kleerEventId: r.kleerEventId, kleerUserId: r.kleerUserId, outcome: r.outcome });
  }
  return out;
}
