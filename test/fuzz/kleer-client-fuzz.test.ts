import fc from "fast-check";
import { http } from "msw";
import { describe, expect, it, onTestFinished } from "vitest";
import type { TokiErrorCode } from "../../src/domain/errors.js";
import { serveHandlers } from "../../src/emulator/emulator-server.js";
import { createKleerEmulatorHandlers, createKleerEmulatorState, type KleerEmulatorSeedInput } from "../../src/emulator/kleer/index.js";
import { createKleerAdapter, createKleerClient, type KleerClient } from "../../src/kleer/index.js";
import {
  expectSaneValues,
  expectTypedError,
  HTTP_RUNS,
  hugeBody,
  readDemoFixture,
  replyArb,
  settle,
  startReplyServer,
  type FuzzReply,
} from "./fuzz-support.js";
import { KLEER_USER, kleerEndpoints } from "./kleer-samples.js";

/** Level (b): the Kleer client and adapter over real loopback HTTP, answered with fuzzed replies. */

const TOKEN = "kleer-fuzz-token-5c1d9e";
const COMPANY_ID = 4875;
const endpoints = kleerEndpoints();
const eventsSample = endpoints.find((e) => e.name === "events")!.sample as { "event-readables": unknown[] };
/** About 5 MB of events whose JSON is cut off at the end. */
const HUGE = hugeBody(eventsSample["event-readables"][0], 5);

function clientFor(url: string, timeoutMs = 10_000): KleerClient {
  // Retries are off: a transient status is answered at once (retries have their own suite).
  const client = createKleerClient({ baseUrl: `${url}/v1`, token: TOKEN, companyId: COMPANY_ID, retry: false, timeoutMs });
  onTestFinished(() => client.close());
  return client;
}

/** The code a status outside 2xx must become (kleer-api.md §6). */
function codeForStatus(status: number): TokiErrorCode {
  if (status >= 200 && status <= 299) return "INVALID_RESPONSE";
  return status === 401 ? "AUTH_FAILED" : status === 403 ? "FORBIDDEN" : status === 404 ? "NOT_FOUND" : "PROVIDER_ERROR";
}

function expectClientError(error: unknown, reply: FuzzReply, route: string): void {
  const typed = expectTypedError(error, [codeForStatus(reply.status)], reply.label);
  // The request is named with its ids templated out, and the token never shows.
  expect(typed.message).toContain(`/company/{companyId}${route}`);
  expect(typed.message).not.toContain(TOKEN);
  expect(typed.message).not.toContain(String(COMPANY_ID));
}

describe.each(endpoints.map((e) => [e.name, e] as const))("Kleer client, %s, over loopback", (_name, endpoint) => {
  it("turns every fuzzed reply into sane data or a typed error naming the request", async () => {
    const server = await startReplyServer();
    const client = clientFor(server.url);
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(replyArb(endpoint.sample, HUGE), async (reply) => {
        server.setReply(reply);
        const outcome = await settle(() => endpoint.call(client));
        if (outcome.ok) {
          expect(reply.status).toBeGreaterThanOrEqual(200);
          expectSaneValues(outcome.value);
        } else {
          failures++;
          expectClientError(outcome.error, reply, endpoint.route);
        }
      }),
      { numRuns: HTTP_RUNS },
    );
    expect(failures, "the fuzzed replies broke no call").toBeGreaterThan(HTTP_RUNS / 4);
  });
});

describe("Kleer client: bodies that are not what they should be", () => {
  const events = endpoints.find((e) => e.name === "events")!;

  it.each([
    ["an HTML page", "text/html", "<!DOCTYPE html><html><body>Logga in</body></html>", /expected JSON, got HTML/],
    ["an XML body", "application/xml", "<?xml version=\"1.0\"?><event-readables/>", /expected JSON, got XML/],
    ["an empty 200", "application/json", "", /expected JSON, got an empty body/],
    ["truncated JSON", "application/json", '{"event-readables":[{"id":{"id":1},', /expected JSON, got malformed or truncated JSON/],
    ["plain text", "text/plain", "OK", /expected JSON, got non-JSON content \(text\/plain\)/],
  ])("names %s as the content problem", async (_label, contentType, body, pattern) => {
    const server = await startReplyServer();
    server.setReply({ status: 200, contentType, body, label: _label });
    const outcome = await settle(() => events.call(clientFor(server.url)));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      const error = expectTypedError(outcome.error, ["INVALID_RESPONSE"]);
      expect(error.message).toMatch(pattern);
    }
  });

  it("answers a 5 MB malformed body within seconds with a short message", async () => {
    const server = await startReplyServer();
    server.setReply({ status: 200, contentType: "application/json", body: HUGE, label: "huge" });
    const started = performance.now();
    const outcome = await settle(() => events.call(clientFor(server.url)), 10_000);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(expectTypedError(outcome.error, ["INVALID_RESPONSE"]).message).toMatch(/malformed or truncated JSON/);
  });

  it("gives up on a reply whose body never ends (UNREACHABLE, not a hang)", async () => {
    const stalled = http.all("*", () => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"event-readables":['));
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    });
    const server = await serveHandlers([stalled]);
    onTestFinished(() => server.close());
    const outcome = await settle(() => events.call(clientFor(server.url, 500)), 10_000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(expectTypedError(outcome.error, ["UNREACHABLE"]).message).toContain("no complete reply within 500 ms");
  });
});

describe("Kleer adapter over a company whose one endpoint answers fuzzed replies", () => {
  const seed = readDemoFixture<KleerEmulatorSeedInput>("kleer-seed.json");
  const range = { from: "2026-10-26", to: "2026-11-08" };
  const periods = [
    { from: "2026-10-26", to: "2026-11-01" },
    { from: "2026-11-02", to: "2026-11-08" },
  ];

  it.each(endpoints.filter((e) => !["user/me", "users", "event"].includes(e.name)).map((e) => [e.name, e] as const))(
    "%s: listTimeEntries and weekly stats give sane values or a typed error",
    async (_name, endpoint) => {
      let reply: FuzzReply | undefined;
      // Placed before the emulator's handlers: answers this endpoint's path, lets the rest fall through.
      const pathPattern = endpoint.route.replace(/\{[^}]+\}/g, ":p");
      const fuzzed = http.get(`*/company/:companyId${pathPattern}`, () => {
        if (!reply) return undefined;
        const headers = new Headers(reply.contentType ? { "content-type": reply.contentType } : {});
        return new Response(reply.body === "" ? null : reply.body, { status: reply.status, headers });
      });
      const state = createKleerEmulatorState(seed);
      const server = await serveHandlers([fuzzed, ...createKleerEmulatorHandlers(state, { token: TOKEN, companyId: COMPANY_ID })]);
      onTestFinished(() => server.close());
      let failures = 0;
      await fc.assert(
        fc.asyncProperty(replyArb(endpoint.sample, HUGE), async (r) => {
          reply = r;
          // A fresh adapter per run: company lookups are cached per adapter.
          const adapter = createKleerAdapter({ client: clientFor(server.url), kleerUserId: KLEER_USER });
          const reads: Array<() => Promise<unknown>> = [() => adapter.listTimeEntries(range), () => adapter.getWeeklyStatsForPeriods(periods)];
          for (const read of reads) {
            const outcome = await settle(read);
            if (outcome.ok) expectSaneValues(outcome.value);
            else {
              failures++;
              expectClientError(outcome.error, r, endpoint.route);
            }
          }
        }),
        { numRuns: 25 },
      );
      expect(failures, "the fuzzed replies broke no read").toBeGreaterThan(0);
    },
  );
});
