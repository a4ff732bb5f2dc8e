import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import pLimit from "p-limit";
import type { Dispatcher } from "undici";
import { TOOL_VERSION } from "../cli/tool-version.js";
import { addDays, isIsoDate, splitByIsoWeek, splitByMonth } from "../domain/calendar.js";

/** Days of calendar exported before and after the range (compare's date-shift margin). */
export const SNAPSHOT_CALENDAR_MARGIN_DAYS = 1;
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import type { IsoDate } from "../domain/time-entry.js";
import { globalRedactor } from "../http/redact.js";
import { nullRecorder, type RequestRecorder } from "../http/request-log.js";
import { createMilltimeClient, type MilltimeClient } from "./milltime-client.js";
import type { MilltimeCredential } from "./milltime-credentials.js";
import { createMilltimeDispatcher, DEFAULT_MILLTIME_INSTANCE_ID } from "./milltime-http.js";
import { toProjects } from "./milltime-mapping.js";
import { projectSearchRowSchema } from "./milltime-schema.js";
import {
  displayUrl,
  MILLTIME_SNAPSHOT_FORMAT,
  MILLTIME_SNAPSHOT_MANIFEST,
  sha256Hex,
  snapshotFilePath,
  type MilltimeSnapshotManifest,
  type SnapshotFile,
  type SnapshotUser,
} from "./milltime-snapshot-manifest.js";
import {
  parseRows,
  projectPhaseActivityRequest,
  projectSearchRequest,
  timeInfoRequest,
  userCalendarRequest,
  type MilltimeStoreRequest,
} from "./milltime-stores.js";

import { MILLTIME_EXPORT_CONCURRENCY } from "./milltime-defaults.js";

export { MILLTIME_EXPORT_CONCURRENCY };

export interface ExportMilltimeSnapshotOptions {
  from: IsoDate;
  to: IsoDate;
  credentials: MilltimeCredential[];
  /** Milltime's CGI entry point, e.g. `https://tenant.milltime.se/cgi/mt.cgi`. */
  baseUrl: string;
  /** Created when missing; must be empty. */
  outDir: string;
  /** Used for rows without their own `instanceId`. @default "000224.1" */
  instanceId?: string | undefined;
  /** @default a private keep-alive pool */
  dispatcher?: Dispatcher | undefined;
  /** @default nullRecorder */
  recorder?: RequestRecorder | undefined;
  /** Session expiry and `createdAt`. @default systemClock */
  clock?: Clock | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** @default MILLTIME_EXPORT_CONCURRENCY (4) */
  concurrency?: number | undefined;
  /** Called after each user's export (ok or failed). */
  onProgress?: ((progress: { done: number; total: number; tokiUserId: number; failed: number }) => void) | undefined;
}

export interface ExportMilltimeSnapshotResult {
  outDir: string;
  manifest: MilltimeSnapshotManifest;
  /** Users whose export failed (login refused, Milltime error); their error is in the manifest too. */
  failedUsers: SnapshotUser[];
}

async function ensureEmptyDir(dir: string): Promise<void> {
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new ConfigError(`cannot use ${dir} as the snapshot directory`, [], { cause: error });
  }
  if (entries.length > 0) throw new ConfigError(`refusing to write a Milltime snapshot into ${dir}: the directory is not empty`);
  await mkdir(dir, { recursive: true });
}

/** The requests a snapshot holds for one user, given that user's member projects. */
function rangeRequests(from: IsoDate, to: IsoDate): MilltimeStoreRequest[] {
  const range = { from, to };
  // `compare` reads entries one day either side of its range (Kleer may hold an early-morning
  // entry under the previous UTC date), so the calendar is exported with that margin too.
  const calendarRange = { from: addDays(from, -SNAPSHOT_CALENDAR_MARGIN_DAYS), to: addDays(to, SNAPSHOT_CALENDAR_MARGIN_DAYS) };
  const requests = splitByMonth(calendarRange).map(userCalendarRequest);
  const periods = new Map<string, MilltimeStoreRequest>();
  for (const period of [...splitByIsoWeek(range), ...splitByMonth(range)]) periods.set(`${period.from}_${period.to}`, timeInfoRequest(period));
  return [...requests, ...periods.values()];
}

/**
 * Reads every listed user's Milltime data for the range and writes the raw store replies plus a
 * `manifest.json` (checksums, users with their JWT user id). Nothing secret is written: replies
 * are passed through the redactor, which holds every password, session id and CSRF token.
 */
