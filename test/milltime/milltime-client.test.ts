import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, InvalidResponseError, ProviderHttpError, TokiError } from "../../src/domain/errors.js";
import { createMemoryRecorder } from "../../src/http/request-log.js";
import { createMilltimeClient } from "../../src/milltime/milltime-client.js";
import { login } from "../../src/milltime/milltime-login.js";
import { MILLTIME_USER_AGENT } from "../../src/milltime/milltime-http.js";
import { ANNA, mutableClock, SVEN, tinySeed, useMilltimeEmulators } from "./milltime-test-support.js";

const start = useMilltimeEmulators();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const FAKE_JWT = `${b64({ alg: "HS512", typ: "JWT", sub: "217" })}.${b64({ exp: 4102444800, iat: 1777400000, instancedb: "db", instanceid: "000224.1", instancename: "Ex", ruserid: "217", sid: "s1", sub: "217", userid: "217" })}.sig`;
const FAKE_CSRF = "csrf-token-abcdef123456";

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A minimal Milltime on loopback that records what the client sends and answers a store reply. */
async function captureServer(reply: (url: string, headers: IncomingHttpHeaders) => { status: number; body: string; delayMs?: number }) {
  const seen: Captured[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    req.on("end", () => {
      if (req.url?.endsWith("/api/login")) {
        const isForm = (req.headers["content-type"] ?? "").startsWith("multipart/form-data");
        res.setHeader("set-cookie", isForm ? [`milltimesessionid=${FAKE_JWT}; Path=/; Secure`] : [`CSRFToken=${FAKE_CSRF}; Path=/`]);
        res.end("{}");
        return;
      }
      const r = reply(req.url ?? "", req.headers);
      setTimeout(() => {
        res.statusCode = r.status;
        res.end(r.body);
      }, r.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi/mt.cgi/`, seen };
}

async function errorOf(promise: Promise<unknown>): Promise<TokiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TokiError);
  return error as TokiError;
}

describe("Milltime client: what goes on the wire", () => {
  it("sends the login as Milltime's web UI does, then GETs with the three cookies, X-Csrf-Token and a Chrome UA", async () => {
    const { url, seen } = await captureServer(() => ({ status: 200, body: JSON.stringify({ rows: [], success: true }) }));
    const client = createMilltimeClient({ baseUrl: url, credentials: { username: "anna", password: "hemligt-ord" } });
    await client.getProjectSearch();
    await client.close();
    expect(seen.map((s) => `${s.method} ${s.url.split("?")[0]}`)).toEqual([
      "POST /cgi/mt.cgi/api/login",
      "POST /cgi/mt.cgi/api/login",
      "GET /cgi/mt.cgi/data/store/ProjectSearchMT",
    ]);
    const [first, second, get] = seen as [Captured, Captured, Captured];
    expect(first.headers["content-type"]).toBeUndefined();
    expect(first.headers["user-agent"]).toBe(MILLTIME_USER_AGENT);
    expect(second.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(second.headers["x-csrf-token"]).toBe(FAKE_CSRF);
    expect(second.headers.cookie).toBe(`CSRFToken=${FAKE_CSRF}`);
    expect(get.headers.cookie).toBe(`CSRFToken=${FAKE_CSRF}; milltimeinstanceid=000224.1; milltimesessionid=${FAKE_JWT}`);
    expect(get.headers["x-csrf-token"]).toBe(FAKE_CSRF);
    expect(get.headers["user-agent"]).toMatch(/Chrome\/\d+/);
    expect(get.url).toBe(`/cgi/mt.cgi/data/store/ProjectSearchMT?filter=${encodeURIComponent(JSON.stringify([["View", "=", "Overview"]]))}`);
  });

  it("JSON-escapes filter values and records templated routes", async () => {
    const { url, seen } = await captureServer(() => ({ status: 200, body: JSON.stringify({ rows: [], success: true }) }));
    const recorder = createMemoryRecorder();
    const client = createMilltimeClient({ baseUrl: url, credentials: { username: "anna", password: "hemligt-ord" }, recorder });
    await client.fetchStore({ store: "ProjectPhaseActivity", filter: [["ProjectId", "=", 'a "quoted" & #id'], ["fromDate", "=", "2026-05-01"], ["toDate", "=", "2026-05-31"]] });
    await client.close();
    const filter = new URL(`http://x${seen[2]!.url}`).searchParams.get("filter");
    expect(JSON.parse(filter ?? "")).toEqual([["ProjectId", "=", 'a "quoted" & #id'], ["fromDate", "=", "2026-05-01"], ["toDate", "=", "2026-05-31"]]);
    expect(recorder.records.map((r) => `${r.method} ${r.route}`)).toEqual([
      "POST /api/login",
      "POST /api/login",
      "GET /data/store/ProjectPhaseActivity?filter={filter}",
    ]);
  });

  it("times out after timeoutMs with UNREACHABLE", async () => {
    const { url } = await captureServer(() => ({ status: 200, body: "{}", delayMs: 1_000 }));
    const client = createMilltimeClient({ baseUrl: url, credentials: { username: "anna", password: "hemligt-ord" }, timeoutMs: 150 });
    const error = await errorOf(client.getProjectSearch());
    await client.close();
    expect(error.code).toBe("UNREACHABLE");
    expect(error.message).toContain("no answer within 150 ms");
  });

  it("never puts the session, CSRF token or password into an error, even when the server echoes them", async () => {
    const { url } = await captureServer((_u, headers) => ({ status: 500, body: `<html>cookie was ${headers.cookie} token ${headers["x-csrf-token"]} pw hemligt-ord</html>` }));
    const client = createMilltimeClient({ baseUrl: url, credentials: { username: "anna", password: "hemligt-ord" } });
    const error = (await errorOf(client.getUserCalendar({ from: "2026-05-01", to: "2026-05-31" }))) as ProviderHttpError;
    await client.close();
    expect(error.code).toBe("PROVIDER_ERROR");
    expect(error.status).toBe(500);
    const shown = `${error.message} ${error.bodyExcerpt}`;
    for (const secret of [FAKE_JWT, FAKE_CSRF, "hemligt-ord", FAKE_JWT.split(".")[1]!]) expect(shown).not.toContain(secret);
    expect(error.bodyExcerpt!.length).toBeLessThanOrEqual(256);
  });

  it("rejects credentials without a password or a session pair at creation", () => {
    expect(() => createMilltimeClient({ baseUrl: "http://127.0.0.1:1/cgi/mt.cgi", credentials: { username: "anna" } })).toThrow(ConfigError);
    expect(() => createMilltimeClient({ baseUrl: "http://127.0.0.1:1/cgi/mt.cgi", credentials: { username: "anna", sessionId: FAKE_JWT } })).toThrow(/together/);
    expect(() => createMilltimeClient({ baseUrl: "ftp://x", credentials: { username: "anna", password: "p-1234" } })).toThrow(/http/);
    expect(() => createMilltimeClient({ baseUrl: "http://127.0.0.1:1", credentials: { username: "anna", sessionId: "nope.nope.nope", csrfToken: "abcd" } })).toThrow(/not a Milltime session/);
  });
});

describe("Milltime client against the emulator", () => {
  it("reads each store", async () => {
    const em = await start({ seed: tinySeed() });
    const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials: SVEN });
    const feb = { from: "2026-02-01", to: "2026-02-28" };
    expect((await client.getProjectSearch()).map((r) => [r.projectid, r.ismember])).toEqual([
      ["300000000000000001", true],
      ["300000000000000002", true],
      ["300000000000000003", true],
    ]);
    expect((await client.getProjectPhaseActivity("300000000000000001", feb)).activities.map((a) => a.activityname)).toEqual(["Utveckling"]);
    const calendar = await client.getUserCalendar(feb);
    expect(calendar.weeks.flatMap((w) => w.days.flatMap((d) => d.projectregistrations.map((r) => r.projectregistrationid)))).toHaveLength(5);
    expect(await client.getTimeInfo({ from: "2026-02-02", to: "2026-02-08" })).toMatchObject({ WorkedPeriodTime: 29.5, ScheduledPeriodTime: 32, PeriodTimeLeft: 2.5 });
    expect(await client.session()).toMatchObject({ userId: "301", instanceId: "000999.1" });
    await client.close();
  });

  it("logs in again when the session has expired and a password is known", async () => {
    const clock = mutableClock("2026-05-12T08:00:00Z");
    const em = await start({ clock, sessionTtlSeconds: 3600 });
    const recorder = createMemoryRecorder();
    const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials: ANNA, clock, recorder });
    await client.getProjectSearch();
    clock.advance(3600_000);
    await client.getProjectSearch();
    await client.close();
    expect(recorder.records.map((r) => `${r.method} ${r.route.split("?")[0]} ${r.status}`)).toEqual([
      "POST /api/login 200",
      "POST /api/login 200",
      "GET /data/store/ProjectSearchMT 200",
      "POST /api/login 200",
      "POST /api/login 200",
      "GET /data/store/ProjectSearchMT 200",
    ]);
  });

  it("works from a sessionId + csrfToken without logging in, and says clearly when that session has expired", async () => {
    const clock = mutableClock("2026-05-12T08:00:00Z");
    const em = await start({ clock, sessionTtlSeconds: 3600 });
    const session = await login({ baseUrl: em.milltimeUrl, username: ANNA.username, password: ANNA.password });
    const recorder = createMemoryRecorder();
    const client = createMilltimeClient({
      baseUrl: em.milltimeUrl,
      credentials: { username: "anna", sessionId: session.sessionId, csrfToken: session.csrfToken },
      clock,
      recorder,
    });
    expect((await client.session()).userId).toBe("201");
    await client.getProjectSearch();
    expect(recorder.records.map((r) => r.method)).toEqual(["GET"]);
    clock.advance(3600_000);
    const error = await errorOf(client.getProjectSearch());
    await client.close();
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toMatch(/session of user anna expired at 2026-05-12T09:00:00.000Z.*sessionId\/csrfToken/);
    expect(error.message).not.toContain(session.sessionId);
    expect(recorder.records).toHaveLength(1);
  });

  it("turns Milltime's 401 for a session it considers expired into AUTH_FAILED", async () => {
    const emulatorClock = mutableClock("2026-05-12T08:00:00Z");
    const em = await start({ clock: emulatorClock, sessionTtlSeconds: 3600 });
    const session = await login({ baseUrl: em.milltimeUrl, username: ANNA.username, password: ANNA.password });
    // The reader's clock lags behind Milltime's: it still thinks the session is valid.
    const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials: { username: "anna", sessionId: session.sessionId, csrfToken: session.csrfToken }, clock: mutableClock("2026-05-12T08:30:00Z") });
    emulatorClock.advance(3600_000);
    const error = (await errorOf(client.getProjectSearch())) as ProviderHttpError;
    await client.close();
    expect([error.code, error.status, error.route]).toEqual(["AUTH_FAILED", 401, "/data/store/ProjectSearchMT?filter={filter}"]);
  });

  it.each([
    ["unauthorized", "AUTH_FAILED", /refused .* with 401/],
    ["forbidden", "AUTH_FAILED", /refused .* with 403/],
    ["server-error", "PROVIDER_ERROR", /answered 500 .*HTML/],
    ["html", "INVALID_RESPONSE", /with HTML instead of JSON: .*Logga in/],
    ["xml", "INVALID_RESPONSE", /with XML instead of JSON: .*Internt fel/],
    ["truncated", "INVALID_RESPONSE", /truncated or malformed JSON/],
    ["success-false", "PROVIDER_ERROR", /success:false for UserCalendar 2026-02-01\.\.2026-02-28 for user sven/],
    ["zero-rows", "NOT_FOUND", /Expected exactly one row, got 0/],
    ["duplicate-row", "INVALID_RESPONSE", /Expected exactly one row, got 2/],
  ] as const)("maps a %s reply to %s", async (fault, code, message) => {
    const em = await start({ seed: tinySeed(), storeFaults: { UserCalendar: fault } });
    const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials: SVEN });
    const error = await errorOf(client.getUserCalendar({ from: "2026-02-01", to: "2026-02-28" }));
    await client.close();
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("names the field path of a reply that breaks the wire schema", async () => {
    const em = await start({ seed: tinySeed() });
    em.setReplyTransform("TimeInfo", (body) => ({ ...body, rows: [{ ...(body.rows[0] as object), WorkedPeriodTime: "7,5" }] }));
    const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials: SVEN });
    const error = await errorOf(client.getTimeInfo({ from: "2026-02-02", to: "2026-02-08" }));
    await client.close();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).fieldPath).toBe("rows[0].WorkedPeriodTime");
    expect(error.message).toMatch(/TimeInfo 2026-02-02\.\.2026-02-08 for user sven: rows\[0\]\.WorkedPeriodTime: .*expected number/);
  });
});
