import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import type { Dispatcher } from "undici";
import { readRangeOf } from "../compare/index.js";
import { splitByMonth, splitByPeriod } from "../domain/calendar.js";
import { TokiError } from "../domain/errors.js";
import type { Clock, Logger } from "../domain/ports.js";
import type { DateRange, TimeEntry } from "../domain/time-entry.js";
import {
  createMilltimeClient,
  createMilltimeReader,
  openMilltimeSnapshot,
  type MilltimeClient,
  type MilltimeSnapshot,
} from "../milltime/index.js";
import { sha256Hex } from "../milltime/milltime-snapshot-manifest.js";
import { timeInfoRequest, userCalendarRequest } from "../milltime/milltime-stores.js";
import type { LoadedDoctorConfig } from "./doctor-config.js";
import { fail, listSome, messageOf, pass, plural, warn, type CheckOutcome } from "./doctor-types.js";

/** One Toki user's legacy entries, readable after the Milltime check passed for that user. */
export interface LegacyEntrySource {
  tokiUserId: number;
  readEntries(range: DateRange): Promise<TimeEntry[]>;
}

export interface MilltimeCheckResult {
  outcome: CheckOutcome;
  /** Users whose legacy data can be read (for the coverage check). */
  sources: LegacyEntrySource[];
  /** Users in scope whose legacy data cannot be read, with the reason. */
  unreadable: Array<{ tokiUserId: number; reason: string }>;
  close(): Promise<void>;
}

export interface MilltimeCheckDeps {
  clock: Clock;
  logger: Logger;
  dispatcher: Dispatcher;
  concurrency: number;
}

function milltimeHint(error: unknown, credentialsFile: string): string {
  const code = error instanceof TokiError ? error.code : undefined;
  if (code === "UNREACHABLE" || code === "INVALID_RESPONSE")
    return "check --milltime-url / TOKI_MILLTIME__URL: it must be the tenant's CGI entry point, e.g. https://tenant.milltime.se/cgi/mt.cgi";
  return (
    `check the password (or give a fresh sessionId with its csrfToken) of the rows named above in ${credentialsFile}, ` +
    "and the instance id (--instance-id or the row's instanceId)"
  );
}

const mappedWithoutSource = (ids: readonly number[]) =>
  `no Milltime access for mapped ${ids.length === 1 ? "user" : "users"} ${ids.join(", ")}: their legacy entries cannot be compared`;

/** `milltime` in live mode: every credential row in scope logs in. */
export async function checkMilltimeLive(
  loaded: LoadedDoctorConfig,
  inScope: (tokiUserId: number) => boolean,
  deps: MilltimeCheckDeps,
): Promise<MilltimeCheckResult> {
  const { config, mapping } = loaded;
  const title = "Milltime logins";
  const credentialsFile = config.milltime.credentialsFile ?? "";
  const rows = (loaded.credentials ?? []).filter((c) => inScope(c.tokiUserId));
  const limit = pLimit(deps.concurrency);
  const clients: MilltimeClient[] = [];
  const attempts = await Promise.all(
    rows.map((row) =>
      limit(async () => {
        const who = `Toki user ${row.tokiUserId} (${row.username})`;
        try {
          const client = createMilltimeClient({
            baseUrl: config.milltime.url ?? "",
            credentials: row,
            instanceId: config.milltime.instanceId ?? row.instanceId,
            who,
            dispatcher: deps.dispatcher,
            clock: deps.clock,
            logger: deps.logger,
          });
          clients.push(client);
          const session = await client.session();
          // A row with only a browser session logs nothing in: one read proves Milltime accepts it.
          if (!row.password) await client.getProjectSearch();
          return { row, who: row.password ? who : `${who} [session]`, client, milltimeUserId: session.userId };
        } catch (error) {
          return { row, who, error };
        }
      }),
    ),
  );
  const close = async () => void (await Promise.all(clients.map((c) => c.close())));
  const failed = attempts.filter((a) => "error" in a);
  const ok = attempts.filter((a): a is typeof a & { client: MilltimeClient; milltimeUserId: string } => "client" in a && !("error" in a));
  const sources: LegacyEntrySource[] = ok.map((a) => {
    const reader = createMilltimeReader({ source: { kind: "live", client: a.client }, logger: deps.logger });
    return { tokiUserId: a.row.tokiUserId, readEntries: (range) => reader.getTimeEntries(range) };
  });
  const withRow = new Set(rows.map((r) => r.tokiUserId));
  const missing = mapping.users.map((u) => u.tokiUserId).filter((id) => inScope(id) && !withRow.has(id)).sort((a, b) => a - b);
  const unreadable = [
    ...failed.map((a) => ({ tokiUserId: a.row.tokiUserId, reason: "Milltime login failed" })),
    ...missing.map((id) => ({ tokiUserId: id, reason: "no credential row" })),
  ];
  const loggedIn = ok.map((a) => `${a.who} → Milltime user ${a.milltimeUserId}`);

  if (failed.length > 0) {
    const first = failed[0]!;
    const lines = failed.map((a) => ("error" in a ? messageOf(a.error) : a.who));
    const detail = `${failed.length} of ${plural(rows.length, "credential row")} failed to log in: ${listSome(lines, 3)}` + (missing.length > 0 ? `; ${mappedWithoutSource(missing)}` : "");
    return { outcome: fail(detail, milltimeHint("error" in first ? first.error : undefined, credentialsFile), title), sources, unreadable, close };
  }
  if (rows.length === 0) {
    return {
      outcome: fail(`${credentialsFile} has no credential row for the users in scope`, `add a row {tokiUserId, username, password} per user to ${credentialsFile}`, title),
      sources,
      unreadable,
      close,
    };
  }
  const detail = `${plural(ok.length, "credential row")} logged in: ${listSome(loggedIn)}`;
  if (missing.length > 0) {
    return { outcome: warn(`${detail}; ${mappedWithoutSource(missing)}`, `add a row per mapped user to ${credentialsFile} (or leave the user out with --users)`, title), sources, unreadable, close };
  }
  return { outcome: pass(detail, title), sources, unreadable, close };
}

