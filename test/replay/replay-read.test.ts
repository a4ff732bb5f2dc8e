import { describe, expect, it } from "vitest";
import type { CutoverMapping, UserLink } from "../../src/domain/cutover-mapping.js";
import type { DateRange, Project, SkippedProviderEntry, TimeEntry, TimeEntryDayStatus, TimeEntryListing } from "../../src/domain/time-entry.js";
import type { TimerHistoryLink } from "../../src/domain/timer-history.js";
import { createMemoryRecorder, type RequestRecorder } from "../../src/http/request-log.js";
import {
  adoptJournaledByLookup,
  adoptJournaledEvents,
  indexForeignIds,
  listingRangeOf,
  planUser,
  ReplaySourceError,
  type KleerEventOwner,
  type ReplayKleerClient,
  type ReplaySources,
} from "../../src/replay/replay-read.js";

const RANGE: DateRange = { from: "2026-03-02", to: "2026-03-06" };
const TZ = "Europe/Stockholm";

function entry(registrationId: string, overrides: Partial<TimeEntry> = {}): TimeEntry {
  return {
    registrationId, projectId: "P1", projectName: "Webbplats", activityId: "A1", activityName: "Utveckling", date: "2026-03-03", hours: 1.5,
    note: "Arbete", startTime: null, endTime: null, weekNumber: 10, lock: { kind: "attestLevel", attestLevel: 0 }, ...overrides,
  };
}

function skipped(registrationId: string, foreignId?: string): SkippedProviderEntry {
  return { registrationId, date: "2026-03-03", hours: 1, reason: "unknown_project", foreignId };
}

const listing = (entries: TimeEntry[], skippedEvents: SkippedProviderEntry[] = []): TimeEntryListing => ({ entries, skipped: skippedEvents });

describe("listingRangeOf", () => {
  it("widens the replay range by one day at each end (events moved across midnight are still found)", () => {
    expect(listingRangeOf(RANGE)).toEqual({ from: "2026-03-01", to: "2026-03-07" });
  });
});

describe("indexForeignIds", () => {
  it("indexes listed entries and skipped events by foreign-id, ignoring events without one", () => {
    const index = indexForeignIds(
      listing(
        [entry("7001", { foreignId: "milltime:1" }), entry("7002"), entry("7003", { foreignId: "" })],
        [skipped("7004", "milltime:2"), skipped("7005")],
      ),
    );
    expect([...index.entries()]).toEqual([
      ["milltime:1", ["7001"]],
      ["milltime:2", ["7004"]],
    ]);
  });

  it("lists duplicates of one foreign-id once each, ascending numerically (the lowest id is the one taken)", () => {
    const index = indexForeignIds(
      listing(
        [entry("10", { foreignId: "milltime:1" }), entry("9", { foreignId: "milltime:1" }), entry("12", { foreignId: "milltime:1" })],
        [skipped("11", "milltime:1"), skipped("9", "milltime:1")],
      ),
    );
    expect(index.get("milltime:1")).toEqual(["9", "10", "11", "12"]);
  });

  it("orders same-length ids by their digits", () => {
    const index = indexForeignIds(listing([entry("7003", { foreignId: "f" }), entry("7001", { foreignId: "f" }), entry("7002", { foreignId: "f" })]));
    expect(index.get("f")).toEqual(["7001", "7002", "7003"]);
  });
});

