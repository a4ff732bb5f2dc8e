import { addDays, splitByIsoWeek } from "../../../src/domain/calendar.js";
import { indexMapping } from "../../../src/domain/cutover-mapping.js";
import type { AttestLevel, DateRange, TimeEntry } from "../../../src/domain/time-entry.js";
import type { RequestRecord } from "../../../src/http/request-log.js";
import { parseParityRules } from "../../../src/compare/compare-rules-schema.js";
import { compareUserParity, type SourceFailure } from "../../../src/parity/user-parity.js";
import { createReportStore, openReportDatabase } from "../../../src/report/report-store.js";
import { buildKleerEntry, buildKleerTwin, buildLegacyEntry, buildMapping, buildTimeInfo, buildUserLink, buildWeeklyStats, IDS } from "../../builders.js";
import { steppingClock } from "../report-fixture.js";
import { SAMPLE_FIRST_MONDAY, SAMPLE_USERS, SAMPLE_WEEKS, SCRIPT_NOTE } from "./html-report-fixture.js";

export const RUN_RANGE: DateRange = { from: SAMPLE_FIRST_MONDAY, to: addDays(SAMPLE_FIRST_MONDAY, 7 * SAMPLE_WEEKS - 1) };
const OPENING_BALANCES: Record<number, number> = { 101: 12.5, 102: -3.25, 103: 0, 104: 40 };
const NOTES = ["Sprint planning", "Code review", "Customer call", "Refactoring", ""];
const ABSENCE_WEEK = 3;

export const SUPPRESSION_REASON = "Payroll closed week 8 in Kleer first (agreed with HR)";
const RULES = parseParityRules({
  suppressions: [{ kind: "editability_change", user_key: 104, from: "2026-02-16", to: "2026-02-22", reason: SUPPRESSION_REASON }],
});

export interface EngineRunOptions {
  /** Extra Milltime registrations of user 101 that never reached Kleer (to make long tables). @default 0 */
  extraMissingFor101?: number;
}

function legacyWeek(userKey: number, w: number): TimeEntry[] {
  const out: TimeEntry[] = [];
  const attestLevel: AttestLevel = w < 4 ? 2 : w < 6 ? 1 : 0;
  for (let d = 0; d < 5; d += 1) {
    if (w === ABSENCE_WEEK && d === 4 && userKey !== 103) continue; // a day of leave
    const monday = [0.5, -0.25, 0.75][w % 3]!;
    out.push(
      buildLegacyEntry({
        registrationId: `40000000000${userKey}${String(w * 5 + d).padStart(4, "0")}`,
        date: addDays(SAMPLE_FIRST_MONDAY, 7 * w + d),
        hours: [8 + monday, 7.5, 8, 8.5, 8][d]!,
        note: userKey === 101 && w === 4 && d === 1 ? SCRIPT_NOTE : NOTES[d]!,
        projectId: d % 2 === 0 ? IDS.milltimeProject.intranet : IDS.milltimeProject.portal,
        activityId: d === 2 ? IDS.milltimeActivity.meeting : IDS.milltimeActivity.development,
        attestLevel: userKey === 102 && w === 0 && d >= 3 ? 2 : userKey === 104 && w === 6 && d === 2 ? 0 : attestLevel,
      }),
    );
  }
  return out;
}

/** The Kleer side: faithful twins except for each user's planted differences. */
function kleerFor(userKey: number, legacy: readonly TimeEntry[]): TimeEntry[] {
  const out: TimeEntry[] = [];
  for (const e of legacy) {
    const idx = Number(e.registrationId.slice(-4));
    if (userKey === 103 && idx === 11) continue; // never migrated
    if (userKey === 101 && idx === 7) out.push(buildKleerTwin(e, { hours: e.hours - 0.5 }));
    else if (userKey === 101 && idx === 21) out.push(buildKleerTwin(e, { note: "Sprint planning and review" }));
    else if (userKey === 102 && idx >= 3 && idx <= 4) out.push(buildKleerTwin(e, { status: "open" }));
    else if (userKey === 104 && idx === 32) out.push(buildKleerTwin(e, { status: "approved" }));
    else out.push(buildKleerTwin(e));
  }
  if (userKey === 103) {
    out.push(buildKleerEntry({ registrationId: "7103999", date: "2026-02-16", hours: 1.25, note: "Ad-hoc support", projectId: String(IDS.kleerProject.portal), activityId: String(IDS.kleerActivity.meeting), foreignId: "" }));
  }
  return out;
}

