import type { PeriodKind } from "../domain/calendar.js";
import type { CutoverMapping, UserLink } from "../domain/cutover-mapping.js";
import type { Clock, Logger, TimeTrackingReader, WeeklyStatsByPeriodReader } from "../domain/ports.js";
import type { DateRange } from "../domain/time-entry.js";
import type { TimeInfo, WeeklyStats } from "../domain/time-info.js";
import type { TokiDecodeReply } from "../domain/toki-decode.js";
import type { TimerHistoryLink, TimerHistoryRowProblem } from "../domain/timer-history.js";
import type { SecretRedactor } from "../http/redact.js";
import type { RequestRecorder } from "../http/request-log.js";
import type { ParityRules } from "../parity/parity-rules.js";
import type { UserStatus } from "../parity/user-parity.js";
import type { ReportStore } from "../report/report-store.js";

/** Users compared at once when the caller gives no concurrency. */
export const DEFAULT_COMPARE_CONCURRENCY = 4;
/**
 * Milltime reads of one user in flight at once (the calendar chain and the weekly TimeInfo
 * calls overlap); bounded so that one user never takes more than its share of the pool.
 */
export const MILLTIME_USER_READ_CONCURRENCY = 4;

/**
 * Days read before and after the range on both sides: a Kleer date may be the UTC date of an
 * early-morning start (one day before the legacy day), so pairs at the range edges still pair.
 * Only entries of the range itself are reported.
 */
export const DATE_SHIFT_MARGIN_DAYS = 1;

/** The Kleer reader a compare run needs for one user. */
export type KleerCompareReader = TimeTrackingReader<WeeklyStats> & WeeklyStatsByPeriodReader;

/**
 * Collects one user's Kleer replies that Toki could not decode. The Kleer side adds replies as
 * they arrive and registers what must finish first (requests still in flight, company-wide
 * replies to claim); the run settles it before the user's results are compared and written.
 */
export interface TokiDecodeCollector {
  add(reply: TokiDecodeReply): void;
  /** Registers a wait that `settle` runs (e.g. the user's client's requests in flight). */
  waitFor(wait: () => Promise<void>): void;
}

/** A mapped user (has a Kleer user id). */
export type MappedUserLink = UserLink & { kleerUserId: number };

export interface RunCompareOptions {
  /** The compared range (inclusive). */
  range: DateRange;
  /** TimeInfo period. @default rules.period, else "week" */
  period?: PeriodKind | undefined;
  /**
   * TimeInfo periods, when they are not the range split by `period` (a snapshot's stored
   * periods overlapping the range). Each must overlap the range. @default splitByPeriod(range, period)
   */
  periods?: readonly DateRange[] | undefined;
  /** The users to process (already filtered/sharded), with the ids the mapping gives them. */
  users: readonly UserLink[];
  /** The Milltime reader of one user; every request it makes goes to `recorder`. May throw (→ source_error). */
  legacyReaderFor(user: UserLink, recorder: RequestRecorder): TimeTrackingReader<TimeInfo> | Promise<TimeTrackingReader<TimeInfo>>;
  /** The Kleer reader of one mapped user; every request it makes goes to `recorder`. */
  kleerReaderFor(user: MappedUserLink, recorder: RequestRecorder, tokiDecode: TokiDecodeCollector): KleerCompareReader | Promise<KleerCompareReader>;
  /** The timer-history links of one Toki user (all of them; the run keeps those of the range). */
  historyLinksFor(tokiUserId: number, recorder: RequestRecorder): AsyncIterable<TimerHistoryLink> | Promise<TimerHistoryLink[]>;
  /** The user's timer-history rows that could not be read; asked after `historyLinksFor`. @default none */
  historyProblemsFor?: ((tokiUserId: number) => readonly TimerHistoryRowProblem[]) | undefined;
  /**
   * Unreadable rows that belong to no user of the run (their user id cannot be read, or names a
   * user outside the mapping and the Milltime side); recorded once per run. @default none
   */
  unattributedHistoryProblems?: (() => readonly TimerHistoryRowProblem[]) | undefined;
  /**
   * What the sources still prepare in the background (a history export's index). A rejection
   * ends the run as failed with that error before any further user is written: a source that
   * fails every user alike is not one source error per user. @default nothing pending
   */
  sourcesReady?: Promise<void> | undefined;
  mapping: CutoverMapping;
  /** Kleer user id → name and email (Kleer's users list), recorded so reports name people. @default none */
  people?: ReadonlyMap<number, { name: string | null; email: string | null }> | undefined;
  /** legacy registration id → Kleer event id, from the relink records. @default empty */
  relinks?: ReadonlyMap<string, string> | undefined;
  /** @default DEFAULT_PARITY_RULES */
  rules?: ParityRules | undefined;
  store: ReportStore;
  clock: Clock;
  /** Zone of Milltime's local registration day (used to place timer-history links on a day). @default "Europe/Stockholm" */
  timeZone?: string | undefined;
  /** Users whose providers are read at once (as many again may be held, read, for their turn). @default DEFAULT_COMPARE_CONCURRENCY */
  concurrency?: number | undefined;
  onProgress?: ((progress: CompareProgress) => void) | undefined;
  /** Recorded in the run. */
  toolVersion: string;
  /** The command recorded in the run. @default "compare" */
  command?: string | undefined;
  /** Extra options recorded in `options_json` (never secrets). */
  runOptions?: Record<string, unknown> | undefined;
  /** Applied to source error messages. @default globalRedactor */
  redactor?: SecretRedactor | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
}

/** Reported after each user is written. */
export interface CompareProgress {
  done: number;
  total: number;
  tokiUserId: number;
  status: UserStatus;
  /** Unsuppressed blocking findings of this user. */
  blocking: number;
}

export interface SeverityCounts {
  blocking: number;
  warning: number;
  info: number;
  suppressed: number;
}

/** What `runCompare` returns and stores as the run's summary. */
export interface CompareSummary {
  runId: string;
  status: "completed";
  range: DateRange;
  period: PeriodKind;
  users: number;
  usersCompared: number;
  usersUnmapped: number;
  usersWithSourceErrors: number;
  legacyEntries: number;
  /** Legacy entries that count for the match rate (all but skipped). */
  entriesCompared: number;
  matches: number;
  mismatches: number;
  missing: number;
  extra: number;
  unmapped: number;
  /** Legacy entries not compared because a source of their user could not be read. */
  skipped: number;
  /**
   * Kleer events Toki's listing skips (no project, unknown project or activity): Kleer-side, like
   * `extra`, so never among the legacy entries. Absent from summaries of earlier versions.
   */
  kleerSkipped?: number;
  /** matches ÷ entriesCompared; null when nothing was compared. */
  matchRate: number | null;
  /** Unsuppressed findings by severity, plus the suppressed count. */
  findings: SeverityCounts;
  /** The same per kind (kinds with at least one finding, vocabulary order). */
  findingsByKind: Record<string, SeverityCounts>;
  /** Timer-history rows that could not be read (each a `history_row_invalid` finding). */
  historyRowsInvalid: number;
  /** One per user and failing source, in user order: why that user was not (fully) compared. */
  sourceErrors: SourceErrorLine[];
  durationMs: number;
}

/** A user's source that could not be read, as the summary prints it. */
export interface SourceErrorLine {
  tokiUserId: number;
  system: "milltime" | "kleer" | "history";
  /** Already free of secrets. */
  reason: string;
  /** What to check first. */
  hint: string;
}
