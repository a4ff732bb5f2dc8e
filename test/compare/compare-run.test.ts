import { describe, expect, it } from "vitest";
import { USERS_READ_AHEAD_WHILE_PREPARING, runCompare } from "../../src/compare/compare-run.js";
import { formatCompareSummary } from "../../src/compare/compare-summary.js";
import { MILLTIME_USER_READ_CONCURRENCY, type CompareProgress, type RunCompareOptions } from "../../src/compare/compare-options.js";
import { inRange } from "../../src/domain/calendar.js";
import type { UserLink } from "../../src/domain/cutover-mapping.js";
import { ProviderHttpError } from "../../src/domain/errors.js";
import type { DateRange, TimeEntry } from "../../src/domain/time-entry.js";
import type { TimerHistoryLink } from "../../src/domain/timer-history.js";
import { SecretRedactor } from "../../src/http/redact.js";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";
import { buildHistoryLink, buildKleerEntry, buildKleerTwin, buildLegacyEntry, buildMapping, buildTimeInfo, buildUserLink, buildWeeklyStats } from "../builders.js";
import { memoryStore, steppingClock } from "../report/report-fixture.js";
import { createCallLog, fakeKleerReader, fakeLegacyReader, type FakeCallLog } from "./fake-sources.js";

const RANGE: DateRange = { from: "2026-05-11", to: "2026-05-24" };
const TOKEN = "kleer-token-9f8e7d6c5b4a";

const users: UserLink[] = [
  buildUserLink({ tokiUserId: 1 }),
  buildUserLink({ tokiUserId: 2 }),
  buildUserLink({ tokiUserId: 3, kleerUserId: undefined }),
  buildUserLink({ tokiUserId: 4 }),
];

/** Two entries a day on the working days of both weeks, ids unique per user. */
function legacyOf(tokiUserId: number): TimeEntry[] {
  const days = ["2026-05-11", "2026-05-12", "2026-05-13", "2026-05-18", "2026-05-19"];
  return days.flatMap((date, d) => [
    buildLegacyEntry({ registrationId: `40000000000${tokiUserId}0${d}01`, date, hours: 4, note: "Development", attestLevel: date < "2026-05-18" ? 1 : 0 }),
    buildLegacyEntry({ registrationId: `40000000000${tokiUserId}0${d}02`, date, hours: 3.5, note: "", attestLevel: date < "2026-05-18" ? 1 : 0 }),
  ]);
}

interface Company {
  legacy: Map<number, TimeEntry[]>;
  kleer: Map<number, TimeEntry[]>;
  links: Map<number, TimerHistoryLink[]>;
}

function company(): Company {
  const legacy = new Map(users.map((u) => [u.tokiUserId, legacyOf(u.tokiUserId)]));
  const kleer = new Map<number, TimeEntry[]>();
  for (const u of users) kleer.set(u.tokiUserId, (legacy.get(u.tokiUserId) ?? []).map((e) => buildKleerTwin(e, { registrationId: `7${e.registrationId.slice(-6)}` })));
  // User 4: one entry never migrated, one stored under the UTC date before the range, one extra event.
  const four = kleer.get(4) ?? [];
  const dropped = four.splice(1, 1)[0];
  const first = four[0] as TimeEntry;
  four[0] = { ...first, date: "2026-05-10" };
  four.push(buildKleerEntry({ registrationId: "7999999", date: "2026-05-20", hours: 1, note: "Created in Kleer" }));
  expect(dropped).toBeDefined();
  const links = new Map<number, TimerHistoryLink[]>([[1, [buildHistoryLink({ tokiUserId: 1, registrationId: "400000000001000001", startTime: "2026-05-11T06:00:00.000Z", minutes: 240 - 0.5 })]]]);
  return { legacy, kleer, links };
}

const sumHours = (entries: readonly TimeEntry[], period: DateRange) => entries.filter((e) => inRange(e.date, period)).reduce((n, e) => n + e.hours, 0);

