import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inRange, isoWeekOf } from "../../src/domain/calendar.js";
import { InvalidResponseError, TokiError } from "../../src/domain/errors.js";
import { toAttestLevel } from "../../src/domain/lock-state.js";
import type { TimeTrackingWriter } from "../../src/domain/ports.js";
import type { DateRange, TimeEntry } from "../../src/domain/time-entry.js";
import type { RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { milltimeSeedSchema, smallCompanySeedPath } from "../../src/emulator/milltime/milltime-emulator-seed.js";
import { createMemoryRecorder } from "../../src/http/request-log.js";
import { createMilltimeClient, type MilltimeUserCredentials } from "../../src/milltime/milltime-client.js";
import { createMilltimeReader } from "../../src/milltime/milltime-reader.js";
import { ANNA, ERIK, LARS, MARIA, SVEN, tinySeed, useMilltimeEmulators } from "./milltime-test-support.js";

const start = useMilltimeEmulators();
const fixture = milltimeSeedSchema.parse(JSON.parse(readFileSync(smallCompanySeedPath(), "utf8")));

function liveReader(em: RunningMilltimeEmulator, credentials: MilltimeUserCredentials) {
  const recorder = createMemoryRecorder();
  const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials, recorder });
  return { reader: createMilltimeReader({ source: { kind: "live", client } }), client, recorder };
}

/** What the fixture says the listing must be, built without the reader's code. */
function expectedEntries(userId: string, range: DateRange): TimeEntry[] {
  const regs = fixture.registrations.filter((r) => r.userId === userId && inRange(r.date, range));
  regs.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return regs.map((r) => {
    const project = fixture.projects.find((p) => p.projectId === r.projectId)!;
    const activity = project.phases.flatMap((ph) => ph.activities).find((a) => a.activityId === r.activityId)!;
    return {
      registrationId: r.registrationId,
      projectId: r.projectId,
      projectName: project.name,
      activityId: r.activityId,
      activityName: activity.name,
      date: r.date,
      hours: r.hours + (r.minutes ?? 0) / 60,
      note: r.note ?? "",
      startTime: null,
      endTime: null,
      weekNumber: isoWeekOf(r.date),
      lock: { kind: "attestLevel", attestLevel: toAttestLevel(r.attestLevel) },
    };
  });
}

async function errorOf(promise: Promise<unknown>): Promise<TokiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TokiError);
  return error as TokiError;
}

const calendarFilters = (em: RunningMilltimeEmulator) =>
  em.requestLog
    .filter((r) => r.url.includes("/data/store/UserCalendar"))
    .map((r) => JSON.parse(new URL(`http://x${r.url}`).searchParams.get("filter") ?? "null") as unknown);

describe("Milltime reader: projects and activities", () => {
  it("lists member projects only, with projectnr as code when it is a non-empty string", async () => {
    const em = await start();
    expect(await liveReader(em, ANNA).reader.getProjects()).toEqual([
      { id: "300000000000241970", name: "Intranät förnyelse", code: "P-1042" },
      { id: "300000000000241983", name: "Kundportal Västra Götaland", code: "P-1057" },
      { id: "300000000000241996", name: "Intern administration" },
    ]);
    expect(await liveReader(em, ERIK).reader.getProjects()).toEqual([
      { id: "300000000000241970", name: "Intranät förnyelse", code: "P-1042" },
      { id: "300000000000241996", name: "Intern administration" },
      { id: "300000000000242009", name: "Drift och förvaltning" },
    ]);
  });

  it("names activities by activityname and ties them to the project asked for", async () => {
    const em = await start();
    expect(await liveReader(em, ANNA).reader.getActivities("300000000000241970", { from: "2026-05-01", to: "2026-05-31" })).toEqual([
      { id: "201201111420550010", name: "Utveckling", projectId: "300000000000241970" },
      { id: "201201111420550017", name: "Möte", projectId: "300000000000241970" },
      { id: "201201111420550024", name: "Projektledning", projectId: "300000000000241970" },
    ]);
  });

  it("applies Toki's one-phase rule: two phases → INVALID_RESPONSE, none → NOT_FOUND", async () => {
    const em = await start({ seed: tinySeed() });
    const { reader } = liveReader(em, SVEN);
    const feb = { from: "2026-02-01", to: "2026-02-28" };
    const two = await errorOf(reader.getActivities("300000000000000002", feb));
    expect([two.code, two.message]).toEqual(["INVALID_RESPONSE", "Milltime ProjectPhaseActivity of project 300000000000000002 2026-02-01..2026-02-28 for user sven: Expected exactly one row, got 2"]);
    expect((await errorOf(reader.getActivities("300000000000000003", feb))).code).toBe("NOT_FOUND");
  });
});

