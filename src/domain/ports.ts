import type {
  Activity,
  CreateTimeEntryRequest,
  DateRange,
  EditTimeEntryRequest,
  Project,
  TimeEntry,
  TimeEntryDayStatus,
  TimeEntryListing,
} from "./time-entry.js";
import type { TimeInfo, WeeklyStats } from "./time-info.js";

/**
 * The read half of Toki's `TimeTrackingClient` port, bound to one provider user.
 * `TStats` is Milltime's `TimeInfo` before the cutover and Kleer's `WeeklyStats` after.
 */
export interface TimeTrackingReader<TStats = TimeInfo | WeeklyStats> {
  /** Projects the user may report on (Milltime: member projects; Kleer: visible projects). */
  getProjects(): Promise<Project[]>;
  /** Activities the user may report on a project. Kleer ignores the range. */
  getActivities(projectId: string, range: DateRange): Promise<Activity[]>;
  getTimeInfo(range: DateRange): Promise<TStats>;
  /** What Toki lists for the range (no local times). */
  getTimeEntries(range: DateRange): Promise<TimeEntry[]>;
  /** The same listing plus the provider entries Toki would silently skip. */
  listTimeEntries(range: DateRange): Promise<TimeEntryListing>;
}

/**
 * The write half of the port. Only the Kleer adapter implements it: the Milltime reader has no
 * write path at all, so a write cannot even compile against it.
 */
export interface TimeTrackingWriter {
  /** Returns the new registration id. */
  createTimeEntry(request: CreateTimeEntryRequest): Promise<string>;
  /** Returns the (possibly new) registration id. */
  editTimeEntry(request: EditTimeEntryRequest): Promise<string>;
  deleteTimeEntry(registrationId: string): Promise<void>;
}

/** Toki's Kleer-era provider port: read, write and day-level statuses. */
export interface TimeTrackingClient extends TimeTrackingReader<WeeklyStats>, TimeTrackingWriter {
  getTimeEntryDayStatuses(range: DateRange): Promise<TimeEntryDayStatus[]>;
}

/** Injected clock so that no logic calls `Date.now()` itself. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Minimal structured logger; implementations must never be handed secrets. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/**
 * Period statistics for many periods at once, fetched with a bounded number of requests
 * (one per endpoint per month chunk) instead of one call per period. The Kleer adapter
 * implements it; the parity run uses it to compare TimeInfo per ISO week or month.
 */
export interface WeeklyStatsByPeriodReader {
  /** One WeeklyStats per period, in the same order as `periods` (periods must not overlap). */
  getWeeklyStatsForPeriods(periods: DateRange[]): Promise<WeeklyStats[]>;
}
