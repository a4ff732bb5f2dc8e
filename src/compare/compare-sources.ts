import pLimit from "p-limit";
import { addDays, splitByMonth } from "../domain/calendar.js";
import { InvalidResponseError, ProviderHttpError, TokiError } from "../domain/errors.js";
import type { DateRange, TimeEntry, TimeEntryListing } from "../domain/time-entry.js";
import type { TimeInfo, WeeklyStats } from "../domain/time-info.js";
import type { TokiDecodeReply } from "../domain/toki-decode.js";
import type { TimerHistoryLink, TimerHistoryRowProblem } from "../domain/timer-history.js";
import type { SecretRedactor } from "../http/redact.js";
import type { RequestRecorder } from "../http/request-log.js";
import type { UserLink } from "../domain/cutover-mapping.js";
import type { SourceFailure } from "../parity/user-parity.js";
import { DATE_SHIFT_MARGIN_DAYS, MILLTIME_USER_READ_CONCURRENCY, type RunCompareOptions, type TokiDecodeCollector } from "./compare-options.js";

const MAX_SOURCE_MESSAGE = 500;

/** A source error as a finding message: code, message, request line; redacted, at most 500 chars. */
export function describeSourceError(error: unknown, redactor: SecretRedactor): string {
  let text: string;
  if (error instanceof ProviderHttpError) {
    const outcome = error.status === undefined ? "no response" : `HTTP ${error.status}`;
    text = `${error.code}: ${error.message} (${error.method} ${error.route} → ${outcome})${error.bodyExcerpt ? `: ${error.bodyExcerpt}` : ""}`;
  } else if (error instanceof InvalidResponseError) {
    text = `${error.code}: ${error.message}${error.message.includes(error.fieldPath) ? "" : ` (at ${error.fieldPath})`}`;
  } else if (error instanceof TokiError) {
    text = `${error.code}: ${error.message}`;
  } else if (error instanceof Error) {
    text = `${error.name}: ${error.message}`;
  } else {
    text = String(error);
  }
  const clean = redactor.redact(text).replace(/[\r\n\t]+/g, " ");
  return clean.length > MAX_SOURCE_MESSAGE ? `${clean.slice(0, MAX_SOURCE_MESSAGE - 1)}…` : clean;
}

export interface UserSources {
  legacyEntries: TimeEntry[] | null;
  legacyTimeInfo: TimeInfo[] | null;
  kleerListing: TimeEntryListing | null;
  kleerStats: WeeklyStats[] | null;
  historyLinks: TimerHistoryLink[] | null;
  historyProblems: readonly TimerHistoryRowProblem[];
  failures: SourceFailure[];
  /** Kleer replies Toki could not decode (every request of the user's read has finished). */
  tokiDecodeReplies: TokiDecodeReply[];
}

function createTokiDecodeCollector(): TokiDecodeCollector & { settle(): Promise<TokiDecodeReply[]> } {
  const replies: TokiDecodeReply[] = [];
  const waits: Array<() => Promise<void>> = [];
  return {
    add: (reply) => replies.push(reply),
    waitFor: (wait) => waits.push(wait),
    async settle() {
      // A read that failed early may leave requests in flight; their replies still count.
      for (const wait of waits) await wait().catch(() => undefined);
      return replies;
    },
  };
}

/** The range read from both providers: the compared range widened by the date-shift margin. */
export function readRangeOf(range: DateRange): DateRange {
  return { from: addDays(range.from, -DATE_SHIFT_MARGIN_DAYS), to: addDays(range.to, DATE_SHIFT_MARGIN_DAYS) };
}

async function collectLinks(source: AsyncIterable<TimerHistoryLink> | Promise<TimerHistoryLink[]>): Promise<TimerHistoryLink[]> {
  if (Symbol.asyncIterator in source) {
    const out: TimerHistoryLink[] = [];
    for await (const link of source) out.push(link);
    return out;
  }
  return [...(await source)];
}