describe("Milltime reader: time entries", () => {
  it("splits a three-month range into one UserCalendar request per calendar month and merges them", async () => {
    const em = await start();
    const range = { from: "2026-03-10", to: "2026-05-20" };
    const entries = await liveReader(em, ANNA).reader.getTimeEntries(range);
    expect(calendarFilters(em)).toEqual([
      [["fromDate", "=", "2026-03-10"], ["toDate", "=", "2026-03-31"]],
      [["fromDate", "=", "2026-04-01"], ["toDate", "=", "2026-04-30"]],
      [["fromDate", "=", "2026-05-01"], ["toDate", "=", "2026-05-20"]],
    ]);
    expect(entries).toEqual(expectedEntries("201", range));
    // Week 14 (30 Mar – 5 Apr) is answered by both the March and the April request, yet listed once.
    expect(new Set(entries.map((e) => e.registrationId)).size).toBe(entries.length);
  });

  it("reads a range inside one month with one request, keeping only the days asked for", async () => {
    const em = await start({ seed: tinySeed() });
    const entries = await liveReader(em, SVEN).reader.getTimeEntries({ from: "2026-02-03", to: "2026-02-04" });
    expect(calendarFilters(em)).toHaveLength(1);
    expect(entries.map((e) => e.registrationId)).toEqual(["400000000000000002", "400000000000000003"]);
  });

  it("maps null minutes, null notes, fractional hours and every attest level", async () => {
    const em = await start({ seed: tinySeed() });
    const entries = await liveReader(em, SVEN).reader.getTimeEntries({ from: "2026-02-01", to: "2026-02-28" });
    expect(entries.map((e) => [e.registrationId, e.hours, e.note, e.lock, e.weekNumber])).toEqual([
      ["400000000000000001", 7.5, "Startmöte", { kind: "attestLevel", attestLevel: 2 }, 6],
      ["400000000000000002", 8, "", { kind: "attestLevel", attestLevel: 0 }, 6],
      ["400000000000000003", 6.75, "Bygg", { kind: "attestLevel", attestLevel: 1 }, 6],
      ["400000000000000004", 2.25, "", { kind: "attestLevel", attestLevel: 0 }, 6],
      ["400000000000000005", 5, "Eftermiddag", { kind: "attestLevel", attestLevel: 0 }, 6],
    ]);
    const fixtureFractional = await liveReader(em, SVEN).reader.getTimeEntries({ from: "2026-02-05", to: "2026-02-05" });
    expect(fixtureFractional).toHaveLength(2);
  });

  it("reads the fixture's fractional projtimehh with null minutes and its unknown attest level 3", async () => {
    const em = await start();
    const anna = await liveReader(em, ANNA).reader.getTimeEntries({ from: "2026-03-04", to: "2026-03-04" });
    expect(anna.find((e) => e.registrationId === "400000000000123461")?.hours).toBe(1.5);
    const erik = await liveReader(em, ERIK).reader.getTimeEntries({ from: "2026-05-05", to: "2026-05-05" });
    expect(fixture.registrations.filter((r) => r.userId === "202" && r.date === "2026-05-05").map((r) => r.attestLevel)).toContain(3);
    expect(erik.map((e) => e.lock)).toEqual(expectedEntries("202", { from: "2026-05-05", to: "2026-05-05" }).map((e) => e.lock));
    expect(erik.some((e) => e.lock.kind === "attestLevel" && e.lock.attestLevel === 0)).toBe(true);
  });

  it("returns empty listings for empty calendars (before employment, a month of leave)", async () => {
    const em = await start();
    expect(await liveReader(em, LARS).reader.listTimeEntries({ from: "2026-03-01", to: "2026-04-30" })).toEqual({ entries: [], skipped: [] });
    expect(await liveReader(em, MARIA).reader.getTimeEntries({ from: "2026-04-01", to: "2026-04-30" })).toEqual([]);
  });

  it("rejects a reversed or malformed range", async () => {
    const em = await start();
    const { reader } = liveReader(em, ANNA);
    expect((await errorOf(reader.getTimeEntries({ from: "2026-05-31", to: "2026-05-01" }))).code).toBe("USAGE");
    expect((await errorOf(reader.getTimeInfo({ from: "2026-05-01", to: "31/05/2026" }))).code).toBe("USAGE");
  });
});

