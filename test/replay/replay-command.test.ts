import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defineReplayCommand } from "../../src/cli/commands/replay.js";
import { CommandExit } from "../../src/cli/exit-codes.js";
import { CREDENTIALS, MAPPING, R, RANGE, startWorld, type ReplayWorld } from "./replay-fixture.js";
import { latestReplayRun } from "./replay-cli-support.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { write: (t: string) => void out.push(t), warn: (t: string) => void err.push(t) }, out: () => out.join(""), err: () => err.join("") };
}

const run = (_world: ReplayWorld, args: string[], io = capture().io) => defineReplayCommand(io).parseAsync(args, { from: "user" });
const withoutRange = (args: string[]) => args.filter((a, i) => !["--from", "--to"].includes(a) && !["--from", "--to"].includes(args[i - 1] ?? ""));

describe("replay command", () => {
  it("a dry run prints the summary and the first rows; with nothing blocked it exits 0", async () => {
    const world = await startWorld();
    const c = capture();
    await run(world, world.args(["--users", "2", "--show", "2"]), c.io);
    expect(c.out()).toContain("(dry-run) 2026-03-02 … 2026-03-13");
    expect(c.out()).toContain("Entries  3: 2 to create, 1 already in Kleer, 0 blocked");
    expect(c.out()).toContain("Dry run: nothing was written to Kleer. Add --apply to write.");
    expect(c.out()).toMatch(/^2 +400000000000000201 +2026-03-02 5502\/801\/901 +6 +create +"Ebba dag"$/m);
    expect(c.out()).toContain("… 1 more row in the report (table replay_plan)");
    expect(world.writes()).toEqual([]);
  });

  it("--show 0 says how many rows were planned instead of claiming the range is empty", async () => {
    const world = await startWorld();
    const c = capture();
    await run(world, world.args(["--users", "2", "--show", "0"]), c.io);
    expect(c.out()).toContain("Entries  3: 2 to create, 1 already in Kleer, 0 blocked");
    expect(c.out()).toContain("3 plan rows; none shown (--show 0): all are in the report (table replay_plan)");
    expect(c.out()).not.toContain("No legacy entries in the range.");
    expect(c.out()).not.toMatch(/^2 +400000000000000201 /m);
  });

  it("exits 1 when entries are blocked, naming the counts", async () => {
    const world = await startWorld();
    const c = capture();
    const failure = await run(world, world.args(), c.io).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CommandExit);
    expect(failure).toMatchObject({ exitCode: 1, message: "replay incomplete: 4 blocked, 0 failed, 0 unsettled" });
    expect(c.out()).toMatch(/day_locked: 2026-03-10 is approved in Kleer for user 5501/);
  });

  it("needs a range unless resuming, and --resume needs --apply", async () => {
    const world = await startWorld();
    await expect(run(world, withoutRange(world.args()))).rejects.toMatchObject({ code: "CONFIG", issues: [expect.stringContaining("--from and --to are required")] });
    await run(world, world.args(["--users", "2", "--apply"]));
    const runId = latestReplayRun(world.reportFile)!;
    await expect(run(world, withoutRange(world.args(["--users", "2", "--resume", runId])))).rejects.toMatchObject({ code: "USAGE" });
    await expect(run(world, [...withoutRange(world.args(["--users", "2", "--resume", runId, "--apply"])), "--from", RANGE.from, "--to", "2026-03-31"])).rejects.toMatchObject({
      code: "CONFIG",
      message: expect.stringContaining("replays 2026-03-02 … 2026-03-13"),
    });
    // The stored plan is for Kleer user 5502: a mapping that moved the person elsewhere is refused.
    writeFileSync(world.mappingFile, JSON.stringify({ ...MAPPING, users: MAPPING.users.map((u) => (u.tokiUserId === 2 ? { ...u, kleerUserId: 5501 } : u.tokiUserId === 1 ? { ...u, kleerUserId: null } : u)) }));
    await expect(run(world, withoutRange(world.args(["--users", "2", "--resume", runId, "--apply"])))).rejects.toMatchObject({
      code: "CONFIG",
      issues: ["Toki user 2: planned for Kleer user 5502, now mapped to 5501; start a new run"],
    });
  });

  it("a user whose Milltime login fails gets nothing written (exit 3); resuming after the fix completes the run", async () => {
    const world = await startWorld();
    writeFileSync(world.credentialsFile, JSON.stringify(CREDENTIALS.map((c) => (c.tokiUserId === 2 ? { ...c, password: "wrong-password-1" } : c))));
    const first = capture();
    const failure = await run(world, world.args(["--apply"]), first.io).catch((e: unknown) => e);
    expect(failure).toMatchObject({ exitCode: 3, message: expect.stringContaining("1 user(s) could not be read") });
    expect(first.out()).toMatch(/user 2: milltime: AUTH_FAILED/);
    expect(first.out()).not.toContain("wrong-password-1");
    expect(world.events().filter((e) => e.userId === 5502)).toHaveLength(1); // only the pre-existing one
    const runId = latestReplayRun(world.reportFile)!;

    writeFileSync(world.credentialsFile, JSON.stringify(CREDENTIALS));
    const second = capture();
    const resumed = await run(world, withoutRange(world.args(["--apply", "--resume", runId])), second.io).catch((e: unknown) => e);
    expect(resumed).toMatchObject({ exitCode: 1, message: "replay incomplete: 4 blocked, 0 failed, 0 unsettled" });
    expect(second.out()).toContain(`Replay run ${runId} (apply, resumed)`);
    expect(second.out()).toContain("Written  6 created, 1 found existing, 0 failed, 0 unsettled");
    const ebba = world.events().filter((e) => e.userId === 5502).map((e) => e.foreignId).sort();
    expect(ebba).toEqual([`milltime:${R.ebbaDay}`, `milltime:${R.ebbaEmptyNote}`, `milltime:${R.ebbaPreExisting}`]);
    expect(world.writes().filter((w) => w.startsWith("PUT"))).toHaveLength(6);
  });
});
