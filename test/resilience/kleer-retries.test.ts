import { describe, expect, it, onTestFinished } from "vitest";
import { ProviderHttpError, TokiError } from "../../src/domain/errors.js";
import { startKleerEmulator } from "../../src/emulator/kleer/index.js";
import { createMemoryRecorder } from "../../src/http/request-log.js";
import type { RetryOptions } from "../../src/http/retry.js";
import { createKleerClient, type KleerClient } from "../../src/kleer/index.js";
import { COMPANY_ID, loadSmallCompany, TOKEN } from "../kleer/kleer-test-kit.js";
import { recordingSleep, startScriptedProxy, type ProxyStep } from "./scripted-proxy.js";

const WRITABLE = {
  "foreign-id": "toki-5512-880022-44310-1778223600000000000",
  user: { id: 5512 },
  activity: { id: 44310 },
  "client-project": { id: 880022 },
  date: "2026-05-08",
  hours: 1.25,
  comment: "Test",
  "internal-comment": "Test",
};
const UNAVAILABLE: ProxyStep = { status: 503 };

async function failure(run: () => Promise<unknown>): Promise<TokiError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TokiError);
  return error as TokiError;
}

/**
 * A Kleer emulator behind a scripted proxy, and a client whose waits are recorded instead of
 * slept; `random` 0.5 makes the jitter half the backoff ceiling.
 */
async function kit(script: ProxyStep[], retry: RetryOptions | false = {}) {
  const emulator = await startKleerEmulator({ seed: loadSmallCompany(), token: TOKEN, companyId: COMPANY_ID });
  onTestFinished(() => emulator.close());
  const proxy = await startScriptedProxy(emulator.url, script);
  const recorder = createMemoryRecorder();
  const { sleep, waits } = recordingSleep();
  const client: KleerClient = createKleerClient({
    baseUrl: `${proxy.url}/v1`,
    token: TOKEN,
    companyId: COMPANY_ID,
    recorder,
    retry: retry === false ? false : { random: () => 0.5, sleep, ...retry },
  });
  onTestFinished(() => client.close());
  const served = () => proxy.hits.map((h) => `${h.method} ${h.url.split("?")[0]!.replace(/^\/v1\/company\/\d+/, "")} ${typeof h.step === "string" ? h.step : h.step.status}`);
  return { emulator, proxy, client, recorder, waits, served };
}

