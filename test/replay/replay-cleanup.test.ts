import { describe, expect, it } from "vitest";
import { cleanupReplayRun, replayFromConfig } from "../../src/replay/index.js";
import { KLEER_TOKEN, PRE_EXISTING, R, startWorld } from "./replay-fixture.js";
import { runCliProcess } from "./replay-cli-support.js";

const fid = (id: string) => `milltime:${id}`;

describe("cleanup", () => {
  it("deletes exactly the events its run created (verified by GET), keeps everything else, and is idempotent", async () => {
    const world = await startWorld();
    const runA = (await replayFromConfig(world.config({ users: [1] }), { apply: true })).replay;
    const runB = (await replayFromConfig(world.config({ users: [2] }), { apply: true })).replay;
    expect(runA.created).toBe(4);
    expect(runB).toMatchObject({ created: 2, resolvedExisting: 1 });
    const eventOf = (legacyId: string) => world.events().find((e) => e.foreignId === fid(legacyId))!;
    const fromA = [R.svenHistory, R.svenBlankNote, R.svenProject2, R.svenAfterMidnight].map((id) => eventOf(id).id);
    const fromB = [R.ebbaDay, R.ebbaEmptyNote].map((id) => eventOf(id).id);

    // Someone edited one of run A's events in Toki since: its foreign-id no longer names the entry.
    const edited = eventOf(R.svenAfterMidnight);
    const result = world.kleer.state.updateEvent(edited.id, {
      foreignId: "toki-5501-801-901-1772752200000000000",
      userId: edited.userId,
      activityId: edited.activityId,
      projectId: edited.projectId,
      child: null,
      date: edited.date,
      hours: 1,
      comment: "Nattjobb, rättad",
      internalComment: null,
    });
    expect(result.ok).toBe(true);

    const options = { reportFile: world.reportFile, runId: runA.runId, kleer: { token: KLEER_TOKEN } };
    const dry = await cleanupReplayRun({ ...options, apply: false });
    expect(world.writes().filter((w) => w.startsWith("DELETE"))).toEqual([]);
    expect(dry).toMatchObject({ mode: "dry-run", candidates: 4, wouldDelete: 3, deleted: 0, alreadyGone: 0 });
    expect(dry.kept).toEqual([
      expect.objectContaining({ legacyId: R.svenAfterMidnight, kleerEventId: String(edited.id), action: "kept", reason: expect.stringContaining("no longer names this legacy entry") }),
    ]);

    const applied = await cleanupReplayRun({ ...options, apply: true });
    expect(applied).toMatchObject({ mode: "apply", candidates: 4, deleted: 3, alreadyGone: 0 });
    expect(applied.kept.map((k) => k.legacyId)).toEqual([R.svenAfterMidnight]);
    const remaining = world.events().map((e) => e.id).sort((a, b) => a - b);
    expect(remaining).toEqual([PRE_EXISTING.unrelated, PRE_EXISTING.ebbaReplayed, ...fromB, edited.id].sort((a, b) => a - b));
    for (const id of fromA.filter((id) => id !== edited.id)) expect(remaining).not.toContain(id);
    const deletes = world.writes().filter((w) => w.startsWith("DELETE"));
    expect(deletes).toHaveLength(3);

    const again = await cleanupReplayRun({ ...options, apply: true });
    expect(again).toMatchObject({ deleted: 0, alreadyGone: 3 });
    expect(world.writes().filter((w) => w.startsWith("DELETE"))).toHaveLength(3);

    // Every cleanup is a run of its own with its rows in the report.
    const db = world.report();
    const actions = db.prepare("SELECT action, COUNT(*) AS n FROM replay_cleanup WHERE cleanup_run_id = ? GROUP BY action ORDER BY action").all(applied.cleanupRunId);
    expect(actions).toEqual([{ action: "deleted", n: 3 }, { action: "kept", n: 1 }]);
    expect(db.prepare("SELECT command, status FROM runs WHERE run_id = ?").get(again.cleanupRunId)).toEqual({ command: "cleanup", status: "completed" });
  });

  it("a delete whose reply is lost is confirmed by GET, not repeated", async () => {
    const world = await startWorld();
    const run = (await replayFromConfig(world.config({ users: [2] }), { apply: true })).replay;
    world.kleer.setFaults({ dropAfterWriteRate: 1 });
    const result = await cleanupReplayRun({ reportFile: world.reportFile, runId: run.runId, apply: true, kleer: { token: KLEER_TOKEN } });
    expect(result).toMatchObject({ deleted: 2, kept: [] });
    expect(result.items.every((i) => i.reason === "confirmed by GET after the reply was lost")).toBe(true);
    expect(world.kleer.requestLog.filter((r) => r.method === "DELETE")).toHaveLength(2);
    expect(world.events().map((e) => e.id).sort()).toEqual([PRE_EXISTING.unrelated, PRE_EXISTING.ebbaReplayed]);
  });

  it("refuses another Kleer host or company than the run wrote to", async () => {
    const world = await startWorld();
    const run = (await replayFromConfig(world.config({ users: [2] }), { apply: true })).replay;
    await expect(
      cleanupReplayRun({ reportFile: world.reportFile, runId: run.runId, apply: true, kleer: { token: KLEER_TOKEN, companyId: 1 } }),
    ).rejects.toMatchObject({ code: "REFUSED" });
    await expect(cleanupReplayRun({ reportFile: world.reportFile, runId: "20990101T000000Z-0000", apply: false, kleer: { token: KLEER_TOKEN } })).rejects.toMatchObject({
      code: "CONFIG",
    });
    expect(world.writes().filter((w) => w.startsWith("DELETE"))).toEqual([]);
  });

  it("the command deletes with --apply, prints what it did, and exits 0; kept events make it exit 1", { timeout: 60_000 }, async () => {
    const world = await startWorld();
    const run = (await replayFromConfig(world.config({ users: [2] }), { apply: true })).replay;
    const base = ["cleanup", "--report", world.reportFile, "--run", run.runId, "--kleer-token", KLEER_TOKEN];
    const dry = await runCliProcess(base);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Would delete 2, already gone 0, kept 0. Add --apply to delete.");
    world.kleer.state.setDayStatus(5502, { from: "2026-03-03", to: "2026-03-03" }, "approved");
    const applied = await runCliProcess([...base, "--apply"]);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain("Deleted 1, already gone 0, kept 1");
    expect(applied.stdout).toMatch(/kept event \d+ \(legacy 400000000000000202, user 2\): DATE_LOCKED/);
    expect(applied.stderr).toContain("cleanup incomplete: 1 event(s) kept");
  });
});
