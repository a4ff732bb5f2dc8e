import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { http, HttpResponse } from "msw";
import { describe, expect, it, onTestFinished } from "vitest";
import { InvalidResponseError, ProviderHttpError, TokiError } from "../../src/domain/errors.js";
import { createKleerClient, isPayrollUserMissing, KleerPayrollUserMissingError } from "../../src/kleer/index.js";
import { COMPANY_ID, startKit, TOKEN } from "./kleer-test-kit.js";

const MAY = { from: "2026-05-01", to: "2026-05-31" };

/** Runs `fn`, expects it to throw, returns the error. */
async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

/** Every text an error exposes: message, excerpt, stack and its causes'. */
function allText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, current.stack ?? "", JSON.stringify(current));
    if (current instanceof ProviderHttpError) parts.push(current.bodyExcerpt ?? "", current.route);
    current = current.cause;
  }
  return parts.join("\n");
}

describe("Kleer client against the emulator", () => {
  it("reads every list endpoint in wire form", async () => {
    const { client } = await startKit();
    expect(await client.getCurrentUser()).toEqual({ id: 5500, name: "Integration Toki", email: "toki-integration@exempel.se", active: true });
    const users = await client.listUsers();
    expect(users.map((u) => u.id)).toEqual([5500, 5512, 5513, 5514, 5515]);
    expect(users[1]).toMatchObject({ "internal-id": "17", "foreign-id": null });
    expect((await client.listClientProjects()).map((p) => p.id.id)).toEqual([880021, 880022, 880023, 880024, 880025]);
    expect((await client.listActiveClientProjects()).map((p) => p.id.id)).toEqual([880021, 880022, 880023]);
    expect((await client.listActivities()).map((a) => a.name)).toContain("Möten");
    const events = await client.listEvents({ userId: 5512, range: MAY });
    expect(events.map((e) => e.id.id)).toEqual([7001201, 7001202, 7001203, 7001204, 7001205, 7001206, 7001207, 7001208]);
    expect(events[0]?.status?.type).toBe("approved");
    expect(await client.getEvent(7001206)).toMatchObject({ "client-project": null, hours: 1 });
    const statuses = await client.listEventStatuses({ userId: 5512, range: MAY });
    expect(statuses.map((s) => [s.status["event-date"], s.status.type])).toEqual([
      ["2026-05-01", "approved"],
      ["2026-05-04", "approved"],
      ["2026-05-05", "approved"],
      ["2026-05-06", "certified"],
    ]);
    expect((await client.getPayrollSchedule({ userId: 5513, range: MAY })).map((s) => s["actual-hours"])).toEqual([6.4, 6.4]);
    expect((await client.listPayrollEvents({ userId: 5512, range: MAY })).map((p) => p.type)).toEqual(["Vacation", "Sick", "WorkHour"]);
  });

  it("creates with PUT, updates with POST, deletes with DELETE, each answering the id", async () => {
    const { client, served } = await startKit();
    const writable = {
      "foreign-id": "toki-5512-880022-44310-1778223600000000000",
      user: { id: 5512 },
      activity: { id: 44310 },
      "client-project": { id: 880022 },
      date: "2026-05-08",
      hours: 1.25,
      comment: "Test",
      "internal-comment": "Test",
    };
    const id = await client.createEvent(writable);
    expect(id).toBeGreaterThan(7001401);
    expect(await client.updateEvent(id, { ...writable, hours: 2 })).toBe(id);
    expect((await client.getEvent(id)).hours).toBe(2);
    expect(await client.deleteEvent(id)).toBe(id);
    expect(served()).toEqual([
      "PUT /company/4875/event",
      `POST /company/4875/event/${id}`,
      `GET /company/4875/event/${id}`,
      `DELETE /company/4875/event/${id}`,
    ]);
  });

  it("sends X-Token, Accept and Content-Type on every request, GET and DELETE included", async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method, ...req.headers });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.method === "GET" ? JSON.stringify({ "activity-readables": [] }) : JSON.stringify({ id: 1 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = createKleerClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, token: TOKEN, companyId: COMPANY_ID });
    onTestFinished(() => client.close());
    await client.listActivities();
    await client.deleteEvent(1);
    expect(seen).toHaveLength(2);
    for (const h of seen) {
      expect(h["x-token"]).toBe(TOKEN);
      expect(h.accept).toBe("application/json");
      expect(h["content-type"]).toBe("application/json");
    }
  });

  it("trims the trailing slash of the base URL and records templated routes", async () => {
    const { client, recorder, served } = await startKit();
    await client.listActiveClientProjects();
    await client.getEvent(7001201);
    await client.listEvents({ userId: 5512, range: MAY });
    await client.getPayrollSchedule({ userId: 5512, range: MAY });
    expect(served()[0]).toBe("GET /company/4875/client-project");
    expect(recorder.records.map((r) => [r.method, r.route, r.status, r.attempts])).toEqual([
      ["GET", "/company/{companyId}/client-project?filter={filter}", 200, 1],
      ["GET", "/company/{companyId}/event/{eventId}", 200, 1],
      ["GET", "/company/{companyId}/event?userId={userId}&startDate={startDate}&endDate={endDate}", 200, 1],
      ["GET", "/company/{companyId}/payroll/user/{userId}/schedule/{startDate}/to/{endDate}", 200, 1],
    ]);
    expect(recorder.records.every((r) => r.durationMs >= 0 && r.system === "kleer")).toBe(true);
  });
});

