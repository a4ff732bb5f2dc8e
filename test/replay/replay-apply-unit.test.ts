import Database from "better-sqlite3";
import pLimit from "p-limit";
import { describe, expect, it, vi } from "vitest";
import { InvalidResponseError, ProviderHttpError, TokiError } from "../../src/domain/errors.js";
import { silentLogger } from "../../src/domain/ports.js";
import type { CreateTimeEntryRequest, DateRange, TimeEntry, TimeEntryListing } from "../../src/domain/time-entry.js";
import { SecretRedactor } from "../../src/http/redact.js";
import { createReportStore } from "../../src/report/report-store.js";
import { applyUserRows, isAmbiguousWriteFailure, MAX_CREATE_ATTEMPTS, RATE_LIMITED_CREATE_BACKOFF_MS } from "../../src/replay/replay-apply.js";
import { createReplayJournal, type ReplayJournal } from "../../src/replay/replay-journal.js";
import type { ReplayKleerClient } from "../../src/replay/replay-read.js";
import type { PlanRow } from "../../src/replay/replay-types.js";

const clock = { now: () => new Date("2026-11-25T10:00:00Z") };
const RANGE: DateRange = { from: "2026-03-02", to: "2026-03-06" };

function planRow(legacyId: string, overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    userKey: 1,
    legacyId,
    date: "2026-03-03",
    kleerUserId: 5501,
    kleerProjectId: 801,
    kleerProjectName: "Webbplats",
    kleerActivityId: 901,
    kleerActivityName: "Utveckling",
    hours: 1.5,
    minutes: 90,
    note: "Arbete",
    foreignId: `milltime:${legacyId}`,
    startTime: "2026-03-03T07:00:00.000Z",
    endTime: "2026-03-03T08:30:00.000Z",
    startSource: "synthetic",
    action: "create",
    reasonCode: null,
    reason: null,
    existingEventId: null,
    ...overrides,
  };
}

type CreateBehaviour = "ok" | "drop-after-write" | "503-before-write" | "429" | "400" | "date-locked";

/** An in-memory Kleer user: events with foreign-ids, scripted create outcomes, optional listing failures. */
function fakeKleer(script: CreateBehaviour[] = []) {
  const events: Array<{ id: string; foreignId: string; date: string }> = [];
  let nextId = 7001;
  const calls = { create: 0, list: 0 };
  const entry = (e: { id: string; foreignId: string; date: string }): TimeEntry => ({
    registrationId: e.id, projectId: "801", projectName: "Webbplats", activityId: "901", activityName: "Utveckling", date: e.date, hours: 1.5,
    note: "Arbete", startTime: null, endTime: null, weekNumber: 10, lock: { kind: "status", status: "open" }, foreignId: e.foreignId,
  });
  const unused = () => Promise.reject(new Error("not used by apply"));
  const client: ReplayKleerClient = {
    getProjects: unused,
    getActivities: unused,
    getTimeInfo: unused,
    getTimeEntries: unused,
    getTimeEntryDayStatuses: unused,
    editTimeEntry: unused,
    deleteTimeEntry: unused,
    async listTimeEntries(range): Promise<TimeEntryListing> {
      calls.list++;
      return { entries: events.filter((e) => e.date >= range.from && e.date <= range.to).map(entry), skipped: [] };
    },
    async createTimeEntry(request: CreateTimeEntryRequest) {
      calls.create++;
      const behaviour = script.shift() ?? "ok";
      const store = () => {
        const id = String(nextId++);
        events.push({ id, foreignId: request.foreignId!, date: request.startTime.slice(0, 10) });
        return id;
      };
      const http = (status: number) => new ProviderHttpError("PROVIDER_ERROR", `Kleer failed: HTTP ${status}`, { system: "kleer", status, method: "PUT", route: "/company/{companyId}/event" });
      switch (behaviour) {
        case "ok":
          return store();
        case "drop-after-write":
          store();
          throw new TokiError("UNREACHABLE", "Kleer is unreachable (PUT /company/{companyId}/event): UND_ERR_SOCKET: other side closed");
        case "503-before-write":
          throw http(503);
        case "429":
          throw http(429);
        case "400":
          throw http(400);
        case "date-locked":
          throw new TokiError("DATE_LOCKED", "2026-03-03 is approved in Kleer");
      }
    },
  };
  return { client, events, calls, seed: (foreignId: string, date = "2026-03-03") => events.push({ id: String(nextId++), foreignId, date }) };
}