describe("adoptJournaledEvents", () => {
  it("keeps a journaled event that Toki re-keyed (a toki- foreign-id) as holding its entry, with a note", () => {
    const index = indexForeignIds(listing([entry("7001", { foreignId: "toki-abc" })]));
    const notes = adoptJournaledEvents(index, listing([entry("7001", { foreignId: "toki-abc" })]), new Map([["7001", "100"]]));
    expect(index.get("milltime:100")).toEqual(["7001"]);
    expect([...notes]).toEqual([
      ["milltime:100", 'Kleer event 7001 was written for this entry by an earlier replay run and still exists (its foreign-id is now "toki-abc")'],
    ]);
  });

  it("adopts skipped events too, and names a missing foreign-id as empty", () => {
    const index = new Map<string, string[]>();
    const notes = adoptJournaledEvents(index, listing([], [skipped("7009")]), new Map([["7009", "101"]]));
    expect(index.get("milltime:101")).toEqual(["7009"]);
    expect(notes.get("milltime:101")).toContain('its foreign-id is now "")');
  });

  it("never replaces an event that still carries the entry's foreign-id, and ignores events the journal does not know", () => {
    const listed = listing([entry("7001", { foreignId: "milltime:100" }), entry("7002", { foreignId: "toki-x" }), entry("7003", { foreignId: "toki-y" })]);
    const index = indexForeignIds(listed);
    const notes = adoptJournaledEvents(index, listed, new Map([["7002", "100"]]));
    expect(index.get("milltime:100")).toEqual(["7001"]);
    expect(notes.size).toBe(0);
    expect([...index.keys()].sort()).toEqual(["milltime:100", "toki-x", "toki-y"]);
  });
});

describe("adoptJournaledByLookup", () => {
  const owner = (kleerUserId: number, foreignId = "milltime:100"): KleerEventOwner => ({ kleerUserId, foreignId });

  it("adopts the first journaled event that GET still shows for the same Kleer user and stops looking", async () => {
    const asked: string[] = [];
    const answers: Record<string, KleerEventOwner | null> = { "7001": null, "7002": owner(9999), "7003": owner(5501, "toki-q"), "7004": owner(5501) };
    const index = new Map<string, string[]>();
    const notes = await adoptJournaledByLookup(index, ["100"], new Map([["100", ["7001", "7002", "7003", "7004"]]]), 5501, async (id) => {
      asked.push(id);
      return answers[id] ?? null;
    });
    expect(asked).toEqual(["7001", "7002", "7003"]);
    expect(index.get("milltime:100")).toEqual(["7003"]);
    expect(notes.get("milltime:100")).toBe(
      'Kleer event 7003 was written for this entry by an earlier replay run of this report file; the listing did not show it, GET /event/7003 does (foreign-id "toki-q")',
    );
  });

  it("does not look up entries the listing already settled, nor entries without journaled events", async () => {
    const asked: string[] = [];
    const index = new Map([["milltime:100", ["7001"]]]);
    const notes = await adoptJournaledByLookup(index, ["100", "101"], new Map([["100", ["7050"]]]), 5501, async (id) => {
      asked.push(id);
      return owner(5501);
    });
    expect(asked).toEqual([]);
    expect(notes.size).toBe(0);
    expect(index.get("milltime:100")).toEqual(["7001"]);
    expect(index.has("milltime:101")).toBe(false);
  });

  it("leaves an entry to be created when no journaled event exists any more for the user", async () => {
    const index = new Map<string, string[]>();
    const notes = await adoptJournaledByLookup(index, ["100"], new Map([["100", ["7001", "7002"]]]), 5501, async (id) => (id === "7001" ? null : owner(42)));
    expect(index.size).toBe(0);
    expect(notes.size).toBe(0);
  });

  it("lets a failing GET fail the read (no write decision rests on an unknown)", async () => {
    await expect(
      adoptJournaledByLookup(new Map(), ["100"], new Map([["100", ["7001"]]]), 5501, async () => {
        throw new Error("HTTP 503");
      }),
    ).rejects.toThrow("HTTP 503");
  });
});

describe("ReplaySourceError", () => {
  it("names the system that could not be read and keeps the cause", () => {
    const cause = new Error("boom");
    const error = new ReplaySourceError("history", cause);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ReplaySourceError");
    expect(error.message).toBe("history could not be read");
    expect(error.system).toBe("history");
    expect(error.cause).toBe(cause);
  });
});

// --- planUser through its ports ---