/**
 * Reads one user's three sources side by side. A source that fails (its factory or any call)
 * becomes a SourceFailure; the others are still returned.
 */
export async function readUserSources(
  user: UserLink,
  periods: readonly DateRange[],
  range: DateRange,
  options: Pick<RunCompareOptions, "legacyReaderFor" | "kleerReaderFor" | "historyLinksFor" | "historyProblemsFor">,
  recorder: RequestRecorder,
  redactor: SecretRedactor,
  /** Runs the provider reads (Milltime and Kleer, not the history) in one of the run's read slots. @default runs them at once */
  providerSlot: <T>(read: () => Promise<T>) => Promise<T> = (read) => read(),
): Promise<UserSources> {
  const readRange = readRangeOf(range);
  const failures: SourceFailure[] = [];
  const attempt = async <T>(system: SourceFailure["system"], read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch (error) {
      failures.push({ system, message: describeSourceError(error, redactor) });
      return null;
    }
  };
  const kleerUserId = user.kleerUserId;
  const tokiDecode = createTokiDecodeCollector();

  const providers = providerSlot(() =>
    Promise.all([
      attempt("milltime", async () => {
        const reader = await options.legacyReaderFor(user, recorder);
        // Milltime's TimeInfo store answers one range per call: the periods' calls overlap with the
        // calendar reads, a bounded number at a time, and keep the periods' order.
        const limit = pLimit(MILLTIME_USER_READ_CONCURRENCY);
        // After the first failure (a refused login, say) the reads still queued are not sent: the
        // user's source error is already decided, and another login try could lock the account.
        let failed = false;
        const bounded = <T>(read: () => Promise<T>) =>
          limit(async () => {
            if (failed) throw new Error("not read: an earlier Milltime read of this user failed");
            try {
              return await read();
            } catch (error) {
              failed = true;
              throw error;
            }
          });
        // The calendar is read a month at a time, as the reader splits a range itself, but each
        // month as a read of its own under the same bound: in one call they were a chain of one
        // request after another (25 for two years) that every user's read waited on.
        const [months, infos] = await Promise.all([
          Promise.all(splitByMonth(readRange).map((month) => bounded(() => reader.getTimeEntries(month)))),
          Promise.all(periods.map((period) => bounded(() => reader.getTimeInfo(period)))),
        ]);
        return { entries: months.flat(), infos: infos as TimeInfo[] };
      }),
      kleerUserId === undefined
        ? Promise.resolve(null)
        : attempt("kleer", async () => {
            const reader = await options.kleerReaderFor({ ...user, kleerUserId }, recorder, tokiDecode);
            const listing = await reader.listTimeEntries(readRange);
            const stats = await reader.getWeeklyStatsForPeriods([...periods]);
            if (stats.length !== periods.length) {
              throw new InvalidResponseError(`weekly stats for ${periods.length} periods expected, got ${stats.length}`, "weeklyStats");
            }
            return { listing, stats };
          }),
    ]),
  );
  const [[legacy, kleer], historyLinks] = await Promise.all([
    providers,
    attempt("history", async () => (await collectLinks(options.historyLinksFor(user.tokiUserId, recorder))).filter((l) => l.tokiUserId === user.tokiUserId)),
  ]);

  const tokiDecodeReplies = await tokiDecode.settle();
  // Failures arrive in completion order; report them in a fixed one.
  const order = { milltime: 0, kleer: 1, history: 2 } as const;
  failures.sort((a, b) => order[a.system] - order[b.system]);
  return {
    legacyEntries: legacy?.entries ?? null,
    legacyTimeInfo: legacy?.infos ?? null,
    kleerListing: kleer?.listing ?? null,
    kleerStats: kleer?.stats ?? null,
    historyLinks,
    historyProblems: historyLinks === null ? [] : (options.historyProblemsFor?.(user.tokiUserId) ?? []),
    failures,
    tokiDecodeReplies,
  };
}
