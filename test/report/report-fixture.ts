import Database from "better-sqlite3";
import type { Clock } from "../../src/domain/ports.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";
import type { UserParityResult } from "../../src/parity/user-parity.js";
import { createReportStore, type ReportStore } from "../../src/report/report-store.js";
import { buildHistoryLink, buildKleerEntry, buildUserLink, buildWeeklyStats } from "../builders.js";
import { cleanKleer, cleanLegacy, runUser, WEEK_20 } from "../parity/parity-fixture.js";

/** A clock that advances one second per call, from `start`. */
export function steppingClock(start = "2026-11-25T13:45:01.000Z"): Clock {
  let t = Date.parse(start);
  return {
    now: () => {
      const d = new Date(t);
      t += 1000;
      return d;
    },
  };
}

export function memoryStore(clock: Clock = steppingClock()): ReportStore {
  let n = 0;
  return createReportStore(new Database(":memory:"), { clock, runSuffix: () => (n++).toString(16).padStart(4, "0") });
}

export const SAMPLE_RULES = parseParityRules({
  suppressions: [
    { kind: "note_mismatch", user_key: 1, reason: "Notes were edited in Kleer on purpose" },
    { kind: "link_orphan", reason: "Deleted registrations keep their history rows" },
  ],
});

/** User 1: an hours mismatch (blocking), a suppressed note mismatch, an extra event and the flex balance. */
export function sampleResultUser1(): UserParityResult {
  const legacy = cleanLegacy();
  const entries: TimeEntry[] = cleanKleer().map((e) =>
    e.registrationId === "7000001" ? { ...e, hours: 2.5 } : e.registrationId === "7000003" ? { ...e, note: "Code review & <merge>" } : e,
  );
  entries.push(buildKleerEntry({ registrationId: "7100000", date: "2026-05-15", hours: 0.5, note: "Extra", projectId: "902", activityId: "22428" }));
  return runUser({ legacyEntries: legacy, kleerListing: { entries, skipped: [] }, historyLinks: [buildHistoryLink({ registrationId: "400000000000099999" })] }, SAMPLE_RULES);
}

/** User 2: clean except a worked-hours difference in week 20. */
export function sampleResultUser2(): UserParityResult {
  const user = buildUserLink({ tokiUserId: 2 });
  return runUser({ user, kleerStats: [{ ...buildWeeklyStats(), workedHours: 39.5 }] }, SAMPLE_RULES);
}

export const SAMPLE_RANGE = WEEK_20;
