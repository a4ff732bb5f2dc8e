import type { Dispatcher } from "undici";
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import type { DateRange } from "../domain/time-entry.js";
import { nullRecorder, type RequestRecorder } from "../http/request-log.js";
import { createRetryPolicy, type RetryOptions } from "../http/retry.js";
import {
  createMilltimeDispatcher,
  createMilltimeSend,
  DEFAULT_MILLTIME_INSTANCE_ID,
  failureForStatus,
  MILLTIME_TIMEOUT_MS,
  MILLTIME_USER_AGENT,
  normaliseMilltimeUrl,
  parseJsonBody,
  type MilltimeHttpRequest,
} from "./milltime-http.js";
import { loginWith, sessionFromTokens, type MilltimeSession, type MilltimeSessionInfo } from "./milltime-login.js";
import {
  projectPhaseActivityRowSchema,
  projectSearchRowSchema,
  timeInfoRowSchema,
  userCalendarRowSchema,
  type ProjectPhaseActivityRow,
  type ProjectSearchRow,
  type TimeInfoRow,
  type UserCalendarRow,
} from "./milltime-schema.js";
import {
  MILLTIME_READ_STORES,
  parseRows,
  parseSingleRow,
  projectPhaseActivityRequest,
  projectSearchRequest,
  storePath,
  storeRoute,
  timeInfoRequest,
  userCalendarRequest,
  type MilltimeStoreRequest,
} from "./milltime-stores.js";

/** One Milltime user's way in: a password (logs in, and again when the session expires) or a session. */
export interface MilltimeUserCredentials {
  username: string;
  password?: string | undefined;
  /** A `milltimesessionid` JWT taken from a browser; needs `csrfToken` too. */
  sessionId?: string | undefined;
  csrfToken?: string | undefined;
  instanceId?: string | undefined;
}

export interface MilltimeClientOptions {
  /** Milltime's CGI entry point, e.g. `https://tenant.milltime.se/cgi/mt.cgi`. */
  baseUrl: string;
  credentials: MilltimeUserCredentials;
  /** @default credentials.instanceId ?? "000224.1" */
  instanceId?: string | undefined;
  /** How errors and logs name the user. @default `user <username>` */
  who?: string | undefined;
  /** @default a private keep-alive pool (closed by `close()`) */
  dispatcher?: Dispatcher | undefined;
  /** @default nullRecorder */
  recorder?: RequestRecorder | undefined;
  /** Decides whether the session has expired. @default systemClock */
  clock?: Clock | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** @default MILLTIME_USER_AGENT (desktop Chrome) */
  userAgent?: string | undefined;
  /** Per-try deadline. @default 30000 */
  timeoutMs?: number | undefined;
  /**
   * Retries of transient failures (connection errors, timeouts, 429, 502/503/504) of the store GETs
   * and the two login POSTs. `false` turns retries off. @default 5 tries, 200 ms base, 5 s cap
   */
  retry?: RetryOptions | false | undefined;
}

/** A store reply as received (for snapshots) and parsed as JSON (for the reader). */
export interface MilltimeStoreReply {
  text: string;
  body: unknown;
}

/**
 * Read-only Milltime client bound to one user's session. It has no method for any write store
 * (ProjectRegistrationReact, TimerRegistration writes): it can only GET the four read stores.
 */
export interface MilltimeClient {
  readonly who: string;
  readonly username: string;
  /** Logs in when needed; returns the session without its secrets. */
  session(): Promise<MilltimeSessionInfo>;
  /** GET on a read store; non-2xx and non-JSON replies throw. The envelope is not checked here. */
  fetchStore(request: MilltimeStoreRequest): Promise<MilltimeStoreReply>;
  /** ProjectSearchMT, View=Overview: every row (members and non-members). */
  getProjectSearch(): Promise<ProjectSearchRow[]>;
  /** ProjectPhaseActivity: exactly one phase row. */
  getProjectPhaseActivity(projectId: string, range: DateRange): Promise<ProjectPhaseActivityRow>;
  /** UserCalendar for the range in one request (no month splitting here). */
  getUserCalendar(range: DateRange): Promise<UserCalendarRow>;
  getTimeInfo(range: DateRange): Promise<TimeInfoRow>;
  /** Closes the connection pool if the client created it. */
  close(): Promise<void>;
}

function checkBaseUrl(baseUrl: string): string {
  const url = normaliseMilltimeUrl(baseUrl);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`the Milltime URL is not a URL: ${url}`, ["--milltime-url / TOKI_MILLTIME__URL"]);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigError(`the Milltime URL must be http(s): ${url}`, ["--milltime-url / TOKI_MILLTIME__URL"]);
  }
  return url;
}