function options(overrides: Partial<RunCompareOptions> = {}, log: FakeCallLog = createCallLog()): RunCompareOptions {
  const data = company();
  const redactor = new SecretRedactor();
  redactor.add(TOKEN);
  return {
    range: RANGE,
    users,
    mapping: buildMapping(users),
    store: memoryStore(),
    clock: steppingClock(),
    toolVersion: "0.1.0-test",
    concurrency: 2,
    redactor,
    legacyReaderFor: (user, recorder) => {
      const entries = data.legacy.get(user.tokiUserId) ?? [];
      return fakeLegacyReader(entries, (p) => buildTimeInfo({ worked: sumHours(entries, p), scheduled: 40 }), recorder, log);
    },
    kleerReaderFor: (user, recorder) => {
      const entries = data.kleer.get(user.tokiUserId) ?? [];
      const failure =
        user.tokiUserId === 2
          ? new ProviderHttpError("AUTH_FAILED", "integration token is invalid or expired", {
              system: "kleer",
              status: 401,
              method: "GET",
              route: "/company/{companyId}/event",
              bodyExcerpt: `{"message":"bad token ${TOKEN}"}`,
            })
          : undefined;
      return fakeKleerReader(entries, [], (p) => buildWeeklyStats({ worked: sumHours(entries, p), scheduled: 40 }), recorder, log, failure);
    },
    historyLinksFor: async (tokiUserId) => data.links.get(tokiUserId) ?? [],
    ...overrides,
  };
}

