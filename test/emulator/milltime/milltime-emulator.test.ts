import { describe, expect, it } from "vitest";
import { FormData, getSetCookies, Headers, request } from "undici";
import { addDays, eachDay } from "../../../src/domain/calendar.js";
import type { RunningMilltimeEmulator } from "../../../src/emulator/milltime/milltime-emulator.js";
import { milltimeSeedSchema, type MilltimeSeed } from "../../../src/emulator/milltime/milltime-emulator-seed.js";
import { ANNA, ERIK, MARIA, mutableClock, SVEN, tinySeed, useMilltimeEmulators } from "../../milltime/milltime-test-support.js";

const start = useMilltimeEmulators();

function cookiesOf(headers: Record<string, string | string[] | undefined>) {
  const h = new Headers();
  const raw = headers["set-cookie"];
  for (const v of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) h.append("set-cookie", v);
  return getSetCookies(h);
}

interface RawSession {
  csrf: string;
  jwt: string;
  cookie: string;
}

async function rawLogin(em: RunningMilltimeEmulator, username: string, password: string, instanceId = em.instanceId): Promise<{ status: number; cookies: ReturnType<typeof cookiesOf>; csrf: string }> {
  const first = await request(`${em.milltimeUrl}/api/login`, { method: "POST" });
  await first.body.text();
  const csrf = cookiesOf(first.headers).find((c) => c.name === "CSRFToken")?.value ?? "";
  const form = new FormData();
  form.set("userlogin", username);
  form.set("password", password);
  form.set("instanceid", instanceId);
  const second = await request(`${em.milltimeUrl}/api/login`, {
    method: "POST",
    body: form,
    headers: { "x-csrf-token": csrf, cookie: `CSRFToken=${csrf}; Secure; SameSite=Lax` },
  });
  await second.body.text();
  return { status: second.statusCode, cookies: cookiesOf(second.headers), csrf };
}

async function session(em: RunningMilltimeEmulator, username: string, password: string): Promise<RawSession> {
  const { cookies, csrf } = await rawLogin(em, username, password);
  const jwt = cookies.find((c) => c.name === "milltimesessionid")?.value ?? "";
  return { csrf, jwt, cookie: `CSRFToken=${csrf}; milltimeinstanceid=${em.instanceId}; milltimesessionid=${jwt}` };
}

async function store(em: RunningMilltimeEmulator, s: RawSession, name: string, filter?: unknown, method: "GET" | "POST" | "PUT" | "DELETE" = "GET", body?: unknown) {
  const query = filter === undefined ? "" : `?filter=${encodeURIComponent(typeof filter === "string" ? filter : JSON.stringify(filter))}`;
  const res = await request(`${em.milltimeUrl}/data/store/${name}${query}`, {
    method,
    headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: (() => { try { return JSON.parse(text) as { rows: any[]; success: boolean; message?: string }; } catch { return undefined; } })() };
}

const range = (from: string, to: string) => [["fromDate", "=", from], ["toDate", "=", to]];

describe("Milltime emulator: login", () => {
  it("hands out a CSRF cookie, then a JWT session cookie whose Expires is the JWT exp", async () => {
    const clock = mutableClock("2026-05-12T08:00:00Z");
    const em = await start({ clock, sessionTtlSeconds: 3600 });
    const { status, cookies, csrf } = await rawLogin(em, ANNA.username, ANNA.password);
    expect(csrf).toMatch(/^[0-9a-f]{48}$/);
    expect(status).toBe(200);
    const sessionCookie = cookies.find((c) => c.name === "milltimesessionid");
    expect(new Date(sessionCookie?.expires ?? 0).toISOString()).toBe("2026-05-12T09:00:00.000Z");
    const [header, payload] = (sessionCookie?.value ?? "").split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>);
    expect(header).toEqual({ alg: "HS512", typ: "JWT", sub: "201" });
    expect(payload).toMatchObject({ exp: Date.parse("2026-05-12T09:00:00Z") / 1000, iat: Date.parse("2026-05-12T08:00:00Z") / 1000, instanceid: "000224.1", userid: "201", ruserid: "201", sub: "201" });
    expect(cookies.find((c) => c.name === "milltimeinstanceid")?.value).toBe("000224.1");
  });

  it("rejects a wrong password, a wrong instance and a missing CSRF token without a session cookie", async () => {
    const em = await start();
    for (const attempt of [
      await rawLogin(em, ANNA.username, "fel-lösenord"),
      await rawLogin(em, "nobody", ANNA.password),
      await rawLogin(em, ANNA.username, ANNA.password, "000001.1"),
    ]) {
      expect(attempt.status).toBe(401);
      expect(attempt.cookies.map((c) => c.name)).not.toContain("milltimesessionid");
    }
    const form = new FormData();
    form.set("userlogin", ANNA.username);
    form.set("password", ANNA.password);
    form.set("instanceid", em.instanceId);
    const noCsrf = await request(`${em.milltimeUrl}/api/login`, { method: "POST", body: form });
    await noCsrf.body.text();
    expect(noCsrf.statusCode).toBe(403);
    expect(cookiesOf(noCsrf.headers)).toEqual([]);
  });

  it("answers 401 to store calls without a session, with an expired one, and 403 with a wrong CSRF header", async () => {
    const clock = mutableClock("2026-05-12T08:00:00Z");
    const em = await start({ clock, sessionTtlSeconds: 600 });
    const s = await session(em, ANNA.username, ANNA.password);
    const calendar = range("2026-05-11", "2026-05-17");
    expect((await store(em, s, "UserCalendar", calendar)).status).toBe(200);
    expect((await store(em, { ...s, cookie: "" }, "UserCalendar", calendar)).status).toBe(401);
    expect((await store(em, { ...s, csrf: "wrong" }, "UserCalendar", calendar)).status).toBe(403);
    expect((await store(em, { ...s, cookie: s.cookie.replace(/milltimeinstanceid=[^;]+/, "milltimeinstanceid=1") }, "UserCalendar", calendar)).status).toBe(401);
    clock.advance(600_000);
    const expired = await store(em, s, "UserCalendar", calendar);
    expect(expired.status).toBe(401);
    expect(expired.json?.message).toBe("Session expired");
  });

  it("accepts Toki's literal cookie attribute words between the pairs", async () => {
    const em = await start();
    const s = await session(em, ANNA.username, ANNA.password);
    const tokiCookie = `CSRFToken=${s.csrf}; Secure; SameSite=Lax; milltimeinstanceid=${em.instanceId}; SameSite=Lax; milltimesessionid=${s.jwt}; Secure; SameSite=Lax`;
    expect((await store(em, { ...s, cookie: tokiCookie }, "ProjectSearchMT", [["View", "=", "Overview"]])).json?.success).toBe(true);
  });
});

