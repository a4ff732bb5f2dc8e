import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { instantAt } from "../../src/domain/calendar.js";
import type { CreateTimeEntryRequest } from "../../src/domain/time-entry.js";
import { createKleerAdapter } from "../../src/kleer/index.js";
import { startKit } from "./kleer-test-kit.js";

const MAY = { from: "2026-05-01", to: "2026-05-31" };
const WEEK19 = { from: "2026-05-04", to: "2026-05-10" };
const WEEK20 = { from: "2026-05-11", to: "2026-05-17" };

async function failure(fn: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected a failure");
}

const create = (over: Partial<CreateTimeEntryRequest> = {}): CreateTimeEntryRequest => ({
  projectId: "880022",
  projectName: "Kundportal Västra Götaland",
  activityId: "44310",
  activityName: "Utveckling",
  startTime: "2026-05-19T07:00:00Z",
  endTime: "2026-05-19T08:30:00Z",
  note: "Felsökning",
  ...over,
});

describe("Kleer adapter: reading", () => {
  it("lists a user's entries with names from the lookups, note fallback, statuses and week numbers", async () => {
    const { adapter, logger } = await startKit();
    const listing = await adapter.listTimeEntries(MAY);
    expect(listing.entries.map((e) => [e.registrationId, e.projectName, e.activityName, e.date, e.hours, e.note, e.lock])).toEqual([
      ["7001201", "Intranät förnyelse", "Utveckling", "2026-05-04", 6.5, "Sprintplanering och backlog", { kind: "status", status: "approved" }],
      ["7001202", "Kundportal Västra Götaland", "Möten", "2026-05-04", 1.5, "Kundmöte", { kind: "status", status: "approved" }],
      ["7001203", "Intranät förnyelse", "Utveckling", "2026-05-05", 8, "missing note", { kind: "status", status: "approved" }],
      ["7001204", "Internt", "Support", "2026-05-11", 2.25, "Driftstörning mejl", { kind: "status", status: "open" }],
      // An inactive project still names its old entries (names come from the all-projects list).
      ["7001205", "Gammalt ramavtal", "Projektledning", "2026-05-12", 0.75, "Avslut gammalt avtal", { kind: "status", status: "open" }],
    ]);
    expect(listing.entries[0]).toMatchObject({ weekNumber: 19, startTime: null, endTime: null, foreignId: "toki-5512-880021-44310-1777878000000000000" });
    expect(listing.entries[3]?.foreignId).toBeUndefined();
    expect(listing.skipped.map((s) => [s.registrationId, s.reason])).toEqual([
      ["7001206", "projectless"],
      ["7001207", "unknown_project"],
      ["7001208", "unknown_activity"],
    ]);
    expect(logger.lines.filter((l) => l.level === "warn").map((l) => l.fields?.registrationId)).toEqual(["7001207", "7001208"]);
    expect(await adapter.getTimeEntries(MAY)).toEqual(listing.entries);
  });

  it("falls back from the event status to the day status (later row wins) and then to open", async () => {
    const event = (id: number, date: string) => ({ id: { id }, user: { id: 5512 }, activity: { id: 44310 }, "client-project": { id: 880022 }, date, hours: 1 });
    const { adapter } = await startKit({
      overrides: [
        http.get("*/company/:companyId/event", () =>
          HttpResponse.json({ "event-readables": [event(1, "2026-05-06"), event(2, "2026-05-07"), { ...event(3, "2026-05-06"), status: { type: "OPEN" } }] }),
        ),
        http.get("*/company/:companyId/event/statuses", () =>
          HttpResponse.json({
            "event-restriction-readables": [
              { status: { type: "APPROVED", "event-date": "2026-05-06" } },
              { status: { type: "Certified", "event-date": "2026-05-06" } },
              { status: { type: "APPROVED" } },
            ],
          }),
        ),
      ],
    });
    const entries = await adapter.getTimeEntries(MAY);
    expect(entries.map((e) => [e.registrationId, e.lock])).toEqual([
      ["1", { kind: "status", status: "certified" }],
      ["2", { kind: "status", status: "open" }],
      ["3", { kind: "status", status: "open" }],
    ]);
  });

  it("lists day statuses of a range (dates with a record only)", async () => {
    const { adapter } = await startKit();
    expect(await adapter.getTimeEntryDayStatuses(MAY)).toEqual([
      { date: "2026-05-01", status: "approved" },
      { date: "2026-05-04", status: "approved" },
      { date: "2026-05-05", status: "approved" },
      { date: "2026-05-06", status: "certified" },
    ]);
  });

  it("lists visible projects only, with the number as code", async () => {
    const kit = await startKit();
    expect(await kit.adapter.getProjects()).toEqual([
      { id: "880021", name: "Intranät förnyelse", code: "P-1042" },
      { id: "880022", name: "Kundportal Västra Götaland", code: "P-1057" },
      { id: "880023", name: "Internt" },
    ]);
    const anna = createKleerAdapter({ client: kit.client, kleerUserId: 5513, lookups: kit.lookups });
    expect((await anna.getProjects()).map((p) => p.id)).toEqual(["880021", "880022"]);
  });

  const truthTable = [
    { row: "all-activities → A", userId: 5512, projectId: "880022", activities: ["44310", "44311", "44312", "44313", "44314"] },
    { row: "P non-empty, U none → P", userId: 5512, projectId: "880021", activities: ["44310", "44311", "44312"] },
    { row: "P non-empty, U non-empty → P ∩ U", userId: 5513, projectId: "880021", activities: ["44311"] },
    { row: "P empty, U non-empty → U", userId: 5512, projectId: "880023", activities: ["44313"] },
    { row: "P empty, U none → ∅", userId: 5514, projectId: "880023", activities: [] },
  ];
  it.each(truthTable)("getActivities follows the truth table: $row", async ({ userId, projectId, activities }) => {
    const kit = await startKit({ kleerUserId: userId });
    const listed = await kit.adapter.getActivities(projectId, MAY);
    expect(listed.map((a) => a.id)).toEqual(activities);
    expect(listed.every((a) => a.projectId === projectId)).toBe(true);
  });

  it("answers PROJECT_NOT_FOUND for activities of a project the user cannot see", async () => {
    const { adapter } = await startKit({ kleerUserId: 5513 });
    expect(await failure(() => adapter.getActivities("880023", MAY))).toMatchObject({ code: "PROJECT_NOT_FOUND" });
    expect(await failure(() => adapter.getActivities("880024", MAY))).toMatchObject({ code: "PROJECT_NOT_FOUND" });
  });

  it("fetches the company lookups once per lookups instance, shared by many adapters", async () => {
    const kit = await startKit();
    const adapters = [kit.adapter, ...[5513, 5514].map((kleerUserId) => createKleerAdapter({ client: kit.client, kleerUserId, lookups: kit.lookups }))];
    await Promise.all(adapters.flatMap((a) => [a.listTimeEntries(MAY), a.getProjects(), a.getActivities("880022", MAY)]));
    await Promise.all(adapters.map((a) => a.listTimeEntries(WEEK20)));
    const urls = kit.emulator.requestLog.map((r) => r.url.replace(/^\/v1/, ""));
    expect(urls.filter((u) => u === "/company/4875/client-project")).toHaveLength(1);
    expect(urls.filter((u) => u === "/company/4875/client-project?filter=active")).toHaveLength(1);
    expect(urls.filter((u) => u === "/company/4875/activity")).toHaveLength(1);
  });

  it("reads the whole asked range in one request per endpoint (up to the span) and filters nothing away", async () => {
    const { adapter, served, emulator } = await startKit();
    const listing = await adapter.listTimeEntries({ from: "2026-04-20", to: "2026-06-10" });
    expect(listing.entries.map((e) => e.registrationId)).toEqual(["7001201", "7001202", "7001203", "7001204", "7001205", "7001209"]);
    const eventUrls = emulator.requestLog.filter((r) => r.url.includes("/event?")).map((r) => new URL(r.url, "http://x").searchParams);
    expect(eventUrls.map((q) => [q.get("startDate"), q.get("endDate")])).toEqual([["2026-04-20", "2026-06-10"]]);
    const counts = served().reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {});
    expect(counts).toEqual({
      "GET /company/4875/event": 1,
      "GET /company/4875/event/statuses": 1,
      "GET /company/4875/client-project": 1,
      "GET /company/4875/activity": 1,
    });
  });

  it("splits a range longer than the configured span into consecutive spans and merges them to the same listing", async () => {
    const { adapter, emulator } = await startKit({ adapter: { maxSpanMonths: 1 } });
    const listing = await adapter.listTimeEntries({ from: "2026-04-20", to: "2026-06-10" });
    expect(listing.entries.map((e) => e.registrationId)).toEqual(["7001201", "7001202", "7001203", "7001204", "7001205", "7001209"]);
    const spans = (path: string, from: string, to: string) =>
      emulator.requestLog
        .filter((r) => r.url.includes(path))
        .map((r) => new URL(r.url, "http://x").searchParams)
        .map((q) => [q.get(from), q.get(to)]);
    const expected = [
      ["2026-04-20", "2026-05-19"],
      ["2026-05-20", "2026-06-10"],
    ];
    expect(spans("/event?", "startDate", "endDate")).toEqual(expected);
    expect(spans("/event/statuses?", "fromDate", "toDate")).toEqual(expected);
  });
});

