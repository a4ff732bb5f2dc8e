import { Agent, type Dispatcher } from "undici";
import type { CutoverMapping, UserLink } from "../domain/cutover-mapping.js";
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import { isInShard } from "../domain/shard.js";
import type { DateRange } from "../domain/time-entry.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import { globalRedactor } from "../http/redact.js";
import type { RequestRecorder } from "../http/request-log.js";
import type { RetryOptions } from "../http/retry.js";
import { checkHistoryFileStart, historyFormatOf, openTimerHistorySource, type HistoryBadRow, type TimerHistorySource } from "../history/index.js";
import { openHistoryFileIndex, type HistoryFileIndex } from "../history/history-file-index.js";
import { createKleerAdapter, createKleerClient, createKleerCompanyLookups, createKleerSpanLimits, KLEER_CHUNK_CONCURRENCY, type KleerAdapter, type KleerClient } from "../kleer/index.js";
import { loadMappingFile } from "../mapping/index.js";
import {
  createMilltimeClient,
  createMilltimeDispatcher,
  createMilltimeReader,
  loadMilltimeCredentials,
  openMilltimeSnapshot,
  type MilltimeCredential,
  type MilltimeReader,
  type MilltimeSnapshot,
} from "../milltime/index.js";
import type { RunConfig } from "../config/run-config.js";
import type { TokiDecodeCollector } from "../compare/compare-options.js";
import type { TokiDecodeReply } from "../domain/toki-decode.js";
import { MILLTIME_USER_READ_CONCURRENCY } from "../compare/compare-options.js";

/** Kleer connections kept open for a run at least (shared by every user's client). */
export const KLEER_RUN_CONNECTIONS = 8;
/** Upper bound of either pool, whatever the concurrency. */
export const RUN_MAX_CONNECTIONS = 128;

/**
 * Connections a pool needs so that `concurrency` users, each with up to `perUser` requests in
 * flight, never queue behind a fixed pool (`--concurrency` above the pool size used to gain nothing).
 */
export function poolConnectionsFor(concurrency: number, perUser: number): number {
  return Math.min(RUN_MAX_CONNECTIONS, Math.max(KLEER_RUN_CONNECTIONS, concurrency * perUser));
}

/** The Kleer side of a run: one keep-alive agent and company lookups shared by every user. */
export interface KleerRunSide {
  /** A client for company-wide calls (user/me, users, projects, activities). */
  companyClient: KleerClient;
  /**
   * An adapter for one Kleer user whose requests are recorded to `recorder`. Replies Toki could
   * not decode go to `tokiDecode`: the user's own, and the company-wide ones (fetched once per run)
   * to the first user that settles after they arrived, so each is reported exactly once.
   */
  adapterFor(kleerUserId: number, recorder: RequestRecorder, tokiDecode?: TokiDecodeCollector): KleerAdapter;
  /** GET `/event/{id}`: its owner and foreign-id, null when Kleer has no such event (404). */
  findEvent(eventId: string, recorder: RequestRecorder): Promise<{ kleerUserId: number; foreignId: string } | null>;
  close(): Promise<void>;
}

export interface OpenKleerSideOptions {
  baseUrl: string;
  token: string;
  companyId: number;
  timeZone: string;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** Injected dispatcher (tests); otherwise a keep-alive agent owned by the side. */
  dispatcher?: Dispatcher | undefined;
  timeoutMs?: number | undefined;
  /** Retry policy of reads. @default the clients' default policy */
  retry?: RetryOptions | false | undefined;
  /** A list reply without its list key is an error, not an empty list (write paths). @default false */
  strictLists?: boolean | undefined;
  /** Connections of the side's own agent. @default 8 */
  connections?: number | undefined;
  /** Longest span of one per-user read, in months. @default 12 */
  maxSpanMonths?: number | undefined;
  /**
   * Receives the company-wide requests made before any user's adapter exists (the preflight's
   * `user/me`, the users list); the report has no user batch for them. @default none
   */
  companyRecorder?: RequestRecorder | undefined;
}