function setup() {
  const db = new Database(":memory:");
  createReportStore(db, { clock });
  const journal = createReplayJournal(db, { clock });
  return { db, journal };
}

async function apply(journal: ReplayJournal, client: ReplayKleerClient, rows: PlanRow[], runId = "run-a", existing: Map<string, string[]> | null = null) {
  return applyUserRows({ runId, kleerUserId: 5501, rows, client, journal, range: RANGE, existing, writeLimit: pLimit(2), redactor: new SecretRedactor(), logger: silentLogger });
}

const journalOf = (journal: ReplayJournal, runId = "run-a") =>
  journal.read(runId).map((r) => ({ legacyId: r.legacyId, attempt: r.attempt, outcome: r.outcome, resolvedBy: r.resolvedBy, eventId: r.kleerEventId, errorCode: r.errorCode }));

describe("applyUserRows: one event per entry whatever the failures", () => {
  it("classifies ambiguous failures: no reply, 5xx and unreadable replies, but not 4xx or the adapter's refusals", () => {
    const http = (status: number | undefined) => new ProviderHttpError("PROVIDER_ERROR", "x", { system: "kleer", status, method: "PUT", route: "/event" });
    expect(isAmbiguousWriteFailure(new TokiError("UNREACHABLE", "x"))).toBe(true);
    expect(isAmbiguousWriteFailure(http(500))).toBe(true);
    expect(isAmbiguousWriteFailure(http(503))).toBe(true);
    expect(isAmbiguousWriteFailure(http(undefined))).toBe(true);
    expect(isAmbiguousWriteFailure(http(400))).toBe(false);
    expect(isAmbiguousWriteFailure(new ProviderHttpError("NOT_FOUND", "x", { system: "kleer", status: 404, method: "PUT", route: "/event" }))).toBe(false);
    for (const code of ["DATE_LOCKED", "PROJECT_NOT_FOUND", "ACTIVITY_NOT_ALLOWED", "USAGE", "AUTH_FAILED"] as const)
      expect(isAmbiguousWriteFailure(new TokiError(code, "x")), code).toBe(false);
  });

  it("journals the intent before the request and the reply's event id after", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    const seenAtCreate: unknown[] = [];
    const original = kleer.client.createTimeEntry;
    kleer.client.createTimeEntry = async (request) => {
      seenAtCreate.push(...journalOf(journal));
      return original(request);
    };
    const { outcomes } = await apply(journal, kleer.client, [planRow("L1")]);
    expect(seenAtCreate).toEqual([{ legacyId: "L1", attempt: 1, outcome: null, resolvedBy: null, eventId: null, errorCode: null }]);
    expect(journalOf(journal)).toEqual([{ legacyId: "L1", attempt: 1, outcome: "created", resolvedBy: "reply", eventId: "7001", errorCode: null }]);
    expect(outcomes.get("L1")).toBe("created");
    expect(kleer.calls.list).toBe(1);
  });

  it("a reply lost after the write is resolved by re-listing, not by writing again", async () => {
    const { journal } = setup();
    const kleer = fakeKleer(["drop-after-write"]);
    const { outcomes } = await apply(journal, kleer.client, [planRow("L1")]);
    expect(kleer.calls.create).toBe(1);
    expect(kleer.events.map((e) => e.foreignId)).toEqual(["milltime:L1"]);
    expect(outcomes.get("L1")).toBe("created");
    expect(journalOf(journal)).toEqual([{ legacyId: "L1", attempt: 1, outcome: "created", resolvedBy: "lookup", eventId: "7001", errorCode: null }]);
  });

  it("a 503 that wrote nothing is retried only after the lookup shows the foreign-id absent", async () => {
    const { journal } = setup();
    const kleer = fakeKleer(["503-before-write", "ok"]);
    await apply(journal, kleer.client, [planRow("L1")]);
    expect(kleer.calls.create).toBe(2);
    expect(kleer.events).toHaveLength(1);
    expect(journalOf(journal)).toEqual([
      { legacyId: "L1", attempt: 1, outcome: "failed", resolvedBy: "lookup", eventId: null, errorCode: "PROVIDER_ERROR" },
      { legacyId: "L1", attempt: 2, outcome: "created", resolvedBy: "reply", eventId: "7001", errorCode: null },
    ]);
  });

  it("a create refused with 429 is sent again after a pause, without a lookup (it was certainly not carried out)", async () => {
    const { journal } = setup();
    const kleer = fakeKleer(["429", "ok"]);
    await apply(journal, kleer.client, [planRow("L1")]);
    expect(kleer.calls.create).toBe(2);
    // Only the one listing made before any create: a 429 needs no lookup.
    expect(kleer.calls.list).toBe(1);
    expect(kleer.events).toHaveLength(1);
    expect(journalOf(journal)).toEqual([
      { legacyId: "L1", attempt: 1, outcome: "failed", resolvedBy: "reply", eventId: null, errorCode: "PROVIDER_ERROR" },
      { legacyId: "L1", attempt: 2, outcome: "created", resolvedBy: "reply", eventId: "7001", errorCode: null },
    ]);
  });

  it(`gives up after ${MAX_CREATE_ATTEMPTS} ambiguous failures that each proved absent`, async () => {
    const { journal } = setup();
    const kleer = fakeKleer(Array.from({ length: MAX_CREATE_ATTEMPTS + 2 }, () => "503-before-write" as const));
    const { outcomes } = await apply(journal, kleer.client, [planRow("L1")]);
    expect(outcomes.get("L1")).toBe("failed");
    expect(kleer.calls.create).toBe(MAX_CREATE_ATTEMPTS);
    expect(journalOf(journal).map((r) => r.outcome)).toEqual(Array.from({ length: MAX_CREATE_ATTEMPTS }, () => "failed"));
  });

  it.each([["400" as const, "PROVIDER_ERROR"], ["date-locked" as const, "DATE_LOCKED"]])("a definitive refusal (%s) fails at once without a lookup", async (behaviour, code) => {
    const { journal } = setup();
    const kleer = fakeKleer([behaviour]);
    const { outcomes } = await apply(journal, kleer.client, [planRow("L1")]);
    expect(outcomes.get("L1")).toBe("failed");
    expect(kleer.calls).toEqual({ create: 1, list: 1 });
    expect(journalOf(journal)).toEqual([{ legacyId: "L1", attempt: 1, outcome: "failed", resolvedBy: "reply", eventId: null, errorCode: code }]);
  });

  it("an entry whose event already exists is journaled resolved-existing without a request", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    kleer.seed("milltime:L1");
    const { outcomes } = await apply(journal, kleer.client, [planRow("L1"), planRow("L2")]);
    expect(kleer.calls.create).toBe(1);
    expect(outcomes.get("L1")).toBe("resolved-existing");
    expect(journalOf(journal)).toContainEqual({ legacyId: "L1", attempt: 0, outcome: "resolved-existing", resolvedBy: "lookup", eventId: "7001", errorCode: null });
  });

  it("when the lookup itself fails the intent stays open; resuming settles it from one listing", async () => {
    const { journal } = setup();
    const kleer = fakeKleer(["drop-after-write"]);
    const client = kleer.client;
    // The first listing (start of apply) works; the lookup after the lost reply does not.
    const listings = client.listTimeEntries;
    let n = 0;
    client.listTimeEntries = async (range) => {
      if (++n === 2) throw new TokiError("UNREACHABLE", "Kleer is unreachable: ECONNREFUSED");
      return listings(range);
    };
    const first = await apply(journal, client, [planRow("L1")]);
    expect(first.outcomes.get("L1")).toBe("unsettled");
    expect(journalOf(journal)).toEqual([{ legacyId: "L1", attempt: 1, outcome: null, resolvedBy: null, eventId: null, errorCode: null }]);

    const resumed = await apply(journal, client, [planRow("L1")]);
    expect(resumed.outcomes.get("L1")).toBe("created");
    expect(kleer.calls.create).toBe(1);
    expect(kleer.events).toHaveLength(1);
    expect(journalOf(journal)).toEqual([{ legacyId: "L1", attempt: 1, outcome: "created", resolvedBy: "lookup", eventId: "7001", errorCode: null }]);
  });

  it("an intent whose request never arrived is closed as not created and written again", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    journal.recordIntent("run-a", planRow("L1"), 5501, 1); // the process died right after this
    await apply(journal, kleer.client, [planRow("L1")]);
    expect(kleer.calls.create).toBe(1);
    expect(journalOf(journal)).toEqual([
      { legacyId: "L1", attempt: 1, outcome: "failed", resolvedBy: "lookup", eventId: null, errorCode: "NOT_CREATED" },
      { legacyId: "L1", attempt: 2, outcome: "created", resolvedBy: "reply", eventId: "7001", errorCode: null },
    ]);
  });

  it("a pending intent whose event another run of the file created is resolved-existing, so cleanup never takes it", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    journal.recordIntent("run-a", planRow("L1"), 5501, 1); // run A died before sending
    await apply(journal, kleer.client, [planRow("L1")], "run-b"); // run B created it
    await apply(journal, kleer.client, [planRow("L1")], "run-a"); // run A resumes
    expect(kleer.calls.create).toBe(1);
    expect(journalOf(journal, "run-b")).toEqual([{ legacyId: "L1", attempt: 1, outcome: "created", resolvedBy: "reply", eventId: "7001", errorCode: null }]);
    expect(journalOf(journal, "run-a")).toEqual([{ legacyId: "L1", attempt: 1, outcome: "resolved-existing", resolvedBy: "lookup", eventId: "7001", errorCode: null }]);
  });

  it("settled entries are not looked at again (no listing at all)", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    await apply(journal, kleer.client, [planRow("L1")]);
    const again = await apply(journal, kleer.client, [planRow("L1")]);
    expect(again.outcomes.get("L1")).toBe("already-settled");
    expect(kleer.calls).toEqual({ create: 1, list: 1 });
  });
});

