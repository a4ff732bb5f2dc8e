import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createDice } from "../../src/emulator/emulator-faults.js";
import { extraRegistrations, foreignIdCounts, REPLAYABLE, startWorld } from "./replay-fixture.js";
import { latestReplayRun, spawnCli } from "./replay-cli-support.js";

const EXTRA = 30;

describe("replay killed at random points", () => {
  it("ends, after resuming, with exactly one event per replayable entry", { timeout: 180_000 }, async () => {
    // Every Kleer request takes a little while, so that kills land between intent, request and outcome.
    const world = await startWorld({ extraEntries: EXTRA, kleerFaults: { latencyMs: 15 } });
    const puts = () => world.kleer.requestLog.filter((r) => r.method === "PUT").length;
    const kleerRequests = () => world.kleer.requestLog.length;
    const dice = createDice(20261125);
    const total = REPLAYABLE.length - 1 + EXTRA; // the pre-existing one is never written
    // Kill points: once while planning (after the first Kleer read), then after a random number of creates.
    const killAt: Array<{ label: string; ready: () => boolean }> = [
      { label: "planning", ready: () => kleerRequests() > 0 },
      ...[0.15, 0.4, 0.7].map((share) => {
        const target = Math.max(1, Math.floor(total * (share + dice() * 0.1)));
        return { label: `after ${target} creates`, ready: () => puts() >= target };
      }),
    ];
    let runId: string | undefined;
    const killed: string[] = [];
    for (const point of killAt) {
      const run = spawnCli(["replay", ...world.args(["--apply", "--concurrency", "2", ...(runId ? ["--resume", runId] : [])])]);
      let exited = false;
      void run.done.then(() => (exited = true));
      while (!exited && !point.ready()) await sleep(1);
      const finishedEarly = exited;
      if (!finishedEarly) {
        run.child.kill("SIGKILL");
        killed.push(point.label);
      }
      const result = await run.done;
      if (finishedEarly) throw new Error(`the CLI finished before the kill point "${point.label}": ${result.stderr}`);
      expect(result.signal).toBe("SIGKILL");
      runId ??= latestReplayRun(world.reportFile);
    }
    expect(killed).toHaveLength(killAt.length);

    const final = await spawnCli(["replay", ...world.args(["--apply", "--concurrency", "2", ...(runId ? ["--resume", runId] : [])])]).done;
    // Exit 1: the scenario has blocked entries; nothing is failed or unsettled.
    expect(final.code, final.stderr).toBe(1);
    expect(final.stdout).toContain("0 failed, 0 unsettled");
    expect(final.stdout).toContain("Comparison after applying");

    const counts = foreignIdCounts(world);
    for (const id of [...REPLAYABLE, ...extraRegistrations(EXTRA).map((r) => r.registrationId)]) expect(counts.get(`milltime:${id}`), id).toBe(1);
    expect(world.events()).toHaveLength(2 + total);
    // A kill can at most cost the create that was in flight: it is looked up, not blindly repeated.
    expect(puts()).toBeLessThanOrEqual(total + killAt.length);

    const db = new Database(world.reportFile, { readonly: true });
    try {
      const finalRun = latestReplayRun(world.reportFile);
      const summary = JSON.parse((db.prepare("SELECT summary_json FROM runs WHERE run_id = ?").get(finalRun) as { summary_json: string }).summary_json);
      expect(summary).toMatchObject({ failed: 0, unsettled: 0, resumed: true });
      expect(summary.created + summary.resolvedExisting).toBe(total + 1);
      // No intent is left open and no event id is claimed twice.
      const open = db.prepare("SELECT COUNT(*) AS n FROM replay_journal WHERE run_id = ? AND outcome IS NULL").get(finalRun) as { n: number };
      expect(open.n).toBe(0);
      const claimed = db.prepare("SELECT kleer_event_id, COUNT(DISTINCT legacy_id) AS n FROM replay_journal WHERE kleer_event_id IS NOT NULL GROUP BY kleer_event_id HAVING n > 1").all();
      expect(claimed).toEqual([]);
    } finally {
      db.close();
    }
  });
});
