import { describe, expect, it, onTestFinished } from "vitest";
import { ProviderHttpError } from "../../src/domain/errors.js";
import { startMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { createMemoryRecorder } from "../../src/http/request-log.js";
import type { RetryOptions } from "../../src/http/retry.js";
import { createMilltimeClient, login } from "../../src/milltime/index.js";
import { ANNA } from "../milltime/milltime-test-support.js";
import { recordingSleep, startScriptedProxy, type ProxyStep } from "./scripted-proxy.js";

const MAY = { from: "2026-05-01", to: "2026-05-31" };
const UNAVAILABLE: ProxyStep = { status: 503 };

async function errorOf(promise: Promise<unknown>): Promise<ProviderHttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderHttpError);
  return error as ProviderHttpError;
}

/** The bundled small company's Milltime emulator behind a scripted proxy; waits are recorded. */
async function kit(script: ProxyStep[], retry: RetryOptions | false = {}) {
  const emulator = await startMilltimeEmulator();
  onTestFinished(() => emulator.close());
  const proxy = await startScriptedProxy(emulator.url, script);
  const recorder = createMemoryRecorder();
  const { sleep, waits } = recordingSleep();
  const client = createMilltimeClient({
    baseUrl: `${proxy.url}/cgi/mt.cgi`,
    credentials: { username: ANNA.username, password: ANNA.password },
    recorder,
    retry: retry === false ? false : { random: () => 0.5, sleep, ...retry },
  });
  onTestFinished(() => client.close());
  const served = () => proxy.hits.map((h) => `${h.method} ${h.url.split("?")[0]!.replace(/^\/cgi\/mt\.cgi/, "")} ${typeof h.step === "string" ? h.step : h.step.status}`);
  return { emulator, proxy, client, recorder, waits, served };
}

describe("Milltime login retries", () => {
  it("retries both login POSTs (they create nothing) and re-sends the credentials form whole", async () => {
    const { client, recorder, served, proxy } = await kit(["drop", "forward", UNAVAILABLE, "drop", "forward"]);
    const session = await client.session();
    expect(session.userId).toBe(ANNA.milltimeUserId);
    expect(served()).toEqual([
      "POST /api/login drop",
      "POST /api/login forward",
      "POST /api/login 503",
      "POST /api/login drop",
      "POST /api/login forward",
    ]);
    // Every try of the second POST carried the complete multipart form.
    for (const hit of proxy.hits.slice(2)) {
      expect(hit.body).toContain('name="userlogin"');
      expect(hit.body).toContain('name="instanceid"');
    }
    expect(recorder.records.map((r) => [r.method, r.route, r.status, r.attempts])).toEqual([
      ["POST", "/api/login", 200, 2],
      ["POST", "/api/login", 200, 3],
    ]);
  });

  it("gives up on a login after 5 tries of 503 with PROVIDER_ERROR naming the tries", async () => {
    const emulator = await startMilltimeEmulator({ faults: { errorRate: 1 } });
    onTestFinished(() => emulator.close());
    const recorder = createMemoryRecorder();
    const error = await errorOf(login({ baseUrl: emulator.milltimeUrl, username: ANNA.username, password: ANNA.password, recorder, retry: { sleep: async () => {} } }));
    expect(error.code).toBe("PROVIDER_ERROR");
    expect(error.route).toBe("/api/login");
    expect(error.message).toMatch(/^Milltime gave up after 5 attempts: HTTP 50[234] to POST \/api\/login for user anna: HTML: /);
    expect(error.message).not.toContain(ANNA.password);
    expect(emulator.requestLog).toHaveLength(5);
    expect(recorder.records).toEqual([expect.objectContaining({ attempts: 5 })]);
  });

  it("an exhausted 429 on login is reported as such, not as a missing CSRF cookie", async () => {
    const { client } = await kit(Array(5).fill({ status: 429, headers: { "retry-after": "1" } }));
    const error = await errorOf(client.session());
    expect(error.code).toBe("PROVIDER_ERROR");
    expect(error.status).toBe(429);
    expect(error.message).toContain("gave up after 5 attempts: HTTP 429");
  });
});

describe("Milltime store retries", () => {
  it("retries a store GET through drops, 5xx and 429 (honouring Retry-After) and returns its rows", async () => {
    const { client, recorder, waits, served } = await kit([
      "forward",
      "forward",
      "drop",
      { status: 502 },
      { status: 429, headers: { "retry-after": "2" } },
    ]);
    const calendar = await client.getUserCalendar(MAY);
    expect(calendar).toBeDefined();
    expect(served().slice(2)).toEqual([
      "GET /data/store/UserCalendar drop",
      "GET /data/store/UserCalendar 502",
      "GET /data/store/UserCalendar 429",
      "GET /data/store/UserCalendar forward",
    ]);
    expect(recorder.records.at(-1)).toMatchObject({ method: "GET", route: "/data/store/UserCalendar?filter={filter}", status: 200, attempts: 4 });
    expect(waits).toEqual([100, 200, 2000]);
  });

  it("gives up after 5 tries with a clear error that names the user and no secret", async () => {
    const { client, recorder, served } = await kit(["forward", "forward", ...Array(5).fill(UNAVAILABLE)]);
    const error = await errorOf(client.getTimeInfo(MAY));
    expect(error.code).toBe("PROVIDER_ERROR");
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/^Milltime gave up after 5 attempts: HTTP 503 to GET \/data\/store\/TimeInfo\?filter=\{filter\} for user anna: HTML: <html>/);
    expect(served()).toHaveLength(7);
    expect(recorder.records.at(-1)).toMatchObject({ status: 503, attempts: 5 });
  });

  it("gives up after 5 dropped connections with UNREACHABLE", async () => {
    const { client } = await kit(["forward", "forward", ...Array(5).fill("drop")]);
    const error = await errorOf(client.getProjectSearch());
    expect(error.code).toBe("UNREACHABLE");
    expect(error.message).toMatch(/^Milltime GET \/data\/store\/ProjectSearchMT\?filter=\{filter\} failed: gave up after 5 attempts: other side closed/);
  });

  it.each([500, 401])("does not retry HTTP %i", async (status) => {
    const { client, served, waits } = await kit(["forward", "forward", { status }]);
    const error = await errorOf(client.getUserCalendar(MAY));
    expect(error.status).toBe(status);
    expect(error.message).not.toContain("gave up");
    expect(served()).toHaveLength(3);
    expect(waits).toEqual([]);
  });

  it("with retry: false a 503 surfaces after one try", async () => {
    const { client, served } = await kit(["forward", "forward", UNAVAILABLE], false);
    const error = await errorOf(client.getUserCalendar(MAY));
    expect(error.message).toMatch(/^Milltime answered 503 to GET /);
    expect(served()).toHaveLength(3);
  });
});