function sumHours(entries: readonly TimeEntry[], period: DateRange): number {
  return entries.filter((e) => e.date >= period.from && e.date <= period.to).reduce((n, e) => n + e.hours, 0);
}

function requestsFor(userKey: number): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let i = 0; i < 6; i += 1) {
    out.push({ system: "kleer", method: "GET", route: "/company/{companyId}/event", status: userKey === 102 && i === 2 ? 503 : 200, attempts: userKey === 102 && i === 2 ? 3 : 1, durationMs: 35 + i * 4 });
  }
  for (let i = 0; i < 4; i += 1) out.push({ system: "milltime", method: "GET", route: "/cgi/mt.cgi/api/json/registration", status: 200, attempts: 1, durationMs: 110 + i * 9 });
  return out;
}

/**
 * A realistic run: four users over eight weeks compared by the real parity engine, written with
 * the report store exactly as `compare` writes it. Returns the run id.
 */
export function writeEngineReportFile(path: string, options: EngineRunOptions = {}): string {
  const db = openReportDatabase(path);
  try {
    const store = createReportStore(db, { clock: steppingClock("2026-03-02T06:00:00.000Z"), runSuffix: () => "0001" });
    const periods = splitByIsoWeek(RUN_RANGE);
    const users = SAMPLE_USERS.map((tokiUserId) => buildUserLink({ tokiUserId }));
    const mapping = indexMapping(buildMapping(users));
    const runId = store.startRun({
      command: "compare",
      range: RUN_RANGE,
      period: "week",
      options: { period: "week", concurrency: 4, kleer: { baseUrl: "https://api.kleer.se/v1", companyId: 42 } },
      toolVersion: "0.1.0",
      suppressions: RULES.suppressions,
    });
    for (const user of users) {
      const key = user.tokiUserId;
      const legacy = periods.flatMap((_, w) => legacyWeek(key, w));
      const kleer = kleerFor(key, legacy);
      if (key === 101) {
        for (let i = 0; i < (options.extraMissingFor101 ?? 0); i += 1) {
          legacy.push(buildLegacyEntry({ registrationId: `40000000000199${String(i).padStart(4, "0")}`, date: addDays(SAMPLE_FIRST_MONDAY, 7 * (i % SAMPLE_WEEKS) + (i % 5)), hours: 0.25, note: `Bulk import line ${i}` }));
        }
      }
      let balance = OPENING_BALANCES[key]!;
      const legacyTimeInfo = periods.map((p, w) => {
        const absence = w === ABSENCE_WEEK && key !== 103 ? 8 : 0;
        const worked = sumHours(legacy, p);
        balance += worked + absence - 40;
        return buildTimeInfo({ worked, scheduled: 40, absence, flexTimeCurrent: balance });
      });
      const kleerStats = periods.map((p, w) => {
        const absence = (w === ABSENCE_WEEK && key !== 103 ? 8 : 0) + (key === 102 ? 0.5 : 0);
        return buildWeeklyStats({ worked: sumHours(kleer, p), scheduled: 40, absence });
      });
      const failures: SourceFailure[] = key === 104 ? [{ system: "history", message: "timer history unreachable: connect ECONNREFUSED 127.0.0.1:5432" }] : [];
      const result = compareUserParity(
        {
          user,
          range: RUN_RANGE,
          periods,
          timeZone: "Europe/Stockholm",
          mapping,
          relinks: new Map(),
          legacyEntries: legacy,
          legacyTimeInfo,
          kleerListing: { entries: kleer, skipped: [] },
          kleerStats,
          historyLinks: key === 104 ? null : [],
          failures,
        },
        RULES,
      );
      store.writeUserBatch(runId, { user, result, requests: requestsFor(key) });
    }
    store.completeRun(runId, { users: users.length });
    return runId;
  } finally {
    db.close();
  }
}
