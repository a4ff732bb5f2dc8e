import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Dispatcher } from "undici";
import type { CompareProgress, CompareSummary } from "../compare/index.js";
import type { RunConfig } from "../config/run-config.js";
import { resolveWriteMode } from "../config/write-guard.js";
import { TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import { createReportStore, openReportDatabase, openReportStore } from "../report/index.js";
import { TOOL_VERSION } from "../cli/tool-version.js";
import { compareFromConfig, describeRunOptions } from "../run/run-compare.js";
import { openRunSources } from "../run/run-sources.js";
import { createReplayJournal, settledEventsOf } from "./replay-journal.js";
import { listingRangeOf } from "./replay-read.js";
import { runReplay, type ReplayProgress } from "./replay-run.js";
import { createReplayPlanStore } from "./replay-store.js";
import type { PlanRow, ReplaySummary } from "./replay-types.js";

export interface ReplayOptions {
  /** Write to Kleer (`--apply`). Without it the run only plans. */
  apply: boolean;
  /** Allow a host other than loopback or Kleer's test API (`--allow-production`). @default false */
  allowProduction?: boolean | undefined;
  /** Continue this replay run (`--resume RUN`); needs `apply`. */
  resumeRunId?: string | undefined;
  /** Take the Kleer company's write lease over from this run (`--take-over RUN`); needs `apply`. */
  takeOverRunId?: string | undefined;
  /** Plan rows returned for printing. @default 20 */
  previewRows?: number | undefined;
}

export interface ReplayFromConfigDeps {
  clock?: Clock;
  logger?: Logger;
  kleerDispatcher?: Dispatcher;
  milltimeDispatcher?: Dispatcher;
  onProgress?: (progress: ReplayProgress) => void;
  onCompareProgress?: (progress: CompareProgress) => void;
}

export interface ReplayFromConfigResult {
  replay: ReplaySummary;
  /** The first plan rows (what would be / was written). */
  preview: PlanRow[];
  /** The comparison made after applying (null for a dry run). */
  compare: CompareSummary | null;
}

/**
 * Replays the configured range into Kleer: refuses a production host without
 * `allowProduction` before opening anything, plans (and with `apply` writes) through the
 * sources the configuration names, then — after applying — runs the same comparison as
 * `compare` in the same report file with the journal's relinks, linked to the replay run.
 */
export async function replayFromConfig(config: RunConfig, options: ReplayOptions, deps: ReplayFromConfigDeps = {}): Promise<ReplayFromConfigResult> {
  const mode = resolveWriteMode({ baseUrl: config.kleer.baseUrl, apply: options.apply, allowProduction: options.allowProduction ?? false });
  if (options.resumeRunId !== undefined && mode !== "apply") throw new TokiError("USAGE", "--resume continues an applying run: pass --apply as well");
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const range = { from: config.from, to: config.to };
  mkdirSync(dirname(config.reportFile), { recursive: true });

  let replay: ReplaySummary;
  let preview: PlanRow[];
  let relinks: Map<string, string>;
  {
    const db = openReportDatabase(config.reportFile);
    try {
      const store = createReportStore(db, { clock });
      // Replay decides what to create from Kleer's lists: a reply that lists nothing by accident
      // (`{}`) must fail the user, never read as "no events yet".
      const sources = await openRunSources(config, { ...deps, strictKleerLists: true });
      try {
        const result = await runReplay({
          range,
          users: sources.users,
          mapping: sources.mapping,
          sources: {
            legacyReaderFor: (user, recorder) => sources.milltime.readerFor(user.tokiUserId, recorder),
            kleerClientFor: (user, recorder) => sources.kleer.adapterFor(user.kleerUserId, recorder),
            historyLinksFor: (tokiUserId) => sources.history.linksFor(tokiUserId, listingRangeOf(range)),
            findKleerEvent: (eventId, recorder) => sources.kleer.findEvent(eventId, recorder),
          },
          store,
          clock,
          timeZone: config.timeZone,
          mode,
          target: { kleerBaseUrl: config.kleer.baseUrl, kleerCompanyId: config.kleer.companyId },
          concurrency: config.concurrency,
          resumeRunId: options.resumeRunId,
          takeOverRunId: options.takeOverRunId,
          toolVersion: TOOL_VERSION,
          runOptions: describeRunOptions(config),
          previewRows: options.previewRows,
          logger,
          onProgress: deps.onProgress,
        });
        replay = result.summary;
        preview = result.preview;
      } finally {
        await sources.close();
      }
      const settled = settledEventsOf(createReplayJournal(db, { clock }), replay.runId);
      relinks = new Map(settled.map((s) => [s.legacyId, s.kleerEventId]));
    } finally {
      db.close();
    }
  }
  if (mode !== "apply") return { replay, preview, compare: null };

  const compare = await compareFromConfig(config, {
    clock,
    logger,
    kleerDispatcher: deps.kleerDispatcher,
    milltimeDispatcher: deps.milltimeDispatcher,
    onProgress: deps.onCompareProgress,
    relinks,
    runOptions: { replayRun: replay.runId },
  });
  const db = openReportDatabase(config.reportFile);
  try {
    createReplayPlanStore(db).setCompareRun(replay.runId, compare.runId);
  } finally {
    db.close();
  }
  return { replay: { ...replay, compareRunId: compare.runId }, preview, compare };
}

/** The range of a replay run (what `--resume RUN` replays when --from/--to are not given). */
export function readReplayRunRange(reportFile: string, runId: string, clock: Clock = systemClock): { from: string; to: string } {
  const store = openReportStore(reportFile, { clock, mustExist: true });
  try {
    createReplayPlanStore(store.db).getRun(runId);
    const run = store.getRun(runId);
    if (run.fromDate === null || run.toDate === null) throw new TokiError("USAGE", `run ${runId} has no range`);
    return { from: run.fromDate, to: run.toDate };
  } finally {
    store.db.close();
  }
}
