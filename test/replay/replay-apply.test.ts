import { describe, expect, it } from "vitest";
import { localDateOf } from "../../src/domain/calendar.js";
import { replayFromConfig } from "../../src/replay/index.js";
import { BLOCKED, extraRegistrations, foreignIdCounts, PRE_EXISTING, R, REPLAYABLE, startWorld, ZONE } from "./replay-fixture.js";

const fid = (id: string) => `milltime:${id}`;

describe("replay plan (dry run)", () => {
  it("plans every legacy entry with its checks and writes nothing to Kleer", async () => {
    const world = await startWorld();
    const before = world.events();
    const { replay, preview, compare } = await replayFromConfig(world.config(), { apply: false });

    expect(world.writes()).toEqual([]);
    expect(world.events()).toEqual(before);
    expect(compare).toBeNull();
    expect(replay).toMatchObject({
      mode: "dry-run",
      users: 3,
      usersPlanned: 3,
      usersWithSourceErrors: 0,
      entries: 11,
      plannedCreate: 6,
      plannedSkipExisting: 1,
      blocked: 4,
      blockedByReason: { activity_not_allowed: 1, project_unmapped: 1, day_locked: 1, user_unmapped: 1 },
      created: 0,
      writeRequests: 0,
    });
    expect(preview).toHaveLength(11);

    const rows = world
      .report()
      .prepare("SELECT * FROM replay_plan WHERE run_id = ? ORDER BY legacy_id")
      .all(replay.runId) as Array<Record<string, unknown>>;
    const byId = new Map(rows.map((r) => [String(r.legacy_id), r]));
    expect([...byId.keys()].sort()).toEqual([...REPLAYABLE, ...BLOCKED].sort());
    for (const id of BLOCKED) expect(byId.get(id)?.action).toBe("blocked");
    expect(byId.get(R.svenActivityNotAllowed)).toMatchObject({ reason_code: "activity_not_allowed", kleer_user_id: 5501, kleer_project_id: 801, kleer_activity_id: 902 });
    expect(byId.get(R.svenProjectUnmapped)).toMatchObject({ reason_code: "project_unmapped", kleer_project_id: null });
    expect(byId.get(R.svenLockedDay)).toMatchObject({ reason_code: "day_locked" });
    expect(String(byId.get(R.svenLockedDay)?.reason)).toContain("approved");
    expect(byId.get(R.olleUnmapped)).toMatchObject({ reason_code: "user_unmapped", kleer_user_id: null });
    expect(byId.get(R.ebbaPreExisting)).toMatchObject({ action: "skip-existing", existing_event_id: String(PRE_EXISTING.ebbaReplayed) });

    // The event Toki would write: mapped ids, local day, Milltime's hours, note or placeholder, foreign-id.
    expect(byId.get(R.svenHistory)).toMatchObject({
      action: "create",
      date: "2026-03-02",
      kleer_user_id: 5501,
      kleer_project_id: 801,
      kleer_activity_id: 901,
      hours: 7.5,
      minutes: 450,
      note: "Startmöte",
      foreign_id: fid(R.svenHistory),
      start_source: "history",
      start_time: "2026-03-02T06:15:00.000Z",
      end_time: "2026-03-02T13:45:00.000Z",
    });
    expect(byId.get(R.svenBlankNote)).toMatchObject({ note: "missing note", start_source: "synthetic", start_time: "2026-03-03T07:00:00.000Z", hours: 8 });
    expect(byId.get(R.ebbaEmptyNote)).toMatchObject({ note: "missing note", hours: 2.5 });
    // A true start 00:10 local is the previous day in UTC; the registration day stays the local one.
    const late = byId.get(R.svenAfterMidnight)!;
    expect(late).toMatchObject({ start_source: "history", start_time: "2026-03-05T23:10:00.000Z", date: "2026-03-06", hours: 0.75 });
    expect(localDateOf(String(late.start_time), ZONE)).toBe("2026-03-06");

    const run = world.report().prepare("SELECT command, status FROM runs WHERE run_id = ?").get(replay.runId);
    expect(run).toEqual({ command: "replay", status: "completed" });
  });
});

