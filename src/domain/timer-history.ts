import type { Instant } from "./time-entry.js";

/** A `timer_history` row that could not be read (it is not a link, and nothing is compared for it). */
export interface TimerHistoryRowProblem {
  /** `timer_history.id` as written in the source, or `#<n>` (1-based record number) when absent. */
  rowId: string;
  /** Line in a CSV file where the record starts. */
  line?: number | undefined;
  /** The Toki user the row names, when its `user_id` could be read. */
  tokiUserId?: number | undefined;
  reason: string;
}

/**
 * One finished row of Toki's `timer_history` that points at a provider entry: the link that
 * carries the true start/end times and must be re-pointed at the Kleer event after cutover.
 */
export interface TimerHistoryLink {
  /** `timer_history.id` */
  historyId: number;
  /** `timer_history.user_id` (the Toki user id, the report's `user_key`). */
  tokiUserId: number;
  userEmail: string | null;
  registrationId: string;
  startTime: Instant;
  endTime: Instant;
  projectId: string | null;
  projectName: string | null;
  activityId: string | null;
  activityName: string | null;
  note: string | null;
}
