import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SecretRedactor } from "../../src/http/redact.js";
import { createReportStore } from "../../src/report/report-store.js";
import { createReplayJournal, settledEventsOf } from "../../src/replay/replay-journal.js";
import type { PlanRow } from "../../src/replay/replay-types.js";

function planRow(legacyId: string, userKey = 1): PlanRow {
  return {
    userKey, legacyId, date: "2026-03-03", kleerUserId: 5501, kleerProjectId: 801, kleerProjectName: "Webbplats", kleerActivityId: 901,
    kleerActivityName: "Utveckling", hours: 1.5, minutes: 90, note: "Arbete", foreignId: `milltime:${legacyId}`, startTime: "2026-03-03T07:00:00.000Z",
    endTime: "2026-03-03T08:30:00.000Z", startSource: "synthetic", action: "create", reasonCode: null, reason: null, existingEventId: null,
  };
}

/** A journal on a fresh report file whose clock moves one second per reading. */
function freshJournal(redactor?: SecretRedactor) {
  let tick = 0;
  const clock = { now: () => new Date(Date.UTC(2026, 10, 25, 10, 0, tick++)) };
  const db = new Database(":memory:");
  createReportStore(db, { clock });
  tick = 0;
  const journal = createReplayJournal(db, redactor === undefined ? { clock } : { clock, redactor });
  const cleanup = (eventId: string, action: "deleted" | "already-gone" | "kept" | "would-delete") =>
    db
      .prepare("INSERT INTO replay_cleanup (cleanup_run_id, replay_run_id, user_key, legacy_id, kleer_event_id, action, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run("cleanup-1", "run-a", 1, "x", eventId, action, null, "2026-11-25T11:00:00.000Z");
  return { journal, cleanup, db };
}

describe("replay journal rows", () => {
  it("an intent is stored before its outcome with everything needed to resume, and completed in place", () => {
    const { journal } = freshJournal();
    const id = journal.recordIntent("run-a", planRow("100"), 5501, 1);
    expect(journal.read("run-a")).toEqual([
      {
        id, runId: "run-a", userKey: 1, legacyId: "100", foreignId: "milltime:100", kleerUserId: 5501, attempt: 1, intentAt: "2026-11-25T10:00:00.000Z",
        outcome: null, kleerEventId: null, resolvedBy: null, errorCode: null, errorMessage: null, outcomeAt: null,
      },
    ]);
    journal.recordOutcome(id, { outcome: "created", kleerEventId: "7001", resolvedBy: "reply" });
    expect(journal.read("run-a")[0]).toMatchObject({ outcome: "created", kleerEventId: "7001", resolvedBy: "reply", errorCode: null, errorMessage: null, outcomeAt: "2026-11-25T10:00:01.000Z" });
  });

  it("a failure keeps its code and a redacted message, and names no event", () => {
    const redactor = new SecretRedactor();
    redactor.add("s3cret-session-id");
    const { journal } = freshJournal(redactor);
    const id = journal.recordIntent("run-a", planRow("100"), 5501, 2);
    journal.recordOutcome(id, { outcome: "failed", errorCode: "PROVIDER_ERROR", errorMessage: "HTTP 400 for session s3cret-session-id", resolvedBy: "reply" });
    const [record] = journal.read("run-a");
    expect(record).toMatchObject({ outcome: "failed", kleerEventId: null, errorCode: "PROVIDER_ERROR", resolvedBy: "reply", attempt: 2 });
    expect(record!.errorMessage).not.toContain("s3cret-session-id");
    expect(record!.errorMessage).toContain("HTTP 400 for session");
  });

  it("an outcome once recorded is never rewritten (a late second completion cannot turn a created event into a failure)", () => {
    const { journal } = freshJournal();
    const id = journal.recordIntent("run-a", planRow("100"), 5501, 1);
    journal.recordOutcome(id, { outcome: "created", kleerEventId: "7001", resolvedBy: "lookup" });
    journal.recordOutcome(id, { outcome: "failed", errorCode: "UNREACHABLE", errorMessage: "socket closed", resolvedBy: "reply" });
    expect(journal.read("run-a")[0]).toMatchObject({ outcome: "created", kleerEventId: "7001", resolvedBy: "lookup", errorCode: null });
  });

  it("an event found before any request is recorded as attempt 0, resolved by lookup, in one row", () => {
    const { journal } = freshJournal();
    journal.recordExisting("run-a", planRow("100"), 5501, "7005");
    expect(journal.read("run-a")).toEqual([
      expect.objectContaining({
        attempt: 0, outcome: "resolved-existing", kleerEventId: "7005", resolvedBy: "lookup", intentAt: "2026-11-25T10:00:00.000Z", outcomeAt: "2026-11-25T10:00:00.000Z",
        legacyId: "100", foreignId: "milltime:100", kleerUserId: 5501, userKey: 1,
      }),
    ]);
  });

  it("reads one run (of one user when asked) in write order", () => {
    const { journal } = freshJournal();
    journal.recordIntent("run-a", planRow("100", 1), 5501, 1);
    journal.recordIntent("run-b", planRow("100", 1), 5501, 1);
    journal.recordIntent("run-a", planRow("200", 2), 5502, 1);
    journal.recordIntent("run-a", planRow("101", 1), 5501, 1);
    expect(journal.read("run-a").map((r) => r.legacyId)).toEqual(["100", "200", "101"]);
    expect(journal.read("run-a", 1).map((r) => r.legacyId)).toEqual(["100", "101"]);
    expect(journal.read("run-b").map((r) => [r.runId, r.legacyId])).toEqual([["run-b", "100"]]);
  });
});

describe("statesOf: where each entry stands when a run resumes", () => {
  it("a crash between intent and outcome leaves the entry pending with its attempt counted", () => {
    const { journal } = freshJournal();
    const first = journal.recordIntent("run-a", planRow("100"), 5501, 1);
    journal.recordOutcome(first, { outcome: "failed", errorCode: "PROVIDER_ERROR", errorMessage: "HTTP 503", resolvedBy: "reply" });
    const second = journal.recordIntent("run-a", planRow("100"), 5501, 2);
    const state = journal.statesOf("run-a", 1).get("100");
    expect(state?.pending?.id).toBe(second);
    expect(state?.lastFailure?.id).toBe(first);
    expect(state?.settled).toBeUndefined();
    expect(state?.attempts).toBe(2);
  });

  it("the first settling row is the one kept, the latest failure the one reported, and a lookup row adds no attempt", () => {
    const { journal } = freshJournal();
    journal.recordExisting("run-a", planRow("100"), 5501, "7005");
    const a = journal.recordIntent("run-a", planRow("100"), 5501, 3);
    journal.recordOutcome(a, { outcome: "created", kleerEventId: "7009", resolvedBy: "reply" });
    const f1 = journal.recordIntent("run-a", planRow("101"), 5501, 1);
    journal.recordOutcome(f1, { outcome: "failed", errorCode: "E1", errorMessage: "first", resolvedBy: "reply" });
    const f2 = journal.recordIntent("run-a", planRow("101"), 5501, 2);
    journal.recordOutcome(f2, { outcome: "failed", errorCode: "E2", errorMessage: "second", resolvedBy: "reply" });
    journal.recordExisting("run-a", planRow("102"), 5501, "7010");
    const states = journal.statesOf("run-a", 1);
    expect(states.get("100")).toMatchObject({ pending: undefined, lastFailure: undefined, attempts: 3, settled: { kleerEventId: "7005", outcome: "resolved-existing" } });
    expect(states.get("101")).toMatchObject({ pending: undefined, settled: undefined, attempts: 2, lastFailure: { errorCode: "E2" } });
    expect(states.get("102")).toMatchObject({ attempts: 0, settled: { kleerEventId: "7010" } });
    expect([...states.keys()]).toEqual(["100", "101", "102"]);
  });

  it("keeps runs and users apart", () => {
    const { journal } = freshJournal();
    journal.recordIntent("run-b", planRow("100"), 5501, 1);
    journal.recordIntent("run-a", planRow("100", 2), 5502, 1);
    expect(journal.statesOf("run-a", 1).size).toBe(0);
    expect(journal.statesOf("run-a", 2).get("100")?.attempts).toBe(1);
  });
});

describe("what other runs of the same report file wrote", () => {
  it("createdByAnotherRun: only a created outcome of a different run counts", () => {
    const { journal } = freshJournal();
    const a = journal.recordIntent("run-a", planRow("100"), 5501, 1);
    journal.recordOutcome(a, { outcome: "created", kleerEventId: "7001", resolvedBy: "reply" });
    journal.recordExisting("run-b", planRow("101"), 5501, "7002");
    expect(journal.createdByAnotherRun("run-b", "7001")).toBe(true);
    expect(journal.createdByAnotherRun("run-a", "7001")).toBe(false);
    expect(journal.createdByAnotherRun("run-a", "7002")).toBe(false);
    expect(journal.createdByAnotherRun("run-b", "7999")).toBe(false);
  });

  it("journaledEvents maps every settling event to its legacy entry across runs, failures and pending intents left out", () => {
    const { journal } = freshJournal();
    const a = journal.recordIntent("run-a", planRow("100"), 5501, 1);
    journal.recordOutcome(a, { outcome: "created", kleerEventId: "7001", resolvedBy: "reply" });
    journal.recordExisting("run-b", planRow("101"), 5501, "7002");
    const f = journal.recordIntent("run-b", planRow("102"), 5501, 1);
    journal.recordOutcome(f, { outcome: "failed", errorCode: "E", errorMessage: "no", resolvedBy: "reply" });
    journal.recordIntent("run-b", planRow("103"), 5501, 1);
    expect(journal.journaledEvents()).toEqual(
      new Map([
        ["7001", "100"],
        ["7002", "101"],
      ]),
    );
  });

  it("journaledEventsByLegacyId lists each entry's events oldest first, once, without those a cleanup deleted or found gone", () => {
    const { journal, cleanup } = freshJournal();
    for (const [run, legacy, event] of [
      ["run-a", "100", "7003"],
      ["run-b", "100", "7001"],
      ["run-c", "100", "7003"],
      ["run-a", "101", "7004"],
      ["run-a", "102", "7005"],
      ["run-a", "103", "7006"],
      ["run-a", "104", "7007"],
    ] as const)
      journal.recordExisting(run, planRow(legacy), 5501, event);
    const f = journal.recordIntent("run-a", planRow("105"), 5501, 1);
    journal.recordOutcome(f, { outcome: "failed", errorCode: "E", errorMessage: "no", resolvedBy: "reply" });
    cleanup("7004", "deleted");
    cleanup("7005", "already-gone");
    cleanup("7006", "kept");
    cleanup("7007", "would-delete");
    expect(journal.journaledEventsByLegacyId()).toEqual(
      new Map([
        ["100", ["7003", "7001"]],
        ["103", ["7006"]],
        ["104", ["7007"]],
      ]),
    );
  });
});

describe("settledEventsOf: the relinks a run established", () => {
  it("one row per user and legacy entry (the first settling one), failures and pending intents left out", () => {
    const { journal } = freshJournal();
    const a = journal.recordIntent("run-a", planRow("100", 1), 5501, 1);
    journal.recordOutcome(a, { outcome: "created", kleerEventId: "7001", resolvedBy: "reply" });
    journal.recordExisting("run-a", planRow("100", 1), 5501, "7099");
    journal.recordExisting("run-a", planRow("100", 2), 5502, "7002");
    const f = journal.recordIntent("run-a", planRow("101", 1), 5501, 1);
    journal.recordOutcome(f, { outcome: "failed", errorCode: "E", errorMessage: "no", resolvedBy: "reply" });
    journal.recordIntent("run-a", planRow("102", 1), 5501, 1);
    journal.recordExisting("run-b", planRow("103", 1), 5501, "7003");
    expect(settledEventsOf(journal, "run-a")).toEqual([
      { userKey: 1, legacyId: "100", kleerEventId: "7001", kleerUserId: 5501, outcome: "created" },
      { userKey: 2, legacyId: "100", kleerEventId: "7002", kleerUserId: 5502, outcome: "resolved-existing" },
    ]);
  });
});
