import { describe, expect, it } from "vitest";
import { readRangeOf } from "../../src/compare/index.js";
import { generateSyntheticCompany, type SyntheticCompany } from "../../src/demo/synthetic-company.js";
import { splitByMonth, splitByPeriod } from "../../src/domain/calendar.js";
import type { DateRange } from "../../src/domain/time-entry.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { readRun, serveCompany, type CompanyRun, type StoredRequest } from "./company-run.js";

/**
 * 4 users × 90 days ending on a month's last day: the read range (the compared range widened by
 * a day each side) then starts and ends in months the compared range does not touch, so the
 * formulas below are told apart by the numbers.
 */
const COMPANY = { users: 4, to: "2026-10-31", days: 90, seed: 20261031 } as const;

const KLEER_EVENTS = "/company/{companyId}/event?userId={userId}&startDate={startDate}&endDate={endDate}";
const KLEER_STATUSES = "/company/{companyId}/event/statuses?userId={userId}&fromDate={fromDate}&toDate={toDate}";
const KLEER_SCHEDULE = "/company/{companyId}/payroll/user/{userId}/schedule/{startDate}/to/{endDate}";
const KLEER_PAYROLL_EVENTS = "/company/{companyId}/payroll/user/{userId}/event/from/{fromDate}/to/{toDate}";
const MILLTIME_LOGIN = "/api/login";
const MILLTIME_CALENDAR = "/data/store/UserCalendar?filter={filter}";
const MILLTIME_TIME_INFO = "/data/store/TimeInfo?filter={filter}";