/** The headers of a store GET in a session (they carry the session's secrets). */
export function storeHeaders(session: Pick<MilltimeSession, "csrfToken" | "instanceId" | "sessionId">, userAgent: string = MILLTIME_USER_AGENT): Record<string, string> {
  return {
    accept: "application/json",
    "user-agent": userAgent,
    "x-csrf-token": session.csrfToken,
    // The three real cookie pairs; Toki's attribute words in between were junk to any server.
    cookie: `CSRFToken=${session.csrfToken}; milltimeinstanceid=${session.instanceId}; milltimesessionid=${session.sessionId}`,
  };
}

export function createMilltimeClient(options: MilltimeClientOptions): MilltimeClient {
  const baseUrl = checkBaseUrl(options.baseUrl);
  const { credentials } = options;
  const who = options.who ?? `user ${credentials.username}`;
  const instanceId = options.instanceId ?? credentials.instanceId ?? DEFAULT_MILLTIME_INSTANCE_ID;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const userAgent = options.userAgent ?? MILLTIME_USER_AGENT;
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? createMilltimeDispatcher();
  const send = createMilltimeSend({
    baseUrl,
    dispatcher,
    recorder: options.recorder ?? nullRecorder,
    timeoutMs: options.timeoutMs ?? MILLTIME_TIMEOUT_MS,
    retry: createRetryPolicy(options.retry),
  });

  const hasTokens = credentials.sessionId !== undefined || credentials.csrfToken !== undefined;
  if (hasTokens && !(credentials.sessionId && credentials.csrfToken)) {
    throw new ConfigError(`Milltime credentials of ${who}: sessionId and csrfToken must be given together`);
  }
  if (!hasTokens && !credentials.password) {
    throw new ConfigError(`Milltime credentials of ${who}: give a password, or a sessionId with a csrfToken`);
  }
  let current: MilltimeSession | undefined;
  if (credentials.sessionId && credentials.csrfToken) {
    try {
      current = sessionFromTokens(credentials.sessionId, credentials.csrfToken, instanceId);
    } catch (error) {
      throw new ConfigError(`Milltime credentials of ${who}: sessionId is not a Milltime session (${(error as Error).message})`, [], { cause: error });
    }
  }
  let pendingLogin: Promise<MilltimeSession> | undefined;

  async function ensureSession(): Promise<MilltimeSession> {
    if (current && current.expiresAt.getTime() > clock.now().getTime()) return current;
    if (!credentials.password) {
      throw new TokiError(
        "AUTH_FAILED",
        `the Milltime session of ${who} expired at ${current?.expiresAt.toISOString() ?? "an unknown time"}; ` +
          "the credentials hold only sessionId/csrfToken — give fresh ones or a password so the reader can log in again",
      );
    }
    if (current) logger.info("milltime session expired, logging in again", { user: credentials.username });
    // The session is stored before the pending login is cleared: a read arriving in between (reads
    // of one user overlap) must find it instead of starting a second login.
    pendingLogin ??= loginWith(send, { username: credentials.username, password: credentials.password, instanceId }, userAgent, who)
      .then((session) => {
        current = session;
        return session;
      })
      .finally(() => {
        pendingLogin = undefined;
      });
    current = await pendingLogin;
    logger.debug("milltime login", { user: credentials.username, milltimeUserId: current.userId });
    return current;
  }

  async function fetchStore(request: MilltimeStoreRequest): Promise<MilltimeStoreReply> {
    // The type already allows only the read stores; this also stops untyped callers.
    if (!(MILLTIME_READ_STORES as readonly string[]).includes(request.store)) {
      throw new TokiError("REFUSED", `the Milltime reader only reads ${MILLTIME_READ_STORES.join(", ")}; refusing ${String(request.store)}`);
    }
    const session = await ensureSession();
    const req: MilltimeHttpRequest = {
      method: "GET",
      path: storePath(request),
      route: storeRoute(request),
      headers: storeHeaders(session, userAgent),
    };
    const res = await send(req);
    if (res.status < 200 || res.status > 299) throw failureForStatus(req, res, who);
    return { text: res.text, body: parseJsonBody(req, res, who) };
  }

  const ctx = (request: MilltimeStoreRequest) => ({ who, request });

  return {
    who,
    username: credentials.username,
    async session() {
      const s = await ensureSession();
      return { userId: s.userId, instanceId: s.instanceId, expiresAt: s.expiresAt };
    },
    fetchStore,
    async getProjectSearch() {
      const request = projectSearchRequest();
      return parseRows((await fetchStore(request)).body, projectSearchRowSchema, ctx(request));
    },
    async getProjectPhaseActivity(projectId, range) {
      const request = projectPhaseActivityRequest(projectId, range);
      return parseSingleRow((await fetchStore(request)).body, projectPhaseActivityRowSchema, ctx(request));
    },
    async getUserCalendar(range) {
      const request = userCalendarRequest(range);
      return parseSingleRow((await fetchStore(request)).body, userCalendarRowSchema, ctx(request));
    },
    async getTimeInfo(range) {
      const request = timeInfoRequest(range);
      return parseSingleRow((await fetchStore(request)).body, timeInfoRowSchema, ctx(request));
    },
    async close() {
      if (ownDispatcher) await dispatcher.close();
    },
  };
}
