import { setTimeout as delay } from "node:timers/promises";
import { ConfigError } from "../domain/errors.js";
import { systemClock, type Clock } from "../domain/ports.js";

/**
 * How a client retries a transient failure of a read. Every option has a default, so
 * `{}` (or leaving the option out) gives the production policy; `false` turns retries off.
 */
export interface RetryOptions {
  /** Tries per request, the first one included. @default 5 */
  maxAttempts?: number | undefined;
  /** Backoff before the second try; doubles per try (before jitter). @default 200 */
  baseDelayMs?: number | undefined;
  /** Cap of the exponential backoff. @default 5000 */
  maxDelayMs?: number | undefined;
  /** Longest `Retry-After` wait honoured; a longer ask is cut to this. @default 30000 */
  maxRetryAfterMs?: number | undefined;
  /** Uniform [0, 1) source of the full jitter. @default Math.random */
  random?: (() => number) | undefined;
  /** Waits between tries. @default a timer */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** "Now" for a `Retry-After` given as an HTTP date. @default systemClock */
  clock?: Clock | undefined;
}

/** A validated policy; `maxAttempts: 1` means no retries. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly clock: Clock;
}

export const DEFAULT_RETRY_MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_BASE_DELAY_MS = 200;
export const DEFAULT_RETRY_MAX_DELAY_MS = 5_000;
export const DEFAULT_RETRY_MAX_RETRY_AFTER_MS = 30_000;

/** HTTP statuses a gateway or a rate limiter answers with, which a later try may not get. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Error codes of a connection that failed before a complete reply: reset, refused, closed by the
 * other side, timed out, or a temporary DNS failure. ENOTFOUND (a wrong host name) and TLS errors
 * are configuration problems and are not retried.
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

const sleepWithTimer = (ms: number) => delay(ms).then(() => undefined);

function checkNumber(value: number, name: string, min: number, integer = false): number {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new ConfigError(`retry.${name} must be ${integer ? "an integer" : "a number"} ≥ ${min}, got ${value}`, [`retry.${name}`]);
  }
  return value;
}

/** Validates the options once (at client creation); `false` gives a single-try policy. */
export function createRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const o = options === false ? { maxAttempts: 1 } : (options ?? {});
  return {
    maxAttempts: checkNumber(o.maxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS, "maxAttempts", 1, true),
    baseDelayMs: checkNumber(o.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS, "baseDelayMs", 0),
    maxDelayMs: checkNumber(o.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS, "maxDelayMs", 0),
    maxRetryAfterMs: checkNumber(o.maxRetryAfterMs ?? DEFAULT_RETRY_MAX_RETRY_AFTER_MS, "maxRetryAfterMs", 0),
    random: o.random ?? Math.random,
    sleep: o.sleep ?? sleepWithTimer,
    clock: o.clock ?? systemClock,
  };
}

/** True for an error (or any error in its `cause` chain) of a connection that broke or timed out. */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    // AbortSignal.timeout(): the per-try deadline passed.
    if (e.name === "TimeoutError") return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_ERROR_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Milliseconds a `Retry-After` value asks for: delay-seconds or an HTTP date (RFC 9110 §10.2.3),
 * never negative; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Capped exponential backoff with full jitter before try `attempt + 1` (attempt counts from 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

/** What one try produced: a reply with its status (and `Retry-After`, if any). */
export interface RetryableReply {
  status: number;
  retryAfter?: string | undefined;
}

export interface RetryResult<R extends RetryableReply> {
  /** The last try's reply, or the error it threw. */
  outcome: { ok: true; reply: R } | { ok: false; error: unknown };
  /** Tries made (1 when the first try settled it). */
  attempts: number;
  /** The last try failed transiently and none was left: the caller "gave up". */
  exhausted: boolean;
}

/**
 * Runs `attempt` until it gives a non-transient reply, throws a non-transient error, or the
 * policy's tries are used up. `retrySafe: false` (a write) makes exactly one try whatever happens:
 * a write whose reply was lost may have been carried out.
 */
export async function runWithRetry<R extends RetryableReply>(
  policy: RetryPolicy,
  retrySafe: boolean,
  attempt: (attemptNumber: number) => Promise<R>,
): Promise<RetryResult<R>> {
  const maxAttempts = retrySafe ? policy.maxAttempts : 1;
  for (let n = 1; ; n++) {
    let outcome: RetryResult<R>["outcome"];
    let transient: boolean;
    let waitMs: number | undefined;
    try {
      const reply = await attempt(n);
      outcome = { ok: true, reply };
      transient = TRANSIENT_STATUSES.has(reply.status);
      const asked = parseRetryAfter(reply.retryAfter, policy.clock.now());
      if (asked !== undefined) waitMs = Math.min(asked, policy.maxRetryAfterMs);
    } catch (error) {
      outcome = { ok: false, error };
      transient = isTransientError(error);
    }
    if (!transient) return { outcome, attempts: n, exhausted: false };
    if (n >= maxAttempts) return { outcome, attempts: n, exhausted: maxAttempts > 1 };
    await policy.sleep(waitMs ?? backoffDelay(policy, n));
  }
}

/** `gave up after 5 attempts: ` when the tries ran out on a transient failure, else "". */
export function gaveUpPhrase(result: Pick<RetryResult<RetryableReply>, "attempts" | "exhausted">): string {
  return result.exhausted ? `gave up after ${result.attempts} attempts: ` : "";
}
