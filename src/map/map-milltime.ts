import pLimit from "p-limit";
import type { Dispatcher } from "undici";
import { ConfigError, isTokiError, TokiError, type TokiErrorCode } from "../domain/errors.js";
import { silentLogger, type Clock, type Logger } from "../domain/ports.js";
import type { DateRange } from "../domain/time-entry.js";
import { globalRedactor } from "../http/redact.js";
import type { MappingSourceError, MilltimeAccount } from "../mapping/index.js";
import {
  createMilltimeClient,
  createMilltimeDispatcher,
  createMilltimeReader,
  loadMilltimeCredentials,
  openMilltimeSnapshot,
  type MilltimeCredential,
} from "../milltime/index.js";

/** A Milltime read that failed, or an account that could not be opened at all (`login`). */
export type MapSourceError = Omit<MappingSourceError, "step"> & { step: MappingSourceError["step"] | "login" };

/** The Milltime accounts a map command reads, already logged in (live) or taken from a snapshot. */
export interface MapMilltimeAccounts {
  /** e.g. `Milltime tenant.milltime.se (10 credential rows)`; never a secret. */
  describe: string;
  /** Accounts that can be read, each with its Milltime user id. */
  accounts: MilltimeAccount[];
  /** Accounts that could not be opened: a refused login, or a user whose snapshot export failed. */
  loginErrors: MapSourceError[];
  /** How many accounts were tried (after the `tokiUserIds` filter). */
  tried: number;
  close(): Promise<void>;
}

export interface OpenMapMilltimeOptions {
  url?: string | undefined;
  credentialsFile?: string | undefined;
  snapshotDir?: string | undefined;
  instanceId?: string | undefined;
  range: DateRange;
  /** Only these Toki users' accounts. @default every account */
  tokiUserIds?: readonly number[] | undefined;
  /** Logins at once. @default 4 */
  concurrency?: number | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** @default a keep-alive pool owned (and closed) by the result */
  dispatcher?: Dispatcher | undefined;
}

function loginError(tokiUserId: number, error: unknown): MapSourceError {
  const message = globalRedactor.redact(error instanceof Error ? error.message : String(error));
  return { tokiUserId, step: "login", code: isTokiError(error) ? error.code : undefined, message };
}

const emailOf = (username: string) => (username.includes("@") ? username : undefined);

/** Every account failed: the source is unusable as a whole (exit 3), named by the first failure. */
function failEntirely(errors: readonly MapSourceError[], what: string): never {
  const first = errors[0];
  const code: TokiErrorCode = first?.code === "AUTH_FAILED" ? "AUTH_FAILED" : "UNREACHABLE";
  const detail = first ? `${first.code ? `${first.code}: ` : ""}${first.message}` : "unknown error";
  throw new TokiError(code, `no Milltime account could be read: ${what} failed for all ${errors.length} account(s); first: ${detail}`);
}

/**
 * Opens the Milltime side of `map suggest`/`map check`. Live: loads the credentials file and
 * logs every account in once (`concurrency` at a time) to learn its Milltime user id (the
 * session JWT's `userid`); the reader reuses that session. Snapshot: takes the user ids from the
 * manifest. An account whose login failed (or whose export had failed) is in `loginErrors`
 * and left out; when every account fails the whole side fails (AUTH_FAILED / UNREACHABLE).
 * Selecting no account at all is a ConfigError.
 */
