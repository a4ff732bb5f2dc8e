import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { defineRelinkCommand } from "../../src/cli/commands/relink.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { historyLeaseTarget } from "../../src/report/report-lease.js";
import { replayFromConfig } from "../../src/replay/index.js";
import { runCommandInProcess } from "../helpers/run-command.js";
import { applyTokiSchema, createTempDatabase, describeWithPostgres, insertTimerHistory, insertTokiUser, probePostgres, withClient, type TempDatabase } from "../helpers/postgres.js";
import { R, startWorld } from "./replay-fixture.js";

const probe = await probePostgres();

/** Plants the lease of a live relink on another machine (what a colleague's run looks like). */
function plantLease(reportFile: string, target: string, expiresAt: string): void {
  const db = new Database(reportFile);
  db.prepare(
    "INSERT INTO run_leases (target, token, run_id, command, host, pid, acquired_at, renewed_at, expires_at) VALUES (?, 'x', 'RUN-OTHER', 'relink', 'laptop-7', 4242, '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z', ?)",
  ).run(target, expiresAt);
  db.close();
}

const leases = (reportFile: string) => {
  const db = new Database(reportFile, { readonly: true });
  try {
    return db.prepare("SELECT target, command FROM run_leases").all();
  } finally {
    db.close();
  }
};

describeWithPostgres("the write lease of Toki's database (relink --apply)", probe, (adminUrl) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(adminUrl);
    await applyTokiSchema(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("a held lease refuses with exit 2 naming the holder and changes no row; --take-over RUN proceeds and releases", { timeout: 60_000 }, async () => {
    await withClient(db.url, async (client) => {
      await client.query("TRUNCATE timer_history, users RESTART IDENTITY CASCADE");
      await insertTokiUser(client, "sven@example.com");
      await insertTimerHistory(client, { userId: 1, startTime: "2026-03-02T06:15:00.000Z", endTime: "2026-03-02T13:45:00.000Z", registrationId: R.svenHistory });
    });
    const registrations = () => withClient(db.url, async (c) => (await c.query<{ registration_id: string }>("SELECT registration_id FROM timer_history")).rows.map((r) => r.registration_id));
    const world = await startWorld();
    const { replay } = await replayFromConfig(world.config(), { apply: true });
    // The target names host, port and database, never the credentials.
    const target = historyLeaseTarget(db.url);
    expect(target).toMatch(/^history postgres:\/\/[^@]+:\d+\/\S+$/);
    plantLease(world.reportFile, target, "2999-01-01T00:00:00.000Z");

    const base = ["--report", world.reportFile, "--run", replay.runId, "--history", db.url, "--apply"];
    const refused = await runCommandInProcess(defineRelinkCommand(), base);
    expect(refused.code).toBe(ExitCode.UsageOrConfig);
    expect(refused.message).toContain(`${target} is being written by relink run RUN-OTHER (host laptop-7, pid 4242) since 2026-12-02T10:00:00.000Z`);
    expect(refused.message).toContain("--take-over RUN-OTHER");
    expect(await registrations()).toEqual([R.svenHistory]);
    const reverting = await runCommandInProcess(defineRelinkCommand(), [...base, "--revert"]);
    expect(reverting.code).toBe(ExitCode.UsageOrConfig);
    expect(reverting.message).toContain("RUN-OTHER");

    const wrong = await runCommandInProcess(defineRelinkCommand(), [...base, "--take-over", "RUN-WRONG"]);
    expect(wrong.code).toBe(ExitCode.UsageOrConfig);
    expect(wrong.message).toContain("does not name the holder");
    expect(await registrations()).toEqual([R.svenHistory]);

    const taken = await runCommandInProcess(defineRelinkCommand(), [...base, "--take-over", "RUN-OTHER"]);
    expect(taken.code, taken.message).toBe(ExitCode.Ok);
    expect(taken.stdout).toContain("Relinked 1 timer_history row(s)");
    expect(await registrations()).not.toEqual([R.svenHistory]);
    expect(leases(world.reportFile)).toEqual([]);

    // An expired lease (its holder crashed long ago) is taken without --take-over: the revert runs.
    plantLease(world.reportFile, target, "2000-01-01T00:00:00.000Z");
    const reverted = await runCommandInProcess(defineRelinkCommand(), [...base, "--revert"]);
    expect(reverted.code, reverted.message).toBe(ExitCode.Ok);
    expect(await registrations()).toEqual([R.svenHistory]);
    expect(leases(world.reportFile)).toEqual([]);
  });

  it("a relink that only emits SQL takes no lease and is not refused", async () => {
    const world = await startWorld();
    const { replay } = await replayFromConfig(world.config(), { apply: true });
    plantLease(world.reportFile, historyLeaseTarget(db.url), "2999-01-01T00:00:00.000Z");
    const io = { text: "", write: (t: string) => void (io.text += t), info: () => {} };
    const run = await runCommandInProcess(defineRelinkCommand(io), ["--report", world.reportFile, "--run", replay.runId, "--history", db.url]);
    expect(run.code, run.message).toBe(ExitCode.Ok);
  });
});
