import { FormData, type Dispatcher } from "undici";
import { InvalidResponseError, ProviderHttpError, TokiError } from "../domain/errors.js";
import { globalRedactor } from "../http/redact.js";
import { nullRecorder, type RequestRecorder } from "../http/request-log.js";
import { createRetryPolicy, type RetryOptions } from "../http/retry.js";
import {
  createMilltimeDispatcher,
  createMilltimeSend,
  DEFAULT_MILLTIME_INSTANCE_ID,
  failureForStatus,
  MILLTIME_TIMEOUT_MS,
  MILLTIME_USER_AGENT,
  type MilltimeHttpRequest,
  type MilltimeSend,
} from "./milltime-http.js";
import { sessionJwtHeaderSchema, sessionJwtPayloadSchema, type SessionJwtPayload } from "./milltime-schema.js";
import { formatIssuePath } from "./milltime-stores.js";

/** One Milltime login: the three values every store call sends, plus what the JWT says. */
export interface MilltimeSession {
  /** Secret: the `CSRFToken` cookie, also sent as `X-Csrf-Token`. */
  csrfToken: string;
  /** Secret: the `milltimesessionid` cookie (a JWT). */
  sessionId: string;
  /** Sent as the `milltimeinstanceid` cookie. */
  instanceId: string;
  /** The Milltime user id: the JWT payload's `userid`. */
  userId: string;
  /** Session end: the cookie's `Expires`, else the JWT's `exp`. */
  expiresAt: Date;
}

/** What may be shown about a session (no secrets). */
export interface MilltimeSessionInfo {
  userId: string;
  instanceId: string;
  expiresAt: Date;
}

const LOGIN_ROUTE = "/api/login";

