import { describe, expect, it } from "vitest";
import { readRangeOf } from "../../src/compare/index.js";
import { generateSyntheticCompany, type SyntheticCompany } from "../../src/demo/synthetic-company.js";
import { eachDay, splitByMonth, splitByPeriod } from "../../src/domain/calendar.js";
import { splitBySpan } from "../../src/domain/date-span.js";
import type { DateRange } from "../../src/domain/time-entry.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { readRun, serveCompany, type CompanyRun, type StoredRequest } from "./company-run.js";

/**
 * 4 users × 90 days ending on a month's last day. With the default span (12 months) every
 * per-user endpoint is read once; with one-month spans (counted from the range's first day) the
 * read range (the compared range widened by a day each side) and the compared range need three
 * each, while Milltime's calendar is read per calendar month (four).
 */
const COMPANY = { users: 4, to: "2026-10-31", days: 90, seed: 20261031 } as const;

const KLEER_EVENTS = "/company/{companyId}/event?userId={userId}&startDate={startDate}&endDate={endDate}";
const KLEER_STATUSES = "/company/{companyId}/event/statuses?userId={userId}&fromDate={fromDate}&toDate={toDate}";
const KLEER_SCHEDULE = "/company/{companyId}/payroll/user/{userId}/schedule/{startDate}/to/{endDate}";
const KLEER_PAYROLL_EVENTS = "/company/{companyId}/payroll/user/{userId}/event/from/{fromDate}/to/{toDate}";
const MILLTIME_LOGIN = "/api/login";
const MILLTIME_CALENDAR = "/data/store/UserCalendar?filter={filter}";
const MILLTIME_TIME_INFO = "/data/store/TimeInfo?filter={filter}";

/** What one compare run over `range` (weekly periods, spans of at most `maxSpanMonths`) may ask of each provider. */
function expectedBudget(range: DateRange, maxSpanMonths = 12) {
  const readSpans = splitBySpan(readRangeOf(range), maxSpanMonths).length;
  const periods = splitByPeriod(range, "week");
  // The statistics read the spans of what the periods cover (= the compared range).
  const statsSpans = splitBySpan({ from: periods[0]!.from, to: periods.at(-1)!.to }, maxSpanMonths).length;
  // Milltime is still read per calendar month of the read range.
  const calendarMonths = splitByMonth(readRangeOf(range)).length;
  return {
    readSpans,
    statsSpans,
    periods: periods.length,
    perUser: {
      kleer: {
        // Events are read per span of the read range and shared by the listing and the weekly
        // statistics; day statuses per span of the read range; the payroll endpoints per span of
        // the compared range.
        [KLEER_EVENTS]: readSpans,
        [KLEER_STATUSES]: readSpans,
        [KLEER_SCHEDULE]: statsSpans,
        [KLEER_PAYROLL_EVENTS]: statsSpans,
      },
      milltime: {
        // CSRF cookie, then the credentials.
        [`POST ${MILLTIME_LOGIN}`]: 2,
        [`GET ${MILLTIME_CALENDAR}`]: calendarMonths,
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

async function compareCompany(company: SyntheticCompany, name: string, maxSpanMonths?: number) {
  const run = await serveCompany(company);
  const base = run.config(name);
  const config = maxSpanMonths === undefined ? base : { ...base, kleer: { ...base.kleer, maxSpanMonths } };
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
    // Kleer's users list names people in the report: once per run.
    expect(served["GET /user"]).toBe(1);
    // The requests table holds each lookup once too (on the row of the user whose read triggered it).
    const kleerRoutes = countBy(requests.filter((r) => r.system === "kleer"), (r) => r.route);
    expect(kleerRoutes["/company/{companyId}/client-project"]).toBe(1);
    expect(kleerRoutes["/company/{companyId}/activity"]).toBe(1);
  }, 60_000);

  it.each([
    { maxSpanMonths: undefined, spans: { readSpans: 1, statsSpans: 1 } },
    { maxSpanMonths: 1, spans: { readSpans: 3, statsSpans: 3 } },
  ])("asks per user once per span and endpoint (events shared by listing and statistics), Milltime once per month or period (span $maxSpanMonths)", async ({ maxSpanMonths, spans }) => {
    const expected = expectedBudget(company.range, maxSpanMonths);
    const { requests, summary } = await compareCompany(company, `per-user-${maxSpanMonths ?? "default"}`, maxSpanMonths);
    expect(summary.users).toBe(COMPANY.users);
    expect(expected).toMatchObject({ ...spans, periods: 13 });
    expect(requests.every((r) => r.attempts === 1 && r.status !== null && r.status < 300 && r.split === 0)).toBe(true);

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
      expect({ user, counts }).toEqual({ user, counts: expected.perUser.kleer });
    }
    for (const [user, counts] of perUser("milltime", (r) => `${r.method} ${r.route}`)) {
      expect({ user, counts }).toEqual({ user, counts: expected.perUser.milltime });
    }
  }, 60_000);

  it("stays at or below 0.5 Kleer requests per user-month over two years (one request per endpoint per 12 months)", () => {
    const twoYears = { from: "2024-11-01", to: "2026-10-31" };
    const expected = expectedBudget(twoYears);
    // Read range 2024-10-31..2026-11-01: three 12-month spans; compared range: two.
    expect(expected).toMatchObject({ readSpans: 3, statsSpans: 2 });
    const perUser = Object.values(expected.perUser.kleer).reduce((a, b) => a + b, 0);
    expect(perUser / 24).toBeLessThanOrEqual(0.5);
  });

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

    // And the totals are the formula's: per user the budget above, plus the four company-wide
    // reads once (user/me, users, client projects, activities).
    const users = COMPANY.users;
    const kleerPerUser = Object.values(budget.perUser.kleer).reduce((a, b) => a + b, 0);
    const milltimePerUser = Object.values(budget.perUser.milltime).reduce((a, b) => a + b, 0);
    expect(base.run.kleer.requestLog.length).toBe(4 + users * kleerPerUser);
    expect(base.run.milltime.requestLog.length).toBe(users * milltimePerUser);
  }, 60_000);
});

describe("a compare run against a Kleer that refuses long spans", () => {
  const company = generateSyntheticCompany({ ...COMPANY });

  it("splits the refused spans, records each split, and finds exactly what an unlimited run finds", async () => {
    const open = await compareCompany(company, "unlimited");
    const run = await serveCompany(company, { kleerMaxSpanDays: 30 });
    const config = run.config("limited");
    const summary = await compareFromConfig(config);
    const { requests, findings } = readRun(config.reportFile);
    expect(findings).toEqual(open.findings);
    expect(summary.legacyEntries).toBe(open.summary.legacyEntries);

    const kleerRanged = requests.filter((r) => r.system === "kleer" && r.spanFrom !== null);
    const splits = kleerRanged.filter((r) => r.split === 1);
    expect(splits.length).toBeGreaterThan(0);
    expect(splits.every((r) => r.status === 400)).toBe(true);
    // Per user and endpoint the answered spans hold every day of what was asked exactly once.
    const readRange = readRangeOf(company.range);
    for (const user of company.users) {
      const answered = kleerRanged.filter((r) => r.userKey === user.tokiUserId && r.split === 0);
      for (const route of [KLEER_EVENTS, KLEER_STATUSES]) {
        const days = answered.filter((r) => r.route === route).flatMap((r) => eachDay({ from: r.spanFrom!, to: r.spanTo! })).sort();
        expect({ user: user.tokiUserId, route, days }).toEqual({ user: user.tokiUserId, route, days: eachDay(readRange) });
      }
    }
  }, 60_000);
});