export function openKleerSide(options: OpenKleerSideOptions): KleerRunSide {
  globalRedactor.add(options.token);
  const dispatcher = options.dispatcher ?? new Agent({ connections: options.connections ?? KLEER_RUN_CONNECTIONS, keepAliveTimeout: 10_000 });
  // Company lookups are fetched once per run; their requests are recorded with the user whose
  // read triggered them, so the requests table counts each exactly once.
  let currentRecorder: RequestRecorder | undefined;
  const routing: RequestRecorder = { record: (entry) => (currentRecorder ?? options.companyRecorder)?.record(entry) };
  const base = { baseUrl: options.baseUrl, token: options.token, companyId: options.companyId, dispatcher, timeoutMs: options.timeoutMs, retry: options.retry, strictLists: options.strictLists };
  let companyReplies: TokiDecodeReply[] = [];
  const companyClient = createKleerClient({ ...base, recorder: routing, onTokiDecode: (reply) => companyReplies.push(reply) });
  const lookups = createKleerCompanyLookups(companyClient);
  const spanLimits = createKleerSpanLimits();
  return {
    companyClient,
    adapterFor(kleerUserId, recorder, tokiDecode) {
      currentRecorder = recorder;
      const client = createKleerClient({ ...base, recorder, onTokiDecode: tokiDecode ? (reply) => tokiDecode.add(reply) : undefined });
      tokiDecode?.waitFor(() => client.settled());
      tokiDecode?.waitFor(async () => {
        await companyClient.settled();
        const claimed = companyReplies;
        companyReplies = [];
        for (const reply of claimed) tokiDecode.add(reply);
      });
      return createKleerAdapter({
        client,
        kleerUserId,
        timeZone: options.timeZone,
        clock: options.clock,
        logger: options.logger,
        lookups,
        maxSpanMonths: options.maxSpanMonths,
        spanLimits,
      });
    },
    async findEvent(eventId, recorder) {
      const id = Number(eventId);
      if (!Number.isSafeInteger(id) || id <= 0) return null;
      try {
        return await createKleerClient({ ...base, recorder })
          .getEvent(id)
          .then((event) => ({ kleerUserId: event.user.id, foreignId: event["foreign-id"] }));
      } catch (error) {
        if (error instanceof TokiError && error.code === "NOT_FOUND") return null;
        throw error;
      }
    },
    async close() {
      if (!options.dispatcher) await dispatcher.close();
    },
  };
}

/** The Milltime side of a run: live (credentials + login per user) or an offline snapshot. */
export interface MilltimeRunSide {
  describe(): string;
  /** The range a snapshot was exported for (its TimeInfo periods are that range's weeks and months); undefined when live. */
  snapshotRange?: DateRange | undefined;
  /** Toki user ids the side can read (credential rows or snapshot users). */
  tokiUserIds(): number[];
  readerFor(tokiUserId: number, recorder: RequestRecorder): MilltimeReader;
  close(): Promise<void>;
}

export interface OpenMilltimeSideOptions {
  url?: string | undefined;
  credentialsFile?: string | undefined;
  snapshotDir?: string | undefined;
  instanceId?: string | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  dispatcher?: Dispatcher | undefined;
  /** Retry policy of reads and logins. @default the client's default policy */
  retry?: RetryOptions | false | undefined;
  /** Connections of the side's own agent. @default 8 */
  connections?: number | undefined;
}

export async function openMilltimeSide(options: OpenMilltimeSideOptions): Promise<MilltimeRunSide> {
  const logger = options.logger ?? silentLogger;
  if (options.snapshotDir) {
    const snapshot: MilltimeSnapshot = await openMilltimeSnapshot(options.snapshotDir);
    return {
      describe: () => `Milltime snapshot ${options.snapshotDir}`,
      snapshotRange: snapshot.manifest.range,
      tokiUserIds: () => snapshot.manifest.users.map((u) => u.tokiUserId),
      readerFor: (tokiUserId) => createMilltimeReader({ source: { kind: "snapshot", snapshot, tokiUserId }, logger }),
      close: async () => {},
    };
  }
  if (!options.url || !options.credentialsFile) {
    throw new ConfigError("the Milltime side needs --milltime-snapshot DIR, or --milltime-url URL with --milltime-credentials FILE");
  }
  const credentials = await loadMilltimeCredentials(options.credentialsFile);
  const byUser = new Map<number, MilltimeCredential>(credentials.map((c) => [c.tokiUserId, c]));
  const dispatcher = options.dispatcher ?? createMilltimeDispatcher(options.connections);
  const url = options.url;
  return {
    describe: () => `Milltime ${new URL(url).host} (${credentials.length} credential rows)`,
    tokiUserIds: () => [...byUser.keys()],
    readerFor(tokiUserId, recorder) {
      const credential = byUser.get(tokiUserId);
      if (!credential) throw new ConfigError(`no Milltime credentials for Toki user ${tokiUserId} in ${options.credentialsFile}`);
      const client = createMilltimeClient({
        baseUrl: url,
        credentials: credential,
        instanceId: credential.instanceId ?? options.instanceId,
        who: `Toki user ${tokiUserId} (${credential.username})`,
        dispatcher,
        recorder,
        clock: options.clock,
        logger,
        retry: options.retry,
      });
      return createMilltimeReader({ source: { kind: "live", client }, logger });
    },
    async close() {
      if (!options.dispatcher) await dispatcher.close();
    },
  };
}

