import { addDays, splitByIsoWeek } from "../../../src/domain/calendar.js";
import { indexMapping } from "../../../src/domain/cutover-mapping.js";
import type { AttestLevel, DateRange, TimeEntry } from "../../../src/domain/time-entry.js";
import { parseParityRules } from "../../../src/compare/compare-rules-schema.js";
import { compareUserParity } from "../../../src/parity/user-parity.js";
import { createReportStore, openReportDatabase } from "../../../src/report/report-store.js";
import { buildKleerTwin, buildLegacyEntry, buildMapping, buildTimeInfo, buildUserLink, buildWeeklyStats, IDS } from "../../builders.js";
import { steppingClock } from "../report-fixture.js";

/** Two years of ISO weeks: 2024-12-30 (Monday of W1 2025) to 2026-12-27 (Sunday of W52 2026). */
export const LARGE_RANGE: DateRange = { from: "2024-12-30", to: "2026-12-27" };
export const LARGE_USERS = 200;

const NOTES = ["Sprint planning", "Code review", "Customer call", "Refactoring", "Support ticket triage", ""];
const FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Elin", "Mikael", "Sara", "Oskar"];
const LAST_NAMES = ["Lindqvist", "Olsson", "Ström", "Andersson", "Persson", "Åberg", "Johansson", "Svensson", "Öberg", "Karlsson"];

export interface LargeReportStats {
  runId: string;
  users: number;
  weeks: number;
  legacyEntries: number;
  findings: number;
}

/**
 * A large company as `compare` would record it: 200 users over two years of weeks, five Milltime
 * registrations per working day-week, compared by the real parity engine and written by the report
 * store. The planted differences follow what rehearsals find: a few hours and note mismatches per
 * user, a registration now and then that never reached Kleer, one user in twenty without a Kleer
 * schedule (a flex gap every week and a large drift), one in seven whose employment rate is off
 * for ten weeks, and one in twenty-five whose attested Milltime weeks are open in Kleer.
 */
export function writeLargeReportFile(path: string, users = LARGE_USERS): LargeReportStats {
  const db = openReportDatabase(path);
  try {
    const store = createReportStore(db, { clock: steppingClock("2027-01-04T06:00:00.000Z"), runSuffix: () => "0200" });
    const periods = splitByIsoWeek(LARGE_RANGE);
    const links = Array.from({ length: users }, (_, i) => buildUserLink({ tokiUserId: i + 1, email: `${FIRST_NAMES[i % 10]!.toLowerCase()}.${i + 1}@example.se` }));
    const mapping = indexMapping(buildMapping(links));
    const rules = parseParityRules({});
    const runId = store.startRun({ command: "compare", range: LARGE_RANGE, period: "week", options: { period: "week", concurrency: 8 }, toolVersion: "0.1.0", suppressions: [] });
    let legacyEntries = 0;
    let findings = 0;
    for (const user of links) {
      const u = user.tokiUserId;
      const noSchedule = u % 20 === 0;
      const employmentOff = u % 7 === 0;
      const openInKleer = u % 25 === 0;
      const legacy: TimeEntry[] = [];
      const kleer: TimeEntry[] = [];
      periods.forEach((p, w) => {
        const attestLevel: AttestLevel = w < periods.length - 6 ? 2 : w < periods.length - 2 ? 1 : 0;
        for (let d = 0; d < 5; d += 1) {
          const idx = w * 5 + d;
          const entry = buildLegacyEntry({
            registrationId: `4${String(u).padStart(4, "0")}${String(idx).padStart(5, "0")}`,
            date: addDays(p.from, d),
            hours: [8, 7.5, 8.25, 8, 8.25][d]!,
            note: NOTES[(u + idx) % NOTES.length]!,
            projectId: (u + d) % 3 === 0 ? IDS.milltimeProject.portal : IDS.milltimeProject.intranet,
            activityId: d === 2 ? IDS.milltimeActivity.meeting : IDS.milltimeActivity.development,
            attestLevel,
          });
          legacy.push(entry);
          const kleerId = `7${String(u).padStart(4, "0")}${String(idx).padStart(5, "0")}`;
          if ((idx + u) % 97 === 0) continue; // never reached Kleer
          const planted = (idx + u) % 53 === 0 ? { hours: entry.hours - 0.5 } : (idx + u) % 71 === 0 ? { note: `${entry.note ?? ""} (edited)` } : {};
          kleer.push(buildKleerTwin(entry, { registrationId: kleerId, ...planted, ...(openInKleer && attestLevel === 2 && w % 4 === 0 ? { status: "open" as const } : {}) }));
        }
      });
      legacyEntries += legacy.length;
      const hoursIn = (entries: readonly TimeEntry[], p: DateRange) => entries.filter((e) => e.date >= p.from && e.date <= p.to).reduce((n, e) => n + e.hours, 0);
      let balance = ((u * 37) % 80) / 4 - 10;
      const legacyTimeInfo = periods.map((p) => {
        const worked = hoursIn(legacy, p);
        balance += worked - 40;
        return buildTimeInfo({ worked, scheduled: 40, flexTimeCurrent: balance });
      });
      const kleerStats = periods.map((p, w) => {
        const scheduled = noSchedule ? 0 : employmentOff && w >= 40 && w < 50 ? 32 : 40;
        return buildWeeklyStats({ worked: hoursIn(kleer, p), scheduled });
      });
      const result = compareUserParity(
        { user, range: LARGE_RANGE, periods, timeZone: "Europe/Stockholm", mapping, relinks: new Map(), legacyEntries: legacy, legacyTimeInfo, kleerListing: { entries: kleer, skipped: [] }, kleerStats, historyLinks: [], failures: [] },
        rules,
      );
      findings += result.findings.length;
      const name = `${FIRST_NAMES[u % 10]} ${LAST_NAMES[Math.floor(u / 10) % 10]}`;
      store.writeUserBatch(runId, { user, result, requests: [], person: { name, email: user.email ?? null } });
    }
    store.completeRun(runId, { users });
    return { runId, users, weeks: periods.length, legacyEntries, findings };
  } finally {
    db.close();
  }
}