export async function openMilltimeAccounts(options: OpenMapMilltimeOptions): Promise<MapMilltimeAccounts> {
  const wanted = options.tokiUserIds ? new Set(options.tokiUserIds) : undefined;
  const selected = (id: number) => wanted === undefined || wanted.has(id);
  const logger = options.logger ?? silentLogger;
  if (options.snapshotDir) return openSnapshotAccounts(options.snapshotDir, options.range, selected, wanted !== undefined, logger);
  if (!options.url || !options.credentialsFile) {
    throw new ConfigError("the Milltime side needs --milltime-snapshot DIR, or --milltime-url URL with --milltime-credentials FILE");
  }
  const credentials = (await loadMilltimeCredentials(options.credentialsFile)).filter((c) => selected(c.tokiUserId));
  if (credentials.length === 0) throw new ConfigError(`no Milltime account to read: ${options.credentialsFile} has no row${wanted ? " for --users" : ""}`);
  const dispatcher = options.dispatcher ?? createMilltimeDispatcher();
  const url = options.url;
  const close = async () => {
    if (!options.dispatcher) await dispatcher.close();
  };
  try {
    const limit = pLimit(options.concurrency ?? 4);
    const opened = await Promise.all(
      credentials.map((credential) =>
        limit(async (): Promise<MilltimeAccount | MapSourceError> => {
          const client = createMilltimeClient({
            baseUrl: url,
            credentials: credential,
            // A row's own instanceId overrides --instance-id (as the credentials file documents).
            instanceId: credential.instanceId ?? options.instanceId,
            who: `Toki user ${credential.tokiUserId} (${credential.username})`,
            dispatcher,
            clock: options.clock,
            logger,
          });
          try {
            const session = await client.session();
            return accountOf(credential, session.userId, createMilltimeReader({ source: { kind: "live", client }, logger }));
          } catch (error) {
            return loginError(credential.tokiUserId, error);
          }
        }),
      ),
    );
    const accounts = opened.filter((o): o is MilltimeAccount => "reader" in o);
    const loginErrors = opened.filter((o): o is MapSourceError => !("reader" in o));
    if (accounts.length === 0) failEntirely(loginErrors, "the login");
    return { describe: `Milltime ${new URL(url).host}`, accounts, loginErrors, tried: credentials.length, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function accountOf(credential: MilltimeCredential, milltimeUserId: string, reader: MilltimeAccount["reader"]): MilltimeAccount {
  return { tokiUserId: credential.tokiUserId, milltimeUserId, username: credential.username, email: emailOf(credential.username), reader };
}

async function openSnapshotAccounts(dir: string, range: DateRange, selected: (id: number) => boolean, filtered: boolean, logger: Logger): Promise<MapMilltimeAccounts> {
  const snapshot = await openMilltimeSnapshot(dir);
  const covered = snapshot.manifest.range;
  if (range.from < covered.from || range.to > covered.to) {
    throw new ConfigError(`the Milltime snapshot ${dir} covers ${covered.from}..${covered.to}; --from/--to (${range.from}..${range.to}) must lie within it`);
  }
  const users = snapshot.manifest.users.filter((u) => selected(u.tokiUserId));
  if (users.length === 0) throw new ConfigError(`no Milltime account to read: the snapshot ${dir} holds no user${filtered ? " of --users" : ""}`);
  const accounts: MilltimeAccount[] = [];
  const loginErrors: MapSourceError[] = [];
  for (const user of users) {
    if (user.status === "failed" || user.milltimeUserId === null) {
      const why = user.error ? `${user.error.code}: ${user.error.message}` : "no Milltime user id";
      loginErrors.push({ tokiUserId: user.tokiUserId, step: "login", code: user.error?.code, message: globalRedactor.redact(`Milltime export of Toki user ${user.tokiUserId} (${user.username}) had failed: ${why}`) });
      continue;
    }
    const reader = createMilltimeReader({ source: { kind: "snapshot", snapshot, tokiUserId: user.tokiUserId }, logger });
    accounts.push({ tokiUserId: user.tokiUserId, milltimeUserId: user.milltimeUserId, username: user.username, email: emailOf(user.username), reader });
  }
  if (accounts.length === 0) failEntirely(loginErrors, "the export");
  return { describe: `Milltime snapshot ${dir} (${covered.from}..${covered.to})`, accounts, loginErrors, tried: users.length, close: async () => {} };
}