/**
 * Timer-history links per user. PostgreSQL is queried per user; a file export is read once into
 * a SQLite index on disk (shared by the shards of one export on one machine) and queried per user
 * from there, so memory stays bounded by one user's links however large the export is.
 */
export interface HistoryRunSide {
  describe(): string;
  linksFor(tokiUserId: number, range: DateRange): Promise<TimerHistoryLink[]>;
  /**
   * Proves the history readable before any user is processed: connects to PostgreSQL, or checks
   * a file export's header and starts building its index (the one pass `linksFor` then reads
   * from) in the background, so that it is built while the first users' providers are read.
   * Pass the range `linksFor` gets.
   */
  prepare(range: DateRange): Promise<void>;
  /** Resolves when what `prepare` started has finished; rejects when the export turned out unreadable past its header. */
  ready(): Promise<void>;
  /** The user's unreadable rows seen so far (ask after `linksFor`). */
  badRowsFor(tokiUserId: number): HistoryBadRow[];
  /** Unreadable rows whose user cannot be read or is not among `users`. */
  unattributedBadRows(users: ReadonlySet<number>): HistoryBadRow[];
  source: TimerHistorySource | undefined;
  close(): Promise<void>;
}

export interface OpenHistorySideOptions {
  /** Folder of index files shared by runs of one export (shards); false: a private index, removed on close. @default DEFAULT_HISTORY_INDEX_DIR */
  indexDir?: string | false | undefined;
}

export function openHistorySide(spec: string | undefined, timeZone: string, logger: Logger = silentLogger, options: OpenHistorySideOptions = {}): HistoryRunSide {
  if (!spec) {
    return { describe: () => "no timer history", linksFor: async () => [], prepare: async () => {}, ready: async () => {}, badRowsFor: () => [], unattributedBadRows: () => [], source: undefined, close: async () => {} };
  }
  const source = openTimerHistorySource(spec, { timeZone, logger });
  const isDatabase = /^postgres(ql)?:\/\//i.test(spec.trim());
  let fileIndex: Promise<HistoryFileIndex> | undefined;
  let indexed: HistoryFileIndex | undefined;
  const buildIndex = (range: DateRange): Promise<HistoryFileIndex> => {
    if (!fileIndex) {
      fileIndex = openHistoryFileIndex({ source, filePath: spec, range, timeZone, indexDir: options.indexDir, worker: true }).then((index) => {
        indexed = index;
        if (index.reused) logger.info("timer history: index shared with an earlier run of the same export", { source: source.describe() });
        return index;
      });
      // Whoever awaits it sees a failure; this keeps it from being unhandled in between.
      fileIndex.catch(() => undefined);
    }
    return fileIndex;
  };
  // PostgreSQL filters by user in SQL, so each user's read sees only that user's bad rows.
  const databaseBadRows = new Map<number, HistoryBadRow[]>();
  return {
    badRowsFor(tokiUserId) {
      if (isDatabase) return [...(databaseBadRows.get(tokiUserId) ?? [])];
      return (indexed?.badRows ?? []).filter((row) => row.tokiUserId === tokiUserId);
    },
    unattributedBadRows(users) {
      if (isDatabase) return [];
      return (indexed?.badRows ?? []).filter((row) => row.tokiUserId === undefined || !users.has(row.tokiUserId));
    },
    source,
    describe: () => source.describe(),
    async prepare(range) {
      if (!isDatabase) {
        await checkHistoryFileStart(spec);
        const building = buildIndex(range);
        // A JSON export is parsed whole anyway: it is proven readable only once read.
        if (historyFormatOf(spec) !== "csv") await building;
        return;
      }
      // An empty user list matches no row: this only connects.
      for await (const _ of source.read({ tokiUserIds: [] })) break;
    },
    async ready() {
      if (fileIndex) await fileIndex;
    },
    async linksFor(tokiUserId, range) {
      if (isDatabase) {
        const out: TimerHistoryLink[] = [];
        const bad: HistoryBadRow[] = [];
        for await (const link of source.read({ range, tokiUserIds: [tokiUserId], onBadRow: (row) => bad.push({ ...row, tokiUserId }) })) out.push(link);
        databaseBadRows.set(tokiUserId, bad);
        return out;
      }
      return (await buildIndex(range)).linksOf(tokiUserId);
    },
    async close() {
      if (fileIndex) (await fileIndex.catch(() => undefined))?.close();
    },
  };
}

