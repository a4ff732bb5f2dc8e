import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidResponseError, ProviderHttpError } from "../../src/domain/errors.js";
import { globalRedactor } from "../../src/http/redact.js";
import { createMemoryRecorder } from "../../src/http/request-log.js";
import { decodeSessionJwt, login } from "../../src/milltime/milltime-login.js";
import { ANNA, mutableClock, useMilltimeEmulators } from "./milltime-test-support.js";

const start = useMilltimeEmulators();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi/mt.cgi`;
}

async function errorOf(promise: Promise<unknown>): Promise<ProviderHttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderHttpError);
  return error as ProviderHttpError;
}

describe("Milltime login", () => {
  it("logs in with the two POSTs, learns the user id from the JWT and the session end from Expires", async () => {
    const clock = mutableClock("2026-05-12T08:00:00Z");
    const em = await start({ clock, sessionTtlSeconds: 7200 });
    const recorder = createMemoryRecorder();
    const session = await login({ baseUrl: em.milltimeUrl, username: ANNA.username, password: ANNA.password, recorder });
    expect(session.userId).toBe("201");
    expect(session.instanceId).toBe("000224.1");
    expect(session.expiresAt.toISOString()).toBe("2026-05-12T10:00:00.000Z");
    expect(recorder.records.map((r) => [r.system, r.method, r.route, r.status, r.attempts])).toEqual([
      ["milltime", "POST", "/api/login", 200, 1],
      ["milltime", "POST", "/api/login", 200, 1],
    ]);
    // The secrets of the session are registered for redaction.
    expect(globalRedactor.redact(`x ${session.sessionId} ${session.csrfToken}`)).toBe("x [redacted] [redacted]");
  });

  it("fails with AUTH_FAILED on a wrong password, never naming the password", async () => {
    const em = await start();
    const error = await errorOf(login({ baseUrl: em.milltimeUrl, username: ANNA.username, password: "Fel-Lösen-123" }));
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toContain("user anna");
    expect(JSON.stringify({ m: error.message, e: error.bodyExcerpt })).not.toContain("Fel-Lösen-123");
  });

  it("fails with AUTH_FAILED when the instance id is not the tenant's", async () => {
    const em = await start({ instanceId: "000777.1" });
    const error = await errorOf(login({ baseUrl: em.milltimeUrl, username: ANNA.username, password: ANNA.password }));
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toContain("instance 000224.1");
    await expect(login({ baseUrl: em.milltimeUrl, username: ANNA.username, password: ANNA.password, instanceId: "000777.1" })).resolves.toMatchObject({ userId: "201" });
  });

  it("says the URL is not Milltime when the first POST sets no CSRF cookie", async () => {
    const url = await serve((_req, res) => res.end("<html>Välkommen</html>"));
    const error = await errorOf(login({ baseUrl: url, username: "anna", password: "hemligt-ord" }));
    expect(error.code).toBe("INVALID_RESPONSE");
    expect(error.message).toMatch(/set no CSRFToken cookie.*mt\.cgi entry point/);
  });

  it("reports a 5xx during login as PROVIDER_ERROR", async () => {
    const em = await start({ faults: { errorRate: 1 } });
    const error = await errorOf(login({ baseUrl: em.milltimeUrl, username: ANNA.username, password: ANNA.password }));
    expect(error.code).toBe("PROVIDER_ERROR");
    expect(error.route).toBe("/api/login");
  });

  it("reports an unreachable host as UNREACHABLE", async () => {
    const url = await serve((_req, res) => res.end());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const error = await errorOf(login({ baseUrl: url, username: "anna", password: "hemligt-ord" }));
    expect(error.code).toBe("UNREACHABLE");
  });
});

describe("decodeSessionJwt", () => {
  const payload = { exp: 1780000000, iat: 1777400000, instancedb: "db", instanceid: "000999.1", instancename: "Ex", ruserid: "217", sid: "5be0c1d2e3", sub: "217", userid: "217" };
  const header = { alg: "HS512", typ: "JWT", sub: "217" };

  it("reads base64url and unpadded standard base64 parts without verifying the signature", () => {
    const url = [header, payload].map((p) => Buffer.from(JSON.stringify(p)).toString("base64url")).join(".");
    const std = [header, payload].map((p) => Buffer.from(JSON.stringify(p)).toString("base64").replace(/=+$/, "")).join(".");
    expect(decodeSessionJwt(`${url}.not-a-real-signature`).userid).toBe("217");
    expect(decodeSessionJwt(`${std}.x`)).toEqual(payload);
  });

  it.each([
    ["not three parts", "abc.def", "milltimesessionid"],
    ["not JSON", "abc.def.ghi", "milltimesessionid"],
    ["a payload without userid", `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify({ ...payload, userid: undefined })).toString("base64url")}.s`, "payload.userid"],
  ])("rejects %s naming the field", (_name, token, fieldPath) => {
    try {
      decodeSessionJwt(token);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).fieldPath).toBe(fieldPath);
      expect((error as Error).message).not.toContain(token);
    }
  });
});