const MAPPING: CutoverMapping = {
  users: [{ tokiUserId: 1, kleerUserId: 5501 }, { tokiUserId: 2 }],
  projects: [
    { milltimeProjectId: "P1", kleerProjectId: 801 },
    { milltimeProjectId: "P2", kleerProjectId: 802 },
    { milltimeProjectId: "P3", kleerProjectId: 803 },
    { milltimeProjectId: "P9", kleerProjectId: 809 },
  ],
  activities: [
    { milltimeActivityId: "A1", kleerActivityId: 901 },
    { milltimeActivityId: "A2", kleerActivityId: 902 },
  ],
};
const MAPPED: UserLink = { tokiUserId: 1, kleerUserId: 5501 };
const UNMAPPED: UserLink = { tokiUserId: 2 };

interface FakeWorld {
  legacy: TimeEntry[];
  links: TimerHistoryLink[];
  projects: Project[];
  activities: Record<string, Array<{ id: string; name: string }>>;
  statuses: TimeEntryDayStatus[];
  kleerListing: TimeEntryListing;
  events: Record<string, KleerEventOwner | null>;
  fail?: "milltime" | "history" | "kleer-client" | "kleer-list" | "find";
}

function fakeSources(world: FakeWorld) {
  const calls = { legacyRanges: [] as DateRange[], listRanges: [] as DateRange[], statusRanges: [] as DateRange[], activities: [] as Array<[string, DateRange]>, kleerClients: [] as number[], finds: [] as string[], historyUsers: [] as number[], recorders: [] as RequestRecorder[] };
  const unused = () => Promise.reject(new Error("not used when planning"));
  const sources: ReplaySources = {
    legacyReaderFor(user, recorder) {
      calls.recorders.push(recorder);
      return {
        getProjects: unused, getActivities: unused, getTimeInfo: unused, listTimeEntries: unused,
        async getTimeEntries(range) {
          calls.legacyRanges.push(range);
          if (world.fail === "milltime") throw new Error("milltime down");
          return world.legacy;
        },
      };
    },
    async kleerClientFor(user, recorder) {
      calls.kleerClients.push(user.kleerUserId);
      calls.recorders.push(recorder);
      if (world.fail === "kleer-client") throw new Error("no token");
      const client: ReplayKleerClient = {
        getTimeInfo: unused, getTimeEntries: unused, createTimeEntry: unused, editTimeEntry: unused, deleteTimeEntry: unused,
        async getProjects() {
          return world.projects;
        },
        async getActivities(projectId, range) {
          calls.activities.push([projectId, range]);
          return (world.activities[projectId] ?? []).map((a) => ({ ...a, projectId }));
        },
        async getTimeEntryDayStatuses(range) {
          calls.statusRanges.push(range);
          return world.statuses;
        },
        async listTimeEntries(range) {
          calls.listRanges.push(range);
          if (world.fail === "kleer-list") throw new Error("HTTP 500");
          return world.kleerListing;
        },
      };
      return client;
    },
    async historyLinksFor(tokiUserId) {
      calls.historyUsers.push(tokiUserId);
      if (world.fail === "history") throw new Error("pg down");
      return world.links;
    },
    async findKleerEvent(eventId, recorder) {
      calls.finds.push(eventId);
      calls.recorders.push(recorder);
      if (world.fail === "find") throw new Error("HTTP 502");
      return world.events[eventId] ?? null;
    },
  };
  return { sources, calls };
}

function world(overrides: Partial<FakeWorld> = {}): FakeWorld {
  return {
    legacy: [entry("100")],
    links: [],
    projects: [{ id: "801", name: "Webbplats K" }, { id: "803", name: "Drift K" }, { id: "850", name: "Unmapped K" }],
    activities: { "801": [{ id: "901", name: "Utveckling K" }], "803": [{ id: "902", name: "Support K" }] },
    statuses: [],
    kleerListing: listing([]),
    events: {},
    ...overrides,
  };
}

