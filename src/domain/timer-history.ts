import type { Instant } from "./time-entry.js";

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