/**
 * The users a run processes: every mapped user plus every user the Milltime side knows (a user
 * with legacy data but no mapping row is an unmapped user, not a silent omission), filtered by
 * `--users` and `--shard`, in Toki user id order.
 */
export function selectRunUsers(mapping: CutoverMapping, legacyUserIds: readonly number[], config: Pick<RunConfig, "users" | "shard">): UserLink[] {
  const byId = new Map<number, UserLink>(mapping.users.map((u) => [u.tokiUserId, u]));
  for (const id of legacyUserIds) if (!byId.has(id)) byId.set(id, { tokiUserId: id });
  const wanted = config.users ? new Set(config.users) : undefined;
  const unknown = (config.users ?? []).filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new ConfigError(`--users: Toki user ${unknown.join(", ")} is neither in the mapping nor among the Milltime credentials or snapshot users`);
  }
  return [...byId.values()]
    .filter((u) => (wanted ? wanted.has(u.tokiUserId) : true) && isInShard(u.tokiUserId, config.shard))
    .sort((a, b) => a.tokiUserId - b.tokiUserId);
}

/** Everything a compare or replay run reads from, opened from one validated configuration. */
export interface RunSources {
  mapping: CutoverMapping;
  kleer: KleerRunSide;
  milltime: MilltimeRunSide;
  history: HistoryRunSide;
  users: UserLink[];
  close(): Promise<void>;
}

export async function openRunSources(
  config: RunConfig,
  deps: {
    clock?: Clock;
    logger?: Logger;
    kleerDispatcher?: Dispatcher;
    milltimeDispatcher?: Dispatcher;
    retry?: RetryOptions | false;
    strictKleerLists?: boolean;
    /** See OpenKleerSideOptions.companyRecorder. */
    kleerCompanyRecorder?: RequestRecorder;
  } = {},
): Promise<RunSources> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const { mapping } = await loadMappingFile(config.mappingFile);
  const milltime = await openMilltimeSide({
    ...config.milltime,
    clock,
    logger,
    dispatcher: deps.milltimeDispatcher,
    retry: deps.retry,
    connections: poolConnectionsFor(config.concurrency, MILLTIME_USER_READ_CONCURRENCY),
  });
  const kleer = openKleerSide({
    ...config.kleer,
    timeZone: config.timeZone,
    clock,
    logger,
    dispatcher: deps.kleerDispatcher,
    retry: deps.retry,
    strictLists: deps.strictKleerLists,
    companyRecorder: deps.kleerCompanyRecorder,
    connections: poolConnectionsFor(config.concurrency, KLEER_CHUNK_CONCURRENCY),
  });
  // Shards of one export on one machine share its index; a whole run keeps a private one.
  const history = openHistorySide(config.history, config.timeZone, logger, { indexDir: config.shard ? undefined : false });
  const users = selectRunUsers(mapping, milltime.tokiUserIds(), config);
  return {
    mapping,
    kleer,
    milltime,
    history,
    users,
    async close() {
      await Promise.all([kleer.close(), milltime.close(), history.close()]);
    },
  };
}
