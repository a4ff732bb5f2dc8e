import type { DateRange, Instant, IsoDate } from "../domain/time-entry.js";

/** What replay does with one legacy entry. */
export type PlanAction = "create" | "skip-existing" | "blocked";

/** Why a legacy entry cannot be written (the pre-write checks, in the order they run). */
export type BlockReasonCode =
  | "user_unmapped"
  | "project_unmapped"
  | "activity_unmapped"
  | "project_not_visible"
  | "activity_not_allowed"
  | "day_locked"
  | "zero_hours";

export const BLOCK_REASON_CODES: readonly BlockReasonCode[] = [
  "user_unmapped",
  "project_unmapped",
  "activity_unmapped",
  "project_not_visible",
  "activity_not_allowed",
  "day_locked",
  "zero_hours",
];

/** Where the event's start time comes from: the timer-history link's true start, or 08:00 local. */
export type StartSource = "history" | "synthetic";

/** One legacy entry and the Kleer event Toki would write for it (a `replay_plan` row). */
export interface PlanRow {
  /** The Toki user id (the report's `user_key`). */
  userKey: number;
  /** The Milltime registration id. */
  legacyId: string;
  /** The local registration day; the event's date. */
  date: IsoDate;
  kleerUserId: number | null;
  kleerProjectId: number | null;
  kleerProjectName: string | null;
  kleerActivityId: number | null;
  kleerActivityName: string | null;
  /** `minutes / 60`: Milltime's decimal hours. */
  hours: number;
  /** Milltime's whole minutes (`hh * 60 + mm`). */
  minutes: number;
  /** The comment written: the legacy note, or Kleer's `missing note` placeholder when blank. */
  note: string;
  /** `milltime:<legacy registration id>` */
  foreignId: string;
  startTime: Instant;
  /** `startTime` + exactly `minutes`. */
  endTime: Instant;
  startSource: StartSource;
  action: PlanAction;
  /** Set for `blocked` rows. */
  reasonCode: BlockReasonCode | null;
  /** Why the row has its action (blocking reason, existing event, or a note on the start time). */
  reason: string | null;
  /** For `skip-existing`: the event that already carries the foreign-id. */
  existingEventId: string | null;
}

/** Replay's per-user status: `planned` (rows written, possibly all blocked) or `source_error`. */
export type ReplayUserStatus = "planned" | "source_error";

export interface ReplayUserRecord {
  userKey: number;
  milltimeUserId: string | null;
  kleerUserId: number | null;
  status: ReplayUserStatus;
  entries: number;
  errorSystem: "milltime" | "kleer" | "history" | null;
  errorMessage: string | null;
}

/** The outcome a journal row ends with; null while the request's result is unknown. */
export type JournalOutcome = "created" | "failed" | "resolved-existing";

/** How an outcome was learnt: from Kleer's reply, or by re-listing the user's events. */
export type JournalResolution = "reply" | "lookup";

/** One `replay_journal` row: an intent written before a request, its outcome after. */
export interface JournalRecord {
  id: number;
  runId: string;
  userKey: number;
  legacyId: string;
  foreignId: string;
  kleerUserId: number;
  /** 1, 2, … per legacy entry and run; 0 for a `resolved-existing` row (no request sent). */
  attempt: number;
  intentAt: string;
  outcome: JournalOutcome | null;
  kleerEventId: string | null;
  resolvedBy: JournalResolution | null;
  errorCode: string | null;
  errorMessage: string | null;
  outcomeAt: string | null;
}

/** `dry-run` writes nothing to Kleer; `apply` writes. */
export type ReplayMode = "dry-run" | "apply";

/** Where a replay run writes (recorded so that resume and cleanup go to the same place). */
export interface ReplayTarget {
  kleerBaseUrl: string;
  kleerCompanyId: number;
  timeZone: string;
}

export interface ReplayRunRecord extends ReplayTarget {
  runId: string;
  mode: ReplayMode;
  compareRunId: string | null;
}

/** A user whose sources could not be read: nothing of theirs is planned or written. */
export interface ReplayUserError {
  tokiUserId: number;
  system: "milltime" | "kleer" | "history";
  message: string;
}

/** A legacy entry that Kleer holds more than once after an apply: its events, lowest id first. */
export interface KleerDuplicate {
  tokiUserId: number;
  kleerUserId: number;
  legacyId: string;
  /** The legacy registration day (the plan row's date). */
  date: IsoDate;
  eventIds: string[];
}

/** What a replay run returns and stores as its summary. */
export interface ReplaySummary {
  runId: string;
  mode: ReplayMode;
  range: DateRange;
  /** True when this invocation continued an earlier run. */
  resumed: boolean;
  users: number;
  usersPlanned: number;
  usersWithSourceErrors: number;
  /** Legacy entries planned (every action). */
  entries: number;
  plannedCreate: number;
  plannedSkipExisting: number;
  blocked: number;
  blockedByReason: Partial<Record<BlockReasonCode, number>>;
  /** Apply only: entries whose event this run created (by reply or confirmed by lookup). */
  created: number;
  /** Apply only: entries whose event already existed when the run came to them. */
  resolvedExisting: number;
  /** Apply only: entries whose last attempt failed definitively. */
  failed: number;
  /** Apply only: entries whose request outcome is still unknown (resume the run). */
  unsettled: number;
  /** Write requests sent (PUT). */
  writeRequests: number;
  /**
   * Apply only: entries the read-back after applying found with more than one Kleer event (each a
   * blocking `duplicate_in_kleer` finding of the run); empty for a dry run.
   */
  duplicatesInKleer: KleerDuplicate[];
  userErrors: ReplayUserError[];
  /** The compare run made after applying, when there was one. */
  compareRunId: string | null;
  durationMs: number;
}
