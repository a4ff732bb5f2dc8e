import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cleanupDuplicates, replayFromConfig } from "../../src/replay/index.js";
import { KLEER_TOKEN, PRE_EXISTING, R, REPLAYABLE, startWorld } from "./replay-fixture.js";
import { latestReplayRun, runCliProcess, spawnCli } from "./replay-cli-support.js";

const fid = (id: string) => `milltime:${id}`;
/** The six entries the base scenario creates (the seventh is in Kleer before any replay). */
const CREATED = REPLAYABLE.filter((id) => id !== R.ebbaPreExisting);

/** Rows of one report file, opened read-only and closed again. */
function query<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const createdEvents = (file: string) =>
  new Set(query<{ kleer_event_id: string }>(file, "SELECT kleer_event_id FROM replay_journal WHERE outcome = 'created'").map((r) => Number(r.kleer_event_id)));

describe("two replays from different report files into one company", () => {
  it("both write (no lease spans two files); the read-back reports duplicate_in_kleer with the event ids; cleanup --duplicates --apply leaves one event per entry and never another file's", { timeout: 180_000 }, async () => {
    const world = await startWorld();
    const fileA = world.reportFile;
    const fileB = join(world.dir, "other-desk.sqlite");
    // Writes wait until both processes have planned: each listed the company before either wrote.
    const hold = world.kleer.holdWrites();
    const a = spawnCli(["replay", ...world.args(["--apply", "--concurrency", "1"])]);
    const b = spawnCli(["replay", ...world.args(["--report", fileB, "--apply", "--concurrency", "1"])]);
    let exited = 0;
    void a.done.then(() => exited++);
    void b.done.then(() => exited++);
    while (hold.waiting() < 2 && exited === 0) await sleep(10);
    hold.release();
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.stderr).toBe(1);
    expect(rb.code, rb.stderr).toBe(1);
    for (const id of CREATED) expect(world.events().filter((e) => e.foreignId === fid(id)), id).toHaveLength(2);

    // (The compare after each apply names them too, one finding per extra event.) Per entry, the
    // replay process whose create came last read both events back: together the two
    // files name every duplicated entry, each with its two event ids.
    const findings = [fileA, fileB].flatMap((file) =>
      query<{ legacy_id: string; severity: string; kleer_value: string; details_json: string; run_id: string }>(file, "SELECT * FROM findings WHERE kind = 'duplicate_in_kleer' AND run_id IN (SELECT run_id FROM replay_runs)"),
    );
    const named = new Set(findings.map((f) => f.legacy_id));
    expect([...named].sort()).toEqual([...CREATED].sort());
    for (const f of findings) {
      const ids = world.events().filter((e) => e.foreignId === fid(f.legacy_id)).map((e) => String(e.id)).sort((x, y) => Number(x) - Number(y));
      expect(f.severity).toBe("blocking");
      expect(f.kleer_value).toBe(ids.join(", "));
      expect(JSON.parse(f.details_json)).toMatchObject({ eventIds: ids.join(","), events: 2, source: "replay read-back" });
    }
    expect(`${ra.stdout}${rb.stdout}`).toContain("with more than one Kleer event (duplicate_in_kleer");
    expect(`${ra.stderr}${rb.stderr}`).toMatch(/more than one Kleer event \(toki-parity cleanup --duplicates --report \S+ --apply\)/);

    const cleanup = (file: string, extra: string[] = []) => runCliProcess(["cleanup", "--duplicates", "--report", file, "--kleer-token", KLEER_TOKEN, ...extra]);
    const eventsBefore = world.events().length;
    const dry = await cleanup(fileB);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("6 legacy entries with more than one Kleer event");
    expect(dry.stdout).toContain("Would delete 6 extra copies this report file's replays created; 0 entries would still have more than one event");
    expect(world.events()).toHaveLength(eventsBefore);
    expect(world.writes().filter((w) => w.startsWith("DELETE"))).toEqual([]);

    const fromA = createdEvents(fileA);
    const fromB = createdEvents(fileB);
    const applied = await cleanup(fileB, ["--apply"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Deleted 6 extra copies");
    for (const id of CREATED) {
      const left = world.events().filter((e) => e.foreignId === fid(id));
      expect(left, id).toHaveLength(1);
      // The copy kept is file A's: file B never deletes an event its journal did not create.
      expect(fromA.has(left[0]!.id), id).toBe(true);
    }
    const deletes = world.kleer.requestLog.filter((r) => r.method === "DELETE");
    expect(deletes).toHaveLength(6);
    for (const d of deletes) {
      const id = Number(d.url.split("/").at(-1));
      expect(fromB.has(id), d.url).toBe(true);
      // Verified by GET after the delete: Kleer answers 404.
      expect(world.kleer.requestLog.some((r) => r.method === "GET" && r.url.split("?")[0]!.endsWith(`/event/${id}`) && r.status === 404), d.url).toBe(true);
    }
    expect(world.kleer.state.event(PRE_EXISTING.unrelated)).toBeDefined();
    expect(world.kleer.state.event(PRE_EXISTING.ebbaReplayed)).toBeDefined();
    // The deletions are in B's cleanup log under the run that created them.
    const logged = query<{ action: string; n: number }>(fileB, "SELECT action, COUNT(*) AS n FROM replay_cleanup GROUP BY action ORDER BY action");
    expect(logged).toEqual([{ action: "deleted", n: 6 }, { action: "would-delete", n: 6 }]);

    // File A finds nothing left to do, and a resumed run of B reads back clean: its findings are replaced.
    const again = await cleanup(fileA, ["--apply"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 legacy entries with more than one Kleer event");
    expect(world.kleer.requestLog.filter((r) => r.method === "DELETE")).toHaveLength(6);
    const runB = latestReplayRun(fileB)!;
    const resumed = await replayFromConfig(world.config({ reportFile: fileB }), { apply: true, resumeRunId: runB });
    expect(resumed.replay.duplicatesInKleer).toEqual([]);
    expect(query(fileB, "SELECT 1 FROM findings WHERE kind = 'duplicate_in_kleer' AND run_id = ?", runB)).toEqual([]);
  });
});

describe("a user-created event that shares the foreign-id", () => {
  it("is reported with the replay's copy and left alone by cleanup --duplicates", { timeout: 60_000 }, async () => {
    const world = await startWorld();
    const first = await replayFromConfig(world.config(), { apply: true });
    expect(first.replay.duplicatesInKleer).toEqual([]);
    const ours = world.events().find((e) => e.foreignId === fid(R.svenHistory))!;
    // Someone typed the entry into Kleer by hand, with the same foreign-id.
    const typed = world.kleer.state.createEvent({
      foreignId: fid(R.svenHistory),
      userId: 5501,
      activityId: 901,
      projectId: 801,
      child: null,
      date: "2026-03-02",
      hours: 7.5,
      comment: "Startmöte (inmatat för hand)",
      internalComment: null,
    });
    if (!typed.ok) throw new Error(typed.message);

    const second = await replayFromConfig(world.config(), { apply: true });
    expect(second.replay.writeRequests).toBe(0);
    expect(second.replay.duplicatesInKleer).toEqual([
      { tokiUserId: 1, kleerUserId: 5501, legacyId: R.svenHistory, date: "2026-03-02", eventIds: [String(ours.id), String(typed.id)] },
    ]);

    const options = { reportFile: world.reportFile, kleer: { token: KLEER_TOKEN } };
    const dry = await cleanupDuplicates({ ...options, apply: false });
    expect(dry.items).toEqual([
      expect.objectContaining({ kleerEventId: String(ours.id), action: "would-delete", reason: expect.stringContaining(`event ${typed.id} holds the entry`) }),
      expect.objectContaining({ kleerEventId: String(typed.id), action: "left", reason: expect.stringContaining("not created by a replay of this report file") }),
    ]);
    const applied = await cleanupDuplicates({ ...options, apply: true });
    expect(applied).toMatchObject({ entries: 1, deleted: 1, remaining: [] });
    expect(world.kleer.state.event(typed.id)).toMatchObject({ comment: "Startmöte (inmatat för hand)", hours: 7.5, foreignId: fid(R.svenHistory) });
    expect(world.kleer.state.event(ours.id)).toBeUndefined();
    expect(world.events().filter((e) => e.foreignId === fid(R.svenHistory))).toHaveLength(1);
  });

  it("two events neither of which this report file created: nothing is deleted and the command exits 1", { timeout: 60_000 }, async () => {
    const world = await startWorld();
    await replayFromConfig(world.config({ users: [2] }), { apply: true });
    const input = { userId: 5501, activityId: 901, projectId: 801, child: null, date: "2026-03-02", hours: 7.5, comment: "för hand", internalComment: null, foreignId: fid(R.svenHistory) };
    const one = world.kleer.state.createEvent(input);
    const two = world.kleer.state.createEvent(input);
    expect(one.ok && two.ok).toBe(true);
    // A dry run plans Sven too: the read-back of a later apply names the pair.
    const run = await replayFromConfig(world.config(), { apply: true });
    expect(run.replay.duplicatesInKleer.map((d) => d.legacyId)).toEqual([R.svenHistory]);
    const cli = await runCliProcess(["cleanup", "--duplicates", "--report", world.reportFile, "--kleer-token", KLEER_TOKEN, "--apply"]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("cleanup --duplicates incomplete: 1 legacy entry still has more than one Kleer event");
    expect(world.kleer.requestLog.filter((r) => r.method === "DELETE")).toEqual([]);
  });
});

describe("a copy this report file only found by a lookup", () => {
  it("is not proven to be this file's (a lost reply, then a lookup), so cleanup --duplicates leaves it", { timeout: 60_000 }, async () => {
    const world = await startWorld({ kleerFaults: { dropAfterWriteRate: 1 } });
    const first = await replayFromConfig(world.config({ users: [1] }), { apply: true });
    expect(first.replay.created).toBe(4);
    const byLookup = query<{ n: number }>(world.reportFile, "SELECT COUNT(*) AS n FROM replay_journal WHERE outcome = 'created' AND resolved_by = 'lookup'");
    expect(byLookup).toEqual([{ n: 4 }]);
    world.kleer.setFaults({});
    const ours = world.events().find((e) => e.foreignId === fid(R.svenHistory))!;
    const typed = world.kleer.state.createEvent({ foreignId: fid(R.svenHistory), userId: 5501, activityId: 901, projectId: 801, child: null, date: "2026-03-02", hours: 7.5, comment: "för hand", internalComment: null });
    if (!typed.ok) throw new Error(typed.message);
    expect((await replayFromConfig(world.config({ users: [1] }), { apply: true })).replay.duplicatesInKleer).toHaveLength(1);

    const result = await cleanupDuplicates({ reportFile: world.reportFile, apply: true, kleer: { token: KLEER_TOKEN } });
    expect(result).toMatchObject({ entries: 1, deleted: 0, remaining: [{ tokiUserId: 1, legacyId: R.svenHistory, eventIds: [String(ours.id), String(typed.id)] }] });
    expect(result.items.find((i) => i.kleerEventId === String(ours.id))).toMatchObject({ action: "left", reason: expect.stringContaining("found it by a lookup after a create's reply was lost") });
    expect(world.kleer.requestLog.filter((r) => r.method === "DELETE")).toEqual([]);
  });
});

describe("cleanup --duplicates with the timer history", () => {
  it("keeps the copy a timer_history row points at (a relink already moved Toki's link there)", { timeout: 90_000 }, async () => {
    const world = await startWorld();
    const fileB = join(world.dir, "other-desk.sqlite");
    // Two independent in-process runs, lined up so that both plan before either writes.
    const hold = world.kleer.holdWrites();
    const runs = Promise.all([
      replayFromConfig(world.config({ concurrency: 1 }), { apply: true }),
      replayFromConfig(world.config({ concurrency: 1, reportFile: fileB }), { apply: true }),
    ]);
    while (hold.waiting() < 2) await sleep(10);
    hold.release();
    await runs;
    for (const id of CREATED) expect(world.events().filter((e) => e.foreignId === fid(id)), id).toHaveLength(2);
    const fromB = createdEvents(fileB);
    const linked = world.events().find((e) => e.foreignId === fid(R.svenHistory) && fromB.has(e.id))!;
    const history = join(world.dir, "history-after-relink.csv");
    writeFileSync(history, `id,user_id,start_time,end_time,registration_id\n77,1,2026-03-02T06:15:00.000Z,2026-03-02T13:45:00.000Z,${linked.id}\n`);

    const fromFileB = await cleanupDuplicates({ reportFile: fileB, apply: true, history, kleer: { token: KLEER_TOKEN } });
    expect(fromFileB).toMatchObject({ entries: 6, deleted: 5, linksChecked: true });
    expect(fromFileB.items).toContainEqual(expect.objectContaining({ kleerEventId: String(linked.id), action: "retained", reason: "timer_history #77 points at it: not deleted" }));
    expect(world.kleer.state.event(linked.id)).toBeDefined();
    expect(fromFileB.remaining).toEqual([{ tokiUserId: 1, legacyId: R.svenHistory, eventIds: expect.arrayContaining([String(linked.id)]) }]);

    // File A, also told about the link, removes its own copy of that entry and nothing else.
    const fromFileA = await cleanupDuplicates({ reportFile: world.reportFile, apply: true, history, kleer: { token: KLEER_TOKEN } });
    expect(fromFileA).toMatchObject({ entries: 1, deleted: 1, remaining: [] });
    for (const id of CREATED) expect(world.events().filter((e) => e.foreignId === fid(id)), id).toHaveLength(1);
    expect(world.events().find((e) => e.foreignId === fid(R.svenHistory))!.id).toBe(linked.id);
  });
});
