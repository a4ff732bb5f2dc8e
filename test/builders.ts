/**
 * Builders for domain objects (shared by every test area). Each returns a complete, valid value
 * with overridable fields; ids come from a small fixed mapping so that builders compose.
 */
import { isoWeekOf } from "../src/domain/calendar.js";
import type { CutoverMapping, UserLink } from "../src/domain/cutover-mapping.js";
import type { AttestLevel, SkippedProviderEntry, TimeEntry, TimeEntryStatus } from "../src/domain/time-entry.js";
import { computeWeeklyStats, type TimeInfo, type WeeklyStats } from "../src/domain/time-info.js";
import type { TimerHistoryLink } from "../src/domain/timer-history.js";

/** Milltime ↔ Kleer ids of the builders' small company. */
export const IDS = {
  milltimeProject: { intranet: "300000000000000001", portal: "300000000000000002", unmapped: "300000000000000099" },
  kleerProject: { intranet: 901, portal: 902 },
  milltimeActivity: { development: "200000000000000001", meeting: "200000000000000002", unmapped: "200000000000000099" },
  kleerActivity: { development: 22427, meeting: 22428 },
} as const;

const PROJECT_NAMES: Record<string, string> = {
  [IDS.milltimeProject.intranet]: "Intranet revamp",
  [IDS.milltimeProject.portal]: "Customer portal",
  [IDS.milltimeProject.unmapped]: "Old project",
  [String(IDS.kleerProject.intranet)]: "Intranet revamp",
  [String(IDS.kleerProject.portal)]: "Customer portal",
};
const ACTIVITY_NAMES: Record<string, string> = {
  [IDS.milltimeActivity.development]: "Development",
  [IDS.milltimeActivity.meeting]: "Meeting",
  [IDS.milltimeActivity.unmapped]: "Retired activity",
  [String(IDS.kleerActivity.development)]: "Development",
  [String(IDS.kleerActivity.meeting)]: "Meeting",
};

/** The Kleer status each attest level becomes under the default correspondence. */
export const DEFAULT_STATUS_FOR_ATTEST_LEVEL: Record<AttestLevel, TimeEntryStatus> = { 0: "open", 1: "certified", 2: "approved" };

export function buildUserLink(overrides: Partial<UserLink> = {}): UserLink {
  const tokiUserId = overrides.tokiUserId ?? 1;
  return { tokiUserId, email: `user${tokiUserId}@example.se`, milltimeUserId: String(200 + tokiUserId), kleerUserId: 5500 + tokiUserId, ...overrides };
}

/** The builders' mapping: two projects and two activities mapped, the `unmapped` ids not. */
export function buildMapping(users: UserLink[] = [buildUserLink()]): CutoverMapping {
  return {
    users,
    projects: [
      { milltimeProjectId: IDS.milltimeProject.intranet, kleerProjectId: IDS.kleerProject.intranet },
      { milltimeProjectId: IDS.milltimeProject.portal, kleerProjectId: IDS.kleerProject.portal },
    ],
    activities: [
      { milltimeActivityId: IDS.milltimeActivity.development, kleerActivityId: IDS.kleerActivity.development },
      { milltimeActivityId: IDS.milltimeActivity.meeting, kleerActivityId: IDS.kleerActivity.meeting },
    ],
  };
}

export interface LegacyEntryOverrides extends Partial<Omit<TimeEntry, "lock">> {
  attestLevel?: AttestLevel;
}

/** A Milltime entry as the reader returns it (note always a string, attest level lock). */
export function buildLegacyEntry(overrides: LegacyEntryOverrides = {}): TimeEntry {
  const { attestLevel = 0, ...rest } = overrides;
  const projectId = rest.projectId ?? IDS.milltimeProject.intranet;
  const activityId = rest.activityId ?? IDS.milltimeActivity.development;
  const date = rest.date ?? "2026-05-12";
  return {
    registrationId: "400000000000123456",
    projectId,
    projectName: PROJECT_NAMES[projectId] ?? `Project ${projectId}`,
    activityId,
    activityName: ACTIVITY_NAMES[activityId] ?? `Activity ${activityId}`,
    date,
    hours: 2.25,
    note: "Sprint planning",
    startTime: null,
    endTime: null,
    weekNumber: isoWeekOf(date),
    ...rest,
    lock: { kind: "attestLevel", attestLevel },
  };
}

export interface KleerEntryOverrides extends Partial<Omit<TimeEntry, "lock">> {
  status?: TimeEntryStatus;
}

