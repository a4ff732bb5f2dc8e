import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineRelinkCommand } from "../../src/cli/commands/relink.js";
import { instantAt } from "../../src/domain/calendar.js";
import { relinkStatements, relinkTableName, replayFromConfig, runRelink, sqlLiteral, toSqlScript } from "../../src/replay/index.js";
import {
  applyTokiSchema,
  createTempDatabase,
  describeWithPostgres,
  insertTimerHistory,
  insertTokiUser,
  probePostgres,
  withClient,
  type TempDatabase,
} from "../helpers/postgres.js";
import { R, startWorld, ZONE } from "./replay-fixture.js";

const probe = await probePostgres();

describe("relink SQL text", () => {
  it("quotes literals safely and names the backup table after the run", () => {
    expect(sqlLiteral("400000000000000101")).toBe("'400000000000000101'");
    expect(sqlLiteral("a'b\\c")).toBe("'a''b\\c'");
    expect(() => sqlLiteral("a\u0000b")).toThrow(/NUL/);
    expect(relinkTableName("20261125T134501Z-ab12")).toBe("toki_parity_relink_20261125t134501z_ab12");
    const script = toSqlScript(["header; with a\nnewline"], relinkStatements("20261125T134501Z-ab12", [{ tokiUserId: 1, oldRegistrationId: "x'); DROP TABLE users; --", newRegistrationId: "7001" }]));
    expect(script).toContain("(1, 'x''); DROP TABLE users; --', '7001')");
    expect(script.split("\n")[0]).toBe("-- header; with a newline");
    expect(script).toMatch(/^BEGIN;$/m);
    expect(script.trimEnd().endsWith("COMMIT;")).toBe(true);
    expect(() => relinkStatements("r", [{ tokiUserId: 0, oldRegistrationId: "1", newRegistrationId: "2" }])).toThrow(/Toki user id/);
  });
});

interface Rows {
  [name: string]: number;
}

