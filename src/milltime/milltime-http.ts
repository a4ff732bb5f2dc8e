import { performance } from "node:perf_hooks";
import { Agent, getSetCookies, Headers, type Cookie, type Dispatcher, type FormData } from "undici";
import { exchangeHttp } from "../http/http-exchange.js";
import { ProviderHttpError } from "../domain/errors.js";
import { excerptBody, globalRedactor } from "../http/redact.js";
import type { RequestRecorder } from "../http/request-log.js";
import { gaveUpPhrase, runWithRetry, type RetryPolicy } from "../http/retry.js";

/** A desktop Chrome User-Agent: Milltime's API is the web UI's, so the client looks like a browser. */
export const MILLTIME_USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
/** Request timeout Toki used for every Milltime call. */
export const MILLTIME_TIMEOUT_MS = 30_000;
import { DEFAULT_MILLTIME_INSTANCE_ID } from "./milltime-defaults.js";

export { DEFAULT_MILLTIME_INSTANCE_ID };

/** Connections of a Milltime pool unless sized for a run's concurrency. */
export const MILLTIME_DEFAULT_CONNECTIONS = 8;

/** A keep-alive connection pool for Milltime calls; share one between the clients of many users. */
export function createMilltimeDispatcher(connections: number = MILLTIME_DEFAULT_CONNECTIONS): Dispatcher {
  return new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections });
}

/** Strips trailing slashes so that `base + "/api/login"` and store paths join with one `/`. */
export function normaliseMilltimeUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, "");
}

export interface MilltimeHttpRequest {
  method: "GET" | "POST";
  /** Path below the base URL, starting with `/`. */
  path: string;
  /** The path with values templated out, for the request log and errors. */
  route: string;
  headers: Record<string, string>;
  body?: FormData | undefined;
  /** A POST that changes nothing a user sees (the login) may be retried like a GET. @default method === "GET" */
  retrySafe?: boolean | undefined;
}

export interface MilltimeHttpResponse {
  status: number;
  contentType: string;
  setCookies: Cookie[];
  text: string;
  /** Tries made for this request (retries of transient failures included). */
  attempts: number;
  /** The reply is the last of a run of transient failures (429/502/503/504) that used up every try. */
  exhausted: boolean;
}

/** The one function every Milltime HTTP call goes through. */
export type MilltimeSend = (req: MilltimeHttpRequest) => Promise<MilltimeHttpResponse>;

export interface MilltimeSendOptions {
  baseUrl: string;
  dispatcher: Dispatcher;
  recorder: RequestRecorder;
  /** Per-try deadline. */
  timeoutMs: number;
  /** Retries of transient failures of GETs and retry-safe POSTs (see src/http/retry.ts). */
  retry: RetryPolicy;
}

/** The cookies of Set-Cookie header values (only the login's replies set any: a store GET skips this). */
function cookiesOf(raw: string | string[]): Cookie[] {
  const headers = new Headers();
  for (const value of Array.isArray(raw) ? raw : [raw]) headers.append("set-cookie", value);
  return getSetCookies(headers);
}

export function createMilltimeSend(options: MilltimeSendOptions): MilltimeSend {
  const base = normaliseMilltimeUrl(options.baseUrl);
  return async (req) => {
    const started = performance.now();
    const retried = await runWithRetry(options.retry, req.retrySafe ?? req.method === "GET", async () => {
      const res = await exchangeHttp(options.dispatcher, {
        url: `${base}${req.path}`,
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        timeoutMs: options.timeoutMs,
      });
      const { text } = res;
      const raw = res.headers["set-cookie"];
      const contentType = res.headers["content-type"];
      const retryAfter = res.headers["retry-after"];
      return {
        status: res.status,
        contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? "",
        setCookies: raw === undefined ? [] : cookiesOf(raw),
        text,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      };
    });
    const { outcome, attempts, exhausted } = retried;
    options.recorder.record({
      system: "milltime",
      method: req.method,
      route: req.route,
      status: outcome.ok ? outcome.reply.status : undefined,
      attempts,
      durationMs: Math.round(performance.now() - started),
      path: req.path,
    });
    if (!outcome.ok) {
      const { error } = outcome;
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const reason = timedOut ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
      throw new ProviderHttpError(
        "UNREACHABLE",
        `Milltime ${req.method} ${req.route} failed: ${gaveUpPhrase(retried)}${reason}`,
        { system: "milltime", status: undefined, method: req.method, route: req.route },
        { cause: error },
      );
    }
    const { status, contentType, setCookies, text } = outcome.reply;
    return { status, contentType, setCookies, text, attempts, exhausted };
  };
}