describe("Milltime emulator: filters and envelope", () => {
  it.each([
    ["an unknown field", [["fromDate", "=", "2026-05-01"], ["toDate", "=", "2026-05-31"], ["UserId", "=", "201"]], "unknown filter field UserId"],
    ["a missing field", [["fromDate", "=", "2026-05-01"]], "missing filter field(s) toDate"],
    ["no filter", undefined, "missing filter field(s) fromDate, toDate"],
    ["a lower-cased field name", [["fromdate", "=", "2026-05-01"], ["toDate", "=", "2026-05-31"]], "unknown filter field fromdate"],
    ["another operator", [["fromDate", ">", "2026-05-01"], ["toDate", "=", "2026-05-31"]], 'unsupported filter operator ">"'],
    ["bad JSON", "[[fromDate", "filter is not valid JSON"],
    ["a bad date", range("2026-05-01", "2026-05-32"), "fromDate and toDate must be dates (YYYY-MM-DD)"],
  ])("answers success:false for %s", async (_name, filter, message) => {
    const em = await start();
    const s = await session(em, ANNA.username, ANNA.password);
    const reply = await store(em, s, "UserCalendar", filter);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ rows: [], success: false, message });
  });

  it("answers ProjectSearchMT with every project and the user's membership", async () => {
    const em = await start();
    const s = await session(em, ERIK.username, ERIK.password);
    const reply = await store(em, s, "ProjectSearchMT", [["View", "=", "Overview"]]);
    expect(reply.json?.rows.map((r) => [r.projectname, r.ismember, r.userid])).toEqual([
      ["Intranät förnyelse", true, "202"],
      ["Kundportal Västra Götaland", false, "202"],
      ["Intern administration", true, "202"],
      ["Drift och förvaltning", true, "202"],
      ["Säljprojekt Norrland", false, "202"],
    ]);
  });

  it("answers ProjectPhaseActivity with one row per phase, and zero rows for an unknown project", async () => {
    const em = await start({ seed: tinySeed() });
    const s = await session(em, SVEN.username, SVEN.password);
    const ask = (id: string) => store(em, s, "ProjectPhaseActivity", [["ProjectId", "=", id], ...range("2026-02-01", "2026-02-28")]);
    expect((await ask("300000000000000001")).json?.rows).toHaveLength(1);
    expect((await ask("300000000000000002")).json?.rows.map((r) => r.phasename)).toEqual(["Förstudie", "Genomförande"]);
    expect((await ask("300000000000000009")).json).toEqual({ rows: [], success: true });
  });

  it("answers UserCalendar with the whole ISO weeks that overlap the range", async () => {
    const em = await start();
    const s = await session(em, ANNA.username, ANNA.password);
    const row = (await store(em, s, "UserCalendar", range("2026-04-30", "2026-05-04"))).json?.rows[0];
    const days = row.weeks.flatMap((w: any) => w.days.map((d: any) => d.regday));
    expect(days).toEqual(eachDay({ from: "2026-04-27", to: "2026-05-10" }));
    expect(row.weeks.map((w: any) => w.weeknr)).toEqual([18, 19]);
    const mayDay = row.weeks[0].days.find((d: any) => d.regday === "2026-05-01");
    expect(mayDay).toMatchObject({ holiday: true, stdtime: 0, projectregistrations: [] });
  });
});