describe("Milltime reader: malformed replies become clear per-user errors", () => {
  const breakSven = (change: (reg: Record<string, unknown>, day: Record<string, unknown>) => void) => (body: { rows: unknown[] }) => {
    for (const row of body.rows as Array<{ weeks: Array<{ days: Array<Record<string, unknown> & { projectregistrations: Array<Record<string, unknown>> }> }> }>) {
      for (const week of row.weeks) for (const day of week.days) for (const reg of day.projectregistrations) if (reg.projectregistrationid === "400000000000000003") change(reg, day);
    }
    return body;
  };

  it("names the user, the day and the field of a registration with a wrong type", async () => {
    const em = await start({ seed: tinySeed() });
    em.setReplyTransform("UserCalendar", breakSven((reg) => void (reg.projtimemm = "45")));
    const error = await errorOf(liveReader(em, SVEN).reader.getTimeEntries({ from: "2026-02-01", to: "2026-02-28" }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).fieldPath).toBe("rows[0].weeks[1].days[2].projectregistrations[0].projtimemm");
    expect(error.message).toMatch(/^Milltime UserCalendar 2026-02-01\.\.2026-02-28 for user sven, day 2026-02-04: rows\[0\]\.weeks\[1\]\.days\[2\]\.projectregistrations\[0\]\.projtimemm: .*expected number/);
  });

  it("names a registration day that is not a date", async () => {
    const em = await start({ seed: tinySeed() });
    em.setReplyTransform("UserCalendar", breakSven((reg) => void (reg.regday = "2026-02-30")));
    const error = await errorOf(liveReader(em, SVEN).reader.getTimeEntries({ from: "2026-02-01", to: "2026-02-28" }));
    expect(error.message).toContain("day 2026-02-30: rows[0].weeks[1].days[2].projectregistrations[0].regday: expected a real date in YYYY-MM-DD form");
  });

  it("fails only the affected user: another user's reader on the same Milltime keeps working", async () => {
    const em = await start({ seed: tinySeed() });
    em.setReplyTransform("UserCalendar", breakSven((_reg, day) => void (day.attestlevel = null)));
    const error = await errorOf(liveReader(em, SVEN).reader.getTimeEntries({ from: "2026-02-01", to: "2026-02-28" }));
    expect(error.message).toContain("rows[0].weeks[1].days[2].attestlevel");
    await expect(liveReader(em, { username: "ebba", password: "ebba-Lösen-2", instanceId: "000999.1" }).reader.getTimeEntries({ from: "2026-02-01", to: "2026-02-28" })).resolves.toEqual([]);
  });

  it("turns success:false and zero-row replies into typed errors", async () => {
    const em = await start({ seed: tinySeed(), storeFaults: { ProjectSearchMT: "success-false", TimeInfo: "zero-rows" } });
    const { reader } = liveReader(em, SVEN);
    expect((await errorOf(reader.getProjects())).code).toBe("PROVIDER_ERROR");
    expect((await errorOf(reader.getTimeInfo({ from: "2026-02-01", to: "2026-02-28" }))).code).toBe("NOT_FOUND");
  });
});