describe("Kleer adapter: chunk merging", () => {
  it("counts an event once even if Kleer returned it for two month chunks", async () => {
    const row = { id: { id: 1 }, user: { id: 5512 }, activity: { id: 44310 }, "client-project": { id: 880022 }, date: "2026-05-31", hours: 2 };
    const { adapter } = await startKit({
      overrides: [http.get("*/company/:companyId/event", () => HttpResponse.json({ "event-readables": [row] }))],
    });
    const range = { from: "2026-05-25", to: "2026-06-07" };
    expect((await adapter.getTimeEntries(range)).map((e) => e.registrationId)).toEqual(["1"]);
    expect((await adapter.getTimeInfo(range)).workedHours).toBe(2);
  });
});

describe("Kleer adapter: weekly stats", () => {
  it("computes worked, scheduled, absence and the derived figures for one range", async () => {
    const { adapter } = await startKit();
    expect(await adapter.getTimeInfo(WEEK19)).toEqual({
      workedHours: 16,
      scheduledHours: 40,
      absenceHours: 11.5,
      coveredHours: 27.5,
      remainingHours: 12.5,
      periodFlexHours: -12.5,
    });
  });

  it("counts unknown-project and unknown-activity events as worked, projectless ones not", async () => {
    const { adapter } = await startKit();
    expect(await adapter.getTimeInfo(WEEK20)).toMatchObject({ workedHours: 6.5, scheduledHours: 0, remainingHours: 0, periodFlexHours: 6.5 });
  });

  it("gives a user without payroll zero scheduled and zero absence instead of an error", async () => {
    const { adapter } = await startKit({ kleerUserId: 5514 });
    expect(await adapter.getTimeInfo(MAY)).toEqual({
      workedHours: 4,
      scheduledHours: 0,
      absenceHours: 0,
      coveredHours: 4,
      remainingHours: 0,
      periodFlexHours: 4,
    });
  });

  it("fetches many periods with one request per endpoint for their span and sums each period locally", async () => {
    const { adapter, served } = await startKit();
    const periods = [WEEK19, WEEK20, { from: "2026-05-25", to: "2026-05-31" }, { from: "2026-06-01", to: "2026-06-07" }];
    const stats = await adapter.getWeeklyStatsForPeriods(periods);
    expect(stats.map((s) => s.workedHours)).toEqual([16, 6.5, 0, 2]);
    const counts = served()
      .map((r) => r.replace(/\/\d{4}-\d{2}-\d{2}/g, "/{d}"))
      .sort();
    expect(counts).toEqual([
      "GET /company/4875/event",
      "GET /company/4875/payroll/user/5512/event/from/{d}/to/{d}",
      "GET /company/4875/payroll/user/5512/schedule/{d}/to/{d}",
    ]);
    expect(stats[0]).toEqual(await adapter.getTimeInfo(WEEK19));
    expect(await adapter.getWeeklyStatsForPeriods([])).toEqual([]);
  });

  it("skips spans that hold no period", async () => {
    const periods = [{ from: "2026-01-05", to: "2026-01-11" }, { from: "2026-05-04", to: "2026-05-10" }];
    const one = await startKit();
    await one.adapter.getWeeklyStatsForPeriods(periods);
    expect(one.served().filter((r) => r === "GET /company/4875/event")).toHaveLength(1);
    // Monthly spans from 2026-01-05: Jan 5–Feb 4 and Apr 5–May 4, May 5–Jun 4 hold a period; the two between do not.
    const monthly = await startKit({ adapter: { maxSpanMonths: 1 } });
    const stats = await monthly.adapter.getWeeklyStatsForPeriods(periods);
    expect(stats).toEqual(await one.adapter.getWeeklyStatsForPeriods(periods));
    expect(monthly.served().filter((r) => r === "GET /company/4875/event")).toHaveLength(3);
  });
});

