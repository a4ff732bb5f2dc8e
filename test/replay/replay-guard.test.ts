import { existsSync } from "node:fs";
import { join } from "node:path";
import { Dispatcher } from "undici";
import { describe, expect, it } from "vitest";
import { createReportStore, openReportDatabase } from "../../src/report/index.js";
import { cleanupReplayRun, createReplayJournal, createReplayPlanStore, replayFromConfig, type PlanRow } from "../../src/replay/index.js";
import { R, startWorld } from "./replay-fixture.js";
import { runCliProcess } from "./replay-cli-support.js";

const PRODUCTION = "https://api.kleer.se/v1";

/** A dispatcher that counts what it is asked to send and sends nothing. */
class CountingDispatcher extends Dispatcher {
  calls = 0;
  override dispatch(): boolean {
    this.calls++;
    throw new Error("no request may be made");
  }
}

describe("production guard", () => {
  it("replay --apply against a production host is refused before any request or file", async () => {
    const world = await startWorld();
    const kleerDispatcher = new CountingDispatcher();
    const milltimeDispatcher = new CountingDispatcher();
    const reportFile = join(world.dir, "never.sqlite");
    const config = world.config({ kleer: { baseUrl: PRODUCTION, token: "prod-token-5f2a9", companyId: 4875 }, reportFile });
    await expect(replayFromConfig(config, { apply: true }, { kleerDispatcher, milltimeDispatcher })).rejects.toMatchObject({
      code: "REFUSED",
      message: expect.stringContaining("--allow-production"),
    });
    expect(kleerDispatcher.calls).toBe(0);
    expect(milltimeDispatcher.calls).toBe(0);
    expect(world.milltime.requestLog).toEqual([]);
    expect(existsSync(reportFile)).toBe(false);
    // --resume without --apply is a usage error, also before anything is opened.
    await expect(replayFromConfig(world.config(), { apply: false, resumeRunId: "20260101T000000Z-abcd" })).rejects.toMatchObject({ code: "USAGE" });
    expect(world.kleer.requestLog).toEqual([]);
  });

  it("the command exits 2 with a clear message and makes no request", { timeout: 60_000 }, async () => {
    const world = await startWorld();
    const args = world.args(["--apply"]).map((a) => (a === world.kleerUrl ? PRODUCTION : a));
    const result = await runCliProcess(["replay", ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("refusing to write to api.kleer.se: it is a production Kleer host. Pass --allow-production together with --apply");
    expect(result.stderr).not.toContain("replay-test-token");
    expect(world.milltime.requestLog).toEqual([]);
    expect(world.kleer.requestLog).toEqual([]);
  });

  it("cleanup --apply of a run that wrote to production is refused without --allow-production", async () => {
    const world = await startWorld();
    const reportFile = join(world.dir, "prod-run.sqlite");
    const db = openReportDatabase(reportFile);
    const clock = { now: () => new Date("2026-11-25T12:00:00Z") };
    const store = createReportStore(db, { clock });
    const runId = store.startRun({ command: "replay", range: { from: "2026-03-02", to: "2026-03-13" }, toolVersion: "test" });
    createReplayPlanStore(db).registerRun(runId, "apply", { kleerBaseUrl: PRODUCTION, kleerCompanyId: 4875, timeZone: "Europe/Stockholm" });
    const journal = createReplayJournal(db, { clock });
    const row = { userKey: 1, legacyId: R.svenHistory, foreignId: `milltime:${R.svenHistory}` } as PlanRow;
    journal.recordOutcome(journal.recordIntent(runId, row, 5501, 1), { outcome: "created", kleerEventId: "7001", resolvedBy: "reply" });
    store.completeRun(runId, {});
    db.close();

    const dispatcher = new CountingDispatcher();
    await expect(cleanupReplayRun({ reportFile, runId, apply: true, kleer: { token: "prod-token-5f2a9" }, dispatcher })).rejects.toMatchObject({
      code: "REFUSED",
      message: expect.stringContaining("--allow-production"),
    });
    expect(dispatcher.calls).toBe(0);
  });
});