export async function exportMilltimeSnapshot(options: ExportMilltimeSnapshotOptions): Promise<ExportMilltimeSnapshotResult> {
  const { from, to, outDir } = options;
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) throw new ConfigError(`not a date range: --from ${from} --to ${to}`);
  try {
    displayUrl(options.baseUrl);
  } catch (error) {
    throw new ConfigError(`the Milltime URL is not a URL: ${options.baseUrl}`, ["--milltime-url / TOKI_MILLTIME__URL"], { cause: error });
  }
  if (options.credentials.length === 0) throw new ConfigError("the Milltime credentials list no user to export");
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? createMilltimeDispatcher();
  const defaultInstanceId = options.instanceId ?? DEFAULT_MILLTIME_INSTANCE_ID;
  await ensureEmptyDir(outDir);

  const files: SnapshotFile[] = [];
  const users: SnapshotUser[] = [];

  async function store(client: MilltimeClient, tokiUserId: number, request: MilltimeStoreRequest, userFiles: SnapshotFile[]): Promise<unknown> {
    const reply = await client.fetchStore(request);
    const text = globalRedactor.redact(reply.text);
    if (text !== reply.text) logger.warn("a Milltime reply held a secret; it was redacted in the snapshot", { tokiUserId, store: request.store });
    const path = snapshotFilePath(tokiUserId, request);
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await writeFile(join(outDir, path), text, "utf8");
    userFiles.push({
      path,
      tokiUserId,
      store: request.store,
      filter: request.filter.map(([f, op, v]) => [f, op, v] as [string, "=", string]),
      sha256: sha256Hex(text),
      bytes: Buffer.byteLength(text, "utf8"),
    });
    return reply.body;
  }

  async function exportUser(row: MilltimeCredential): Promise<void> {
    const who = `Toki user ${row.tokiUserId} (${row.username})`;
    const userFiles: SnapshotFile[] = [];
    let milltimeUserId: string | null = null;
    let client: MilltimeClient | undefined;
    try {
      client = createMilltimeClient({
        baseUrl: options.baseUrl,
        credentials: row,
        instanceId: row.instanceId ?? defaultInstanceId,
        who,
        dispatcher,
        recorder: options.recorder ?? nullRecorder,
        clock,
        logger,
      });
      milltimeUserId = (await client.session()).userId;
      const search = projectSearchRequest();
      const rows = parseRows(await store(client, row.tokiUserId, search, userFiles), projectSearchRowSchema, { who, request: search });
      const requests = [
        ...toProjects(rows).map((p) => projectPhaseActivityRequest(p.id, { from, to })),
        ...rangeRequests(from, to),
      ];
      for (const request of requests) await store(client, row.tokiUserId, request, userFiles);
      files.push(...userFiles);
      users.push({ tokiUserId: row.tokiUserId, username: row.username, milltimeUserId, status: "ok" });
      logger.info("milltime user exported", { tokiUserId: row.tokiUserId, files: userFiles.length });
    } catch (error) {
      // Only provider-side failures are per-user outcomes; anything else (a full disk) ends the export.
      if (!(error instanceof TokiError)) throw error;
      await rm(join(outDir, "users", String(row.tokiUserId)), { recursive: true, force: true });
      const code = error.code;
      const message = globalRedactor.redact(error.message);
      users.push({ tokiUserId: row.tokiUserId, username: row.username, milltimeUserId, status: "failed", error: { code, message } });
      logger.warn("milltime user export failed", { tokiUserId: row.tokiUserId, code });
    } finally {
      await client?.close();
    }
  }

  try {
    const limit = pLimit(options.concurrency ?? MILLTIME_EXPORT_CONCURRENCY);
    let done = 0;
    const total = options.credentials.length;
    await Promise.all(
      options.credentials.map((row) =>
        limit(async () => {
          await exportUser(row);
          options.onProgress?.({ done: ++done, total, tokiUserId: row.tokiUserId, failed: users.filter((u) => u.status === "failed").length });
        }),
      ),
    );
  } finally {
    if (ownDispatcher) await dispatcher.close();
  }

  users.sort((a, b) => a.tokiUserId - b.tokiUserId);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: MilltimeSnapshotManifest = {
    format: MILLTIME_SNAPSHOT_FORMAT,
    formatVersion: 1,
    toolVersion: TOOL_VERSION,
    createdAt: clock.now().toISOString(),
    range: { from, to },
    milltimeUrl: displayUrl(options.baseUrl),
    instanceId: defaultInstanceId,
    users,
    files,
  };
  await writeFile(join(outDir, MILLTIME_SNAPSHOT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, "utf8");
  return { outDir, manifest, failedUsers: users.filter((u) => u.status === "failed") };
}