describe("runCompare", () => {
  it("compares every user, turns a failing source into source_error and completes the run", async () => {
    const progress: CompareProgress[] = [];
    const log = createCallLog();
    const opts = options({ onProgress: (p) => progress.push(p) }, log);
    const summary = await runCompare(opts);
    const { store } = opts;

    expect(summary).toMatchObject({
      status: "completed",
      period: "week",
      users: 4,
      usersCompared: 2,
      usersUnmapped: 1,
      usersWithSourceErrors: 1,
      legacyEntries: 40,
      entriesCompared: 30,
      matches: 18,
      mismatches: 1,
      missing: 1,
      unmapped: 10,
      skipped: 10,
      extra: 1,
    });
    expect(summary.matchRate).toBeCloseTo(18 / 30, 10);
    expect(summary.findingsByKind).toMatchObject({
      missing_in_kleer: { blocking: 1 },
      extra_in_kleer: { blocking: 1 },
      date_mismatch: { blocking: 1 },
      unmapped_user: { blocking: 1 },
      source_error: { blocking: 1 },
      flex_balance_unavailable: { info: 4 },
    });

    const run = store.getRun(summary.runId);
    expect(run).toMatchObject({ status: "completed", command: "compare", fromDate: RANGE.from, toDate: RANGE.to, period: "week", toolVersion: "0.1.0-test" });
    expect(run.options).toMatchObject({ users: 4, concurrency: 2, dateShiftMarginDays: 1 });
    expect(store.readRunUsers(summary.runId).map((u) => [u.userKey, u.status])).toEqual([[1, "compared"], [2, "source_error"], [3, "unmapped"], [4, "compared"]]);

    const sourceError = store.readFindings(summary.runId).find((f) => f.kind === "source_error");
    expect(sourceError).toMatchObject({ userKey: 2, field: "kleer", severity: "blocking", date: RANGE.from });
    expect(sourceError?.message).toContain("AUTH_FAILED: integration token is invalid or expired (GET /company/{companyId}/event → HTTP 401)");
    expect(sourceError?.message).toContain("[redacted]");
    expect(JSON.stringify(store.db.prepare("SELECT * FROM findings").all())).not.toContain(TOKEN);

    const entries2 = store.readEntries(summary.runId, 2);
    expect(new Set(entries2.map((e) => e.outcome))).toEqual(new Set(["skipped"]));
    expect(new Set(store.readEntries(summary.runId, 3).map((e) => e.outcome))).toEqual(new Set(["unmapped"]));
    expect(store.readEntries(summary.runId, 4).find((e) => e.legacyId === "4000000000040001")).toMatchObject({ date: "2026-05-11", outcome: "mismatch", evidence: "foreign_id" });

    // Requests are stored with the user they belong to, including the failing user's.
    const requests = store.db.prepare("SELECT user_key, system, COUNT(*) AS n FROM requests GROUP BY user_key, system ORDER BY user_key, system").all();
    expect(requests).toEqual([
      { user_key: 1, system: "kleer", n: 2 },
      { user_key: 1, system: "milltime", n: 3 },
      { user_key: 2, system: "kleer", n: 1 },
      { user_key: 2, system: "milltime", n: 3 },
      { user_key: 3, system: "milltime", n: 3 },
      { user_key: 4, system: "kleer", n: 2 },
      { user_key: 4, system: "milltime", n: 3 },
    ]);

    // Both sides are read with the one-day margin; TimeInfo per week; Kleer stats once per user.
    expect(log.calls.find((c) => c.method === "getTimeEntries")?.range).toEqual({ from: "2026-05-10", to: "2026-05-25" });
    expect(log.calls.find((c) => c.method === "listTimeEntries")?.range).toEqual({ from: "2026-05-10", to: "2026-05-25" });
    expect(log.calls.filter((c) => c.method === "getTimeInfo").map((c) => c.range)).toContainEqual({ from: "2026-05-18", to: "2026-05-24" });
    expect(log.calls.filter((c) => c.method === "getWeeklyStatsForPeriods")).toHaveLength(2);
    // Two users at a time, each with one Kleer read and at most the per-user bound of Milltime reads.
    expect(log.maxActive).toBeLessThanOrEqual(2 * (1 + MILLTIME_USER_READ_CONCURRENCY));

    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.find((p) => p.tokiUserId === 2)).toMatchObject({ status: "source_error", blocking: 1, total: 4 });

    const table = formatCompareSummary(summary);
    expect(table).toContain(`Run ${summary.runId} completed`);
    expect(table).toContain("Match rate 60.00 %");
    expect(table).toMatch(/source_error\s+1\s+0\s+0\s+0/);
  });

  it("bounds the users in flight by the concurrency", async () => {
    const log = createCallLog();
    await runCompare(options({ concurrency: 1 }, log));
    // One user at a time; within a user Kleer is read beside Milltime, whose calendar read and two
    // weekly TimeInfo reads overlap (fewer than the per-user bound).
    expect(log.maxActive).toBe(1 + 3);
    expect(log.maxActive).toBeLessThanOrEqual(1 + MILLTIME_USER_READ_CONCURRENCY);
  });

  it("reads one user ahead per read slot while earlier users wait for their history, never more", async () => {
    // The export's index is still being built while the first users are read
    // (src/compare/compare-run.ts): their providers' reads go on meanwhile, bounded in memory.
    const log = createCallLog();
    let release!: () => void;
    const historyReady = new Promise<void>((resolve) => (release = resolve));
    const readStarted: number[] = [];
    const base = options({ concurrency: 1 }, log);
    const run = runCompare({
      ...base,
      legacyReaderFor: (user, recorder) => {
        readStarted.push(user.tokiUserId);
        return base.legacyReaderFor(user, recorder);
      },
      historyLinksFor: async (tokiUserId, recorder) => {
        await historyReady;
        // options() answers with an array.
        return (await base.historyLinksFor(tokiUserId, recorder)) as TimerHistoryLink[];
      },
    });
    // The fake readers answer after a timer each: long enough for both users' reads, and more.
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Two users held for one read slot: the first read and waiting, the second read ahead.
    expect(readStarted).toEqual([1, 2]);
    release();
    const summary = await run;
    expect(readStarted).toEqual([1, 2, 3, 4]);
    expect(summary.users).toBe(4);
    // The providers are still read one user at a time.
    expect(log.maxActive).toBe(1 + 3);
  });

  it("reads a fixed number of users further ahead while the sources still prepare, and two per slot again once they are ready", async () => {
    // A history export's index is built while the first users are read (src/compare/compare-run.ts):
    // no user can be compared before it is ready, so more are read meanwhile, still a fixed bound.
    const log = createCallLog();
    let prepared!: () => void;
    const sourcesReady = new Promise<void>((resolve) => (prepared = resolve));
    let linksReady!: () => void;
    const historyLinks = new Promise<void>((resolve) => (linksReady = resolve));
    let laterLinksReady!: () => void;
    const laterLinks = new Promise<void>((resolve) => (laterLinksReady = resolve));
    const held = 2 + USERS_READ_AHEAD_WHILE_PREPARING;
    const many = [...users, ...Array.from({ length: held }, (_, i) => buildUserLink({ tokiUserId: 5 + i }))];
    const ids = (n: number) => many.slice(0, n).map((u) => u.tokiUserId);
    const readStarted: number[] = [];
    const base = options({ concurrency: 1, users: many, mapping: buildMapping(many) }, log);
    const run = runCompare({
      ...base,
      sourcesReady,
      legacyReaderFor: (user, recorder) => {
        readStarted.push(user.tokiUserId);
        return base.legacyReaderFor(user, recorder);
      },
      historyLinksFor: async (tokiUserId, recorder) => {
        await (tokiUserId <= 4 ? historyLinks : laterLinks);
        return (await base.historyLinksFor(tokiUserId, recorder)) as TimerHistoryLink[];
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(readStarted).toEqual(ids(held));
    // Ready: the first four are compared, and the bound is two per slot again, so no further
    // user is read while the others held still wait for their links.
    prepared();
    linksReady();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readStarted).toEqual(ids(held));
    laterLinksReady();
    const summary = await run;
    expect(readStarted).toEqual(ids(many.length));
    expect(summary.users).toBe(many.length);
    expect(log.maxActive).toBe(1 + 3);
  });

  it("reads a user's calendar a month per read, the months side by side within the per-user bound", async () => {
    // src/compare/compare-sources.ts: one call over the whole range was a chain of month requests.
    const log = createCallLog();
    const base = options({ concurrency: 1, range: { from: "2026-03-02", to: "2026-05-24" }, rules: parseParityRules({ period: "month" }) }, log);
    let active = 0;
    let maxActive = 0;
    const calendarRanges: DateRange[] = [];
    const summary = await runCompare({
      ...base,
      legacyReaderFor: async (user, recorder) => {
        const reader = await base.legacyReaderFor(user, recorder);
        return {
          ...reader,
          async getTimeEntries(range) {
            calendarRanges.push(range);
            maxActive = Math.max(maxActive, ++active);
            try {
              return await reader.getTimeEntries(range);
            } finally {
              active--;
            }
          },
        };
      },
    });
    const firstUser = calendarRanges.slice(0, 3);
    expect(firstUser).toEqual([
      { from: "2026-03-01", to: "2026-03-31" },
      { from: "2026-04-01", to: "2026-04-30" },
      { from: "2026-05-01", to: "2026-05-25" },
    ]);
    expect(maxActive).toBe(3);
    expect(log.maxActive).toBeLessThanOrEqual(1 + MILLTIME_USER_READ_CONCURRENCY);
    expect(summary.users).toBe(4);
  });

  it("reads TimeInfo by month when the rules ask for it", async () => {
    const log = createCallLog();
    const summary = await runCompare(options({ rules: parseParityRules({ period: "month" }), range: { from: "2026-05-11", to: "2026-06-02" } }, log));
    expect(summary.period).toBe("month");
    expect(log.calls.find((c) => c.method === "getWeeklyStatsForPeriods")?.range).toEqual([
      { from: "2026-05-11", to: "2026-05-31" },
      { from: "2026-06-01", to: "2026-06-02" },
    ]);
  });

  it("marks the run failed and rethrows when a write fails mid-batch, keeping earlier users whole", async () => {
    // An invalid severity for unmapped_user makes user 3's batch fail inside its transaction.
    const rules = { ...parseParityRules({}), severities: { ...parseParityRules({}).severities, unmapped_user: "fatal" as never } };
    const opts = options({ rules, concurrency: 1 });
    await expect(runCompare(opts)).rejects.toThrow(/CHECK constraint/);
    const run = opts.store.getRun();
    expect(run.status).toBe("failed");
    expect(run.errorMessage).toMatch(/CHECK constraint/);
    expect(opts.store.readRunUsers(run.runId).map((u) => u.userKey)).toEqual([1, 2]);
    const rowsOf3 = opts.store.db.prepare("SELECT (SELECT COUNT(*) FROM entries WHERE user_key = 3) + (SELECT COUNT(*) FROM findings WHERE user_key = 3) + (SELECT COUNT(*) FROM requests WHERE user_key = 3) AS n").get();
    expect(rowsOf3).toEqual({ n: 0 });
    expect(opts.store.readRunUsers(run.runId).map((u) => u.userKey)).not.toContain(4);
  });

  it("keeps earlier runs intact when a later run fails", async () => {
    const first = options();
    const ok = await runCompare(first);
    const broken = { ...first, store: { ...first.store, writeUserBatch: () => { throw new Error("disk full"); } } };
    await expect(runCompare(broken)).rejects.toThrow("disk full");
    expect(first.store.getRun(ok.runId).status).toBe("completed");
    expect(first.store.readRunUsers(ok.runId)).toHaveLength(4);
    expect(first.store.getRun().status).toBe("failed");
  });

  it("turns a throwing reader factory and a failing history source into per-user source errors", async () => {
    const base = options();
    const opts = options({
      legacyReaderFor: (user, recorder) => {
        if (user.tokiUserId === 1) throw new Error("no Milltime credentials for user 1");
        return base.legacyReaderFor(user, recorder);
      },
      historyLinksFor: (tokiUserId) => (tokiUserId === 4 ? Promise.reject(new Error("connection refused")) : Promise.resolve([])),
    });
    const summary = await runCompare(opts);
    // Users are written as they finish; order the errors by user.
    const errors = opts.store
      .readFindings(summary.runId)
      .filter((f) => f.kind === "source_error")
      .map((f) => [f.userKey, f.field, f.message])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(errors).toEqual([
      [1, "milltime", "milltime: Error: no Milltime credentials for user 1"],
      [2, "kleer", expect.stringContaining("AUTH_FAILED")],
      [4, "history", "history: Error: connection refused"],
    ]);
    // User 4's entries were still compared: only its history was missing.
    expect(opts.store.readRunUsers(summary.runId).find((u) => u.userKey === 4)).toMatchObject({ status: "source_error", compared: 10 });
  });
});