describe("Kleer client error mapping", () => {
  it("401 for a wrong token → AUTH_FAILED, without the token anywhere", async () => {
    const { client, recorder } = await startKit({ clientToken: "wrong-token-abcdef" });
    const error = await failure(() => client.listActivities());
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ code: "AUTH_FAILED", status: 401, method: "GET", route: "/company/{companyId}/activity", system: "kleer" });
    expect(error.message).toContain("Unauthorized: missing or invalid X-Token");
    expect(allText(error)).not.toContain("wrong-token-abcdef");
    expect(recorder.records[0]?.status).toBe(401);
  });

  it("403 → FORBIDDEN, 404 (unknown company) → NOT_FOUND", async () => {
    const forbidden = await startKit({
      overrides: [http.get("*/company/:companyId/user", () => HttpResponse.json({ message: "Access\r\ndenied\tfor token" }, { status: 403 }))],
    });
    const e403 = await failure(() => forbidden.client.listUsers());
    expect(e403).toMatchObject({ code: "FORBIDDEN", status: 403 });
    expect(e403.message).toContain("Access  denied for token");

    const { client } = await startKit({ companyId: 1 });
    const e404 = await failure(() => client.listActivities());
    expect(e404).toMatchObject({ code: "NOT_FOUND", status: 404, route: "/company/{companyId}/activity" });
    expect(e404.message).toContain("Company 1 not found");
  });

  it("500 surfaces Kleer's message (PUT without foreign-id → Tekniskt fel)", async () => {
    const { client } = await startKit();
    const error = await failure(() =>
      client.createEvent({ "foreign-id": "", user: { id: 5512 }, activity: { id: 44310 }, date: "2026-05-08", hours: 1, comment: "x" }),
    );
    expect(error).toMatchObject({ code: "PROVIDER_ERROR", status: 500, method: "PUT", route: "/company/{companyId}/event" });
    expect(error.message).toBe("Kleer failed: HTTP 500 on PUT /company/{companyId}/event: Tekniskt fel");
  });

  it("a payroll 500 naming PayrollUserDoesNotExistException is a distinct error", async () => {
    const { client } = await startKit();
    const schedule = await failure(() => client.getPayrollSchedule({ userId: 5514, range: MAY }));
    const events = await failure(() => client.listPayrollEvents({ userId: 5514, range: MAY }));
    expect(schedule).toBeInstanceOf(KleerPayrollUserMissingError);
    expect(isPayrollUserMissing(events)).toBe(true);
    expect(schedule).toMatchObject({ status: 500, route: "/company/{companyId}/payroll/user/{userId}/schedule/{startDate}/to/{endDate}" });
  });

  it("a 2xx XML reply (what Kleer sends without the JSON Content-Type) → InvalidResponseError naming XML", async () => {
    const { client } = await startKit({
      overrides: [
        http.get("*/company/:companyId/activity", () =>
          new HttpResponse('<?xml version="1.0"?><activity-readables><activity-readable/></activity-readables>', {
            headers: { "content-type": "application/xml" },
          }),
        ),
      ],
    });
    const error = await failure(() => client.listActivities());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/^expected JSON, got XML from GET \/company\/\{companyId\}\/activity \(HTTP 200, application\/xml\): <\?xml/);
  });

  it("an HTML 502 body is a PROVIDER_ERROR with a short excerpt", async () => {
    const { client } = await startKit({ faults: { errorRate: 1 } });
    const error = (await failure(() => client.listActivities())) as ProviderHttpError;
    expect(error.code).toBe("PROVIDER_ERROR");
    expect([502, 503, 504]).toContain(error.status);
    expect(error.message).toMatch(/HTTP 50[234] on GET \/company\/\{companyId\}\/activity: <html><body><h1>50[234] Bad Gateway/);
    expect(error.bodyExcerpt!.length).toBeLessThanOrEqual(256);
  });

  it("a 200 HTML page → InvalidResponseError naming HTML; an excerpt never exceeds 256 characters", async () => {
    const page = `<!DOCTYPE html><html><body>${"Inloggning krävs ".repeat(100)}</body></html>`;
    const { client } = await startKit({
      overrides: [http.get("*/company/:companyId/user", () => new HttpResponse(page, { headers: { "content-type": "text/html" } }))],
    });
    const error = await failure(() => client.listUsers());
    expect(error.message).toContain("expected JSON, got HTML");
    expect(error.message.length).toBeLessThan(400);
  });

  it("truncated JSON → InvalidResponseError", async () => {
    const { client } = await startKit({
      overrides: [
        http.get("*/company/:companyId/event", () =>
          new HttpResponse('{"event-readables":[{"id":{"id":1},"user":{"id":5', { headers: { "content-type": "application/json" } }),
        ),
      ],
    });
    const error = await failure(() => client.listEvents({ userId: 5512, range: MAY }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("expected JSON, got malformed or truncated JSON");
  });

  it("a schema violation names the field path", async () => {
    const { client } = await startKit({
      overrides: [
        http.get("*/company/:companyId/event", () =>
          HttpResponse.json({
            "event-readables": [0, 1, 2, 3].map((i) => ({
              id: { id: i + 1 },
              user: { id: 5512 },
              activity: { id: 1 },
              date: "2026-05-04",
              hours: i === 3 ? "2,5" : 1,
            })),
          }),
        ),
      ],
    });
    const error = (await failure(() => client.listEvents({ userId: 5512, range: MAY }))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.fieldPath).toBe("event-readables[3].hours");
    expect(error.message).toMatch(/^event-readables\[3\]\.hours: expected number, received string/);
  });

  it("an upper-case or PascalCase status parses; an unknown status names its path", async () => {
    const { client } = await startKit({
      overrides: [
        http.get("*/company/:companyId/event/statuses", () =>
          HttpResponse.json({
            "event-restriction-readables": [
              { status: { type: "Approved", "event-date": "2026-05-04" } },
              { status: { type: "LOCKED", "event-date": "2026-05-05" } },
            ],
          }),
        ),
      ],
    });
    const error = (await failure(() => client.listEventStatuses({ userId: 5512, range: MAY }))) as InvalidResponseError;
    expect(error.fieldPath).toBe("event-restriction-readables[1].status.type");
  });

  it("never puts the token into any error, even when Kleer echoes it back", async () => {
    const { client } = await startKit({
      overrides: [
        http.get("*/company/:companyId/activity", ({ request }) =>
          HttpResponse.json({ message: `bad token ${request.headers.get("x-token")}` }, { status: 500 }),
        ),
        http.get("*/company/:companyId/user", ({ request }) =>
          new HttpResponse(`<error>${request.headers.get("x-token")}</error>`, { headers: { "content-type": "application/xml" } }),
        ),
      ],
    });
    const errors = [await failure(() => client.listActivities()), await failure(() => client.listUsers())];
    for (const error of errors) {
      expect(allText(error)).not.toContain(TOKEN);
      expect(error.message).toContain("[redacted]");
    }
  });

  it("a refused connection → UNREACHABLE", async () => {
    const { client, emulator } = await startKit();
    await emulator.close();
    const error = await failure(() => client.listActivities());
    expect(error).toBeInstanceOf(TokiError);
    expect(error).toMatchObject({ code: "UNREACHABLE" });
    expect(error.message).toContain("Kleer is unreachable (GET /company/{companyId}/activity)");
  });

  it("a timeout → UNREACHABLE, recorded without a status", async () => {
    const { client, recorder } = await startKit({ faults: { latencyMs: 400 }, timeoutMs: 100 });
    const error = await failure(() => client.listActivities());
    expect(error).toMatchObject({ code: "UNREACHABLE" });
    expect(error.message).toContain("no complete reply within 100 ms");
    // A read is retried (src/http/retry.ts): five tries, one request row.
    expect(recorder.records).toEqual([expect.objectContaining({ status: undefined, attempts: 5 })]);
  });

  it("rejects a bad configuration at creation", () => {
    expect(() => createKleerClient({ baseUrl: "not a url", token: TOKEN, companyId: 1 })).toThrow(expect.objectContaining({ code: "CONFIG" }));
    expect(() => createKleerClient({ baseUrl: "http://127.0.0.1:1", token: " ", companyId: 1 })).toThrow(expect.objectContaining({ code: "CONFIG" }));
    expect(() => createKleerClient({ baseUrl: "http://127.0.0.1:1", token: TOKEN, companyId: 0 })).toThrow(expect.objectContaining({ code: "CONFIG" }));
  });
});
