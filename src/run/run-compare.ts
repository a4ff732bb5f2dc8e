import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Dispatcher } from "undici";
import { runCompare, loadRulesFile, readRangeOf, type CompareProgress, type CompareSummary } from "../compare/index.js";
import type { RunConfig } from "../config/run-config.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import { createReportStore, openReportDatabase } from "../report/index.js";
import { TOOL_VERSION } from "../cli/tool-version.js";
import { openRunSources, type RunSources } from "./run-sources.js";
import type { DateRange } from "../domain/time-entry.js";
import { maskPostgresUrl } from "../history/index.js";
import type { RetryOptions } from "../http/retry.js";

export interface CompareFromConfigDeps {
  clock?: Clock;
  logger?: Logger;
  kleerDispatcher?: Dispatcher;
  milltimeDispatcher?: Dispatcher;
  /** Retry policy of both providers' reads. @default the clients' default policy */
  retry?: RetryOptions | false;
  onProgress?: (progress: CompareProgress) => void;
  /** Recorded in the run. @default "compare" */
  command?: string;
  /** legacy registration id → Kleer event id (e.g. what a replay run created). @default none */
  relinks?: ReadonlyMap<string, string>;
  /** Extra keys for the run's options_json, e.g. `{ replayRun }` (never secrets). */
  runOptions?: Record<string, unknown>;
}

/** What the options_json column of a compare run holds: the settings, never a secret. */
export function describeRunOptions(config: RunConfig): Record<string, unknown> {
  return {
    period: config.period ?? null,
    users: config.users ?? null,
    shard: config.shard ? `${config.shard.index}/${config.shard.count}` : null,
    timeZone: config.timeZone,
    concurrency: config.concurrency,
    kleer: { baseUrl: maskPostgresUrl(config.kleer.baseUrl), companyId: config.kleer.companyId },
    milltime: config.milltime.snapshotDir ? { snapshot: config.milltime.snapshotDir } : { url: config.milltime.url ? maskPostgresUrl(config.milltime.url) : null },
    history: config.history ? maskPostgresUrl(config.history) : null,
    mapping: config.mappingFile,
    rules: config.rulesFile ?? null,
  };
}

/**
 * Checks, before any user is processed, what would fail every user alike: a Kleer token or
 * company that does not authenticate, an unreachable Kleer host or history database. These end
 * the command (exit 3) instead of becoming one source error per user.
 */
export async function preflightSources(sources: RunSources, historyRange: DateRange): Promise<void> {
  await sources.kleer.companyClient.getCurrentUser();
  await sources.history.prepare(historyRange);
}

/** Opens every source named by the configuration, runs a compare and closes everything again. */
export async function compareFromConfig(config: RunConfig, deps: CompareFromConfigDeps = {}): Promise<CompareSummary> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const rules = await loadRulesFile(config.rulesFile);
  mkdirSync(dirname(config.reportFile), { recursive: true });
  const db = openReportDatabase(config.reportFile);
  const store = createReportStore(db, { clock });
  const sources = await openRunSources(config, deps);
  const range = { from: config.from, to: config.to };
  const readRange = readRangeOf(range);
  try {
    await preflightSources(sources, readRange);
    return await runCompare({
      range,
      period: config.period,
      users: sources.users,
      legacyReaderFor: (user, recorder) => sources.milltime.readerFor(user.tokiUserId, recorder),
      kleerReaderFor: (user, recorder) => sources.kleer.adapterFor(user.kleerUserId, recorder),
      historyLinksFor: (tokiUserId) => sources.history.linksFor(tokiUserId, readRange),
      mapping: sources.mapping,
      rules,
      store,
      clock,
      timeZone: config.timeZone,
      concurrency: config.concurrency,
      onProgress: deps.onProgress,
      toolVersion: TOOL_VERSION,
      command: deps.command ?? "compare",
      runOptions: { ...describeRunOptions(config), ...deps.runOptions },
      relinks: deps.relinks,
      logger,
    });
  } finally {
    await sources.close();
    db.close();
  }
}
