import fc from "fast-check";
import { http } from "msw";
import { describe, expect, it, onTestFinished } from "vitest";
import type { TokiErrorCode } from "../../src/domain/errors.js";
import { createMilltimeClient, type MilltimeUserCredentials } from "../../src/milltime/milltime-client.js";
import { createMilltimeReader } from "../../src/milltime/milltime-reader.js";
import {
  expectSaneValues,
  expectTypedError,
  HTTP_RUNS,
  hugeBody,
  replyArb,
  settle,
  startReplyServer,
  type FuzzReply,
} from "./fuzz-support.js";
import { MILLTIME_WEEK, milltimeStoreCases } from "./milltime-samples.js";

/**
 * Level (b): the Milltime client and reader over real loopback HTTP. A small fake Milltime logs
 * the user in (CSRF cookie, then a JWT session cookie) and answers every store GET with a
 * fuzzed reply; a second set of tests fuzzes the login replies themselves.
 */

const PASSWORD = "milltime-fuzz-pw-71b2";
const CSRF = "csrf-fuzz-0f9e8d7c6b5a";
const WHO = "Toki user 1 (anna)";
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const PAYLOAD = { exp: 4_000_000_000, iat: 1_790_000_000, instancedb: "db", instanceid: "000224.1", instancename: "AB", ruserid: "201", sid: "s1", sub: "201", userid: "201" };
const jwtOf = (payload: unknown) => `${part({ alg: "HS512", typ: "JWT", sub: "201" })}.${part(payload)}.c2lnbmF0dXJlLWZ1eno`;
const SESSION = jwtOf(PAYLOAD);

const cases = milltimeStoreCases();
const calendarSample = cases.find((c) => c.store === "UserCalendar")!.sample;
const HUGE = hugeBody(calendarSample.rows[0], 5);

interface LoginReplies {
  csrf: { status: number; cookies: string[] };
  session: { status: number; cookies: string[]; body?: string };
}

const GOOD_LOGIN: LoginReplies = {
  csrf: { status: 200, cookies: [`CSRFToken=${CSRF}; Path=/; Secure`] },
  session: { status: 200, cookies: [`milltimesessionid=${SESSION}; Path=/; HttpOnly`, "milltimeinstanceid=000224.1; Path=/"] },
};

/** A fake Milltime on loopback: the login answers `login`, every store GET the reply set last. */
async function startFakeMilltime(login: LoginReplies = GOOD_LOGIN) {
  let current = login;
  let logins = 0;
  const loginHandler = http.post("*/cgi/mt.cgi/api/login", ({ request }) => {
    const second = (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
    if (second) logins++;
    const reply = second ? current.session : current.csrf;
    const headers = new Headers({ "content-type": "application/json" });
    for (const cookie of reply.cookies) headers.append("set-cookie", cookie);
    const body = second ? (current.session.body ?? '{"success":true}') : '{"success":true}';
    return new Response(body, { status: reply.status, headers });
  });
  const server = await startReplyServer([loginHandler]);
  return Object.assign(server, { setLogin: (l: LoginReplies) => void (current = l), logins: () => logins });
}

function clientFor(url: string, credentials: Partial<MilltimeUserCredentials> = {}, timeoutMs = 10_000) {
  const client = createMilltimeClient({
    baseUrl: `${url}/cgi/mt.cgi`,
    credentials: { username: "anna", password: PASSWORD, ...credentials },
    who: WHO,
    retry: false,
    timeoutMs,
  });
  onTestFinished(() => client.close());
  return client;
}

function expectedCodes(reply: FuzzReply): readonly TokiErrorCode[] {
  if (reply.status === 401 || reply.status === 403) return ["AUTH_FAILED"];
  if (reply.status < 200 || reply.status > 299) return ["PROVIDER_ERROR"];
  return ["INVALID_RESPONSE", "PROVIDER_ERROR", "NOT_FOUND"];
}

function expectNoSecret(message: string): void {
  for (const secret of [PASSWORD, CSRF, SESSION, SESSION.split(".")[2]!]) expect(message).not.toContain(secret);
}

describe.each(cases.map((c) => [c.store, c] as const))("Milltime reader, %s, over loopback", (_store, c) => {
  it("turns every fuzzed store reply into sane domain values or a typed error naming store and user", async () => {
    const server = await startFakeMilltime();
    const client = clientFor(server.url);
    const reader = createMilltimeReader({ source: { kind: "live", client } });
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(replyArb(c.sample, HUGE), async (reply) => {
        server.setReply(reply);
        const outcome = await settle(() => c.read(reader));
        if (outcome.ok) {
          expectSaneValues(outcome.value);
          return;
        }
        failures++;
        const error = expectTypedError(outcome.error, expectedCodes(reply), reply.label);
        expect(error.message).toMatch(/^Milltime /);
        expect(error.message).toContain(c.store === "ProjectSearchMT" ? "ProjectSearchMT" : c.store);
        expect(error.message).toContain(WHO);
        expectNoSecret(error.message);
      }),
      { numRuns: HTTP_RUNS },
    );
    expect(failures, "the fuzzed replies broke no read").toBeGreaterThan(HTTP_RUNS / 4);
    // One login served every read: a bad store reply never costs a new session.
    expect(server.logins()).toBe(1);
  });
});

