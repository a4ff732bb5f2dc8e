import { indexMapping } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { DEFAULT_PARITY_RULES, type ParityRules } from "../../src/parity/parity-rules.js";
import { compareUserParity, type UserParityInput, type UserParityResult } from "../../src/parity/user-parity.js";
import { buildKleerTwin, buildLegacyEntry, buildMapping, buildTimeInfo, buildUserLink, buildWeeklyStats, IDS } from "../builders.js";

/** ISO week 20 of 2026 (Mon 11 – Sun 17 May). */
export const WEEK_20 = { from: "2026-05-11", to: "2026-05-17" } as const;

/** Three legacy entries covering the lock levels and note normalisation, all faithfully migrated. */
export function cleanLegacy(): TimeEntry[] {
  return [
    buildLegacyEntry({ registrationId: "400000000000000001", date: "2026-05-12", hours: 2.25, note: "Sprint planning", attestLevel: 0 }),
    buildLegacyEntry({
      registrationId: "400000000000000002",
      date: "2026-05-13",
      hours: 1.5,
      note: "",
      attestLevel: 1,
      projectId: IDS.milltimeProject.portal,
      activityId: IDS.milltimeActivity.meeting,
    }),
    buildLegacyEntry({ registrationId: "400000000000000003", date: "2026-05-14", hours: 1 / 3, note: "  Code review ", attestLevel: 2 }),
  ];
}

export function cleanKleer(legacy: TimeEntry[] = cleanLegacy()): TimeEntry[] {
  return legacy.map((e) => buildKleerTwin(e));
}

/** A complete, clean per-user input for week 20; override any part. */
export function userInput(overrides: Partial<UserParityInput> = {}): UserParityInput {
  const legacy = overrides.legacyEntries ?? cleanLegacy();
  const user = overrides.user ?? buildUserLink();
  return {
    user,
    range: WEEK_20,
    periods: [WEEK_20],
    timeZone: "Europe/Stockholm",
    mapping: indexMapping(buildMapping([user])),
    relinks: new Map(),
    legacyEntries: legacy,
    legacyTimeInfo: [buildTimeInfo()],
    kleerListing: { entries: cleanKleer(cleanLegacy()), skipped: [] },
    kleerStats: [buildWeeklyStats()],
    historyLinks: [],
    failures: [],
    ...overrides,
  };
}

export function runUser(overrides: Partial<UserParityInput> = {}, rules: ParityRules = DEFAULT_PARITY_RULES): UserParityResult {
  return compareUserParity(userInput(overrides), rules);
}

/** Kinds of a result, sorted, without the always-present informational flex balance. */
export function kindsOf(result: UserParityResult): string[] {
  return result.findings.map((f) => f.kind).filter((k) => k !== "flex_balance_unavailable").sort();
}
