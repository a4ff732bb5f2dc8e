import { inRange, isoWeekOf } from "../domain/calendar.js";
import { toAttestLevel } from "../domain/lock-state.js";
import type { TimeInfo } from "../domain/time-info.js";
import type { Activity, DateRange, Project, TimeEntry } from "../domain/time-entry.js";
import type {
  ProjectPhaseActivityRow,
  ProjectRegistrationWire,
  ProjectSearchRow,
  TimeInfoRow,
  UserCalendarRow,
} from "./milltime-schema.js";

/** Pure Milltime → Toki domain mapping, exactly as Toki's Milltime adapter did it (reference §7). */

/** Member projects only; `code` is `projectnr` when it is a non-empty string. */
export function toProjects(rows: ProjectSearchRow[]): Project[] {
  return rows
    .filter((row) => row.ismember)
    .map((row) => {
      const code = typeof row.projectnr === "string" && row.projectnr !== "" ? row.projectnr : undefined;
      return code === undefined
        ? { id: row.projectid, name: row.projectname }
        : { id: row.projectid, name: row.projectname, code };
    });
}

/** id = `activity`, name = `activityname` (not `name`); tied to the project they were listed for. */
export function toActivities(row: ProjectPhaseActivityRow, projectId: string): Activity[] {
  return row.activities.map((a) => ({ id: a.activity, name: a.activityname, projectId }));
}

/** `projtimehh + (projtimemm ?? 0) / 60` */
export function hoursOf(projtimehh: number, projtimemm: number | null): number {
  return projtimehh + (projtimemm ?? 0) / 60;
}

export function toTimeEntry(reg: ProjectRegistrationWire): TimeEntry {
  return {
    registrationId: reg.projectregistrationid,
    projectId: reg.projectid,
    projectName: reg.projectname,
    activityId: reg.activity,
    activityName: reg.activityname,
    date: reg.regday,
    hours: hoursOf(reg.projtimehh, reg.projtimemm),
    note: reg.usernote ?? "",
    startTime: null,
    endTime: null,
    weekNumber: isoWeekOf(reg.regday),
    lock: { kind: "attestLevel", attestLevel: toAttestLevel(reg.attestlevel) },
  };
}

/**
 * Flattens weeks → days, keeps the days whose `regday` lies inside the range (UserCalendar answers
 * whole weeks), then every registration of those days, in calendar order.
 */
export function toTimeEntries(calendar: UserCalendarRow, range: DateRange): TimeEntry[] {
  const out: TimeEntry[] = [];
  for (const week of calendar.weeks) {
    for (const day of week.days) {
      if (!inRange(day.regday, range)) continue;
      for (const reg of day.projectregistrations) out.push(toTimeEntry(reg));
    }
  }
  return out;
}

export function toTimeInfo(row: TimeInfoRow): TimeInfo {
  return {
    periodTimeLeft: row.PeriodTimeLeft,
    workedPeriodTime: row.WorkedPeriodTime,
    scheduledPeriodTime: row.ScheduledPeriodTime,
    workedPeriodWithAbsenceTime: row.WorkedPeriodWithAbsenceTime,
    flexTimeCurrent: row.FlexTimeCurrent,
    flexTimePreviousPeriod: row.FlexTimePreviousPeriod,
    flexTimePeriodExcl: row.FlexTimePeriodExcl,
    flexTimePeriodIncl: row.FlexTimePeriodIncl,
    flexWithdrawal: row.FlexWithdrawal,
    absencePeriodTime: row.AbsencePeriodTime,
  };
}