/** TimeInfo figures computed here independently from the seed, in minutes. */
function expectedFigures(seed: MilltimeSeed, userId: string, from: string, to: string) {
  const user = seed.users.find((u) => u.userId === userId)!;
  const day = (d: string) => {
    if (d < user.startDate || (user.endDate !== null && d > user.endDate)) return { std: 0, worked: 0, absence: 0 };
    const override = seed.schedule.find((s) => s.userId === userId && s.date === d);
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    const std = Math.round((override ? (override.hours ?? 0) : dow === 0 || dow === 6 ? 0 : user.hoursPerDay) * 60);
    const worked = seed.registrations.filter((r) => r.userId === userId && r.date === d).reduce((s, r) => s + Math.round(r.hours * 60) + (r.minutes ?? 0), 0);
    const absence = seed.absences.filter((a) => a.userId === userId && a.date === d).reduce((s, a) => s + Math.round(a.hours * 60), 0);
    return { std, worked, absence };
  };
  let before = Math.round(user.flexOpeningBalance * 60);
  for (let d = user.startDate; d < from; d = addDays(d, 1)) {
    const x = day(d);
    before += x.worked + x.absence - x.std;
  }
  const sums = eachDay({ from, to }).map(day).reduce((a, x) => ({ std: a.std + x.std, worked: a.worked + x.worked, absence: a.absence + x.absence }), { std: 0, worked: 0, absence: 0 });
  const covered = sums.worked + sums.absence;
  return {
    ScheduledPeriodTime: sums.std / 60,
    WorkedPeriodTime: sums.worked / 60,
    AbsencePeriodTime: sums.absence / 60,
    WorkedPeriodWithAbsenceTime: covered / 60,
    PeriodTimeLeft: Math.max(0, sums.std - covered) / 60,
    FlexTimePeriodExcl: (sums.worked - sums.std) / 60,
    FlexTimePeriodIncl: (covered - sums.std) / 60,
    FlexTimePreviousPeriod: before / 60,
    FlexWithdrawal: 0,
    FlexTimeCurrent: (before + covered - sums.std) / 60,
    Overtimes: null,
    MTInfoDetailRow: [],
  };
}

describe("Milltime emulator: TimeInfo is computed from registrations, schedule and absence", () => {
  const seed = milltimeSeedSchema.parse(JSON.parse(JSON.stringify(tinySeed())));

  it.each([
    ["a week with a holiday, null minutes and an unknown attest level", "2026-02-02", "2026-02-08"],
    ["a week with absence", "2026-02-09", "2026-02-15"],
    ["a month", "2026-02-01", "2026-02-28"],
    ["a single day before any registration", "2026-01-15", "2026-01-15"],
  ])("for %s", async (_name, from, to) => {
    const em = await start({ seed: tinySeed() });
    const s = await session(em, SVEN.username, SVEN.password);
    const row = (await store(em, s, "TimeInfo", range(from, to))).json?.rows[0];
    const expected = expectedFigures(seed, "301", from, to);
    for (const [key, value] of Object.entries(expected)) {
      if (typeof value === "number") expect(row[key], key).toBeCloseTo(value, 9);
      else expect(row[key], key).toEqual(value);
    }
  });

  it("carries the flex balance from one period into the next and matches the day flexdiff", async () => {
    const em = await start();
    const s = await session(em, MARIA.username, MARIA.password);
    const march = (await store(em, s, "TimeInfo", range("2026-03-01", "2026-03-31"))).json?.rows[0];
    const april = (await store(em, s, "TimeInfo", range("2026-04-01", "2026-04-30"))).json?.rows[0];
    expect(april.FlexTimePreviousPeriod).toBeCloseTo(march.FlexTimeCurrent, 9);
    expect(april.AbsencePeriodTime).toBeGreaterThan(0);
    expect(april.WorkedPeriodTime).toBe(0);
    const calendar = (await store(em, s, "UserCalendar", range("2026-03-01", "2026-03-31"))).json?.rows[0];
    const dayFlex = calendar.weeks
      .flatMap((w: any) => w.days)
      .filter((d: any) => d.regday.startsWith("2026-03"))
      .reduce((sum: number, d: any) => sum + d.flexdiff.hh * 60 + d.flexdiff.mm, 0);
    expect(dayFlex / 60).toBeCloseTo(march.FlexTimePeriodIncl, 9);
  });
});