/** A Kleer event as the adapter lists it (status lock, foreign id kept). */
export function buildKleerEntry(overrides: KleerEntryOverrides = {}): TimeEntry {
  const { status = "open", ...rest } = overrides;
  const projectId = rest.projectId ?? String(IDS.kleerProject.intranet);
  const activityId = rest.activityId ?? String(IDS.kleerActivity.development);
  const date = rest.date ?? "2026-05-12";
  return {
    registrationId: "7001234",
    projectId,
    projectName: PROJECT_NAMES[projectId] ?? `Project ${projectId}`,
    activityId,
    activityName: ACTIVITY_NAMES[activityId] ?? `Activity ${activityId}`,
    date,
    hours: 2.25,
    note: "Sprint planning",
    startTime: null,
    endTime: null,
    weekNumber: isoWeekOf(date),
    foreignId: "",
    ...rest,
    lock: { kind: "status", status },
  };
}

const MILLTIME_TO_KLEER_PROJECT: Record<string, number> = {
  [IDS.milltimeProject.intranet]: IDS.kleerProject.intranet,
  [IDS.milltimeProject.portal]: IDS.kleerProject.portal,
};
const MILLTIME_TO_KLEER_ACTIVITY: Record<string, number> = {
  [IDS.milltimeActivity.development]: IDS.kleerActivity.development,
  [IDS.milltimeActivity.meeting]: IDS.kleerActivity.meeting,
};

/**
 * The Kleer event a faithful migration of `legacy` produces: mapped ids, same date and hours,
 * the `missing note` placeholder for an empty note, the default status, foreign id `milltime:<id>`.
 */
export function buildKleerTwin(legacy: TimeEntry, overrides: KleerEntryOverrides = {}): TimeEntry {
  const attestLevel = legacy.lock.kind === "attestLevel" ? legacy.lock.attestLevel : 0;
  const note = (legacy.note ?? "").trim() === "" ? "missing note" : legacy.note;
  return buildKleerEntry({
    registrationId: `7${legacy.registrationId.slice(-6)}`,
    projectId: String(MILLTIME_TO_KLEER_PROJECT[legacy.projectId] ?? 999),
    activityId: String(MILLTIME_TO_KLEER_ACTIVITY[legacy.activityId] ?? 99999),
    date: legacy.date,
    hours: legacy.hours,
    note,
    foreignId: `milltime:${legacy.registrationId}`,
    status: DEFAULT_STATUS_FOR_ATTEST_LEVEL[attestLevel],
    ...overrides,
  });
}

export function buildSkippedEntry(overrides: Partial<SkippedProviderEntry> = {}): SkippedProviderEntry {
  return { registrationId: "7009999", date: "2026-05-12", hours: 1, reason: "projectless", activityId: String(IDS.kleerActivity.development), foreignId: "", ...overrides };
}

/** Legacy TimeInfo for a period whose figures agree with `buildWeeklyStats` of the same numbers. */
export function buildTimeInfo(overrides: Partial<TimeInfo> & { worked?: number; scheduled?: number; absence?: number } = {}): TimeInfo {
  const { worked = 40, scheduled = 40, absence = 0, ...rest } = overrides;
  const covered = worked + absence;
  return {
    periodTimeLeft: scheduled - covered,
    workedPeriodTime: worked,
    scheduledPeriodTime: scheduled,
    workedPeriodWithAbsenceTime: covered,
    flexTimeCurrent: 3.5,
    flexTimePreviousPeriod: 3.5 - (covered - scheduled),
    flexTimePeriodExcl: covered - scheduled,
    flexTimePeriodIncl: covered - scheduled,
    flexWithdrawal: 0,
    absencePeriodTime: absence,
    ...rest,
  };
}

export function buildWeeklyStats(overrides: { worked?: number; scheduled?: number; absence?: number } & Partial<WeeklyStats> = {}): WeeklyStats {
  const { worked = 40, scheduled = 40, absence = 0, ...rest } = overrides;
  return { ...computeWeeklyStats(worked, scheduled, absence), ...rest };
}

/** A finished timer-history row pointing at `registrationId`, lasting `minutes` from `startTime`. */
export function buildHistoryLink(overrides: Partial<TimerHistoryLink> & { minutes?: number } = {}): TimerHistoryLink {
  const { minutes = 135, ...rest } = overrides;
  const startTime = rest.startTime ?? "2026-05-12T07:00:00.000Z";
  return {
    historyId: 1,
    tokiUserId: 1,
    userEmail: "user1@example.se",
    registrationId: "400000000000123456",
    startTime,
    endTime: new Date(Date.parse(startTime) + minutes * 60_000).toISOString(),
    projectId: IDS.milltimeProject.intranet,
    projectName: "Intranet revamp",
    activityId: IDS.milltimeActivity.development,
    activityName: "Development",
    note: "Sprint planning",
    ...rest,
  };
}
