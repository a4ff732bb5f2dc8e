/** A calendar date `YYYY-MM-DD` (no time, no zone). */
export type IsoDate = string;

/** An instant in RFC 3339 form, e.g. `2026-05-12T07:30:00Z`. */
export type Instant = string;

/** An inclusive date range, as every Toki time-tracking call takes it. */
export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}

/** A project the target user can report on. `code` is Milltime `projectnr` / Kleer `number`. */
export interface Project {
  id: string;
  name: string;
  code?: string | undefined;
}

/** An activity reportable on a project (`projectId` ties it to the project it was listed for). */
export interface Activity {
  id: string;
  name: string;
  projectId: string;
}

/** Legacy Milltime attest level: 0 none (editable), 1 week attested, 2 month approved. */
export const AttestLevel = { None: 0, Week: 1, Month: 2 } as const;
export type AttestLevel = (typeof AttestLevel)[keyof typeof AttestLevel];

/** Kleer-era lock state of an entry or a day. */
export type TimeEntryStatus = "open" | "approved" | "certified";
export const TIME_ENTRY_STATUSES: readonly TimeEntryStatus[] = ["open", "approved", "certified"];

/** Whether Toki's UI lets the user open an entry for editing. */
export type Editability = "editable" | "locked";

/**
 * Lock state as the provider expressed it: Milltime's attest level before the cutover,
 * Kleer's status after. Kept apart because there is no 1:1 correspondence between them.
 */
export type LockState =
  | { kind: "attestLevel"; attestLevel: AttestLevel }
  | { kind: "status"; status: TimeEntryStatus };

/** A provider time entry as Toki shows it, optionally enriched with local timer-history times. */
export interface TimeEntry {
  /** Milltime `projectregistrationid` or the Kleer event id as a string. */
  registrationId: string;
  projectId: string;
  projectName: string;
  activityId: string;
  activityName: string;
  date: IsoDate;
  hours: number;
  /** Milltime: always a string (`""` for null). Kleer: null when comment and internal comment are blank. */
  note: string | null;
  startTime: Instant | null;
  endTime: Instant | null;
  /** ISO week of `date`. */
  weekNumber: number;
  lock: LockState;
  /** Kleer `foreign-id` (ignored by Toki, kept for matching). Absent for Milltime entries. */
  foreignId?: string | undefined;
}

/** A provider entry that Toki's listing leaves out, with the reason (a parity tool must still see it). */
export interface SkippedProviderEntry {
  registrationId: string;
  date: IsoDate;
  hours: number;
  reason: "projectless" | "unknown_project" | "unknown_activity";
  projectId?: string | undefined;
  activityId?: string | undefined;
  foreignId?: string | undefined;
}

/** The full outcome of listing a range: what Toki shows plus what it silently skips. */
export interface TimeEntryListing {
  entries: TimeEntry[];
  skipped: SkippedProviderEntry[];
}

/** Kleer's day-level lock (`/event/statuses`); a date without a row counts as open. */
export interface TimeEntryDayStatus {
  date: IsoDate;
  status: TimeEntryStatus;
}

/** Body of a create, in Toki's terms: the event date derives from `startTime`. */
export interface CreateTimeEntryRequest {
  projectId: string;
  projectName: string;
  activityId: string;
  activityName: string;
  startTime: Instant;
  endTime: Instant;
  note: string;
  /**
   * Overrides the generated `toki-…` foreign-id. Replay uses `milltime:<legacy registration id>`
   * so that a re-run can find what it already wrote.
   */
  foreignId?: string | undefined;
}

/** Body of an edit: the create fields plus the entry to change. */
export interface EditTimeEntryRequest extends CreateTimeEntryRequest {
  registrationId: string;
}