function base64UrlJson(part: string): unknown {
  // Milltime's JWT parts are unpadded; base64url also accepts the standard alphabet's output
  // except for `+` and `/`, which are mapped first.
  const text = Buffer.from(part.replace(/\+/g, "-").replace(/\//g, "_"), "base64url").toString("utf8");
  return JSON.parse(text) as unknown;
}

/**
 * Decodes a `milltimesessionid` JWT without verifying its signature (as Toki did) and returns the
 * payload; the Milltime user id is `payload.userid`. Never puts the token into an error.
 */
export function decodeSessionJwt(jwt: string): SessionJwtPayload {
  const parts = jwt.split(".");
  if (parts.length !== 3) throw new InvalidResponseError("the Milltime session id is not a JWT (expected three dot-separated parts)", "milltimesessionid");
  let header: unknown;
  let payload: unknown;
  try {
    header = base64UrlJson(parts[0] ?? "");
    payload = base64UrlJson(parts[1] ?? "");
  } catch (error) {
    throw new InvalidResponseError("the Milltime session JWT does not decode to JSON", "milltimesessionid", { cause: error });
  }
  const headerResult = sessionJwtHeaderSchema.safeParse(header);
  if (!headerResult.success) {
    const issue = headerResult.error.issues[0];
    const path = `header.${formatIssuePath(issue?.path ?? [])}`;
    throw new InvalidResponseError(`the Milltime session JWT ${path}: ${issue?.message ?? "invalid"}`, path);
  }
  const payloadResult = sessionJwtPayloadSchema.safeParse(payload);
  if (!payloadResult.success) {
    const issue = payloadResult.error.issues[0];
    const path = `payload.${formatIssuePath(issue?.path ?? [])}`;
    throw new InvalidResponseError(`the Milltime session JWT ${path}: ${issue?.message ?? "invalid"}`, path);
  }
  return payloadResult.data;
}

/** Builds a session from values given in a credentials file (no network). */
export function sessionFromTokens(sessionId: string, csrfToken: string, instanceId: string): MilltimeSession {
  globalRedactor.add(sessionId);
  globalRedactor.add(csrfToken);
  const payload = decodeSessionJwt(sessionId);
  return { csrfToken, sessionId, instanceId, userId: payload.userid, expiresAt: new Date(payload.exp * 1000) };
}

export interface MilltimeLoginCredentials {
  username: string;
  password: string;
  /** @default "000224.1" */
  instanceId?: string | undefined;
}

/** The two `POST {url}/api/login` calls, over the caller's send function. */
export async function loginWith(
  send: MilltimeSend,
  credentials: MilltimeLoginCredentials,
  userAgent: string,
  who = `user ${credentials.username}`,
): Promise<MilltimeSession> {
  const instanceId = credentials.instanceId ?? DEFAULT_MILLTIME_INSTANCE_ID;
  globalRedactor.add(credentials.password);

  // Both login POSTs are retry-safe: the first only hands out a CSRF cookie, the second only
  // opens a session; a repeated one leaves at most an unused session that expires on its own.
  const first: MilltimeHttpRequest = { method: "POST", path: LOGIN_ROUTE, route: LOGIN_ROUTE, headers: { "user-agent": userAgent }, retrySafe: true };
  const csrfReply = await send(first);
  if (csrfReply.status === 401 || csrfReply.status === 403 || csrfReply.status === 429 || csrfReply.status >= 500) throw failureForStatus(first, csrfReply, who);
  const csrfToken = csrfReply.setCookies.find((c) => c.name === "CSRFToken")?.value;
  if (!csrfToken) {
    throw new ProviderHttpError(
      "INVALID_RESPONSE",
      `Milltime login for ${who}: POST ${LOGIN_ROUTE} set no CSRFToken cookie (status ${csrfReply.status}); is the URL Milltime's mt.cgi entry point?`,
      { system: "milltime", status: csrfReply.status, method: "POST", route: LOGIN_ROUTE },
    );
  }
  globalRedactor.add(csrfToken);

  const form = new FormData();
  form.set("userlogin", credentials.username);
  form.set("password", credentials.password);
  form.set("instanceid", instanceId);
  const second: MilltimeHttpRequest = {
    method: "POST",
    path: LOGIN_ROUTE,
    route: LOGIN_ROUTE,
    headers: { "user-agent": userAgent, "x-csrf-token": csrfToken, cookie: `CSRFToken=${csrfToken}` },
    body: form,
    retrySafe: true,
  };
  const loginReply = await send(second);
  if (loginReply.status === 429 || loginReply.status >= 500) throw failureForStatus(second, loginReply, who);
  const sessionCookie = loginReply.setCookies.find((c) => c.name === "milltimesessionid");
  if (!sessionCookie?.value) {
    throw new ProviderHttpError(
      "AUTH_FAILED",
      `Milltime login failed for ${who} (instance ${instanceId}): no session was issued — wrong user name, password or instance id`,
      { system: "milltime", status: loginReply.status, method: "POST", route: LOGIN_ROUTE },
    );
  }
  const sessionId = sessionCookie.value;
  globalRedactor.add(sessionId);
  let payload: SessionJwtPayload;
  try {
    payload = decodeSessionJwt(sessionId);
  } catch (error) {
    const reason = error instanceof TokiError ? error.message : "undecodable";
    throw new InvalidResponseError(`Milltime login for ${who}: ${reason}`, "milltimesessionid", { cause: error });
  }
  // An Expires that does not parse arrives as an Invalid Date; the JWT's exp is then the expiry.
  const cookieExpiry = sessionCookie.expires === undefined ? undefined : new Date(sessionCookie.expires);
  const expiresAt = cookieExpiry && !Number.isNaN(cookieExpiry.getTime()) ? cookieExpiry : new Date(payload.exp * 1000);
  return { csrfToken, sessionId, instanceId, userId: payload.userid, expiresAt };
}

export interface MilltimeLoginOptions extends MilltimeLoginCredentials {
  /** Milltime's CGI entry point, e.g. `https://tenant.milltime.se/cgi/mt.cgi`. */
  baseUrl: string;
  /** @default a private keep-alive pool, closed after the login */
  dispatcher?: Dispatcher | undefined;
  /** @default nullRecorder */
  recorder?: RequestRecorder | undefined;
  /** @default MILLTIME_USER_AGENT (desktop Chrome) */
  userAgent?: string | undefined;
  /** Per-try deadline. @default 30000 */
  timeoutMs?: number | undefined;
  /** Retries of transient failures of the two POSTs. `false` turns them off. @default 5 tries, 200 ms base, 5 s cap */
  retry?: RetryOptions | false | undefined;
}

/**
 * Logs one user in to Milltime: CSRF cookie, then the multipart login. Throws AUTH_FAILED when no
 * session cookie comes back. The returned session holds secrets; they are registered with
 * `globalRedactor`.
 */
export async function login(options: MilltimeLoginOptions): Promise<MilltimeSession> {
  const dispatcher = options.dispatcher ?? createMilltimeDispatcher();
  const send = createMilltimeSend({
    baseUrl: options.baseUrl,
    dispatcher,
    recorder: options.recorder ?? nullRecorder,
    timeoutMs: options.timeoutMs ?? MILLTIME_TIMEOUT_MS,
    retry: createRetryPolicy(options.retry),
  });
  try {
    return await loginWith(send, options, options.userAgent ?? MILLTIME_USER_AGENT);
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
}
