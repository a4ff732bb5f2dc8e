import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Clock } from "../../src/domain/ports.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";
import type { UserParityResult } from "../../src/parity/user-parity.js";
import type { RunTotals } from "../../src/report/report-data.js";
import type { RunRecord } from "../../src/report/report-records.js";
import { createReportStore, openReportStore, type ReportStore } from "../../src/report/report-store.js";
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

/** A completed compare run over four weeks of November 2026, as the gate reads it. */
export function buildRunRecord(extra: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: "R1", command: "compare", status: "completed", startedAt: "2026-12-02T10:00:00Z", finishedAt: null, fromDate: "2026-11-02", toDate: "2026-11-29",
    period: "week", options: {}, toolVersion: "0.1.0", errorMessage: null, summary: null, ...extra,
  };
}

/** Totals of a run of two users, 2 of 3 entries matching and nothing blocking. */
export function buildRunTotals(extra: Partial<RunTotals> = {}): RunTotals {
  return {
    users: 2, usersCompared: 2, usersUnmapped: 0, usersWithSourceErrors: 0, legacyEntries: 3, compared: 3, matches: 2, mismatches: 1, missing: 0, extra: 0, unmapped: 0,
    skipped: 0, kleerSkipped: 0, matchRate: 2 / 3, blocking: 0, warning: 0, info: 0, suppressed: 0, consequences: { blocking: 0, warning: 0, info: 0 }, ...extra,
  };
}

/**
 * A report file with an older clean run (user 2 only: 3 of 3 match) and a newer run with 2
 * blocking findings, in a new temp folder pushed onto `dirs` for the caller to remove.
 */
export function gateReportFile(dirs: string[]): { dir: string; file: string; cleanRun: string; dirtyRun: string; clock: Clock } {
  const dir = mkdtempSync(join(tmpdir(), "toki-gate-"));
  dirs.push(dir);
  const file = join(dir, "report.sqlite");
  const clock = steppingClock();
  const store = openReportStore(file, { clock });
  const cleanRun = store.startRun({ command: "compare", range: SAMPLE_RANGE, toolVersion: "0.1.0" });
  store.writeUserBatch(cleanRun, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
  store.completeRun(cleanRun);
  const dirtyRun = store.startRun({ command: "compare", range: SAMPLE_RANGE, toolVersion: "0.1.0" });
  store.writeUserBatch(dirtyRun, { user: buildUserLink(), result: sampleResultUser1() });
  store.writeUserBatch(dirtyRun, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
  store.completeRun(dirtyRun);
  store.db.close();
  return { dir, file, cleanRun, dirtyRun, clock };
}