/** Every manifest file of the users in scope exists and matches its sha256. */
async function verifyFiles(snapshot: MilltimeSnapshot, inScope: (id: number) => boolean): Promise<{ checked: number; problems: string[] }> {
  const files = snapshot.manifest.files.filter((f) => inScope(f.tokiUserId));
  const problems: string[] = [];
  await Promise.all(
    files.map(async (file) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(join(snapshot.dir, file.path));
      } catch {
        problems.push(`${file.path} is missing`);
        return;
      }
      if (sha256Hex(bytes) !== file.sha256) problems.push(`${file.path} does not match its sha256 (modified or truncated)`);
    }),
  );
  return { checked: files.length, problems: problems.sort() };
}

/**
 * `milltime` in snapshot mode: the manifest covers the range, every file of the users in scope
 * exists with its checksum, and each user has every reply compare will ask for: UserCalendar for
 * each month chunk of the range widened by a day each side (date shifts) and TimeInfo for each
 * period of the range.
 */
export async function checkMilltimeSnapshot(
  loaded: LoadedDoctorConfig,
  inScope: (tokiUserId: number) => boolean,
  deps: Pick<MilltimeCheckDeps, "logger">,
): Promise<MilltimeCheckResult> {
  const { config, mapping } = loaded;
  const dir = config.milltime.snapshotDir ?? "";
  const title = "Milltime snapshot";
  const none = { sources: [] as LegacyEntrySource[], close: async () => {} };
  const exportHint = (range: DateRange) =>
    `write a fresh snapshot with \`toki-parity milltime export --from ${range.from} --to ${range.to} --milltime-credentials FILE --out NEW_DIR\` ` +
    "(it includes the day either side of the range that compare reads), or choose --from/--to inside the snapshot";
  const range = { from: config.from, to: config.to };
  const needed = readRangeOf(range);
  let snapshot: MilltimeSnapshot;
  try {
    snapshot = await openMilltimeSnapshot(dir);
  } catch (error) {
    return { ...none, outcome: fail(messageOf(error), exportHint(range), title), unreadable: [] };
  }
  const { manifest } = snapshot;
  const users = manifest.users.filter((u) => inScope(u.tokiUserId));
  const everyone = users.map((u) => ({ tokiUserId: u.tokiUserId, reason: "the snapshot does not cover the range" }));
  if (manifest.range.from > range.from || manifest.range.to < range.to) {
    return {
      ...none,
      outcome: fail(`the snapshot covers ${manifest.range.from}..${manifest.range.to}, not the range ${range.from}..${range.to}`, exportHint(range), title),
      unreadable: everyone,
    };
  }
  const problems: string[] = [];
  const failedUsers = users.filter((u) => u.status === "failed");
  for (const u of failedUsers) problems.push(`the export of Toki user ${u.tokiUserId} (${u.username}) had failed: ${u.error?.message ?? "unknown error"}`);
  const files = await verifyFiles(snapshot, inScope);
  problems.push(...files.problems);
  const okUsers = users.filter((u) => u.status === "ok");
  const requests = [...splitByMonth(needed).map(userCalendarRequest), ...splitByPeriod(range, loaded.period).map(timeInfoRequest)];
  const unreadable = failedUsers.map((u) => ({ tokiUserId: u.tokiUserId, reason: "its export had failed" }));
  for (const user of okUsers) {
    const source = snapshot.sourceFor(user.tokiUserId);
    for (const request of requests) {
      try {
        await source.fetchStore(request);
      } catch (error) {
        problems.push(messageOf(error));
        if (!unreadable.some((u) => u.tokiUserId === user.tokiUserId)) unreadable.push({ tokiUserId: user.tokiUserId, reason: "its snapshot is incomplete" });
        break;
      }
    }
  }
  const readable = okUsers.filter((u) => !unreadable.some((x) => x.tokiUserId === u.tokiUserId));
  const sources: LegacyEntrySource[] = readable.map((u) => {
    const reader = createMilltimeReader({ source: { kind: "snapshot", snapshot, tokiUserId: u.tokiUserId }, logger: deps.logger });
    return { tokiUserId: u.tokiUserId, readEntries: (r) => reader.getTimeEntries(r) };
  });
  const inSnapshot = new Set(manifest.users.map((u) => u.tokiUserId));
  const missing = mapping.users.map((u) => u.tokiUserId).filter((id) => inScope(id) && !inSnapshot.has(id)).sort((a, b) => a - b);
  for (const id of missing) unreadable.push({ tokiUserId: id, reason: "not in the snapshot" });
  const close = async () => {};
  if (problems.length > 0) {
    return { outcome: fail(`${plural(problems.length, "problem")}: ${listSome(problems, 4)}`, exportHint(range), title), sources, unreadable, close };
  }
  const detail =
    `snapshot ${dir} (exported ${manifest.createdAt}) covers ${manifest.range.from}..${manifest.range.to} for ${plural(okUsers.length, "user")}; ` +
    `${plural(files.checked, "file")} match their sha256`;
  if (missing.length > 0) {
    return { outcome: warn(`${detail}; ${mappedWithoutSource(missing)}`, exportHint(range), title), sources, unreadable, close };
  }
  return { outcome: pass(detail, title), sources, unreadable, close };
}
