import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Dispatcher } from "undici";
import { runCompare, loadRulesFile, readRangeOf, type CompareProgress, type CompareSummary } from "../compare/index.js";
import type { RunConfig } from "../config/run-config.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import { createReportStore, openReportDatabase } from "../report/index.js";
import { TOOL_VERSION } from "../cli/tool-version.js";
import { openRunSources, type RunSources } from "./run-sources.js";
import type { KleerClient } from "../kleer/kleer-client.js";
import type { DateRange } from "../domain/time-entry.js";
import { splitByPeriod, type PeriodKind } from "../domain/calendar.js";
import { isInShard } from "../domain/shard.js";
import { ConfigError } from "../domain/errors.js";
import { maskPostgresUrl } from "../history/index.js";
import type { RetryOptions } from "../http/retry.js";
import type { RequestRecord, RequestRecorder } from "../http/request-log.js";

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
  /**
   * Sees every request of the run as it is recorded, with the Toki user whose batch holds it
   * (undefined for the company-wide calls before the first user). The benchmark's I/O floor
   * replays what it sees. @default none
   */
  onRequest?: (tokiUserId: number | undefined, record: RequestRecord) => void;
}

function observed(recorder: RequestRecorder, tokiUserId: number, onRequest: CompareFromConfigDeps["onRequest"]): RequestRecorder {
  if (!onRequest) return recorder;
  return {
    record(entry) {
      recorder.record(entry);
      onRequest(tokiUserId, entry);
    },
  };
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

/**
 * A snapshot answers only the range it was exported for: a compare range outside it is a usage
 * error (before any run starts). Inside it, TimeInfo is compared over the snapshot's own periods
 * that overlap the range (whole ISO weeks or months as exported, clipped to the snapshot), since
 * Milltime's figures for a part of a stored period cannot be derived from the file.
 */
export function snapshotPeriods(snapshotRange: DateRange, snapshotDir: string, range: DateRange, period: PeriodKind): DateRange[] {
  if (range.from < snapshotRange.from || range.to > snapshotRange.to) {
    throw new ConfigError(
      `--from ${range.from} --to ${range.to} is outside the Milltime snapshot ${snapshotDir}, which holds ${snapshotRange.from}..${snapshotRange.to}: compare a range inside it, or export a snapshot of this range (toki-parity milltime-export)`,
    );
  }
  return splitByPeriod(snapshotRange, period).filter((p) => p.to >= range.from && p.from <= range.to);
}

/** Opens every source named by the configuration, runs a compare and closes everything again. */
export async function compareFromConfig(config: RunConfig, deps: CompareFromConfigDeps = {}): Promise<CompareSummary> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const rules = await loadRulesFile(config.rulesFile);
  const range = { from: config.from, to: config.to };
  const period = config.period ?? rules.period ?? "week";
  const onRequest = deps.onRequest;
  const sources = await openRunSources(config, { ...deps, kleerCompanyRecorder: onRequest ? { record: (entry) => onRequest(undefined, entry) } : undefined });
  let db: ReturnType<typeof openReportDatabase> | undefined;
  try {
    const snapshotRange = sources.milltime.snapshotRange;
    const periods = snapshotRange ? snapshotPeriods(snapshotRange, config.milltime.snapshotDir ?? "", range, period) : undefined;
    mkdirSync(dirname(config.reportFile), { recursive: true });
    db = openReportDatabase(config.reportFile);
    const store = createReportStore(db, { clock });
    const readRange = readRangeOf(range);
    await preflightSources(sources, readRange);
    const people = await readKleerPeople(sources.kleer.companyClient, logger);
    return await runCompare({
      people,
      range,
      period,
      periods,
      users: sources.users,
      legacyReaderFor: (user, recorder) => sources.milltime.readerFor(user.tokiUserId, observed(recorder, user.tokiUserId, onRequest)),
      kleerReaderFor: (user, recorder, tokiDecode) => sources.kleer.adapterFor(user.kleerUserId, observed(recorder, user.tokiUserId, onRequest), tokiDecode),
      sourcesReady: sources.history.ready(),
      historyLinksFor: (tokiUserId) => sources.history.linksFor(tokiUserId, readRange),
      historyProblemsFor: (tokiUserId) => sources.history.badRowsFor(tokiUserId),
      // A row of no user in the run is recorded by an unfiltered run only (once per shard set: shard 1).
      unattributedHistoryProblems: () =>
        config.users !== undefined
          ? []
          : sources.history
              .unattributedBadRows(new Set(sources.users.map((u) => u.tokiUserId)))
              .filter((row) => (row.tokiUserId === undefined ? (config.shard?.index ?? 1) === 1 : isInShard(row.tokiUserId, config.shard))),
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
    db?.close();
  }
}

/**
 * Kleer's users list (names and emails), only to name people in the reports: when it cannot be
 * read the run goes on (the mapping's emails still show) and the log says why.
 */
async function readKleerPeople(client: Pick<KleerClient, "listUsers">, logger: Logger): Promise<Map<number, { name: string | null; email: string | null }>> {
  try {
    return new Map((await client.listUsers()).map((u) => [u.id, { name: u.name, email: u.email }]));
  } catch (error) {
    logger.warn("Kleer's users list could not be read: the report shows the mapping's emails only", { message: error instanceof Error ? error.message : String(error) });
    return new Map();
  }
}
