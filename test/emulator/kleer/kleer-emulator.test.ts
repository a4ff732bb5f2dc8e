import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  kleerEmulatorSeedSchema,
  parseKleerEmulatorSeed,
  startKleerEmulator,
  type KleerEmulatorSeedInput,
  type RunningKleerEmulator,
} from "../../../src/emulator/kleer/index.js";

const TOKEN = "emu-token-5d1c";
const COMPANY = 4875;

function smallCompany(): KleerEmulatorSeedInput {
  return JSON.parse(readFileSync(fileURLToPath(new URL("../../../fixtures/kleer/small-company.json", import.meta.url)), "utf8"));
}

async function start(seed: KleerEmulatorSeedInput = smallCompany()): Promise<RunningKleerEmulator> {
  const emulator = await startKleerEmulator({ seed, token: TOKEN, companyId: COMPANY });
  onTestFinished(() => emulator.close());
  return emulator;
}

interface CallOptions {
  token?: string | null;
  /** Send `Content-Type: application/json` (Kleer answers XML without it). @default true */
  json?: boolean;
  body?: unknown;
}

async function call(emulator: RunningKleerEmulator, method: "GET" | "PUT" | "POST" | "DELETE", path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers["x-token"] = token;
  if (options.json !== false) headers["content-type"] = "application/json";
  const prefix = path.startsWith("/__emulator") ? "" : `/v1/company/${COMPANY}`;
  const res = await request(`${emulator.url}${prefix}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.body.text();
  const contentType = String(res.headers["content-type"] ?? "");
  return { status: res.statusCode, contentType, text, json: contentType.includes("json") ? (JSON.parse(text) as any) : undefined };
}

const writable = (over: Record<string, unknown> = {}) => ({
  "foreign-id": "toki-5512-880022-44310-1779174000000000000",
  user: { id: 5512 },
  activity: { id: 44310 },
  "client-project": { id: 880022 },
  date: "2026-05-19",
  hours: 1.5,
  comment: "Test",
  "internal-comment": "Test",
  ...over,
});

describe("Kleer emulator: protocol", () => {
  it("answers 401 for a missing or wrong X-Token and 404 for another company", async () => {
    const emulator = await start();
    expect((await call(emulator, "GET", "/activity", { token: null })).status).toBe(401);
    const wrong = await call(emulator, "GET", "/activity", { token: "nope-nope" });
    expect([wrong.status, wrong.json]).toEqual([401, { message: "Unauthorized: missing or invalid X-Token" }]);
    const res = await request(`${emulator.url}/v1/company/1/activity`, { headers: { "x-token": TOKEN, "content-type": "application/json" } });
    expect(res.statusCode).toBe(404);
    expect(await res.body.json()).toEqual({ message: "Company 1 not found" });
  });

  it("answers XML when the JSON Content-Type header is missing", async () => {
    const emulator = await start();
    const reply = await call(emulator, "GET", "/activity", { json: false });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toContain("application/xml");
    expect(reply.text).toMatch(/^<\?xml[^>]*\?><activity-readables><activity-readable><id><id>44310<\/id><\/id><name>Utveckling<\/name>/);
    const event = await call(emulator, "GET", "/event/7001201", { json: false });
    expect(event.text).toContain("<event-readable><id><id>7001201</id></id>");
    expect(event.text).toContain("<status><type>APPROVED</type>");
  });

  it("serves /user/me, /user, /client-project (all and filter=active) and /activity", async () => {
    const emulator = await start();
    expect((await call(emulator, "GET", "/user/me")).json).toEqual({ id: 5500, name: "Integration Toki", email: "toki-integration@exempel.se", active: true });
    const users = (await call(emulator, "GET", "/user")).json.users;
    expect(users[1]).toEqual({ id: 5512, "internal-id": 17, name: "Kim Berg", email: "kim.berg@exempel.se", active: true });
    const all = (await call(emulator, "GET", "/client-project")).json["client-project-readables"];
    const active = (await call(emulator, "GET", "/client-project?filter=active")).json["client-project-readables"];
    expect(all.map((p: any) => [p.id.id, p.status])).toEqual([
      [880021, "Open"],
      [880022, "Open"],
      [880023, "Open"],
      [880024, "Closed"],
      [880025, "Draft"],
    ]);
    expect(active.map((p: any) => p.id.id)).toEqual([880021, 880022, 880023]);
    expect(active[0].activities).toEqual([{ activity: { id: 44310 } }, { activity: { id: 44311 } }, { activity: { id: 44312 } }]);
    expect(active[0].users[1]).toEqual({ user: { id: 5513 }, activities: [{ activity: { id: 44311 } }, { activity: { id: 44313 } }] });
  });

  it("filters GET /event by userId and an inclusive startDate..endDate, sorted by date then id", async () => {
    const emulator = await start();
    const day = (await call(emulator, "GET", "/event?userId=5512&startDate=2026-05-04&endDate=2026-05-04")).json["event-readables"];
    expect(day.map((e: any) => e.id.id)).toEqual([7001201, 7001202]);
    const everyone = (await call(emulator, "GET", "/event?startDate=2026-05-04&endDate=2026-05-05")).json["event-readables"];
    expect(everyone.map((e: any) => e.id.id)).toEqual([7001201, 7001202, 7001301, 7001203, 7001302]);
    expect((await call(emulator, "GET", "/event?userId=abc")).status).toBe(400);
    const projectless = (await call(emulator, "GET", "/event/7001206")).json;
    expect(projectless).not.toHaveProperty("client-project");
    expect((await call(emulator, "GET", "/event/999")).status).toBe(404);
  });

  it("emits upper-case statuses on events and day statuses, inclusive of both range ends", async () => {
    const emulator = await start();
    const event = (await call(emulator, "GET", "/event/7001201")).json;
    expect(event.status).toEqual({ type: "APPROVED", "registration-user": { id: 5512 }, "registration-date": "2026-05-04" });
    expect(event.approved).toBe(true);
    const rows = (await call(emulator, "GET", "/event/statuses?userId=5512&fromDate=2026-05-04&toDate=2026-05-06")).json;
    expect(rows["event-restriction-readables"]).toEqual([
      { status: { type: "APPROVED", "registration-user": { id: 5500 }, "event-date": "2026-05-04" } },
      { status: { type: "APPROVED", "registration-user": { id: 5500 }, "event-date": "2026-05-05" } },
      { status: { type: "CERTIFIED", "registration-user": { id: 5500 }, "event-date": "2026-05-06" } },
    ]);
    expect((await call(emulator, "GET", "/event/statuses?userId=5512")).status).toBe(400);
  });

  it("serves payroll schedule and events, and 500 PayrollUserDoesNotExistException for users without payroll", async () => {
    const emulator = await start();
    const schedule = (await call(emulator, "GET", "/payroll/user/5513/schedule/2026-05-04/to/2026-05-04")).json;
    expect(schedule).toEqual({
      "payroll-user-schedule-metadatas": [{ date: "2026-05-04", "level-of-employment": 0.8, "gross-hours": 8, "net-hours": 6.4, "actual-hours": 6.4 }],
    });
    const events = (await call(emulator, "GET", "/payroll/user/5512/event/from/2026-05-07/to/2026-05-08")).json["payroll-events"];
    expect(events.map((e: any) => [e.id, e.type, e.hours])).toEqual([
      [90011, "VACATION", 8],
      [90012, "Sick", 3.5],
      [90013, "WorkHour", 4.5],
    ]);
    for (const path of ["/payroll/user/5514/schedule/2026-05-01/to/2026-05-31", "/payroll/user/5514/event/from/2026-05-01/to/2026-05-31", "/payroll/user/1/event/from/2026-05-01/to/2026-05-31"]) {
      const reply = await call(emulator, "GET", path);
      expect(reply.status).toBe(500);
      expect(reply.text).toContain("PayrollUserDoesNotExistException");
    }
  });
});

describe("Kleer emulator: writes", () => {
  it("creates with PUT, updates with POST, deletes with DELETE; ids are stable and increasing, never reused", async () => {
    const emulator = await start();
    const first = await call(emulator, "PUT", "/event", { body: writable() });
    expect(first).toMatchObject({ status: 200, json: { id: 7001402 } });
    const second = (await call(emulator, "PUT", "/event", { body: writable({ hours: 2 }) })).json.id;
    expect(second).toBe(7001403);
    expect((await call(emulator, "POST", `/event/${second}`, { body: writable({ hours: 3, comment: "Ändrad" }) })).json).toEqual({ id: second });
    expect((await call(emulator, "GET", `/event/${second}`)).json).toMatchObject({ hours: 3, comment: "Ändrad", status: { type: "OPEN" } });
    expect((await call(emulator, "DELETE", `/event/${second}`)).json).toEqual({ id: second });
    expect((await call(emulator, "GET", `/event/${second}`)).status).toBe(404);
    expect((await call(emulator, "PUT", "/event", { body: writable() })).json.id).toBe(7001404);
    expect((await call(emulator, "DELETE", "/event/999")).status).toBe(404);
  });

  it("answers a PUT without foreign-id with 500 Tekniskt fel", async () => {
    const emulator = await start();
    const { "foreign-id": _omit, ...body } = writable();
    expect(await call(emulator, "PUT", "/event", { body })).toMatchObject({ status: 500, json: { message: "Tekniskt fel" } });
    expect(await call(emulator, "PUT", "/event", { body: writable({ "foreign-id": "" }) })).toMatchObject({ status: 500 });
  });

  it("rejects activities the project does not allow, unknown references, missing child and bad bodies with 400", async () => {
    const emulator = await start();
    const notAllowed = await call(emulator, "PUT", "/event", { body: writable({ "client-project": { id: 880021 }, activity: { id: 44313 } }) });
    expect(notAllowed).toMatchObject({ status: 400, json: { message: "Activity 44313 is not allowed on client project 880021 for user 5512" } });
    expect((await call(emulator, "PUT", "/event", { body: writable({ "client-project": { id: 1 } }) })).status).toBe(400);
    expect((await call(emulator, "PUT", "/event", { body: writable({ activity: { id: 44314 } }) })).json.message).toContain("requires a child");
    expect((await call(emulator, "PUT", "/event", { body: writable({ activity: { id: 44314 }, child: "Elsa" }) })).status).toBe(200);
    expect((await call(emulator, "PUT", "/event", { body: writable({ hours: "1,5" }) })).json.message).toContain("hours");
  });

  it("refuses writes on approved or certified days with 409 (the emulator's choice; Kleer's is unknown)", async () => {
    const emulator = await start();
    const locked = await call(emulator, "PUT", "/event", { body: writable({ date: "2026-05-06" }) });
    expect(locked).toMatchObject({ status: 409, json: { message: "The day 2026-05-06 is CERTIFIED for user 5512; events on it cannot be changed" } });
    expect((await call(emulator, "POST", "/event/7001201", { body: writable() })).status).toBe(409);
    expect((await call(emulator, "DELETE", "/event/7001201")).json).toEqual({ message: "Event 7001201 is APPROVED and cannot be changed" });
    // Another user's open day is not affected.
    expect((await call(emulator, "PUT", "/event", { body: writable({ user: { id: 5513 }, date: "2026-05-06" }) })).status).toBe(200);
  });
});

describe("Kleer emulator: test hooks, seed and dump", () => {
  it("sets day statuses for a user and range (approve / certify / open), over HTTP and on the state", async () => {
    const emulator = await start();
    const created = (await call(emulator, "PUT", "/event", { body: writable() })).json.id;
    const hook = await call(emulator, "POST", "/__emulator/day-status", { body: { userId: 5512, from: "2026-05-18", to: "2026-05-22", status: "approved" } });
    expect(hook.json).toEqual({ days: 5 });
    expect((await call(emulator, "GET", `/event/${created}`)).json.status.type).toBe("APPROVED");
    expect((await call(emulator, "PUT", "/event", { body: writable() })).status).toBe(409);
    emulator.state.setDayStatus(5512, { from: "2026-05-19", to: "2026-05-19" }, "open");
    const rows = (await call(emulator, "GET", "/event/statuses?userId=5512&fromDate=2026-05-18&toDate=2026-05-19")).json["event-restriction-readables"];
    expect(rows.map((r: any) => r.status.type)).toEqual(["APPROVED", "OPEN"]);
    expect((await call(emulator, "POST", "/__emulator/day-status", { token: null, body: {} })).status).toBe(401);
    expect((await call(emulator, "POST", "/__emulator/day-status", { body: { userId: 5512 } })).status).toBe(400);
  });

  it("reseeds and dumps over HTTP; a dump seeds an identical emulator", async () => {
    const emulator = await start({});
    expect((await call(emulator, "GET", "/activity")).json).toEqual({ "activity-readables": [] });
    expect((await call(emulator, "POST", "/__emulator/seed", { body: smallCompany() })).json).toEqual({ seeded: true });
    await call(emulator, "PUT", "/event", { body: writable() });
    const dump = (await call(emulator, "GET", "/__emulator/dump")).json;
    expect(dump.events).toHaveLength(13);
    const copy = await start(dump);
    expect(copy.state.dump()).toEqual(emulator.state.dump());
    expect((await call(copy, "PUT", "/event", { body: writable() })).json.id).toBe(7001403);
    const bad = await call(emulator, "POST", "/__emulator/seed", { body: { users: [{ id: 1, name: "A", email: "" }, { id: 1, name: "B", email: "" }] } });
    expect(bad).toMatchObject({ status: 400, json: { message: "Invalid seed: users.1.id: duplicate id 1" } });
  });

  it("keeps one company per instance (Kleer's hosts do not share storage)", async () => {
    const a = await start();
    const b = await start();
    const id = (await call(a, "PUT", "/event", { body: writable() })).json.id;
    expect((await call(a, "GET", `/event/${id}`)).status).toBe(200);
    expect((await call(b, "GET", `/event/${id}`)).status).toBe(404);
  });

  it("applies fault options through serveHandlers", async () => {
    const emulator = await startKleerEmulator({ seed: smallCompany(), token: TOKEN, companyId: COMPANY, faults: { errorRate: 1 } });
    onTestFinished(() => emulator.close());
    const reply = await call(emulator, "GET", "/activity");
    expect([502, 503, 504]).toContain(reply.status);
    expect(reply.contentType).toContain("text/html");
    emulator.setFaults({});
    expect((await call(emulator, "GET", "/activity")).status).toBe(200);
  });
});

describe("Kleer emulator seed fixtures", () => {
  it("fixtures/kleer/small-company.json parses with the seed schema", () => {
    const seed = kleerEmulatorSeedSchema.parse(smallCompany());
    expect(seed.users.map((u) => u.name)).toContain("Erik Öberg");
    expect(seed.users.find((u) => u.id === 5514)?.hasPayroll).toBe(false);
    expect(seed.events.length).toBeGreaterThan(10);
  });

  it("names the path of a bad seed field", () => {
    expect(() => parseKleerEmulatorSeed({ events: [{ id: 1, userId: 1, activityId: 1, date: "2026-02-30", hours: 1 }] })).toThrow(
      expect.objectContaining({ code: "CONFIG", issues: ["events.0.date: expected a YYYY-MM-DD date"] }),
    );
  });
});
