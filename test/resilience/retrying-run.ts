import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Agent } from "undici";
import { loadRulesFile, readRangeOf, runCompare, type CompareSummary } from "../../src/compare/index.js";
import type { TokiDecodeCollector } from "../../src/compare/compare-options.js";
import type { RunConfig } from "../../src/config/run-config.js";
import { systemClock } from "../../src/domain/ports.js";
import type { RequestRecorder } from "../../src/http/request-log.js";
import type { RetryOptions } from "../../src/http/retry.js";
import { loadMappingFile } from "../../src/mapping/index.js";
import { createMilltimeClient, createMilltimeDispatcher, createMilltimeReader, loadMilltimeCredentials } from "../../src/milltime/index.js";
import { listingRangeOf, runReplay, type ReplaySummary } from "../../src/replay/index.js";
import { createReportStore, openReportDatabase } from "../../src/report/index.js";
import { openHistorySide, openKleerSide, selectRunUsers } from "../../src/run/run-sources.js";

/**
 * The sources of a run opened as `openRunSources` opens them (one Kleer agent and one set of
 * company lookups for every user, a Milltime client per user), but with the clients' retry
 * policy injected, which the run configuration does not carry.
 */
export async function openRetryingSources(config: RunConfig, retry: RetryOptions) {
  const { mapping } = await loadMappingFile(config.mappingFile);
  const credentials = await loadMilltimeCredentials(config.milltime.credentialsFile!);
  const byUser = new Map(credentials.map((c) => [c.tokiUserId, c]));
  const kleerDispatcher = new Agent({ connections: 8, keepAliveTimeout: 10_000 });
  const milltimeDispatcher = createMilltimeDispatcher();
  // The production Kleer side (company lookups once per run, Toki decode contract, span splitting), with the retry policy injected.
  const kleer = openKleerSide({
    baseUrl: config.kleer.baseUrl,
    token: config.kleer.token,
    companyId: config.kleer.companyId,
    timeZone: config.timeZone,
    dispatcher: kleerDispatcher,
    retry,
  });
  const companyClient = kleer.companyClient;
  const history = openHistorySide(config.history, config.timeZone);
  return {
    mapping,
    companyClient,
    history,
    users: selectRunUsers(mapping, [...byUser.keys()], config),
    kleerAdapterFor(kleerUserId: number, recorder: RequestRecorder, tokiDecode?: TokiDecodeCollector) {
      return kleer.adapterFor(kleerUserId, recorder, tokiDecode);
    },
    milltimeReaderFor(tokiUserId: number, recorder: RequestRecorder) {
      const credential = byUser.get(tokiUserId)!;
      const client = createMilltimeClient({
        baseUrl: config.milltime.url!,
        credentials: credential,
        who: `Toki user ${tokiUserId} (${credential.username})`,
        dispatcher: milltimeDispatcher,
        recorder,
        retry,
      });
      return createMilltimeReader({ source: { kind: "live", client } });
    },
    async close() {
      await Promise.all([kleerDispatcher.close(), milltimeDispatcher.close()]);
    },
  };
}

/** `compareFromConfig` (preflight, then the run) with the clients' retry policy injected. */
export async function compareWithRetry(config: RunConfig, retry: RetryOptions): Promise<CompareSummary> {
  mkdirSync(dirname(config.reportFile), { recursive: true });
  const db = openReportDatabase(config.reportFile);
  const sources = await openRetryingSources(config, retry);
  try {
    await sources.companyClient.getCurrentUser();
    const range = { from: config.from, to: config.to };
    return await runCompare({
      range,
      period: config.period,
      users: sources.users,
      legacyReaderFor: (user, recorder) => sources.milltimeReaderFor(user.tokiUserId, recorder),
      kleerReaderFor: (user, recorder, tokiDecode) => sources.kleerAdapterFor(user.kleerUserId, recorder, tokiDecode),
      historyLinksFor: (tokiUserId) => sources.history.linksFor(tokiUserId, readRangeOf(range)),
      historyProblemsFor: (tokiUserId) => sources.history.badRowsFor(tokiUserId),
      unattributedHistoryProblems: () => sources.history.unattributedBadRows(new Set(sources.users.map((u) => u.tokiUserId))),
      mapping: sources.mapping,
      rules: await loadRulesFile(config.rulesFile),
      store: createReportStore(db, { clock: systemClock }),
      clock: systemClock,
      timeZone: config.timeZone,
      concurrency: config.concurrency,
      toolVersion: "test",
    });
  } finally {
    await sources.close();
    db.close();
  }
}

/** `replay --apply` (or `--resume RUN`) with the clients' retry policy injected; no compare afterwards. */
export async function replayWithRetry(config: RunConfig, retry: RetryOptions, resumeRunId?: string): Promise<ReplaySummary> {
  mkdirSync(dirname(config.reportFile), { recursive: true });
  const db = openReportDatabase(config.reportFile);
  const sources = await openRetryingSources(config, retry);
  const range = { from: config.from, to: config.to };
  try {
    const result = await runReplay({
      range,
      users: sources.users,
      mapping: sources.mapping,
      sources: {
        legacyReaderFor: (user, recorder) => sources.milltimeReaderFor(user.tokiUserId, recorder),
        kleerClientFor: (user, recorder) => sources.kleerAdapterFor(user.kleerUserId, recorder),
        historyLinksFor: (tokiUserId) => sources.history.linksFor(tokiUserId, listingRangeOf(range)),
        findKleerEvent: async (eventId) => {
          try {
            const event = await sources.companyClient.getEvent(Number(eventId));
            return { kleerUserId: event.user.id, foreignId: event["foreign-id"] };
          } catch (error) {
            if ((error as { code?: string }).code === "NOT_FOUND") return null;
            throw error;
          }
        },
      },
      store: createReportStore(db, { clock: systemClock }),
      clock: systemClock,
      timeZone: config.timeZone,
      mode: "apply",
      target: { kleerBaseUrl: config.kleer.baseUrl, kleerCompanyId: config.kleer.companyId },
      concurrency: config.concurrency,
      resumeRunId,
      toolVersion: "test",
    });
    return result.summary;
  } finally {
    await sources.close();
    db.close();
  }
}
