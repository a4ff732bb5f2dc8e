import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, TokiError } from "../../src/domain/errors.js";
import type { Logger } from "../../src/domain/ports.js";
import { createFileHistorySource } from "../../src/history/file-history-source.js";
import { readAllTimerHistory } from "../../src/history/history-source.js";
import { openTimerHistorySource } from "../../src/history/open-history-source.js";
import { createPostgresHistorySource } from "../../src/history/postgres-history-source.js";
import { SecretRedactor } from "../../src/http/redact.js";
import {
  applyTokiSchema,
  createTempDatabase,
  describeWithPostgres,
  insertTimerHistory,
  insertTokiUser,
  probePostgres,
  withClient,
  withTempDatabase,
  type TempDatabase,
} from "../helpers/postgres.js";

const probe = await probePostgres();

function pageLogger(): Logger & { pages: Array<{ afterId: unknown; rows: unknown }> } {
  const pages: Array<{ afterId: unknown; rows: unknown }> = [];
  return {
    pages,
    debug(message, fields) {
      if (message === "timer_history page") pages.push({ afterId: fields?.afterId, rows: fields?.rows });
    },
    info() {},
    warn() {},
  };
}

function hasPsql(): boolean {
  try {
    execFileSync("psql", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describeWithPostgres("PostgreSQL timer-history source (Toki's real schema)", probe, (adminUrl) => {
  let db: TempDatabase;
  const ids: Record<string, number> = {};
  const users: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTempDatabase(adminUrl);
    await applyTokiSchema(db.url);
    await withClient(db.url, async (client) => {
      users.anna = await insertTokiUser(client, "anna@example.com");
      users.bo = await insertTokiUser(client, "Bo.Berg@Example.com");
      users.cia = await insertTokiUser(client, "cia@example.com");
      const project = { projectId: "300000000000241970", projectName: "Intranät", activityId: "201201111420550010", activityName: "Utveckling" };
      ids.plain = await insertTimerHistory(client, { userId: users.anna, startTime: "2026-03-10T08:00:00Z", endTime: "2026-03-10T09:30:00Z", registrationId: "400000000000000001", note: "Sprint planning", ...project });
      ids.running = await insertTimerHistory(client, { userId: users.anna, startTime: "2026-03-31T07:00:00Z", endTime: null, registrationId: null, note: "" });
      ids.unsaved = await insertTimerHistory(client, { userId: users.anna, startTime: "2026-03-11T08:00:00Z", endTime: "2026-03-11T08:20:00Z", registrationId: null, ...project });
      // Stockholm leaves CET for CEST on 2026-03-29 at 02:00 local (01:00Z).
      ids.beforeDst = await insertTimerHistory(client, { userId: users.bo, startTime: "2026-03-28T22:30:00Z", endTime: "2026-03-28T23:00:00Z", registrationId: "400000000000000002" });
      ids.dstDay = await insertTimerHistory(client, { userId: users.bo, startTime: "2026-03-29T00:30:00Z", endTime: "2026-03-29T02:30:00Z", registrationId: "400000000000000003" });
      ids.afterDst = await insertTimerHistory(client, { userId: users.bo, startTime: "2026-03-29T22:30:00Z", endTime: "2026-03-29T23:00:00Z", registrationId: "400000000000000004" });
      ids.backwards = await insertTimerHistory(client, { userId: users.cia, startTime: "2026-03-12T10:00:00Z", endTime: "2026-03-12T09:00:00Z", registrationId: "400000000000000005" });
      ids.lastSecond = await insertTimerHistory(client, { userId: users.cia, startTime: "2026-03-31T21:59:59Z", endTime: "2026-03-31T22:30:00Z", registrationId: "400000000000000006" });
      ids.nextMonth = await insertTimerHistory(client, { userId: users.cia, startTime: "2026-03-31T22:00:00Z", endTime: "2026-03-31T23:00:00Z", registrationId: "7001234" });
      ids.infinite = await insertTimerHistory(client, { userId: users.cia, startTime: "2026-03-20T08:00:00Z", endTime: "infinity", registrationId: "400000000000000009" });
      ids.micros = await insertTimerHistory(client, { userId: users.anna, startTime: "2026-03-15 09:30:00.123456+02", endTime: "2026-03-15 10:00:00.654321+02", registrationId: "400000000000000008", note: "Review, \"quoted\"\nsecond line" });
    });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("streams every link in id order, in pages of the configured size, and accounts for the rest", async () => {
    const logger = pageLogger();
    const source = createPostgresHistorySource({ url: db.url, pageSize: 2, logger });
    const { links, summary } = await readAllTimerHistory(source);

    expect(links.map((l) => l.historyId)).toEqual([ids.plain, ids.beforeDst, ids.dstDay, ids.afterDst, ids.lastSecond, ids.nextMonth, ids.micros]);
    expect(logger.pages.map((p) => p.rows)).toEqual([2, 2, 2, 2, 2, 1]); // 11 rows, never more than 2 per query
    expect(logger.pages.map((p) => p.afterId)).toEqual([0, ids.running, ids.beforeDst, ids.afterDst, ids.lastSecond, ids.infinite]);
    expect(summary).toMatchObject({ rowsRead: 11, links: 7, skipped: { noEndTime: 1, noRegistrationId: 1 }, complete: true });
    expect(summary.badRows).toEqual([
      { rowId: String(ids.backwards), reason: "end_time 2026-03-12T09:00:00.000Z is before start_time 2026-03-12T10:00:00.000Z", tokiUserId: 3 },
      { rowId: String(ids.infinite), reason: 'end_time is not a timestamp with UTC offset: "infinity"', tokiUserId: 3 },
    ]);
    expect(links[0]).toEqual({
      historyId: ids.plain,
      tokiUserId: users.anna,
      userEmail: "anna@example.com",
      registrationId: "400000000000000001",
      startTime: "2026-03-10T08:00:00.000Z",
      endTime: "2026-03-10T09:30:00.000Z",
      projectId: "300000000000241970",
      projectName: "Intranät",
      activityId: "201201111420550010",
      activityName: "Utveckling",
      note: "Sprint planning",
    });
  });

  it("keeps times to the millisecond (microseconds truncated) and notes verbatim", async () => {
    const { links } = await readAllTimerHistory(createPostgresHistorySource({ url: db.url }));
    const micros = links.find((l) => l.historyId === ids.micros);
    expect(micros).toMatchObject({ startTime: "2026-03-15T07:30:00.123Z", endTime: "2026-03-15T08:00:00.654Z", note: "Review, \"quoted\"\nsecond line", projectId: null });
  });

  it("filters by local day in Europe/Stockholm by default, across the DST change", async () => {
    const source = createPostgresHistorySource({ url: db.url });
    const dstDay = await readAllTimerHistory(source, { range: { from: "2026-03-29", to: "2026-03-29" } });
    expect(dstDay.links.map((l) => l.historyId)).toEqual([ids.dstDay]);

    const lastDay = await readAllTimerHistory(source, { range: { from: "2026-03-31", to: "2026-03-31" } });
    expect(lastDay.links.map((l) => l.historyId)).toEqual([ids.lastSecond]);
    expect(lastDay.summary.skipped).toEqual({ noEndTime: 1, noRegistrationId: 0 });

    const april = await readAllTimerHistory(source, { range: { from: "2026-04-01", to: "2026-04-30" } });
    expect(april.links.map((l) => l.registrationId)).toEqual(["7001234"]);
  });

  it("uses the configured time zone for the local day", async () => {
    const source = createPostgresHistorySource({ url: db.url, timeZone: "UTC" });
    const { links } = await readAllTimerHistory(source, { range: { from: "2026-03-29", to: "2026-03-29" } });
    expect(links.map((l) => l.historyId)).toEqual([ids.dstDay, ids.afterDst]);
  });

  it("filters by Toki user ids in SQL", async () => {
    const source = createPostgresHistorySource({ url: db.url, pageSize: 2 });
    const bo = await readAllTimerHistory(source, { tokiUserIds: [users.bo!] });
    expect(bo.links.map((l) => l.historyId)).toEqual([ids.beforeDst, ids.dstDay, ids.afterDst]);
    expect(bo.links.every((l) => l.userEmail === "Bo.Berg@Example.com")).toBe(true);
    expect(bo.summary).toMatchObject({ rowsRead: 3, skipped: { noEndTime: 0, noRegistrationId: 0 }, badRows: [] });

    const none = await readAllTimerHistory(source, { tokiUserIds: [] });
    expect(none.summary).toMatchObject({ rowsRead: 0, links: 0, complete: true });

    const both = await readAllTimerHistory(source, { tokiUserIds: [users.anna!, users.cia!], range: { from: "2026-03-01", to: "2026-03-31" } });
    expect(both.links.map((l) => l.historyId)).toEqual([ids.plain, ids.lastSecond, ids.micros]);
    expect(both.summary.badRows.map((b) => b.rowId)).toEqual([String(ids.backwards), String(ids.infinite)]);
  });

  it("lists Toki users from the users table", async () => {
    const source = createPostgresHistorySource({ url: db.url });
    expect(await source.listTokiUsers()).toEqual([
      { tokiUserId: users.anna, email: "anna@example.com" },
      { tokiUserId: users.bo, email: "Bo.Berg@Example.com" },
      { tokiUserId: users.cia, email: "cia@example.com" },
    ]);
  });

  it("is picked by openTimerHistorySource for postgres:// and postgresql:// URLs", async () => {
    for (const url of [db.url, db.url.replace(/^postgres:/, "postgresql:")]) {
      const source = openTimerHistorySource(url, { pageSize: 3 });
      expect(source.describe()).toMatch(/^PostgreSQL postgres(ql)?:\/\/.*pages of 3, days in Europe\/Stockholm/);
      expect((await readAllTimerHistory(source)).summary.links).toBe(7);
    }
  });

  it.skipIf(!hasPsql())("reads a psql \\copy export of the same table to the same links", async () => {
    const dir = mkdtempSync(join(tmpdir(), "toki-history-"));
    try {
      const plain = join(dir, "timer_history.csv");
      const withEmail = join(dir, "timer_history_email.csv");
      execFileSync("psql", [db.url, "-v", "ON_ERROR_STOP=1", "-c", `\\copy (select * from timer_history) to '${plain}' csv header`]);
      execFileSync("psql", [db.url, "-v", "ON_ERROR_STOP=1", "-c",
        `\\copy (select th.*, u.email as user_email from timer_history th join users u on u.id = th.user_id order by th.id) to '${withEmail}' csv header`]);
      const fromDb = await readAllTimerHistory(createPostgresHistorySource({ url: db.url }));
      const fromCsv = await readAllTimerHistory(createFileHistorySource({ path: withEmail }));
      expect(fromCsv.links).toEqual(fromDb.links);
      expect(fromCsv.summary.skipped).toEqual(fromDb.summary.skipped);
      expect(fromCsv.summary.badRows.map((b) => [b.rowId, b.reason])).toEqual(fromDb.summary.badRows.map((b) => [b.rowId, b.reason]));
      const noEmail = await readAllTimerHistory(createFileHistorySource({ path: plain }));
      expect(noEmail.links).toEqual(fromDb.links.map((l) => ({ ...l, userEmail: null })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a database without Toki's tables as a configuration error", async () => {
    await withTempDatabase(async (empty) => {
      const read = readAllTimerHistory(createPostgresHistorySource({ url: empty.url }));
      await expect(read).rejects.toBeInstanceOf(ConfigError);
      await expect(read).rejects.toThrow(/does not hold Toki's schema/);
    }, adminUrl);
  });

  it("reports a missing database as unreachable", async () => {
    const url = new URL(db.url);
    url.pathname = `/${db.name}_missing`;
    await expect(readAllTimerHistory(createPostgresHistorySource({ url: url.toString() }))).rejects.toMatchObject({ code: "UNREACHABLE" });
  });
});

describe("PostgreSQL timer-history source without a server", () => {
  it("fails with UNREACHABLE, a clear message and the password masked", async () => {
    const redactor = new SecretRedactor();
    const source = createPostgresHistorySource({ url: "postgres://toki:s3cret-pass@127.0.0.1:1/toki", redactor, connectTimeoutMs: 2000 });
    expect(source.describe()).toContain("postgres://toki:***@127.0.0.1:1/toki");
    expect(source.describe()).not.toContain("s3cret-pass");
    const error = await readAllTimerHistory(source).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TokiError);
    expect(error).toMatchObject({ code: "UNREACHABLE" });
    const message = (error as Error).message;
    expect(message).toMatch(/^PostgreSQL at postgres:\/\/toki:\*\*\*@127\.0\.0\.1:1\/toki is unreachable: /);
    expect(message).not.toContain("s3cret-pass");
    expect(redactor.redact("password=s3cret-pass")).toBe("password=[redacted]");
  });

  it("rejects a bad page size and an unknown time zone at creation", () => {
    expect(() => createPostgresHistorySource({ url: "postgres://u@127.0.0.1/db", pageSize: 0 })).toThrow(ConfigError);
    expect(() => createPostgresHistorySource({ url: "postgres://u@127.0.0.1/db", timeZone: "Mars/Olympus" })).toThrow(/unknown time zone/);
  });
});