describe("Kleer client retries of reads", () => {
  it("retries a dropped connection, a 502, a 504 and a 429, then returns the reply; one request row with the tries", async () => {
    const { client, recorder, waits, served } = await kit(["drop", { status: 502 }, { status: 504 }, { status: 429, headers: { "retry-after": "3" } }]);
    const activities = await client.listActivities();
    expect(activities.length).toBeGreaterThan(0);
    expect(served()).toEqual(["GET /activity drop", "GET /activity 502", "GET /activity 504", "GET /activity 429", "GET /activity forward"]);
    expect(recorder.records).toEqual([expect.objectContaining({ method: "GET", route: "/company/{companyId}/activity", status: 200, attempts: 5 })]);
    // Backoff 200·2^(n-1) halved by the jitter (random() = 0.5); the 429's Retry-After (3 s) replaces the 4th.
    expect(waits).toEqual([100, 200, 400, 3000]);
  });

  it("a first-try success is one attempt with no wait", async () => {
    const { client, recorder, waits } = await kit([]);
    expect((await client.getCurrentUser()).id).toBeGreaterThan(0);
    expect(recorder.records).toEqual([expect.objectContaining({ route: "/company/{companyId}/user/me", status: 200, attempts: 1 })]);
    expect(waits).toEqual([]);
  });

  it("a 503 carrying Retry-After: 0 is retried at once", async () => {
    const { client, recorder, waits } = await kit([{ status: 503, headers: { "retry-after": "0" } }, UNAVAILABLE]);
    await client.listClientProjects();
    expect(recorder.records).toEqual([expect.objectContaining({ status: 200, attempts: 3 })]);
    expect(waits).toEqual([0, 200]);
  });

  it("honours an HTTP-date Retry-After against the injected clock", async () => {
    const now = new Date("2026-11-20T10:00:00Z");
    const { client, waits } = await kit([{ status: 503, headers: { "retry-after": "Fri, 20 Nov 2026 10:00:02 GMT" } }], { clock: { now: () => now } });
    await client.listUsers();
    expect(waits).toEqual([2000]);
  });

  it("gives up after 5 tries of 503 with a clear PROVIDER_ERROR naming the tries", async () => {
    const { client, recorder, served } = await kit(Array(6).fill(UNAVAILABLE));
    const error = (await failure(() => client.listEvents({ userId: 5512, range: { from: "2026-05-01", to: "2026-05-31" } }))) as ProviderHttpError;
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error.code).toBe("PROVIDER_ERROR");
    expect(error.status).toBe(503);
    expect(error.message).toMatch(
      /^Kleer failed: gave up after 5 attempts: HTTP 503 on GET \/company\/\{companyId\}\/event\?userId=\{userId\}&startDate=\{startDate\}&endDate=\{endDate\}: <html>/,
    );
    expect(served()).toHaveLength(5);
    expect(recorder.records).toEqual([expect.objectContaining({ status: 503, attempts: 5 })]);
  });

  it("gives up after 5 dropped connections with UNREACHABLE naming the tries", async () => {
    const { client, recorder } = await kit(Array(5).fill("drop"));
    const error = await failure(() => client.listActivities());
    expect(error.code).toBe("UNREACHABLE");
    expect(error.message).toMatch(/^Kleer is unreachable \(GET \/company\/\{companyId\}\/activity\): gave up after 5 attempts: UND_ERR_SOCKET: /);
    expect(recorder.records).toEqual([expect.objectContaining({ status: undefined, attempts: 5 })]);
  });

  it("retries a refused connection (a restarting host) and gives up after 5 tries", async () => {
    const emulator = await startKleerEmulator({ token: TOKEN, companyId: COMPANY_ID });
    await emulator.close();
    const recorder = createMemoryRecorder();
    const { sleep, waits } = recordingSleep();
    const client = createKleerClient({ baseUrl: `${emulator.url}/v1`, token: TOKEN, companyId: COMPANY_ID, recorder, retry: { sleep } });
    onTestFinished(() => client.close());
    const error = await failure(() => client.listActivities());
    expect(error.code).toBe("UNREACHABLE");
    expect(error.message).toContain("gave up after 5 attempts: ECONNREFUSED");
    expect(recorder.records).toEqual([expect.objectContaining({ attempts: 5, status: undefined })]);
    expect(waits).toHaveLength(4);
  });

  it("retries a try that passes its deadline", async () => {
    const emulator = await startKleerEmulator({ seed: loadSmallCompany(), token: TOKEN, companyId: COMPANY_ID, faults: { latencyMs: 300 } });
    onTestFinished(() => emulator.close());
    const recorder = createMemoryRecorder();
    const client = createKleerClient({ baseUrl: `${emulator.url}/v1`, token: TOKEN, companyId: COMPANY_ID, recorder, timeoutMs: 100, retry: { baseDelayMs: 0 } });
    onTestFinished(() => client.close());
    setTimeout(() => emulator.setFaults({}), 150);
    await expect(client.listActivities()).resolves.toEqual(expect.any(Array));
    expect(recorder.records[0]!.attempts).toBeGreaterThan(1);
    expect(recorder.records[0]!.status).toBe(200);
  });

  it.each([
    [500, "PROVIDER_ERROR"],
    [404, "NOT_FOUND"],
    [401, "AUTH_FAILED"],
  ] as const)("does not retry HTTP %i", async (status, code) => {
    const { client, served, waits } = await kit([{ status, body: JSON.stringify({ message: "nej" }), headers: { "content-type": "application/json" } }]);
    const error = await failure(() => client.listActivities());
    expect(error.code).toBe(code);
    expect(error.message).not.toContain("gave up");
    expect(served()).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("with retry: false a 503 is one try and surfaces as-is", async () => {
    const { client, served, recorder } = await kit([UNAVAILABLE], false);
    const error = await failure(() => client.listActivities());
    expect(error.message).toMatch(/^Kleer failed: HTTP 503 on GET/);
    expect(served()).toHaveLength(1);
    expect(recorder.records[0]!.attempts).toBe(1);
  });
});

describe("Kleer client never retries writes", () => {
  const writes: Array<[string, (c: KleerClient) => Promise<unknown>]> = [
    ["PUT /event", (c) => c.createEvent(WRITABLE)],
    ["POST /event/7001001", (c) => c.updateEvent(7001001, WRITABLE)],
    ["DELETE /event/7001001", (c) => c.deleteEvent(7001001)],
  ];

  it.each(writes)("%s: a 503 surfaces after one try", async (name, write) => {
    const { client, served, recorder, waits } = await kit([UNAVAILABLE]);
    const error = (await failure(() => write(client))) as ProviderHttpError;
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/^Kleer failed: HTTP 503 on (PUT|POST|DELETE) /);
    expect(served()).toEqual([`${name} 503`]);
    expect(recorder.records).toEqual([expect.objectContaining({ status: 503, attempts: 1 })]);
    expect(waits).toEqual([]);
  });

  it.each(writes)("%s: a 429 with Retry-After surfaces after one try", async (name, write) => {
    const { client, served } = await kit([{ status: 429, headers: { "retry-after": "0" } }]);
    const error = (await failure(() => write(client))) as ProviderHttpError;
    expect(error.status).toBe(429);
    expect(served()).toEqual([`${name} 429`]);
  });

  it.each(writes)("%s: a dropped connection is UNREACHABLE after one try", async (name, write) => {
    const { client, served, recorder } = await kit(["drop"]);
    const error = await failure(() => write(client));
    expect(error.code).toBe("UNREACHABLE");
    expect(error.message).not.toContain("gave up");
    expect(served()).toEqual([`${name} drop`]);
    expect(recorder.records).toEqual([expect.objectContaining({ status: undefined, attempts: 1 })]);
  });

  it("a create whose reply is lost was carried out once, and is not written again", async () => {
    const emulator = await startKleerEmulator({ seed: loadSmallCompany(), token: TOKEN, companyId: COMPANY_ID, faults: { dropAfterWriteRate: 1 } });
    onTestFinished(() => emulator.close());
    const client = createKleerClient({ baseUrl: `${emulator.url}/v1`, token: TOKEN, companyId: COMPANY_ID, retry: { sleep: async () => {} } });
    onTestFinished(() => client.close());
    const before = emulator.state.events({ userId: 5512 }).length;
    const error = await failure(() => client.createEvent(WRITABLE));
    expect(error.code).toBe("UNREACHABLE");
    expect(emulator.requestLog.filter((r) => r.method === "PUT")).toHaveLength(1);
    const created = emulator.state.events({ userId: 5512 }).filter((e) => e.foreignId === WRITABLE["foreign-id"]);
    expect(created).toHaveLength(1);
    expect(emulator.state.events({ userId: 5512 })).toHaveLength(before + 1);
  });
});