/** What one compare run over `range` (weekly periods) may ask of each provider. */
function expectedBudget(range: DateRange) {
  const readChunks = splitByMonth(readRangeOf(range)).length;
  const periods = splitByPeriod(range, "week");
  // The statistics are read per month chunk of the span the periods cover (= the compared range).
  const statsChunks = splitByMonth({ from: periods[0]!.from, to: periods.at(-1)!.to }).length;
  return {
    readChunks,
    statsChunks,
    periods: periods.length,
    perUser: {
      kleer: {
        // Events are read by whole calendar month of the read range and shared by the listing and
        // the weekly statistics; day statuses per month of the read range; the payroll endpoints
        // per month of the compared range.
        [KLEER_EVENTS]: readChunks,
        [KLEER_STATUSES]: readChunks,
        [KLEER_SCHEDULE]: statsChunks,
        [KLEER_PAYROLL_EVENTS]: statsChunks,
      },
      milltime: {
        // CSRF cookie, then the credentials.
        [`POST ${MILLTIME_LOGIN}`]: 2,
        [`GET ${MILLTIME_CALENDAR}`]: readChunks,
        [`GET ${MILLTIME_TIME_INFO}`]: periods.length,
      },
    },
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Kleer requests the emulator served, as `METHOD /path` without the query and the `/v1/company/<id>` prefix. */
function kleerServed(run: CompanyRun): string[] {
  return run.kleer.requestLog.map((r) => `${r.method} ${r.url.split("?")[0]!.replace(/^\/v1\/company\/\d+/, "")}`);
}

async function compareCompany(company: SyntheticCompany, name: string) {
  const run = await serveCompany(company);
  const config = run.config(name);
  const summary = await compareFromConfig(config);
  return { run, summary, ...readRun(config.reportFile) };
}

/** The same users and days with every legacy registration and Kleer event doubled. */
function withDoubledEntries(company: SyntheticCompany): SyntheticCompany {
  const twin = (registrationId: string) => `5${registrationId.slice(1)}`;
  const maxEventId = Math.max(...company.kleerEvents.map((e) => e.id));
  return {
    ...company,
    registrations: company.registrations.flatMap((r) => [r, { ...r, registrationId: twin(r.registrationId) }]),
    kleerEvents: company.kleerEvents.flatMap((e) => [
      e,
      { ...e, id: e.id + maxEventId, foreignId: e.foreignId.startsWith("milltime:") ? `milltime:${twin(e.foreignId.slice(9))}` : `${e.foreignId}-twin` },
    ]),
  };
}

describe("request budget of a compare run", () => {
  const company = generateSyntheticCompany({ ...COMPANY });
  const budget = expectedBudget(company.range);

  it("reads the company-wide Kleer lookups exactly once per run", async () => {
    const { run, requests } = await compareCompany(company, "lookups");
    const served = countBy(kleerServed(run), (s) => s);
    expect(served["GET /user/me"]).toBe(1);
    expect(served["GET /client-project"]).toBe(1);
    expect(served["GET /activity"]).toBe(1);
    expect(served["GET /user"]).toBeUndefined();
    // The requests table holds each lookup once too (on the row of the user whose read triggered it).
    const kleerRoutes = countBy(requests.filter((r) => r.system === "kleer"), (r) => r.route);
    expect(kleerRoutes["/company/{companyId}/client-project"]).toBe(1);
    expect(kleerRoutes["/company/{companyId}/activity"]).toBe(1);
  }, 60_000);

  it("asks per user once per month chunk and endpoint (events shared by listing and statistics), Milltime once per chunk or period", async () => {
    const { requests, summary } = await compareCompany(company, "per-user");
    expect(summary.users).toBe(COMPANY.users);
    expect(budget).toMatchObject({ readChunks: 4, statsChunks: 3, periods: 13 });
    expect(requests.every((r) => r.attempts === 1 && r.status !== null && r.status < 300)).toBe(true);

    const perUser = (system: string, key: (r: StoredRequest) => string) => {
      const byUser = new Map<number, Record<string, number>>();
      for (const user of company.users) byUser.set(user.tokiUserId, {});
      for (const r of requests.filter((x) => x.system === system && x.userKey !== null)) {
        const counts = byUser.get(r.userKey!)!;
        counts[key(r)] = (counts[key(r)] ?? 0) + 1;
      }
      return byUser;
    };
    const lookups = new Set(["/company/{companyId}/client-project", "/company/{companyId}/activity"]);
    for (const [user, counts] of perUser("kleer", (r) => r.route)) {
      for (const route of lookups) delete counts[route];
      expect({ user, counts }).toEqual({ user, counts: budget.perUser.kleer });
    }
    for (const [user, counts] of perUser("milltime", (r) => `${r.method} ${r.route}`)) {
      expect({ user, counts }).toEqual({ user, counts: budget.perUser.milltime });
    }
  }, 60_000);

  it("does not grow with the number of entries (same users and days, twice the entries per day)", async () => {
    const doubled = withDoubledEntries(company);
    expect(doubled.registrations.length).toBe(2 * company.registrations.length);
    const base = await compareCompany(company, "base");
    const twice = await compareCompany(doubled, "doubled");
    expect(twice.summary.legacyEntries).toBeGreaterThan(base.summary.legacyEntries);

    const perSystem = (requests: StoredRequest[]) => countBy(requests, (r) => r.system);
    expect(perSystem(twice.requests)).toEqual(perSystem(base.requests));
    expect(twice.run.kleer.requestLog.length).toBe(base.run.kleer.requestLog.length);
    expect(twice.run.milltime.requestLog.length).toBe(base.run.milltime.requestLog.length);

    // And the totals are the formula's: per user the budget above, plus the three lookups once.
    const users = COMPANY.users;
    const kleerPerUser = Object.values(budget.perUser.kleer).reduce((a, b) => a + b, 0);
    const milltimePerUser = Object.values(budget.perUser.milltime).reduce((a, b) => a + b, 0);
    expect(base.run.kleer.requestLog.length).toBe(3 + users * kleerPerUser);
    expect(base.run.milltime.requestLog.length).toBe(users * milltimePerUser);
  }, 60_000);
});