describe("Milltime client: bodies that are not what they should be", () => {
  const timeInfo = cases.find((c) => c.store === "TimeInfo")!;

  it.each([
    ["the login page (HTML)", "text/html; charset=utf-8", "<!DOCTYPE html><html><body><form>Logga in</form></body></html>", /with HTML instead of JSON/],
    ["an XML error", "application/xml", "<?xml version=\"1.0\"?><error><message>Internt fel</message></error>", /with XML instead of JSON/],
    ["an empty 200", "application/json", "", /with an empty body instead of JSON/],
    ["truncated JSON", "application/json", '{"rows":[{"FlexTimePreviousPeriod":', /with truncated or malformed JSON instead of JSON/],
    ["plain text", "text/plain", "OK", /with a non-JSON body instead of JSON/],
  ])("names %s as the content problem", async (label, contentType, body, pattern) => {
    const server = await startFakeMilltime();
    server.setReply({ status: 200, contentType, body, label });
    const outcome = await settle(() => timeInfo.read(createMilltimeReader({ source: { kind: "live", client: clientFor(server.url) } })));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(expectTypedError(outcome.error, ["INVALID_RESPONSE"]).message).toMatch(pattern);
  });

  it.each([
    [500, '{"success":false,"message":"Internt fel"}', /answered 500 to GET \/data\/store\/TimeInfo\?filter=\{filter\} for Toki user 1 \(anna\): a JSON body: \{"success":false,"message":"Internt fel"\}/],
    [500, '{"success":false,', /answered 500 .*: truncated or malformed JSON: \{"success":false,/],
    [404, "<html><body>Not found</body></html>", /answered 404 .*: HTML: <html>/],
  ])("describes the body of an HTTP %i reply as it is", async (status, body, pattern) => {
    const server = await startFakeMilltime();
    server.setReply({ status, contentType: "application/json", body, label: String(status) });
    const outcome = await settle(() => timeInfo.read(createMilltimeReader({ source: { kind: "live", client: clientFor(server.url) } })));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(expectTypedError(outcome.error, ["PROVIDER_ERROR"]).message).toMatch(pattern);
  });

  it.each([
    ["a 5 MB malformed JSON body", 200, "application/json", HUGE],
    ["a 3 MB error page of base64-looking text", 500, "text/html", `<html><body>${"eyJ".repeat(1_000_000)}</body></html>`],
    ["a 3 MB 200 of base64-looking text", 200, "text/plain", "eyJhbGc".repeat(450_000)],
  ])("answers %s within seconds with a short message", async (label, status, contentType, body) => {
    const server = await startFakeMilltime();
    server.setReply({ status, contentType, body, label });
    const started = performance.now();
    const outcome = await settle(() => timeInfo.read(createMilltimeReader({ source: { kind: "live", client: clientFor(server.url) } })), 10_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expectTypedError(outcome.error, status === 200 ? ["INVALID_RESPONSE"] : ["PROVIDER_ERROR"]);
  });

  it("gives up on a reply whose body never ends (UNREACHABLE, not a hang)", async () => {
    const stalled = http.get("*/cgi/mt.cgi/data/store/:store", () => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"rows":['));
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    });
    const server = await startFakeMilltime();
    const stalledServer = await startReplyServer([
      http.post("*/cgi/mt.cgi/api/login", async ({ request }) => fetch(`${server.url}${new URL(request.url).pathname}`, {
        method: "POST",
        headers: request.headers,
        body: await request.arrayBuffer(),
      })),
      stalled,
    ]);
    const outcome = await settle(() => timeInfo.read(createMilltimeReader({ source: { kind: "live", client: clientFor(stalledServer.url, {}, 500) } })), 10_000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(expectTypedError(outcome.error, ["UNREACHABLE"]).message).toContain("no answer within 500 ms");
  });
});

describe("Milltime login over loopback with fuzzed replies", () => {
  const timeInfo = cases.find((c) => c.store === "TimeInfo")!;
  const cookieArb = fc.oneof(
    fc.constantFrom(
      `milltimesessionid=${SESSION}`,
      "milltimesessionid=",
      "milltimesessionid=not-a-jwt",
      "milltimesessionid=a.b.c",
      `milltimesessionid=${jwtOf({ ...PAYLOAD, userid: 201 })}`,
      `milltimesessionid=${jwtOf({ ...PAYLOAD, exp: 1e300 })}`,
      `milltimesessionid=${jwtOf(null)}`,
      `milltimesessionid=${SESSION}; Expires=not a date`,
      `milltimesessionid=${SESSION}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
      `milltimesessionid=${SESSION}; Max-Age=abc`,
      "=",
      "junk",
    ),
    fc.string().map((s) => `milltimesessionid=${encodeURIComponent(s)}`),
  );
  const goodCsrf = { status: 200, cookies: [`CSRFToken=${CSRF}`] };
  const loginArb: fc.Arbitrary<LoginReplies> = fc.record({
    csrf: fc.oneof(
      { weight: 3, arbitrary: fc.constant(goodCsrf) },
      {
        weight: 1,
        arbitrary: fc.record({
          status: fc.constantFrom(200, 204, 302, 401, 403, 404, 500),
          cookies: fc.constantFrom<string[]>([`CSRFToken=${CSRF}`], [], ["CSRFToken="], ["csrftoken=lower"]),
        }),
      },
    ),
    session: fc.record({
      status: fc.constantFrom(200, 200, 200, 200, 401, 403, 500),
      cookies: fc.array(cookieArb, { minLength: 1, maxLength: 2 }),
      body: fc.constantFrom('{"success":true}', '{"success":false,"message":"Fel lösenord"}', "<html>Logga in</html>", ""),
    }),
  });

  it("turns every fuzzed login reply into a session or a typed error that names the user and holds no secret", async () => {
    const server = await startFakeMilltime();
    server.setReply({ status: 200, contentType: "application/json", body: JSON.stringify(timeInfo.sample), label: "valid TimeInfo" });
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(loginArb, async (login) => {
        server.setLogin(login);
        const client = clientFor(server.url);
        const outcome = await settle(async () => {
          const info = await client.session();
          expect(Number.isNaN(info.expiresAt.getTime())).toBe(false);
          return timeInfo.read(createMilltimeReader({ source: { kind: "live", client } }));
        });
        if (outcome.ok) return;
        failures++;
        const error = expectTypedError(outcome.error, ["AUTH_FAILED", "INVALID_RESPONSE", "PROVIDER_ERROR"], JSON.stringify(login));
        expect(error.message).toContain(WHO);
        expectNoSecret(error.message);
      }),
      { numRuns: HTTP_RUNS },
    );
    expect(failures).toBeGreaterThan(0);
  });

  it("keeps one session when the cookie's Expires cannot be read (the JWT's exp counts)", async () => {
    const server = await startFakeMilltime({
      ...GOOD_LOGIN,
      session: { status: 200, cookies: [`milltimesessionid=${SESSION}; Expires=not a date; Path=/`] },
    });
    server.setReply({ status: 200, contentType: "application/json", body: JSON.stringify(timeInfo.sample), label: "valid TimeInfo" });
    const client = clientFor(server.url);
    const reader = createMilltimeReader({ source: { kind: "live", client } });
    for (let i = 0; i < 3; i++) await reader.getTimeInfo(MILLTIME_WEEK);
    expect((await client.session()).expiresAt.toISOString()).toBe(new Date(PAYLOAD.exp * 1000).toISOString());
    expect(server.logins()).toBe(1);
  });

  it("refuses credentials whose session JWT expires beyond any date, naming the user (not a RangeError)", () => {
    let caught: unknown;
    try {
      clientFor("http://127.0.0.1:9", { password: undefined, sessionId: jwtOf({ ...PAYLOAD, exp: 1e300 }), csrfToken: CSRF });
    } catch (error) {
      caught = error;
    }
    const error = expectTypedError(caught, ["CONFIG"]);
    expect(error.message).toContain(WHO);
    expect(error.message).toContain("payload.exp");
  });
});