describe("Kleer adapter: writing", () => {
  it("creates an event on the local registration day with the generated foreign id and unrounded hours", async () => {
    const { adapter, state } = await startKit();
    const start = instantAt("2026-06-01", "01:30", "Europe/Stockholm");
    const id = await adapter.createTimeEntry(create({ startTime: start, endTime: "2026-06-01T00:10:00Z", note: "   " }));
    expect(id).toBe("7001402");
    expect(state.event(Number(id))).toEqual({
      id: 7001402,
      userId: 5512,
      activityId: 44310,
      projectId: 880022,
      date: "2026-06-01",
      hours: 2400 / 3600,
      comment: "missing note",
      internalComment: "missing note",
      foreignId: "toki-5512-880022-44310-1780270200000000000",
      status: "open",
      invoiceable: true,
    });
    const next = await adapter.createTimeEntry(create({ foreignId: "milltime:400000000000999999" }));
    expect(Number(next)).toBeGreaterThan(Number(id));
    expect(state.event(Number(next))?.foreignId).toBe("milltime:400000000000999999");
  });

  it("refuses a project the user cannot see and an activity the project does not allow", async () => {
    const { adapter, served } = await startKit();
    expect(await failure(() => adapter.createTimeEntry(create({ projectId: "880024" })))).toMatchObject({ code: "PROJECT_NOT_FOUND" });
    expect(await failure(() => adapter.createTimeEntry(create({ projectId: "abc" })))).toMatchObject({ code: "PROJECT_NOT_FOUND" });
    expect(await failure(() => adapter.createTimeEntry(create({ projectId: "880021", activityId: "44313" })))).toMatchObject({
      code: "ACTIVITY_NOT_ALLOWED",
    });
    expect(served().filter((r) => r.startsWith("PUT"))).toEqual([]);
  });

  it("refuses to write on an approved or certified day", async () => {
    const { adapter, state, served } = await startKit();
    const onMay4 = create({ startTime: "2026-05-04T12:00:00Z", endTime: "2026-05-04T13:00:00Z" });
    expect(await failure(() => adapter.createTimeEntry(onMay4))).toMatchObject({ code: "DATE_LOCKED", message: expect.stringContaining("2026-05-04 is approved") });
    state.setDayStatus(5512, { from: "2026-05-19", to: "2026-05-19" }, "certified");
    expect(await failure(() => adapter.createTimeEntry(create()))).toMatchObject({ code: "DATE_LOCKED" });
    state.setDayStatus(5512, { from: "2026-05-19", to: "2026-05-19" }, "open");
    expect(await adapter.createTimeEntry(create())).toMatch(/^\d+$/);
    expect(served().filter((r) => r.startsWith("PUT"))).toHaveLength(1);
  });

  it("edits in place with the full writable and returns the id Kleer answers", async () => {
    const { adapter, state, served } = await startKit();
    const id = await adapter.editTimeEntry({
      ...create({ projectId: "880023", activityId: "44313", startTime: "2026-05-11T06:00:00Z", endTime: "2026-05-11T09:00:00Z", note: "Driftstörning" }),
      registrationId: "7001204",
    });
    expect(id).toBe("7001204");
    expect(state.event(7001204)).toMatchObject({
      hours: 3,
      comment: "Driftstörning",
      internalComment: "Driftstörning",
      foreignId: "toki-5512-880023-44313-1778479200000000000",
    });
    expect(served()).toContain("GET /company/4875/event/7001204");
    expect(served()).toContain("POST /company/4875/event/7001204");
  });

  it("answers NOT_FOUND for another user's event, an unknown id and a non-numeric id, and writes nothing", async () => {
    const { adapter, state, served } = await startKit();
    const edit = (registrationId: string) => adapter.editTimeEntry({ ...create(), registrationId });
    const others = await failure(() => edit("7001301"));
    const missing = await failure(() => edit("123"));
    expect(others).toMatchObject({ code: "NOT_FOUND", message: "time entry 7001301 not found" });
    expect(missing).toMatchObject({ code: "NOT_FOUND", message: "time entry 123 not found" });
    expect(await failure(() => edit("x1"))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(() => adapter.deleteTimeEntry("7001301"))).toMatchObject({ code: "NOT_FOUND" });
    expect(state.event(7001301)).toMatchObject({ userId: 5513, hours: 1 });
    expect(served().filter((r) => !r.startsWith("GET"))).toEqual([]);
  });

  it("refuses to edit or delete a locked entry and to move an entry onto a locked day", async () => {
    const { adapter } = await startKit();
    expect(await failure(() => adapter.editTimeEntry({ ...create(), registrationId: "7001201" }))).toMatchObject({ code: "DATE_LOCKED" });
    expect(await failure(() => adapter.deleteTimeEntry("7001203"))).toMatchObject({ code: "DATE_LOCKED" });
    const toLockedDay = create({ projectId: "880023", activityId: "44313", startTime: "2026-05-06T06:00:00Z", endTime: "2026-05-06T07:00:00Z" });
    expect(await failure(() => adapter.editTimeEntry({ ...toLockedDay, registrationId: "7001204" }))).toMatchObject({
      code: "DATE_LOCKED",
      message: expect.stringContaining("2026-05-06 is certified"),
    });
  });

  it("deletes an own open entry", async () => {
    const { adapter, state } = await startKit();
    await adapter.deleteTimeEntry("7001204");
    expect(state.event(7001204)).toBeUndefined();
    expect(await failure(() => adapter.deleteTimeEntry("7001204"))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("checks its options at creation", async () => {
    const { client } = await startKit();
    expect(() => createKleerAdapter({ client, kleerUserId: 0 })).toThrow(expect.objectContaining({ code: "CONFIG" }));
    expect(() => createKleerAdapter({ client, kleerUserId: 1, timeZone: "Mars/Olympus" })).toThrow(expect.objectContaining({ code: "CONFIG" }));
  });
});