describe("Milltime reader: statistics", () => {
  it("maps every TimeInfo field, asking for the period as one request (no month split)", async () => {
    const em = await start();
    const info = await liveReader(em, ANNA).reader.getTimeInfo({ from: "2026-03-01", to: "2026-05-31" });
    expect(em.requestLog.filter((r) => r.url.includes("TimeInfo"))).toHaveLength(1);
    expect(info).toEqual({
      periodTimeLeft: 488 - 487.5,
      workedPeriodTime: 175.25 + 120.75 + 151.5,
      scheduledPeriodTime: 176 + 160 + 152,
      workedPeriodWithAbsenceTime: 175.25 + 120.75 + 151.5 + 40,
      flexTimeCurrent: 2.5 - 0.75 + 0.75 - 0.5,
      flexTimePreviousPeriod: 2.5,
      flexTimePeriodExcl: 175.25 + 120.75 + 151.5 - 488,
      flexTimePeriodIncl: -0.5,
      flexWithdrawal: 0,
      absencePeriodTime: 40,
    });
  });
});

describe("Milltime reader: read-only", () => {
  it("reads every method over a range with only the two login POSTs and GETs on the four read stores", async () => {
    const em = await start();
    const { reader, recorder, client } = liveReader(em, ANNA);
    const range = { from: "2026-03-01", to: "2026-05-31" };
    for (const project of await reader.getProjects()) await reader.getActivities(project.id, range);
    await reader.getTimeEntries(range);
    await reader.listTimeEntries(range);
    await reader.getTimeInfo(range);
    await reader.getTimeInfo({ from: "2026-05-11", to: "2026-05-17" });
    await client.close();

    const allowed = new Set([
      "POST /api/login",
      "GET /data/store/ProjectSearchMT?filter={filter}",
      "GET /data/store/ProjectPhaseActivity?filter={filter}",
      "GET /data/store/UserCalendar?filter={filter}",
      "GET /data/store/TimeInfo?filter={filter}",
    ]);
    const sent = recorder.records.map((r) => `${r.method} ${r.route}`);
    expect(sent.filter((s) => !allowed.has(s))).toEqual([]);
    expect(sent.filter((s) => s === "POST /api/login")).toHaveLength(2);
    expect(new Set(sent)).toEqual(allowed);
    // The emulator saw the same: no write method on any store, nothing in its write log.
    expect(em.requestLog.filter((r) => r.method !== "GET" && !r.url.endsWith("/api/login"))).toEqual([]);
    expect(em.requestLog.filter((r) => /ProjectRegistrationReact|TimerRegistration/.test(r.url))).toEqual([]);
    expect(em.writeLog).toEqual([]);
    expect(em.requestLog.every((r) => r.status === 200)).toBe(true);
  });

  it("has no write path in its type", async () => {
    const em = await start();
    const { reader, client } = liveReader(em, ANNA);
    // @ts-expect-error the Milltime reader does not implement the writer port
    const writer: TimeTrackingWriter = reader;
    // @ts-expect-error the Milltime client has no method for a write store
    expect(client.createRegistration).toBeUndefined();
    const refused = await client.fetchStore({ store: "ProjectRegistrationReact" as never, filter: [] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "REFUSED" });
    expect(em.requestLog).toEqual([]);
    expect(Object.keys(writer).sort()).toEqual(["getActivities", "getProjects", "getTimeEntries", "getTimeInfo", "listTimeEntries"]);
  });
});
