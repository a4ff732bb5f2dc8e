import { describe, expect, it } from "vitest";
import { replayFromConfig } from "../../src/replay/index.js";
import { foreignIdCounts, R, REPLAYABLE, startWorld } from "./replay-fixture.js";

const puts = (world: Awaited<ReturnType<typeof startWorld>>) => world.kleer.requestLog.filter((r) => r.method === "PUT").length;

describe("write decisions never rest on an empty-looking reply", () => {
  it("a re-run whose event listings come back as a well-formed {} writes nothing for those users", async () => {
    const world = await startWorld();
    const first = await replayFromConfig(world.config(), { apply: true });
    expect(first.replay.created).toBe(6);
    const before = puts(world);

    // Every GET under /event (listings, day statuses) answers `{}`: Toki would read "no events".
    world.kleer.setFaults({ emptyReplyRate: 1, emptyReplyPath: "/event" });
    const again = await replayFromConfig(world.config(), { apply: true });
    expect(puts(world)).toBe(before);
    expect(again.replay.usersWithSourceErrors).toBe(2);
    expect(again.replay.userErrors.map((e) => [e.tokiUserId, e.system])).toEqual([
      [1, "kleer"],
      [2, "kleer"],
    ]);
    expect(again.replay.userErrors[0]?.message).toMatch(/event-readables|event-restriction-readables/);
    expect(world.kleer.requestLog.some((r) => r.fault === "empty-reply")).toBe(true);
    const counts = foreignIdCounts(world);
    for (const id of REPLAYABLE) expect(counts.get(`milltime:${id}`), id).toBe(1);
  });

  it("an event the journal holds but the listing misses is confirmed by GET and not written again", async () => {
    const world = await startWorld();
    const first = await replayFromConfig(world.config(), { apply: true });
    const journal = world.report().prepare("SELECT kleer_event_id FROM replay_journal WHERE run_id = ? AND legacy_id = ? AND outcome = 'created'");
    const eventId = Number((journal.get(first.replay.runId, R.svenHistory) as { kleer_event_id: string }).kleer_event_id);
    // Someone moved the event far outside the replayed days: the listing no longer shows it.
    const event = world.kleer.state.event(eventId)!;
    const moved = world.kleer.state.updateEvent(eventId, {
      foreignId: event.foreignId,
      userId: event.userId,
      activityId: event.activityId,
      projectId: event.projectId,
      child: null,
      date: "2026-06-01",
      hours: event.hours,
      comment: event.comment,
      internalComment: null,
    });
    expect(moved.ok).toBe(true);
    const before = puts(world);

    const again = await replayFromConfig(world.config(), { apply: true });
    expect(puts(world)).toBe(before);
    expect(foreignIdCounts(world).get(`milltime:${R.svenHistory}`)).toBe(1);
    const row = world.report().prepare("SELECT action, existing_event_id, reason FROM replay_plan WHERE run_id = ? AND legacy_id = ?").get(again.replay.runId, R.svenHistory) as Record<string, string>;
    expect(row).toMatchObject({ action: "skip-existing", existing_event_id: String(eventId) });
    expect(row.reason).toContain(`GET /event/${eventId}`);
    // A GET was needed for exactly that one entry.
    expect(world.kleer.requestLog.filter((r) => r.method === "GET" && r.url.includes(`/event/${eventId}`))).toHaveLength(1);
  });
});
