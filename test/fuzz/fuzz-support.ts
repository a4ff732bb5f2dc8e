import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { http, type RequestHandler } from "msw";
import { expect, onTestFinished } from "vitest";
import { TokiError, type TokiErrorCode } from "../../src/domain/errors.js";
import { serveHandlers, type RunningEmulator } from "../../src/emulator/emulator-server.js";

/** Bad input: what the fuzz suites feed to schemas, clients and readers. */

export function readDemoFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/demo/${name}`, import.meta.url)), "utf8")) as T;
}

/** A JSON value nested `depth` levels deep, built without recursion (JSON.stringify of it overflows the stack). */
export function nestedJunk(depth: number): unknown {
  const root: unknown[] = [];
  let node = root;
  for (let i = 0; i < depth; i++) {
    const next: unknown[] = [];
    node.push(i % 2 === 0 ? next : { junk: next });
    node = next;
  }
  return root;
}

/** The text of a JSON array nested `depth` levels deep. */
export const nestedJunkText = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** Strings that have broken parsers: impossible dates, number-ish words, unknown enum values. */
export const NASTY_STRINGS = [
  "",
  " ",
  "yesterday",
  "2026-02-30",
  "2026-13-01",
  "2026-00-10",
  "0000-00-00",
  "2026-2-3",
  "2026-02-03T00:00:00Z",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e999",
  "0x1F",
  "null",
  "undefined",
  "true",
  "PENDING",
  "Draft",
  "WORK_HOURS",
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "\u0000",
  "\uFEFF{}",
] as const;

/** A wrong value of any JSON type (plus deep junk) to put where a field was. */
export const badValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...NASTY_STRINGS, null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 31) - 1, 1e308, [], {}, [null], { id: "1" }),
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 50, max: 400 }).map(nestedJunk),
);

type Path = ReadonlyArray<string | number>;

/** Every path to a node of a JSON value (the root excluded). */
export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      pathsOf(item, [...prefix, i], out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

export type Mutation = { op: "drop" | "replace"; path: Path; value?: unknown };

/** A copy of `value` with one node dropped or replaced. */
export function applyMutation(value: unknown, mutation: Mutation): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const parentPath = mutation.path.slice(0, -1);
  const key = mutation.path[mutation.path.length - 1]!;
  let parent: Record<string | number, unknown> = copy;
  for (const k of parentPath) parent = parent[k] as Record<string | number, unknown>;
  if (mutation.op === "drop") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else {
    parent[key] = mutation.value;
  }
  return copy;
}

/** A valid sample with one node dropped, nulled or given a wrong type. */
export function mutatedArb(sample: unknown): fc.Arbitrary<{ mutation: Mutation; value: unknown }> {
  const paths = pathsOf(sample);
  return fc
    .record({
      index: fc.nat({ max: Math.max(0, paths.length - 1) }),
      op: fc.constantFrom<"drop" | "replace" | "null">("drop", "replace", "null"),
      bad: badValueArb,
    })
    .map(({ index, op, bad }) => {
      const path = paths[index] ?? [];
      const mutation: Mutation = op === "drop" ? { op: "drop", path } : { op: "replace", path, value: op === "null" ? null : bad };
      return { mutation, value: path.length === 0 ? bad : applyMutation(sample, mutation) };
    });
}

/** A copy of a JSON value with every leaf (string, number, boolean, null) passed through `leaf`. */
export function mapLeaves(value: unknown, leaf: (v: unknown, key: string) => unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => mapLeaves(item, leaf, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, leaf, k)]));
  }
  return leaf(value, key);
}

/** Whole-reply damage: the same wrongness everywhere at once (nulls everywhere, numbers as text, …). */
export function wholeReplyDamage(sample: unknown): Array<{ label: string; value: unknown }> {
  return [
    { label: "every value null", value: mapLeaves(sample, () => null) },
    { label: "every number as text", value: mapLeaves(sample, (v) => (typeof v === "number" ? String(v) : v)) },
    { label: "every number as \"NaN\"", value: mapLeaves(sample, (v) => (typeof v === "number" ? "NaN" : v)) },
    { label: "every string as a number", value: mapLeaves(sample, (v) => (typeof v === "string" ? 42 : v)) },
    { label: "every boolean as text", value: mapLeaves(sample, (v) => (typeof v === "boolean" ? String(v) : v)) },
    { label: "every date impossible", value: mapLeaves(sample, (v, k) => (["date", "regday", "event-date"].includes(k) ? "2026-02-30" : v)) },
    { label: "every string empty", value: mapLeaves(sample, (v) => (typeof v === "string" ? "" : v)) },
    { label: "every object an array", value: JSON.parse(JSON.stringify(sample).replace(/\{/g, "[").replace(/\}/g, "]").replace(/"[^"]*":/g, "")) as unknown },
  ];
}

/** One HTTP reply a fuzzed server sends. *//** One HTTP reply a fuzzed server sends. */
export interface FuzzReply {
  status: number;
  contentType: string | null;
  body: string;
  label: string;
}

const HTML_PAGE = `<!DOCTYPE html><html><head><title>Logga in</title></head><body><h1>Session expired</h1></body></html>`;
const XML_PAGE = `<?xml version="1.0" encoding="UTF-8"?><event-readables><event-readable><id><id>1</id></id></event-readable></event-readables>`;

/** A body of `megabytes` MB: a JSON array of the sample's first row repeated, with a broken tail. */
export function hugeBody(sample: unknown, megabytes: number): string {
  const unit = JSON.stringify(sample);
  const copies = Math.ceil((megabytes * 1024 * 1024) / unit.length);
  return `[${Array.from({ length: copies }, () => unit).join(",")},{"broken":`;
}

/** Replies of every kind of wrongness, built around a valid body of the endpoint. */
export function replyArb(sample: unknown, huge: string): fc.Arbitrary<FuzzReply> {
  const validText = JSON.stringify(sample);
  const json = (body: string, label: string, status = 200): FuzzReply => ({ status, contentType: "application/json", body, label });
  return fc.oneof(
    { weight: 4, arbitrary: mutatedArb(sample).map(({ value, mutation }) => json(JSON.stringify(value) ?? "", `mutated ${mutation.op} ${mutation.path.join(".")}`)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => json(JSON.stringify(v), "arbitrary JSON")) },
    { weight: 1, arbitrary: fc.constantFrom(...wholeReplyDamage(sample)).map(({ label, value }) => json(JSON.stringify(value), label)) },
    { weight: 1, arbitrary: fc.nat({ max: Math.max(1, validText.length - 2) }).map((n) => json(validText.slice(0, n), `truncated at ${n}`)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<FuzzReply>(
        { status: 200, contentType: "text/html; charset=utf-8", body: HTML_PAGE, label: "HTML page" },
        { status: 200, contentType: "application/xml", body: XML_PAGE, label: "XML body" },
        { status: 200, contentType: "application/json", body: "", label: "empty body" },
        { status: 200, contentType: null, body: "", label: "empty body, no content type" },
        { status: 200, contentType: "text/plain", body: "OK", label: "plain text" },
        { status: 200, contentType: "application/json", body: "null", label: "JSON null" },
        { status: 200, contentType: "application/json", body: "[]", label: "JSON array root" },
        { status: 200, contentType: "application/json", body: '"text"', label: "JSON string root" },
        { status: 200, contentType: "application/json", body: "{\"a\":1e999}", label: "overflowing number" },
        { status: 200, contentType: "application/json", body: nestedJunkText(100_000), label: "deeply nested JSON" },
        { status: 200, contentType: "text/html", body: validText, label: "valid JSON labelled text/html" },
        { status: 200, contentType: "application/json", body: huge, label: `huge body (${Math.round(huge.length / 1e6)} MB)` },
        { status: 500, contentType: "text/html", body: `<html><body><h1>500</h1>${"x".repeat(5000)}</body></html>`, label: "500 HTML" },
        { status: 502, contentType: "text/plain", body: "Bad Gateway", label: "502" },
        { status: 503, contentType: "application/json", body: "{\"message\":null}", label: "503 null message" },
        { status: 404, contentType: "application/json", body: "{\"message\":{\"nested\":true}}", label: "404 odd message" },
        { status: 400, contentType: "application/json", body: validText.slice(0, 20), label: "400 truncated" },
      ),
    },
  );
}

/** A loopback server answering every request with the reply set last (each test owns one). */
export async function startReplyServer(extra: RequestHandler[] = []): Promise<RunningEmulator & { setReply(reply: FuzzReply): void }> {
  let current: FuzzReply = { status: 200, contentType: "application/json", body: "{}", label: "initial" };
  const handler = http.all("*", () => {
    const headers = new Headers();
    if (current.contentType !== null) headers.set("content-type", current.contentType);
    return new Response(current.body === "" ? null : current.body, { status: current.status, headers });
  });
  const running = await serveHandlers([...extra, handler]);
  onTestFinished(() => running.close());
  return Object.assign(running, { setReply: (reply: FuzzReply) => void (current = reply) });
}

/** Codes a bad reply may legitimately turn into. */
export const BAD_REPLY_CODES: readonly TokiErrorCode[] = ["INVALID_RESPONSE", "PROVIDER_ERROR", "AUTH_FAILED", "FORBIDDEN", "NOT_FOUND"];

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Settles `work` or fails the test as a hang after `ms`. */
export async function settle<T>(work: () => Promise<T>, ms = 15_000): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (a hang)`)), ms);
  });
  try {
    return { ok: true, value: await Promise.race([work(), hang]) };
  } catch (error) {
    if (error instanceof Error && error.message.includes("(a hang)")) throw error;
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asserts an error is a typed TokiError with an allowed code and a readable message: not empty,
 * no `[object Object]` or `undefined` holes, and short (a huge body never lands in a message).
 */
export function expectTypedError(error: unknown, codes: readonly TokiErrorCode[] = BAD_REPLY_CODES, context = ""): TokiError {
  if (!(error instanceof TokiError)) {
    const shown = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error);
    throw new Error(`expected a TokiError${context ? ` (${context})` : ""}, got ${shown}`);
  }
  expect(codes, `${context}: ${error.code}: ${error.message}`).toContain(error.code);
  expect(error.message.trim().length).toBeGreaterThan(10);
  // zod's own "received undefined" (a missing field) is fine; a hole in a template is not.
  expect(error.message).not.toMatch(/\[object Object\]|(?<!received )\bundefined\b|(?<!received )\bNaN\b/);
  expect(error.message.length, `message too long: ${error.message.slice(0, 300)}`).toBeLessThanOrEqual(1200);
  return error;
}

const DATE_KEYS = new Set(["date", "regday", "event-date"]);

/**
 * Checks that a successful parse produced only finite numbers, and real calendar dates in its
 * date fields (`date`, `regday`, `event-date`): nothing impossible slipped through.
 */
export function expectSaneValues(value: unknown, where = "(root)", key = ""): void {
  if (typeof value === "number") {
    expect(Number.isFinite(value), `${where} is ${value}`).toBe(true);
  } else if (typeof value === "string") {
    if (DATE_KEYS.has(key)) {
      const d = new Date(`${value}T00:00:00Z`);
      expect(!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value, `${where} is the impossible date ${value}`).toBe(true);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => expectSaneValues(item, `${where}[${i}]`, key));
  } else if (value !== null && typeof value === "object") {
    for (const [k, item] of Object.entries(value)) expectSaneValues(item, `${where}.${k}`, k);
  }
}

/** Fuzz runs per property over loopback HTTP (kept small so the suite stays fast). */
export const HTTP_RUNS = 40;
/** Fuzz runs per pure-parsing property. */
export const PURE_RUNS = 300;
