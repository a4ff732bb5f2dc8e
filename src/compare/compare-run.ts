import pLimit from "p-limit";
import { splitByPeriod } from "../domain/calendar.js";
import { indexMapping, type UserLink } from "../domain/cutover-mapping.js";
import { ConfigError } from "../domain/errors.js";
import { silentLogger } from "../domain/ports.js";
import { globalRedactor } from "../http/redact.js";
import { describeParityRules } from "./compare-rules-schema.js";
import { DEFAULT_PARITY_RULES } from "../parity/parity-rules.js";
import { compareUserParity } from "../parity/user-parity.js";
import { checkUnattributedHistoryRows } from "../parity/history-row-check.js";
import { createBufferedRecorder } from "../report/report-recorder.js";
import { DATE_SHIFT_MARGIN_DAYS, DEFAULT_COMPARE_CONCURRENCY, type CompareSummary, type RunCompareOptions } from "./compare-options.js";
import { describeSourceError, readUserSources } from "./compare-sources.js";
import { createSummaryAccumulator } from "./compare-summary.js";

/** Users held in memory per read slot: one being read and one read ahead. */
const USERS_HELD_PER_READ_SLOT = 2;

/**
 * Users read ahead beyond those while the sources still prepare (a history export's index, built
 * beside the first users' reads): no user can be compared before it is ready, and with two per
 * read slot the providers fell idle for a second or more of a 40-user run waiting for it. A
 * fixed number, so that the memory they hold does not grow with the users or the concurrency;
 * small, as every user held costs about 5 MB of a two-year range (24 made the peak RSS of a
 * 200-user run 100 MB higher than a 50-user one's, whose index is ready before so many are read).
 */
export const USERS_READ_AHEAD_WHILE_PREPARING = 8;

/**
 * Compares every user of `options.users` and writes the run to the report store.
 *
 * Users stream through a p-limit pool: each slot holds one user's data, compares it with the
 * pure parity core and writes it in one transaction before taking the next; `concurrency` of
 * them read their providers at once. A source failure
 * of one user becomes that user's `source_error` finding and the run goes on; any other
 * exception (the store, a bug) marks the run `failed` and is rethrown.
 */
export async function runCompare(options: RunCompareOptions): Promise<CompareSummary> {
  const { range, store, clock } = options;
  if (range.from > range.to) throw new ConfigError(`the range starts ${range.from}, after its end ${range.to}`);
  const concurrency = options.concurrency ?? DEFAULT_COMPARE_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(`concurrency must be a positive integer, got ${concurrency}`);
  const rules = options.rules ?? DEFAULT_PARITY_RULES;
  const period = options.period ?? rules.period ?? "week";
  const periods = options.periods ? [...options.periods] : splitByPeriod(range, period);
  if (periods.length === 0 || periods.some((p) => p.to < range.from || p.from > range.to || p.from > p.to)) {
    throw new ConfigError(`the TimeInfo periods must overlap ${range.from}..${range.to}`);
  }
  const timeZone = options.timeZone ?? "Europe/Stockholm";
  const relinks = options.relinks ?? new Map<string, string>();
  const relinkTargets = new Set(relinks.values());
  const redactor = options.redactor ?? globalRedactor;
  const logger = options.logger ?? silentLogger;
  const mapping = indexMapping(options.mapping);
  const started = clock.now().getTime();

  const runId = store.startRun({
    command: options.command ?? "compare",
    range,
    period,
    toolVersion: options.toolVersion,
    suppressions: rules.suppressions,
    options: {
      ...options.runOptions,
      from: range.from,
      to: range.to,
      period,
      timeZone,
      users: options.users.length,
      concurrency,
      relinks: relinks.size,
      dateShiftMarginDays: DATE_SHIFT_MARGIN_DAYS,
      rules: describeParityRules(rules),
    },
  });
  logger.info("compare run started", { runId, users: options.users.length, from: range.from, to: range.to, period });

  const summary = createSummaryAccumulator(range, period);
  let done = 0;
  let fatal: { error: unknown } | undefined;
  // Never rejects: a failure is recorded as fatal. Each user waits for it before being written
  // (its history read cannot finish earlier anyway), so a failure is never written as one user's
  // source error.
  const sourcesReady = options.sourcesReady?.catch((error: unknown) => {
    fatal ??= { error };
  });

  const reads = pLimit(concurrency);
  const processUser = async (user: UserLink): Promise<void> => {
    if (fatal) return;
    const recorder = createBufferedRecorder();
    const sources = await readUserSources(user, periods, range, options, recorder, redactor, reads);
    await sourcesReady;
    if (fatal) return;
    const result = compareUserParity({ user, range, periods, timeZone, mapping, relinks, relinkTargets, ...sources }, rules);
    const person = user.kleerUserId === undefined ? undefined : options.people?.get(user.kleerUserId);
    store.writeUserBatch(runId, { user, result, requests: recorder.drain(), person });
    summary.add(result, sources.failures);
    done++;
    for (const failure of sources.failures) logger.warn("source error", { runId, tokiUserId: user.tokiUserId, system: failure.system, message: failure.message });
    options.onProgress?.({
      done,
      total: options.users.length,
      tokiUserId: user.tokiUserId,
      status: result.status,
      blocking: result.findings.filter((f) => !f.suppressed && f.severity === "blocking").length,
    });
  };

  try {
    // `concurrency` users have their providers read at once; as many again may be held, read and
    // waiting for their turn to be compared, so that the providers are never idle meanwhile; while
    // the sources still prepare (the export's index), USERS_READ_AHEAD_WHILE_PREPARING more.
    const held = USERS_HELD_PER_READ_SLOT * concurrency;
    const limit = pLimit(held + (sourcesReady ? USERS_READ_AHEAD_WHILE_PREPARING : 0));
    void sourcesReady?.then(() => (limit.concurrency = held));
    const outcomes = await Promise.allSettled(
      options.users.map((user) =>
        limit(async () => {
          try {
            await processUser(user);
          } catch (error) {
            fatal ??= { error };
            throw error;
          }
        }),
      ),
    );
    await sourcesReady;
    if (fatal) throw fatal.error;
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (rejected) throw rejected.reason;
  } catch (error) {
    store.failRun(runId, describeSourceError(error, redactor));
    logger.warn("compare run failed", { runId });
    throw error;
  }

  // Unreadable history rows of no user of the run are recorded once, outside any user's batch.
  try {
    const runFindings = checkUnattributedHistoryRows(options.unattributedHistoryProblems?.() ?? [], rules);
    if (runFindings.length > 0) {
      store.writeRunFindings(runId, runFindings);
      summary.addFindings(runFindings);
    }
  } catch (error) {
    store.failRun(runId, describeSourceError(error, redactor));
    throw error;
  }

  const result = summary.finish(runId, clock.now().getTime() - started);
  store.completeRun(runId, result);
  logger.info("compare run completed", { runId, durationMs: result.durationMs });
  return result;
}