describeWithPostgres("relink against Toki's PostgreSQL schema", probe, (adminUrl) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(adminUrl);
    await applyTokiSchema(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const registrations = async (): Promise<Map<number, string | null>> =>
    withClient(db.url, async (client) => {
      const result = await client.query<{ id: number; registration_id: string | null }>("SELECT id, registration_id FROM timer_history ORDER BY id");
      return new Map(result.rows.map((r) => [r.id, r.registration_id]));
    });

  it("re-points exactly the linked rows of each user in one transaction, and the revert restores them", { timeout: 60_000 }, async () => {
    const h: Rows = {};
    await withClient(db.url, async (client) => {
      await client.query("TRUNCATE timer_history, users RESTART IDENTITY CASCADE");
      const sven = await insertTokiUser(client, "sven@example.com");
      const ebba = await insertTokiUser(client, "ebba@example.com");
      await insertTokiUser(client, "olle@example.com");
      expect([sven, ebba]).toEqual([1, 2]);
      const at = (date: string, time: string) => instantAt(date, time, ZONE);
      const row = (userId: number, date: string, from: string, to: string, registrationId: string | null) =>
        insertTimerHistory(client, { userId, startTime: at(date, from), endTime: at(date, to), registrationId });
      h.svenTrue = await row(1, "2026-03-02", "07:15:00", "14:45:00", R.svenHistory);
      h.svenTrueAgain = await row(1, "2026-03-02", "07:15:00", "14:45:00", R.svenHistory);
      h.svenMidnight = await insertTimerHistory(client, { userId: 1, startTime: at("2026-03-06", "00:10:00"), endTime: at("2026-03-06", "00:55:00"), registrationId: R.svenAfterMidnight });
      h.svenBlocked = await row(1, "2026-03-04", "09:00:00", "11:15:00", R.svenActivityNotAllowed);
      h.svenUnknown = await row(1, "2026-03-05", "13:00:00", "14:00:00", "400000000000000999");
      h.svenRunning = await insertTimerHistory(client, { userId: 1, startTime: at("2026-03-09", "08:00:00"), endTime: null, registrationId: null });
      h.ebbaDay = await row(2, "2026-03-02", "08:30:00", "14:30:00", R.ebbaDay);
      h.ebbaExisting = await row(2, "2026-03-04", "08:00:00", "12:00:00", R.ebbaPreExisting);
      // Same registration id under another user: Toki's own re-point was not scoped, this one is.
      h.ebbaForeign = await row(2, "2026-03-02", "10:00:00", "11:00:00", R.svenHistory);
      // A row whose start lies outside the range but that points at a replayed registration moves too.
      h.svenOtherDay = await row(1, "2026-04-01", "08:00:00", "09:00:00", R.svenBlankNote);
    });
    const before = await registrations();

    const world = await startWorld();
    const { replay } = await replayFromConfig(world.config({ history: db.url }), { apply: true });
    const eventOf = (legacyId: string) => String(world.events().find((e) => e.foreignId === `milltime:${legacyId}`)!.id);
    // The true starts came from PostgreSQL.
    const plan = world.report().prepare("SELECT legacy_id, start_source, start_time FROM replay_plan WHERE run_id = ? AND legacy_id = ?").get(replay.runId, R.svenAfterMidnight);
    expect(plan).toEqual({ legacy_id: R.svenAfterMidnight, start_source: "history", start_time: "2026-03-05T23:10:00.000Z" });

    // The SQL script, run as psql would (one multi-statement string).
    const sql = await runRelink({ reportFile: world.reportFile, runId: replay.runId, format: "sql", history: db.url });
    expect(sql.plan.unrelinked.map((u) => [u.historyId, u.reason.split(":")[0]])).toEqual([
      [h.svenBlocked, "the entry was blocked"],
      [h.svenUnknown, "no legacy entry of this user with that registration id was in the replay plan (another range, another user, or not a Milltime id)"],
      [h.ebbaForeign, "no legacy entry of this user with that registration id was in the replay plan (another range, another user, or not a Milltime id)"],
    ]);
    expect(sql.text).toContain(`not relinked: timer_history #${h.svenBlocked} (user 1, ${R.svenActivityNotAllowed}): the entry was blocked: activity_not_allowed`);
    await withClient(db.url, (client) => client.query(sql.text!));
    const after = await registrations();
    const expected = new Map(before);
    expected.set(h.svenTrue!, eventOf(R.svenHistory));
    expected.set(h.svenTrueAgain!, eventOf(R.svenHistory));
    expected.set(h.svenMidnight!, eventOf(R.svenAfterMidnight));
    expected.set(h.ebbaDay!, eventOf(R.ebbaDay));
    expected.set(h.ebbaExisting!, "9002");
    expected.set(h.svenOtherDay!, eventOf(R.svenBlankNote));
    expect(after).toEqual(expected);
    const table = relinkTableName(replay.runId);
    const backup = await withClient(db.url, async (c) => (await c.query(`SELECT history_id, user_id, old_registration_id, new_registration_id FROM ${table} ORDER BY history_id`)).rows);
    expect(backup).toHaveLength(6);
    expect(backup[0]).toEqual({ history_id: h.svenTrue, user_id: 1, old_registration_id: R.svenHistory, new_registration_id: eventOf(R.svenHistory) });

    // Applying the same script again fails as a whole (the backup table exists) and changes nothing.
    await expect(withClient(db.url, (client) => client.query(sql.text!))).rejects.toThrow(/already exists/);
    expect(await registrations()).toEqual(expected);

    const revert = await runRelink({ reportFile: world.reportFile, runId: replay.runId, format: "sql", revert: true });
    await withClient(db.url, (client) => client.query(revert.text!));
    expect(await registrations()).toEqual(before);
    expect(await withClient(db.url, async (c) => (await c.query("SELECT to_regclass($1) AS t", [table])).rows[0].t)).toBeNull();

    // --apply does the same in one transaction and counts.
    const applied = await runRelink({ reportFile: world.reportFile, runId: replay.runId, history: db.url, apply: true });
    expect(applied.applied).toEqual({ table, rows: 6, byUser: [{ tokiUserId: 1, rows: 4 }, { tokiUserId: 2, rows: 2 }], leftInBackup: 0 });
    expect(await registrations()).toEqual(expected);
    await expect(runRelink({ reportFile: world.reportFile, runId: replay.runId, history: db.url, apply: true })).rejects.toMatchObject({ code: "REFUSED" });

    // A row edited since the relink is left alone by the revert, and kept in the backup table.
    await withClient(db.url, (c) => c.query("UPDATE timer_history SET registration_id = '7777777' WHERE id = $1", [h.ebbaDay]));
    const reverted = await runRelink({ reportFile: world.reportFile, runId: replay.runId, history: db.url, apply: true, revert: true });
    expect(reverted.applied).toMatchObject({ rows: 5, leftInBackup: 1, byUser: [{ tokiUserId: 1, rows: 4 }, { tokiUserId: 2, rows: 1 }] });
    const final = await registrations();
    expect(final).toEqual(new Map([...before].map(([id, reg]) => [id, id === h.ebbaDay ? "7777777" : reg])));
  });

  it("the command writes the script and its revert to files, or CSV with history ids", { timeout: 60_000 }, async () => {
    const world = await startWorld();
    const { replay } = await replayFromConfig(world.config(), { apply: true });
    const out: string[] = [];
    const info: string[] = [];
    const io = { write: (t: string) => void out.push(t), info: (t: string) => void info.push(t) };
    const sqlFile = join(world.dir, "relink.sql");
    await defineRelinkCommand(io).parseAsync(["--report", world.reportFile, "--run", replay.runId, "--out", sqlFile, "--history", world.historyFile], { from: "user" });
    expect(readFileSync(sqlFile, "utf8")).toContain(`CREATE TABLE "${relinkTableName(replay.runId)}"`);
    expect(existsSync(join(world.dir, "relink.revert.sql"))).toBe(true);
    expect(readFileSync(join(world.dir, "relink.revert.sql"), "utf8")).toContain("RETURNING th.id");
    expect(out.join("")).toContain(`wrote ${sqlFile}`);
    expect(out.join("")).toContain(`#13 user 1 ${R.svenActivityNotAllowed}`);

    out.length = 0;
    await defineRelinkCommand(io).parseAsync(["--report", world.reportFile, "--run", replay.runId, "--format", "csv", "--history", world.historyFile], { from: "user" });
    const csv = out.join("").trim().split("\n");
    expect(csv[0]).toBe("tokiUserId,historyId,oldRegistrationId,newRegistrationId");
    const eventOf = (legacyId: string) => String(world.events().find((e) => e.foreignId === `milltime:${legacyId}`)!.id);
    expect(csv.slice(1)).toEqual([
      `1,11,${R.svenHistory},${eventOf(R.svenHistory)}`,
      `1,12,${R.svenAfterMidnight},${eventOf(R.svenAfterMidnight)}`,
      `2,21,${R.ebbaDay},${eventOf(R.ebbaDay)}`,
    ]);
    expect(info.join("")).toContain("1 timer_history link(s) NOT relinked");

    info.length = 0;
    await defineRelinkCommand(io).parseAsync(["--report", world.reportFile, "--run", replay.runId, "--format", "csv", "--history", world.historyFile, "--show", "0"], { from: "user" });
    expect(info.join("")).toContain("1 timer_history link(s) NOT relinked:\n  … and 1 more (none shown; --show 1 lists all)");
    expect(info.join("")).not.toContain(`#13 user 1`);

    await expect(
      defineRelinkCommand(io).parseAsync(["--report", world.reportFile, "--run", replay.runId, "--format", "csv", "--revert"], { from: "user" }),
    ).rejects.toMatchObject({ code: "USAGE" });
    await expect(defineRelinkCommand(io).parseAsync(["--report", world.reportFile, "--run", replay.runId, "--apply"], { from: "user" })).rejects.toMatchObject({ code: "CONFIG" });
  });
});