describe("replay --apply", () => {
  it("creates exactly one event per replayable entry, then compares, and a re-run is a no-op", async () => {
    const world = await startWorld();
    const { replay, compare } = await replayFromConfig(world.config(), { apply: true });

    expect(replay).toMatchObject({ mode: "apply", created: 6, resolvedExisting: 1, failed: 0, unsettled: 0, blocked: 4, writeRequests: 6 });
    const counts = foreignIdCounts(world);
    for (const id of REPLAYABLE) expect(counts.get(fid(id)), id).toBe(1);
    for (const id of BLOCKED) expect(counts.has(fid(id)), id).toBe(false);
    expect(world.events()).toHaveLength(2 + 6);
    expect(world.writes().filter((w) => w.startsWith("PUT"))).toHaveLength(6);

    const created = world.events().find((e) => e.foreignId === fid(R.svenAfterMidnight))!;
    expect(created).toMatchObject({ userId: 5501, projectId: 801, activityId: 901, date: "2026-03-06", hours: 0.75, comment: "Nattjobb" });
    const blank = world.events().find((e) => e.foreignId === fid(R.svenBlankNote))!;
    expect(blank).toMatchObject({ comment: "missing note", hours: 8, date: "2026-03-03" });

    // The compare run is in the same file, linked to the replay run, and pairs every replayed entry.
    expect(compare).not.toBeNull();
    expect(replay.compareRunId).toBe(compare!.runId);
    const db = world.report();
    const compareRun = db.prepare("SELECT command, options_json FROM runs WHERE run_id = ?").get(compare!.runId) as { command: string; options_json: string };
    expect(compareRun.command).toBe("compare");
    expect(JSON.parse(compareRun.options_json)).toMatchObject({ replayRun: replay.runId, relinks: 7 });
    const summary = JSON.parse((db.prepare("SELECT summary_json FROM runs WHERE run_id = ?").get(replay.runId) as { summary_json: string }).summary_json);
    expect(summary.compareRunId).toBe(compare!.runId);
    const entries = db.prepare("SELECT legacy_id, outcome FROM entries WHERE run_id = ?").all(compare!.runId) as Array<{ legacy_id: string; outcome: string }>;
    const outcome = new Map(entries.map((e) => [e.legacy_id, e.outcome]));
    for (const id of REPLAYABLE) expect(["match", "mismatch"]).toContain(outcome.get(id));
    expect(outcome.get(R.svenLockedDay)).toBe("missing_in_kleer");

    // Journal: one intent + outcome per created entry, a resolved-existing row for the pre-existing one.
    const journal = db.prepare("SELECT legacy_id, outcome, resolved_by, attempt FROM replay_journal WHERE run_id = ? ORDER BY legacy_id").all(replay.runId);
    expect(journal).toHaveLength(7);
    expect(journal).toContainEqual({ legacy_id: R.ebbaPreExisting, outcome: "resolved-existing", resolved_by: "lookup", attempt: 0 });
    expect(journal).toContainEqual({ legacy_id: R.svenHistory, outcome: "created", resolved_by: "reply", attempt: 1 });

    // Re-running is a no-op: nothing is written, every entry is found.
    const writesBefore = world.writes().length;
    const again = await replayFromConfig(world.config(), { apply: true });
    expect(world.writes()).toHaveLength(writesBefore);
    expect(again.replay).toMatchObject({ plannedCreate: 0, plannedSkipExisting: 7, created: 0, resolvedExisting: 7, writeRequests: 0 });
    expect(world.events()).toHaveLength(8);
  });
});

describe("replay --apply after edits in Kleer", () => {
  it("an event edited through Toki since (new foreign-id) still holds its entry: a re-run does not write it again", async () => {
    const world = await startWorld();
    await replayFromConfig(world.config({ users: [1] }), { apply: true });
    const edited = world.events().find((e) => e.foreignId === fid(R.svenProject2))!;
    world.kleer.state.updateEvent(edited.id, {
      foreignId: "toki-5501-802-903-1772690400000000000", userId: edited.userId, activityId: edited.activityId, projectId: edited.projectId,
      child: null, date: edited.date, hours: 1.25, comment: "Kund, rättad", internalComment: null,
    });
    const puts = world.writes().filter((w) => w.startsWith("PUT")).length;
    const { replay } = await replayFromConfig(world.config({ users: [1] }), { apply: true });
    expect(world.writes().filter((w) => w.startsWith("PUT"))).toHaveLength(puts);
    expect(replay).toMatchObject({ plannedCreate: 0, plannedSkipExisting: 4, created: 0, resolvedExisting: 4 });
    const row = world.report().prepare("SELECT action, existing_event_id, reason FROM replay_plan WHERE run_id = ? AND legacy_id = ?").get(replay.runId, R.svenProject2) as Record<string, string>;
    expect(row).toMatchObject({ action: "skip-existing", existing_event_id: String(edited.id) });
    expect(row.reason).toContain("written for this entry by an earlier replay run");
  });
});

describe("replay --apply under lost replies", () => {
  it("drop-after-write faults (the write happens, the reply is lost) produce no duplicate", async () => {
    const extra = extraRegistrations(20).map((r) => r.registrationId);
    const world = await startWorld({ extraEntries: 20, kleerFaults: { dropAfterWriteRate: 0.5, seed: 11 } });
    const { replay } = await replayFromConfig(world.config(), { apply: true });

    const dropped = world.kleer.requestLog.filter((r) => r.fault === "drop-after-write");
    expect(dropped.length).toBeGreaterThan(3);
    expect(replay).toMatchObject({ created: 26, resolvedExisting: 1, failed: 0, unsettled: 0 });
    const counts = foreignIdCounts(world);
    for (const id of [...REPLAYABLE, ...extra]) expect(counts.get(fid(id)), id).toBe(1);
    expect(world.events()).toHaveLength(2 + 26);
    // Every lost reply was settled by looking the foreign-id up, never by a second PUT.
    expect(world.writes().filter((w) => w.startsWith("PUT"))).toHaveLength(26);
    const byLookup = world.report().prepare("SELECT COUNT(*) AS n FROM replay_journal WHERE run_id = ? AND outcome = 'created' AND resolved_by = 'lookup'").get(replay.runId) as { n: number };
    expect(byLookup.n).toBe(dropped.length);
  });
});
