import type { DateRange } from "../domain/time-entry.js";
import type { Logger } from "../domain/ports.js";
import type { TimerHistoryLink, TimerHistoryRowProblem } from "../domain/timer-history.js";

/** Zone whose local calendar day decides whether a row's `start_time` lies in a query range. */
export const DEFAULT_HISTORY_TIME_ZONE = "Europe/Stockholm";

/** Rows fetched per PostgreSQL round trip (keyset pagination on `timer_history.id`). */
export const DEFAULT_HISTORY_PAGE_SIZE = 1000;

/** What to read. Both filters are optional; an empty `tokiUserIds` array matches no row. */
export interface HistoryQuery {
  /**
   * Keeps rows whose `start_time` falls on a local day from `range.from` to `range.to`
   * (both inclusive) in the source's time zone.
   */
  range?: DateRange | undefined;
  /** Keeps rows of these Toki users (`timer_history.user_id`). */
  tokiUserIds?: readonly number[] | undefined;
  /** Called for each bad row of this read (`summary()` keeps only the latest read's). */
  onBadRow?: ((row: HistoryBadRow) => void) | undefined;
}

/** Rows that are valid but are not links, counted per reason (each row counts once). */
export interface HistorySkipCounts {
  /** `end_time` is NULL: the user's running timer. Checked first. */
  noEndTime: number;
  /** Finished row whose `registration_id` is NULL or blank: never saved to a provider. */
  noRegistrationId: number;
}

/** A row that cannot be read (unparseable time, end before start, non-numeric id …); CSV gives its line, JSON none. */
export type HistoryBadRow = TimerHistoryRowProblem;

/** Accounting of one read: nothing is dropped without being counted here. */
export interface HistoryReadSummary {
  /** `describe()` of the source. */
  source: string;
  /** Rows that passed the query's filters (links + skipped + bad). */
  rowsRead: number;
  /** Links yielded. */
  links: number;
  skipped: HistorySkipCounts;
  badRows: HistoryBadRow[];
  /** False while the read is running or when it ended early (error or consumer stopped). */
  complete: boolean;
}

/**
 * A source of Toki's timer-history links (one port, several drivers: PostgreSQL, CSV, JSON).
 * `read` streams links in `timer_history.id` order; `summary` reports the accounting of the
 * latest read (live while it runs, final once the iteration has finished).
 */
export interface TimerHistorySource {
  /** Where the rows come from; never contains a password. */
  describe(): string;
  read(query?: HistoryQuery): AsyncIterable<TimerHistoryLink>;
  summary(): HistoryReadSummary;
}

/** Options every history source accepts. */
export interface HistorySourceOptions {
  /** Zone of the local day used for `range` filtering. @default "Europe/Stockholm" */
  timeZone?: string | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
}

export function emptySummary(source: string): HistoryReadSummary {
  return { source, rowsRead: 0, links: 0, skipped: { noEndTime: 0, noRegistrationId: 0 }, badRows: [], complete: false };
}

/** A copy callers may keep: later reads do not change it. */
export function copySummary(summary: HistoryReadSummary): HistoryReadSummary {
  return { ...summary, skipped: { ...summary.skipped }, badRows: summary.badRows.map((b) => ({ ...b })) };
}

/** Reads a whole source into memory (for small exports and tests). */
export async function readAllTimerHistory(
  source: TimerHistorySource,
  query: HistoryQuery = {},
): Promise<{ links: TimerHistoryLink[]; summary: HistoryReadSummary }> {
  const links: TimerHistoryLink[] = [];
  for await (const link of source.read(query)) links.push(link);
  return { links, summary: source.summary() };
}
