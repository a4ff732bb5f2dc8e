import { isIsoDate, splitByMonth } from "../domain/calendar.js";
import { TokiError } from "../domain/errors.js";
import { silentLogger, type Logger, type TimeTrackingReader } from "../domain/ports.js";
import type { TimeInfo } from "../domain/time-info.js";
import type { DateRange, TimeEntry } from "../domain/time-entry.js";
import type { MilltimeClient } from "./milltime-client.js";
import { toActivities, toProjects, toTimeEntries, toTimeInfo } from "./milltime-mapping.js";
import { projectPhaseActivityRowSchema, projectSearchRowSchema, timeInfoRowSchema, userCalendarRowSchema } from "./milltime-schema.js";
import { openMilltimeSnapshot, type MilltimeSnapshot } from "./milltime-snapshot-source.js";
import {
  parseRows,
  parseSingleRow,
  projectPhaseActivityRequest,
  projectSearchRequest,
  timeInfoRequest,
  userCalendarRequest,
  type MilltimeStoreRequest,
  type StoreParseContext,
} from "./milltime-stores.js";

/** Where the reader's store replies come from: one user's live session, or a snapshot. */
export interface MilltimeStoreSource {
  /** Names the user in errors, e.g. `Toki user 3 (anna)`. */
  readonly who: string;
  /** The JSON body of a GET on a read store. */
  fetchStore(request: MilltimeStoreRequest): Promise<unknown>;
}

export type MilltimeReaderSource =
  /** Live Milltime through one user's client. */
  | { kind: "live"; client: MilltimeClient }
  /** A directory written by `exportMilltimeSnapshot` (or one opened with `openMilltimeSnapshot`). */
  | { kind: "snapshot"; snapshot: string | MilltimeSnapshot; tokiUserId: number };

export interface MilltimeReaderOptions {
  source: MilltimeReaderSource;
  /** @default silentLogger */
  logger?: Logger | undefined;
}

/** The legacy reader: Toki's Milltime adapter, read half only. There is no write path. */
export type MilltimeReader = TimeTrackingReader<TimeInfo>;

function checkRange(range: DateRange): void {
  if (!isIsoDate(range.from) || !isIsoDate(range.to) || range.from > range.to) {
    throw new TokiError("USAGE", `not a date range: ${range.from}..${range.to} (expected YYYY-MM-DD, from ≤ to)`);
  }
}

function liveSource(client: MilltimeClient): MilltimeStoreSource {
  return { who: client.who, fetchStore: async (request) => (await client.fetchStore(request)).body };
}

function snapshotSourceResolver(snapshot: string | MilltimeSnapshot, tokiUserId: number): () => Promise<MilltimeStoreSource> {
  let opened: Promise<MilltimeStoreSource> | undefined;
  return () =>
    (opened ??= (typeof snapshot === "string" ? openMilltimeSnapshot(snapshot) : Promise.resolve(snapshot)).then((s) => s.sourceFor(tokiUserId)));
}

/**
 * Builds the read-only Milltime reader over a live session or a snapshot. Both give identical
 * domain values, because both hand the same raw store replies to the same parsing and mapping.
 */
export function createMilltimeReader(options: MilltimeReaderOptions): MilltimeReader {
  const { source: sourceOption } = options;
  const logger = options.logger ?? silentLogger;
  const resolveSource =
    sourceOption.kind === "live"
      ? ((live: MilltimeStoreSource) => () => Promise.resolve(live))(liveSource(sourceOption.client))
      : snapshotSourceResolver(sourceOption.snapshot, sourceOption.tokiUserId);

  async function read<T>(request: MilltimeStoreRequest, parse: (raw: unknown, ctx: StoreParseContext) => T): Promise<T> {
    const source = await resolveSource();
    return parse(await source.fetchStore(request), { who: source.who, request });
  }

  async function getTimeEntries(range: DateRange): Promise<TimeEntry[]> {
    checkRange(range);
    const entries: TimeEntry[] = [];
    // One UserCalendar request per calendar month; each reply holds whole weeks, so each chunk is
    // filtered by its own month range and the chunks never overlap.
    for (const chunk of splitByMonth(range)) {
      const request = userCalendarRequest(chunk);
      const calendar = await read(request, (raw, ctx) => parseSingleRow(raw, userCalendarRowSchema, ctx));
      entries.push(...toTimeEntries(calendar, chunk));
    }
    logger.debug("milltime time entries read", { from: range.from, to: range.to, entries: entries.length });
    return entries;
  }

  return {
    async getProjects() {
      const request = projectSearchRequest();
      return toProjects(await read(request, (raw, ctx) => parseRows(raw, projectSearchRowSchema, ctx)));
    },
    async getActivities(projectId, range) {
      checkRange(range);
      const request = projectPhaseActivityRequest(projectId, range);
      const row = await read(request, (raw, ctx) => parseSingleRow(raw, projectPhaseActivityRowSchema, ctx));
      return toActivities(row, projectId);
    },
    async getTimeInfo(range) {
      checkRange(range);
      // Not split: Milltime's figures (flex balance, time left) are per requested period.
      const request = timeInfoRequest(range);
      return toTimeInfo(await read(request, (raw, ctx) => parseSingleRow(raw, timeInfoRowSchema, ctx)));
    },
    getTimeEntries,
    async listTimeEntries(range) {
      // Toki listed every Milltime registration: nothing is skipped on this side.
      return { entries: await getTimeEntries(range), skipped: [] };
    },
  };
}