describe("applyUserRows: what is sent, logged and journaled", () => {
  it("counts an unreadable reply and an unknown failure as ambiguous, and a provider error without a status too", () => {
    expect(isAmbiguousWriteFailure(new InvalidResponseError("reply is not an event id", "id"))).toBe(true);
    expect(isAmbiguousWriteFailure(new Error("socket hang up"))).toBe(true);
    expect(isAmbiguousWriteFailure("thrown string")).toBe(true);
    expect(isAmbiguousWriteFailure(new TokiError("PROVIDER_ERROR", "Kleer failed"))).toBe(true);
  });

  it("sends the Kleer project and activity (names blank when the plan has none) with the entry's times, note and foreign-id", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    const sent: CreateTimeEntryRequest[] = [];
    const original = kleer.client.createTimeEntry;
    kleer.client.createTimeEntry = async (request) => {
      sent.push(request);
      return original(request);
    };
    await apply(journal, kleer.client, [planRow("L1"), planRow("L2", { kleerProjectName: null, kleerActivityName: null })]);
    expect(sent).toEqual([
      { projectId: "801", projectName: "Webbplats", activityId: "901", activityName: "Utveckling", startTime: "2026-03-03T07:00:00.000Z", endTime: "2026-03-03T08:30:00.000Z", note: "Arbete", foreignId: "milltime:L1" },
      { projectId: "801", projectName: "", activityId: "901", activityName: "", startTime: "2026-03-03T07:00:00.000Z", endTime: "2026-03-03T08:30:00.000Z", note: "Arbete", foreignId: "milltime:L2" },
    ]);
  });

  it("a user without rows gets no outcomes and no request", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    const { outcomes } = await apply(journal, kleer.client, []);
    expect(outcomes).toEqual(new Map());
    expect(kleer.calls).toEqual({ create: 0, list: 0 });
  });

  it("takes the index read while planning instead of listing again", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    const { outcomes } = await apply(journal, kleer.client, [planRow("L1"), planRow("L2")], "run-a", new Map([["milltime:L1", ["6999"]]]));
    expect(kleer.calls).toEqual({ create: 1, list: 0 });
    expect(outcomes.get("L1")).toBe("resolved-existing");
    expect(journalOf(journal)).toContainEqual({ legacyId: "L1", attempt: 0, outcome: "resolved-existing", resolvedBy: "lookup", eventId: "6999", errorCode: null });
  });

  it("listing afresh, an event the journal names and GET confirms (but the listing missed) is not written again", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    const asked: string[] = [];
    const { outcomes } = await applyUserRows({
      runId: "run-a", kleerUserId: 5501, rows: [planRow("L1"), planRow("L2")], client: kleer.client, journal, range: RANGE, existing: null,
      journaledByLegacyId: new Map([["L1", ["6990"]]]),
      findEvent: async (id) => {
        asked.push(id);
        return { kleerUserId: 5501, foreignId: "milltime:L1" };
      },
      writeLimit: pLimit(2), redactor: new SecretRedactor(), logger: silentLogger,
    });
    expect(asked).toEqual(["6990"]);
    expect(outcomes.get("L1")).toBe("resolved-existing");
    expect(kleer.calls.create).toBe(1);
  });

  it("without a way to GET events the journal's list alone does not settle anything", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    const { outcomes } = await applyUserRows({
      runId: "run-a", kleerUserId: 5501, rows: [planRow("L1")], client: kleer.client, journal, range: RANGE, existing: null,
      journaledByLegacyId: new Map([["L1", ["6990"]]]),
      writeLimit: pLimit(2), redactor: new SecretRedactor(), logger: silentLogger,
    });
    expect(outcomes.get("L1")).toBe("created");
    expect(kleer.calls.create).toBe(1);
  });

  it("a journal that cannot take the intent stops the user before anything is sent", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    const broken: ReplayJournal = {
      ...journal,
      recordIntent: () => {
        throw new Error("SQLITE_FULL: database or disk is full");
      },
    };
    await expect(apply(broken, kleer.client, [planRow("L1")])).rejects.toThrow("SQLITE_FULL");
    expect(kleer.calls.create).toBe(0);
  });

  it("journals why an interrupted intent and an absent foreign-id failed, naming the foreign-id", async () => {
    const { journal } = setup();
    const kleer = fakeKleer(["503-before-write", "ok"]);
    journal.recordIntent("run-a", planRow("L1"), 5501, 1);
    await apply(journal, kleer.client, [planRow("L1")]);
    expect(journal.read("run-a").map((r) => r.errorMessage)).toEqual([
      "no Kleer event carries milltime:L1 after the interruption: the request did not take effect",
      expect.stringMatching(/HTTP 503.* \(no event carries milltime:L1 afterwards\)$/),
      null,
    ]);
  });

  it("a failure that is not even an Error is journaled with a generic code, an Error by its name", async () => {
    const { journal } = setup();
    const kleer = fakeKleer();
    let n = 0;
    kleer.client.createTimeEntry = async () => {
      if (n++ === 0) throw "connection reset";
      throw new TypeError("fetch failed");
    };
    const { outcomes } = await apply(journal, kleer.client, [planRow("L1")]);
    expect(outcomes.get("L1")).toBe("failed");
    expect(journal.read("run-a").map((r) => r.errorCode)).toEqual(["ERROR", "TypeError", "TypeError"]);
  });

  it("warns with the run, the entry and the error when a create is ambiguous and when its lookup fails", async () => {
    const { journal } = setup();
    const kleer = fakeKleer(["drop-after-write"]);
    const listings = kleer.client.listTimeEntries;
    let n = 0;
    kleer.client.listTimeEntries = async (range) => {
      if (++n === 2) throw new TokiError("UNREACHABLE", "Kleer is unreachable: ECONNREFUSED");
      return listings(range);
    };
    const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
    const logger = { ...silentLogger, warn: (message: string, fields?: Record<string, unknown>) => warnings.push([message, fields]) };
    await applyUserRows({ runId: "run-a", kleerUserId: 5501, rows: [planRow("L1")], client: kleer.client, journal, range: RANGE, existing: null, writeLimit: pLimit(2), redactor: new SecretRedactor(), logger });
    expect(warnings).toEqual([
      ["ambiguous create failure; looking the foreign-id up", { runId: "run-a", legacyId: "L1", error: expect.stringContaining("UND_ERR_SOCKET") }],
      ["lookup after an ambiguous failure failed; the entry stays unsettled", { runId: "run-a", legacyId: "L1", error: expect.stringContaining("ECONNREFUSED") }],
    ]);
  });

  it("waits before resending a rate-limited create, twice as long each time", async () => {
    vi.useFakeTimers();
    try {
      const { journal } = setup();
      const kleer = fakeKleer(["429", "429", "ok"]);
      const done = apply(journal, kleer.client, [planRow("L1")]);
      await vi.advanceTimersByTimeAsync(RATE_LIMITED_CREATE_BACKOFF_MS - 1);
      expect(kleer.calls.create).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(kleer.calls.create).toBe(2);
      await vi.advanceTimersByTimeAsync(2 * RATE_LIMITED_CREATE_BACKOFF_MS - 1);
      expect(kleer.calls.create).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(kleer.calls.create).toBe(3);
      expect((await done).outcomes.get("L1")).toBe("created");
    } finally {
      vi.useRealTimers();
    }
  });
});
