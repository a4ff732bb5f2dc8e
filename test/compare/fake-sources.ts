import { inRange } from "../../src/domain/calendar.js";
import type { TimeTrackingReader } from "../../src/domain/ports.js";
import type { DateRange, SkippedProviderEntry, TimeEntry } from "../../src/domain/time-entry.js";
import type { TimeInfo, WeeklyStats } from "../../src/domain/time-info.js";
import type { RequestRecorder } from "../../src/http/request-log.js";
import type { KleerCompareReader } from "../../src/compare/compare-options.js";

/** Calls seen by the fakes, so tests can check ranges and concurrency. */
export interface FakeCallLog {
  calls: Array<{ system: "milltime" | "kleer"; method: string; range: DateRange | DateRange[] }>;
  active: number;
  maxActive: number;
}

export function createCallLog(): FakeCallLog {
  return { calls: [], active: 0, maxActive: 0 };
}

async function tracked<T>(log: FakeCallLog, work: () => T): Promise<T> {
  log.active++;
  log.maxActive = Math.max(log.maxActive, log.active);
  try {
    // A real await so that concurrent users genuinely interleave.
    await new Promise((resolve) => setTimeout(resolve, 1));
    return work();
  } finally {
    log.active--;
  }
}

/** An in-memory Milltime reader over fixed entries; each call records one request. */
export function fakeLegacyReader(
  entries: readonly TimeEntry[],
  timeInfoFor: (period: DateRange) => TimeInfo,
  recorder: RequestRecorder,
  log: FakeCallLog,
  failWith?: Error,
): TimeTrackingReader<TimeInfo> {
  const call = <T>(method: string, range: DateRange, store: string, work: () => T): Promise<T> =>
    tracked(log, () => {
      log.calls.push({ system: "milltime", method, range });
      recorder.record({ system: "milltime", method: "GET", route: `/cgi/mt.cgi/api/store/${store}`, status: failWith ? 500 : 200, attempts: 1, durationMs: 3 });
      if (failWith) throw failWith;
      return work();
    });
  return {
    getProjects: async () => [],
    getActivities: async () => [],
    getTimeInfo: (range) => call("getTimeInfo", range, "TimeInfo", () => timeInfoFor(range)),
    getTimeEntries: (range) => call("getTimeEntries", range, "UserCalendar", () => entries.filter((e) => inRange(e.date, range))),
    listTimeEntries: (range) => call("listTimeEntries", range, "UserCalendar", () => ({ entries: entries.filter((e) => inRange(e.date, range)), skipped: [] })),
  };
}

/** An in-memory Kleer reader over fixed events; each call records one request. */
export function fakeKleerReader(
  entries: readonly TimeEntry[],
  skipped: readonly SkippedProviderEntry[],
  statsFor: (period: DateRange) => WeeklyStats,
  recorder: RequestRecorder,
  log: FakeCallLog,
  failWith?: Error,
): KleerCompareReader {
  const call = <T>(method: string, range: DateRange | DateRange[], route: string, work: () => T): Promise<T> =>
    tracked(log, () => {
      log.calls.push({ system: "kleer", method, range });
      recorder.record({ system: "kleer", method: "GET", route, status: failWith ? 401 : 200, attempts: 1, durationMs: 5 });
      if (failWith) throw failWith;
      return work();
    });
  const listing = (range: DateRange) => ({ entries: entries.filter((e) => inRange(e.date, range)), skipped: skipped.filter((s) => inRange(s.date, range)) });
  return {
    getProjects: async () => [],
    getActivities: async () => [],
    getTimeInfo: (range) => call("getTimeInfo", range, "/company/{companyId}/event", () => statsFor(range)),
    getTimeEntries: (range) => call("getTimeEntries", range, "/company/{companyId}/event", () => listing(range).entries),
    listTimeEntries: (range) => call("listTimeEntries", range, "/company/{companyId}/event", () => listing(range)),
    getWeeklyStatsForPeriods: (periods) => call("getWeeklyStatsForPeriods", periods, "/company/{companyId}/payroll/schedule", () => periods.map(statsFor)),
  };
}