describe("planUser", () => {
  it("plans a creatable entry with the Kleer names the user sees, reading each source for the range", async () => {
    const { sources, calls } = fakeSources(world());
    const recorder = createMemoryRecorder();
    const { rows, existing } = await planUser(MAPPED, RANGE, MAPPING, TZ, sources, recorder);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ legacyId: "100", action: "create", kleerUserId: 5501, kleerProjectId: 801, kleerProjectName: "Webbplats K", kleerActivityId: 901, kleerActivityName: "Utveckling K" });
    expect(calls.legacyRanges).toEqual([RANGE]);
    expect(calls.statusRanges).toEqual([RANGE]);
    expect(calls.listRanges).toEqual([{ from: "2026-03-01", to: "2026-03-07" }]);
    expect(calls.historyUsers).toEqual([1]);
    expect(calls.kleerClients).toEqual([5501]);
    expect(calls.recorders.every((r) => r === recorder)).toBe(true);
    expect(existing).toEqual(new Map());
  });

  it("reads activity rules only for mapped projects the user can see, in ascending numeric project order (a stable request log)", async () => {
    const { sources, calls } = fakeSources(
      world({ projects: [{ id: "803", name: "Drift K" }, { id: "850", name: "Unmapped K" }, { id: "1001", name: "Ny K" }, { id: "801", name: "Webbplats K" }] }),
    );
    const mapping: CutoverMapping = {
      ...MAPPING,
      projects: [
        { milltimeProjectId: "P10", kleerProjectId: 1001 },
        { milltimeProjectId: "P3", kleerProjectId: 803 },
        { milltimeProjectId: "P2", kleerProjectId: 802 },
        { milltimeProjectId: "P1", kleerProjectId: 801 },
      ],
    };
    await planUser(MAPPED, RANGE, mapping, TZ, sources, createMemoryRecorder());
    expect(calls.activities).toEqual([
      ["801", RANGE],
      ["803", RANGE],
      ["1001", RANGE],
    ]);
  });

  it("blocks what Kleer will refuse: an invisible project, a disallowed activity, a locked day", async () => {
    const { sources } = fakeSources(
      world({
        legacy: [
          entry("100", { projectId: "P2" }),
          entry("101", { projectId: "P1", activityId: "A2" }),
          entry("102", { projectId: "P3", activityId: "A2", date: "2026-03-04" }),
          entry("103", { projectId: "P3", activityId: "A2", date: "2026-03-05" }),
        ],
        statuses: [{ date: "2026-03-04", status: "approved" }],
      }),
    );
    const { rows } = await planUser(MAPPED, RANGE, MAPPING, TZ, sources, createMemoryRecorder());
    expect(rows.map((r) => [r.legacyId, r.action, r.reasonCode])).toEqual([
      ["100", "blocked", "project_not_visible"],
      ["101", "blocked", "activity_not_allowed"],
      ["102", "blocked", "day_locked"],
      ["103", "create", null],
    ]);
    expect(rows[3]).toMatchObject({ kleerProjectName: "Drift K", kleerActivityName: "Support K" });
  });

  it("skips an entry Kleer already holds (listed by foreign-id, within the margin) and hands the index on as a copy", async () => {
    const { sources } = fakeSources(
      world({
        legacy: [entry("100"), entry("101")],
        kleerListing: listing([entry("7002", { foreignId: "milltime:100", date: "2026-03-07" }), entry("7001", { foreignId: "milltime:100" })]),
      }),
    );
    const { rows, existing } = await planUser(MAPPED, RANGE, MAPPING, TZ, sources, createMemoryRecorder());
    expect(rows.map((r) => [r.legacyId, r.action, r.existingEventId])).toEqual([
      ["100", "skip-existing", "7001"],
      ["101", "create", null],
    ]);
    expect(existing).toEqual(new Map([["milltime:100", ["7001", "7002"]]]));
  });

  it("uses only the user's own timer-history links for the start", async () => {
    const link = (tokiUserId: number, historyId: number, startTime: string): TimerHistoryLink =>
      ({ historyId, tokiUserId, userEmail: null, registrationId: "100", startTime, endTime: startTime, projectId: null, projectName: null }) as TimerHistoryLink;
    const { sources } = fakeSources(world({ legacy: [entry("100"), entry("101")], links: [link(2, 9, "2026-03-03T12:00:00Z")] }));
    const { rows } = await planUser(MAPPED, RANGE, MAPPING, TZ, sources, createMemoryRecorder());
    expect(rows[0]).toMatchObject({ startSource: "synthetic", startTime: "2026-03-03T07:00:00.000Z" });

    const own = fakeSources(world({ links: [link(1, 9, "2026-03-03T12:00:00Z")] }));
    const planned = await planUser(MAPPED, RANGE, MAPPING, TZ, own.sources, createMemoryRecorder());
    expect(planned.rows[0]).toMatchObject({ startSource: "history", startTime: "2026-03-03T12:00:00.000Z" });
  });

  it("an unmapped user is planned without touching Kleer: every entry blocked, no index", async () => {
    const { sources, calls } = fakeSources(world({ legacy: [entry("100"), entry("101")] }));
    const { rows, existing } = await planUser(UNMAPPED, RANGE, MAPPING, TZ, sources, createMemoryRecorder(), new Map(), new Map([["100", ["7001"]]]));
    expect(rows.map((r) => [r.action, r.reasonCode])).toEqual([
      ["blocked", "user_unmapped"],
      ["blocked", "user_unmapped"],
    ]);
    expect(existing).toBeNull();
    expect(calls.kleerClients).toEqual([]);
    expect(calls.finds).toEqual([]);
  });

  it("trusts the journal: a listed event re-keyed by Toki and an unlisted one GET confirms both keep their entries from being written again", async () => {
    const { sources, calls } = fakeSources(
      world({
        legacy: [entry("100"), entry("101"), entry("102")],
        kleerListing: listing([entry("7001", { foreignId: "toki-abc" })]),
        events: { "7005": { kleerUserId: 5501, foreignId: "milltime:101" }, "7006": { kleerUserId: 77, foreignId: "milltime:102" } },
      }),
    );
    const { rows, existing } = await planUser(
      MAPPED, RANGE, MAPPING, TZ, sources, createMemoryRecorder(),
      new Map([["7001", "100"]]),
      new Map([["100", ["7001"]], ["101", ["7005"]], ["102", ["7006"]]]),
    );
    expect(rows.map((r) => [r.legacyId, r.action, r.existingEventId])).toEqual([
      ["100", "skip-existing", "7001"],
      ["101", "skip-existing", "7005"],
      ["102", "create", null],
    ]);
    expect(rows[0]!.reason).toContain("earlier replay run and still exists");
    expect(rows[1]!.reason).toContain("GET /event/7005 does");
    expect(calls.finds).toEqual(["7005", "7006"]);
    expect(existing).toEqual(
      new Map([
        ["toki-abc", ["7001"]],
        ["milltime:100", ["7001"]],
        ["milltime:101", ["7005"]],
      ]),
    );
  });

  it.each([
    ["milltime", "milltime"],
    ["history", "history"],
    ["kleer-client", "kleer"],
    ["kleer-list", "kleer"],
    ["find", "kleer"],
  ] as const)("a failing %s read fails the user loudly, naming %s", async (fail, system) => {
    const { sources } = fakeSources(world({ fail }));
    const error = await planUser(MAPPED, RANGE, MAPPING, TZ, sources, createMemoryRecorder(), new Map(), new Map([["100", ["7001"]]])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplaySourceError);
    expect((error as ReplaySourceError).system).toBe(system);
    expect(((error as ReplaySourceError).cause as Error).message).toMatch(/down|token|HTTP/);
  });
});
