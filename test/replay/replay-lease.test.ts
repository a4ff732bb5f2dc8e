import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { replayFromConfig } from "../../src/replay/index.js";
import { COMPANY_ID, extraRegistrations, foreignIdCounts, REPLAYABLE, startWorld, type ReplayWorld } from "./replay-fixture.js";
import { latestReplayRun, spawnCli } from "./replay-cli-support.js";

const leaseOf = (file: string): Record<string, unknown> | undefined => {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT * FROM run_leases").get() as Record<string, unknown> | undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
};

/** Plants a lease of a live process on another machine (what a colleague's run looks like). */
function plantLease(world: ReplayWorld, expiresAt: string): void {
  const db = new Database(world.reportFile);
  db.prepare(
    "INSERT INTO run_leases (target, token, run_id, command, host, pid, acquired_at, renewed_at, expires_at) VALUES (?, 'x', 'RUN-OTHER', 'replay', 'laptop-7', 4242, '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z', ?)",
  ).run(`kleer ${world.kleerUrl} company ${COMPANY_ID}`, expiresAt);
  db.close();
}

describe("the write lease of a Kleer company", () => {
  it("two real processes racing: the second refuses at once with exit 2 naming the holder; every entry is written once", { timeout: 120_000 }, async () => {
    // Slow enough that the second process starts while the first is still writing.
    const world = await startWorld({ extraEntries: 40, kleerFaults: { latencyMs: 60 } });
    // The first process's first create is held at the emulator until the second has been
    // answered: the race is certain, however slowly the second process starts.
    const hold = world.kleer.holdWrites();
    const first = spawnCli(["replay", ...world.args(["--apply", "--concurrency", "1"])]);
    let exited = false;
    void first.done.then(() => (exited = true));
    while (!exited && hold.waiting() < 1) await sleep(5);
    expect(leaseOf(world.reportFile)).toMatchObject({ command: "replay", pid: first.child.pid });
    const second = await spawnCli(["replay", ...world.args(["--apply"])]).done;
    const stillRunning = !exited;
    hold.release();
    const firstResult = await first.done;
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toMatch(/is being written by replay run \S+ \(host \S+, pid \d+\) since /);
    expect(second.stderr).toContain("--take-over");
    expect(second.stderr).toContain("Nothing was written");
    expect(stillRunning, "the first process was still running when the second was refused").toBe(true);
    // Exit 1: the scenario's blocked entries; every create done by the first process only.
    expect(firstResult.code, firstResult.stderr).toBe(1);
    const counts = foreignIdCounts(world);
    for (const id of [...REPLAYABLE, ...extraRegistrations(40).map((r) => r.registrationId)]) expect(counts.get(`milltime:${id}`), id).toBe(1);
    expect(world.kleer.requestLog.filter((r) => r.method === "PUT")).toHaveLength(6 + 40);
    // Released at the end.
    expect(leaseOf(world.reportFile)).toBeUndefined();
  });

  it("a process killed with SIGKILL does not block: its resume takes the lease of the dead process", { timeout: 120_000 }, async () => {
    const world = await startWorld({ kleerFaults: { latencyMs: 40 } });
    const run = spawnCli(["replay", ...world.args(["--apply", "--concurrency", "1"])]);
    while (world.kleer.requestLog.filter((r) => r.method === "PUT").length < 2) await sleep(2);
    run.child.kill("SIGKILL");
    await run.done;
    expect(leaseOf(world.reportFile)).toMatchObject({ command: "replay", pid: run.child.pid });
    const runId = latestReplayRun(world.reportFile)!;
    const resumed = await spawnCli(["replay", ...world.args(["--apply", "--resume", runId])]).done;
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(resumed.stdout).toContain("0 failed, 0 unsettled");
    for (const id of REPLAYABLE) expect(foreignIdCounts(world).get(`milltime:${id}`), id).toBe(1);
  });

  it("another host's live lease refuses; --take-over names it and proceeds; an expired one is taken", async () => {
    const world = await startWorld();
    await replayFromConfig(world.config(), { apply: false });
    plantLease(world, "2999-01-01T00:00:00.000Z");
    await expect(replayFromConfig(world.config(), { apply: true })).rejects.toThrow(/run RUN-OTHER \(host laptop-7, pid 4242\)/);
    await expect(replayFromConfig(world.config(), { apply: true, takeOverRunId: "RUN-WRONG" })).rejects.toThrow(/does not name the holder/);
    expect(world.writes()).toEqual([]);
    const taken = await replayFromConfig(world.config(), { apply: true, takeOverRunId: "RUN-OTHER" });
    expect(taken.replay.created).toBe(6);

    const again = await startWorld();
    await replayFromConfig(again.config(), { apply: false });
    plantLease(again, "2000-01-01T00:00:00.000Z");
    expect((await replayFromConfig(again.config(), { apply: true })).replay.created).toBe(6);
  });

  it("a dry run takes no lease and is not refused", async () => {
    const world = await startWorld();
    await replayFromConfig(world.config(), { apply: false });
    plantLease(world, "2999-01-01T00:00:00.000Z");
    const dry = await replayFromConfig(world.config(), { apply: false });
    expect(dry.replay.plannedCreate).toBe(6);
  });
});