const JWT_LIKE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const SESSION_COOKIE = /(milltimesessionid|CSRFToken)=[^;\s"]+/gi;

/**
 * Characters of a body the patterns below scan: far more than an excerpt shows, and few enough
 * that JWT_LIKE (quadratic on a long run of `eyJeyJ…`) stays fast on a body of megabytes.
 */
const EXCERPT_SCAN_CHARS = 4096;

/** Redacted, folded, ≤256 characters; JWTs and session cookies are cut out even if never registered. */
export function sanitisedExcerpt(text: string): string {
  // Registered secrets leave the whole text first, so the cut cannot split one.
  const head = globalRedactor.redact(text).slice(0, EXCERPT_SCAN_CHARS);
  return excerptBody(head.replace(JWT_LIKE, "[redacted-jwt]").replace(SESSION_COOKIE, "$1=[redacted]"));
}

function describeBody(res: MilltimeHttpResponse): string {
  const start = res.text.trimStart();
  if (start === "") return "an empty body";
  if (/^<\?xml/i.test(start) || /xml/i.test(res.contentType)) return "XML";
  if (/^<(!doctype|html)/i.test(start) || /html/i.test(res.contentType)) return "HTML";
  if (start.startsWith("{") || start.startsWith("[")) return parsesAsJson(res.text) ? "a JSON body" : "truncated or malformed JSON";
  return "a non-JSON body";
}

/** An error status may come with a well-formed JSON body; only a 2xx body that fails to parse is "malformed". */
function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** 401/403 → AUTH_FAILED; any other status outside 2xx → PROVIDER_ERROR. Excerpts are sanitised. */
export function failureForStatus(req: MilltimeHttpRequest, res: MilltimeHttpResponse, who: string): ProviderHttpError {
  const details = {
    system: "milltime" as const,
    status: res.status,
    method: req.method,
    route: req.route,
    bodyExcerpt: sanitisedExcerpt(res.text),
  };
  if (res.status === 401 || res.status === 403) {
    return new ProviderHttpError(
      "AUTH_FAILED",
      `Milltime refused ${req.method} ${req.route} for ${who} with ${res.status}: the session is invalid or has expired`,
      details,
    );
  }
  const lead = res.exhausted ? `Milltime gave up after ${res.attempts} attempts: HTTP ${res.status}` : `Milltime answered ${res.status}`;
  return new ProviderHttpError(
    "PROVIDER_ERROR",
    `${lead} to ${req.method} ${req.route} for ${who}: ${describeBody(res)}: ${details.bodyExcerpt}`,
    details,
  );
}

/** Parses a 2xx body as JSON; HTML, XML, empty and truncated bodies become INVALID_RESPONSE. */
export function parseJsonBody(req: MilltimeHttpRequest, res: MilltimeHttpResponse, who: string): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch (error) {
    const excerpt = sanitisedExcerpt(res.text);
    throw new ProviderHttpError(
      "INVALID_RESPONSE",
      `Milltime answered ${req.method} ${req.route} for ${who} with ${describeBody(res)} instead of JSON: ${excerpt}`,
      { system: "milltime", status: res.status, method: req.method, route: req.route, bodyExcerpt: excerpt },
      { cause: error },
    );
  }
}
