import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import {
  backoffDelay,
  createRetryPolicy,
  gaveUpPhrase,
  isTransientError,
  parseRetryAfter,
  runWithRetry,
  type RetryOptions,
} from "../../src/http/retry.js";

const NOW = new Date("2026-11-20T10:00:00Z");

/** A policy whose waits are recorded instead of slept. */
function recordingPolicy(options: RetryOptions = {}) {
  const waits: number[] = [];
  const policy = createRetryPolicy({
    random: () => 0.5,
    clock: { now: () => NOW },
    sleep: async (ms) => void waits.push(ms),
    ...options,
  });
  return { policy, waits };
}

/** Replies (or throws) in the given order, then repeats the last one. */
function scripted(steps: Array<number | Error | { status: number; retryAfter: string }>) {
  let calls = 0;
  const attempt = async () => {
    const step = steps[Math.min(calls, steps.length - 1)]!;
    calls++;
    if (step instanceof Error) throw step;
    return typeof step === "number" ? { status: step } : step;
  };
  return { attempt, calls: () => calls };
}

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("retry policy", () => {
  it("defaults to 5 tries, 200 ms base, 5 s cap, 30 s Retry-After cap; false means one try", () => {
    expect(createRetryPolicy(undefined)).toMatchObject({ maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000, maxRetryAfterMs: 30_000 });
    expect(createRetryPolicy(false).maxAttempts).toBe(1);
  });

  it.each([
    [{ maxAttempts: 0 }, "retry.maxAttempts"],
    [{ maxAttempts: 2.5 }, "retry.maxAttempts"],
    [{ baseDelayMs: -1 }, "retry.baseDelayMs"],
    [{ maxDelayMs: Number.NaN }, "retry.maxDelayMs"],
    [{ maxRetryAfterMs: -5 }, "retry.maxRetryAfterMs"],
  ] as const)("rejects %j at creation", (options, key) => {
    expect(() => createRetryPolicy(options)).toThrow(ConfigError);
    expect(() => createRetryPolicy(options)).toThrow(key);
  });

  it("backs off exponentially up to the cap, with full jitter", () => {
    const ceiling = createRetryPolicy({ random: () => 0.999999, baseDelayMs: 200, maxDelayMs: 5000 });
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(ceiling, n))).toEqual([199, 399, 799, 1599, 3199, 4999, 4999]);
    const floor = createRetryPolicy({ random: () => 0 });
    expect([1, 2, 3].map((n) => backoffDelay(floor, n))).toEqual([0, 0, 0]);
  });
});

describe("Retry-After", () => {
  it.each([
    ["0", 0],
    ["7", 7000],
    [" 120 ", 120_000],
    ["Fri, 20 Nov 2026 10:00:03 GMT", 3000],
    ["Fri, 20 Nov 2026 09:59:00 GMT", 0],
    ["soon", undefined],
    ["1.5", undefined],
    ["-3", undefined],
    [undefined, undefined],
  ])("%j asks for %j ms", (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it("is honoured instead of the backoff, cut to maxRetryAfterMs", async () => {
    const { policy, waits } = recordingPolicy({ maxRetryAfterMs: 10_000 });
    const { attempt } = scripted([
      { status: 429, retryAfter: "2" },
      { status: 503, retryAfter: "Fri, 20 Nov 2026 10:00:04 GMT" },
      { status: 429, retryAfter: "3600" },
      200,
    ]);
    const result = await runWithRetry(policy, true, attempt);
    expect(result).toMatchObject({ outcome: { ok: true, reply: { status: 200 } }, attempts: 4, exhausted: false });
    expect(waits).toEqual([2000, 4000, 10_000]);
  });
});

describe("transient errors", () => {
  it.each(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"])(
    "%s is transient",
    (code) => expect(isTransientError(withCode(code))).toBe(true),
  );

  it("a per-try deadline (TimeoutError) and a transient cause are transient", () => {
    expect(isTransientError(new DOMException("timed out", "TimeoutError"))).toBe(true);
    expect(isTransientError(new TypeError("fetch failed", { cause: withCode("ECONNRESET") }))).toBe(true);
  });

  it.each([
    ["a wrong host name", withCode("ENOTFOUND")],
    ["a certificate error", withCode("CERT_HAS_EXPIRED")],
    ["a closed client", withCode("UND_ERR_CLOSED")],
    ["an abort by the caller", new DOMException("aborted", "AbortError")],
    ["a bug", new TypeError("x is not a function")],
  ])("%s is not transient", (_name, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});

describe("runWithRetry", () => {
  it("retries 429, 502, 503, 504 and connection errors, and records the tries", async () => {
    const { policy, waits } = recordingPolicy({ baseDelayMs: 100 });
    const { attempt, calls } = scripted([502, withCode("ECONNRESET"), 503, 504, 200]);
    const result = await runWithRetry(policy, true, attempt);
    expect(result).toMatchObject({ outcome: { ok: true, reply: { status: 200 } }, attempts: 5, exhausted: false });
    expect(calls()).toBe(5);
    // Half of 100, 200, 400, 800 (random() = 0.5).
    expect(waits).toEqual([50, 100, 200, 400]);
  });

  it.each([200, 400, 401, 403, 404, 409, 500])("does not retry HTTP %i", async (status) => {
    const { policy, waits } = recordingPolicy();
    const { attempt, calls } = scripted([status, 200]);
    const result = await runWithRetry(policy, true, attempt);
    expect(result).toMatchObject({ outcome: { ok: true, reply: { status } }, attempts: 1, exhausted: false });
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("does not retry an error that is not transient", async () => {
    const { policy } = recordingPolicy();
    const bug = new TypeError("boom");
    const { attempt, calls } = scripted([bug, 200]);
    const result = await runWithRetry(policy, true, attempt);
    expect(result).toEqual({ outcome: { ok: false, error: bug }, attempts: 1, exhausted: false });
    expect(calls()).toBe(1);
  });

  it("gives up after maxAttempts, returning the last outcome", async () => {
    const { policy, waits } = recordingPolicy({ maxAttempts: 3 });
    const { attempt, calls } = scripted([503]);
    const result = await runWithRetry(policy, true, attempt);
    expect(result).toMatchObject({ outcome: { ok: true, reply: { status: 503 } }, attempts: 3, exhausted: true });
    expect(calls()).toBe(3);
    expect(waits).toHaveLength(2);
    expect(gaveUpPhrase(result)).toBe("gave up after 3 attempts: ");
  });

  it("never retries what is not retry-safe (a write), whatever the failure", async () => {
    for (const failure of [503, 429, withCode("ECONNRESET"), withCode("UND_ERR_SOCKET")]) {
      const { policy, waits } = recordingPolicy();
      const { attempt, calls } = scripted([failure, 200]);
      const result = await runWithRetry(policy, false, attempt);
      expect(result.attempts).toBe(1);
      expect(result.exhausted).toBe(false);
      expect(gaveUpPhrase(result)).toBe("");
      expect(calls()).toBe(1);
      expect(waits).toEqual([]);
    }
  });

  it("with retries off, a transient failure is one try and not a give-up", async () => {
    const { attempt, calls } = scripted([503, 200]);
    const result = await runWithRetry(createRetryPolicy(false), true, attempt);
    expect(result).toMatchObject({ attempts: 1, exhausted: false, outcome: { ok: true, reply: { status: 503 } } });
    expect(calls()).toBe(1);
  });
});