describe("Milltime emulator: write stores exist and are logged", () => {
  const create = { userid: "301", projectid: "300000000000000001", activity: "200000000000000001", regday: "2026-02-10", weekNumber: 7, usernote: "Ny", projtime: "01:30", inputtime: "01:30" };

  it("creates, edits and deletes a registration on an open day", async () => {
    const em = await start({ seed: tinySeed() });
    const s = await session(em, SVEN.username, SVEN.password);
    const created = await store(em, s, "ProjectRegistrationReact", undefined, "POST", create);
    expect(created.json?.success).toBe(true);
    const id = created.json?.rows[0].projectregistrationid as string;
    expect(created.json?.rows[0]).toMatchObject({ projtimehh: 1, projtimemm: 30, usernote: "Ny", regday: "2026-02-10" });
    const edited = await store(em, s, "ProjectRegistrationReact", [["ProjectRegistrationId", "=", id]], "PUT", { ...create, projectregistrationid: id, projtime: "02:00" });
    expect(edited.json?.rows[0]).toMatchObject({ projtimehh: 2, projtimemm: 0 });
    const deleted = await store(em, s, "ProjectRegistrationReact", [["ProjectRegistrationId", "=", id], ["TimeDistributionType", "=", "NORMALTIME"]], "DELETE");
    expect(deleted.json?.success).toBe(true);
    expect(em.state.findRegistration(id)).toBeUndefined();
    expect(em.writeLog.map((w) => [w.method, w.store, w.outcome])).toEqual([
      ["POST", "ProjectRegistrationReact", "ok"],
      ["PUT", "ProjectRegistrationReact", "ok"],
      ["DELETE", "ProjectRegistrationReact", "ok"],
    ]);
  });

  it("refuses writes on attested days", async () => {
    const em = await start({ seed: tinySeed() });
    const s = await session(em, SVEN.username, SVEN.password);
    const reply = await store(em, s, "ProjectRegistrationReact", undefined, "POST", { ...create, regday: "2026-02-02" });
    expect(reply.json).toEqual({ rows: [], success: false, message: "2026-02-02 is attested" });
    expect(em.writeLog).toMatchObject([{ method: "POST", outcome: "refused" }]);
  });

  it("runs Milltime's own timer: start, read, save as a registration", async () => {
    const clock = mutableClock("2026-02-11T07:00:00Z");
    const em = await start({ seed: tinySeed(), clock });
    const s = await session(em, SVEN.username, SVEN.password);
    const started = await store(em, s, "TimerRegistration", [["UserId", "=", "301"], ["ProjectId", "=", "300000000000000001"], ["Activity", "=", "200000000000000001"]], "POST", { usernote: "Timer" });
    expect(started.json?.success).toBe(true);
    clock.advance(95 * 60_000);
    expect((await store(em, s, "TimerRegistration")).json?.rows[0]).toMatchObject({ hours: 1, minutes: 35, difference: "01:35:00" });
    const saved = await store(em, s, "TimerRegistration", undefined, "PUT", { usernote: "Klar" });
    expect(saved.json?.rows[0].projectregistration).toMatchObject({ regday: "2026-02-11", projtimehh: 1, projtimemm: 35, usernote: "Klar" });
    expect((await store(em, s, "TimerRegistration")).json).toEqual({ rows: [], success: true });
    expect(em.writeLog.map((w) => `${w.method} ${w.store}`)).toEqual(["POST TimerRegistration", "PUT TimerRegistration"]);
  });
});

describe("Milltime emulator: faults", () => {
  it("applies the shared transport faults and the store reply faults", async () => {
    const em = await start({ faults: { errorRate: 1 } });
    const first = await request(`${em.milltimeUrl}/api/login`, { method: "POST" });
    expect([502, 503, 504]).toContain(first.statusCode);
    expect(await first.body.text()).toContain("<html>");
    em.setFaults({});
    em.setStoreFault("ProjectSearchMT", "xml");
    const s = await session(em, ANNA.username, ANNA.password);
    const reply = await store(em, s, "ProjectSearchMT", [["View", "=", "Overview"]]);
    expect(reply.text.startsWith("<?xml")).toBe(true);
    em.setStoreFault("ProjectSearchMT", undefined);
    expect((await store(em, s, "ProjectSearchMT", [["View", "=", "Overview"]])).json?.success).toBe(true);
  });

  it("dumps its state as a seed that parses again", async () => {
    const em = await start({ seed: tinySeed() });
    expect(milltimeSeedSchema.parse(em.dump()).registrations).toHaveLength(5);
  });
});
