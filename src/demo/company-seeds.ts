import type { KleerEmulatorSeedInput } from "../emulator/kleer/kleer-emulator-seed.js";
import type { MilltimeSeedInput } from "../emulator/milltime/milltime-emulator-seed.js";
import { STATUS_FOR_ATTEST_LEVEL, type SyntheticCompany } from "./synthetic-company.js";

/** The Kleer company as the emulator holds it after a migration "by other means". */
export function toKleerSeed(company: SyntheticCompany, options: { withEvents?: boolean } = {}): KleerEmulatorSeedInput {
  const withEvents = options.withEvents ?? true;
  const kleerUsers = company.users.filter((u) => u.kleerUserId !== null);
  const userIdOf = new Map(company.users.map((u) => [u.tokiUserId, u.kleerUserId]));
  const integrationUserId = 5500;
  // Day-level locks follow the legacy attest levels (what an admin approved/certified in Kleer).
  const dayStatuses = new Map<string, { userId: number; date: string; status: "approved" | "certified" }>();
  if (withEvents) {
    for (const reg of company.registrations) {
      const userId = userIdOf.get(reg.tokiUserId);
      if (!userId || reg.attestLevel === 0) continue;
      const status = STATUS_FOR_ATTEST_LEVEL[reg.attestLevel] as "approved" | "certified";
      dayStatuses.set(`${userId}|${reg.date}`, { userId, date: reg.date, status });
    }
  }
  return {
    integrationUserId,
    users: [
      { id: integrationUserId, name: "Toki Integration", email: "integration@example.se", active: true, hasPayroll: false },
      ...kleerUsers.map((u) => ({
        id: u.kleerUserId as number,
        name: u.name,
        email: u.email,
        active: true,
        hasPayroll: u.hasPayroll,
      })),
    ],
    activities: company.activities.map((a) => ({ id: a.kleerActivityId, name: a.name })),
    projects: company.projects.map((p) => ({
      id: p.kleerProjectId,
      number: p.number,
      name: p.name,
      active: true,
      allActivities: false,
      activities: p.activityIndexes.map((i) => company.activities[i]?.kleerActivityId as number),
      allUsers: true,
      users: [],
    })),
    events: withEvents
      ? company.kleerEvents.map((e) => ({
          id: e.id,
          userId: e.kleerUserId,
          activityId: e.kleerActivityId,
          projectId: e.kleerProjectId,
          date: e.date,
          hours: e.hours,
          comment: e.comment,
          foreignId: e.foreignId,
          status: e.status,
          ...(e.wireQuirk === undefined ? {} : { wireQuirk: e.wireQuirk }),
        }))
      : [],
    dayStatuses: [...dayStatuses.values()],
    payrollSchedule: company.schedule.flatMap((s) => {
      const user = company.users.find((u) => u.tokiUserId === s.tokiUserId);
      if (!user || user.kleerUserId === null || !user.hasPayroll) return [];
      return [{ userId: user.kleerUserId, date: s.date, levelOfEmployment: user.employment, grossHours: s.milltimeHours > 0 ? 8 : 0, netHours: s.kleerHours, actualHours: s.kleerHours }];
    }),
    payrollEvents: company.absences.flatMap((a) => {
      const user = company.users.find((u) => u.tokiUserId === a.tokiUserId);
      if (!user || user.kleerUserId === null || !user.hasPayroll || !a.inKleer) return [];
      return [{ userId: user.kleerUserId, date: a.date, hours: a.hours, type: a.type === "Vacation" ? "VACATION" : "SICK", comment: "" }];
    }),
  };
}

/** The legacy Milltime tenant as the emulator holds it. */
export function toMilltimeSeed(company: SyntheticCompany): MilltimeSeedInput {
  const milltimeIdOf = new Map(company.users.map((u) => [u.tokiUserId, u.milltimeUserId]));
  return {
    instance: { instanceId: "000224.1", instanceName: "Exempelbolaget AB", instanceDb: "milltime_exempel" },
    users: company.users.map((u) => ({
      userId: u.milltimeUserId,
      username: u.username,
      password: u.password,
      name: u.name,
      startDate: company.range.from,
      endDate: null,
      hoursPerDay: 8 * u.employment,
      flexOpeningBalance: u.flexOpeningBalance,
    })),
    projects: company.projects.map((p) => ({
      projectId: p.milltimeProjectId,
      name: p.name,
      projectNr: p.number === "" ? null : p.number,
      leaderName: "Karin Lindqvist",
      customerNames: "Exempelbolaget AB",
      memberUserIds: company.users.map((u) => u.milltimeUserId),
      phases: [
        {
          phaseId: "Default",
          name: "Standard",
          activities: p.activityIndexes.map((i) => ({
            activityId: company.activities[i]?.milltimeActivityId as string,
            name: company.activities[i]?.name as string,
            requireNote: false,
          })),
        },
      ],
    })),
    registrations: company.registrations.map((r, i) => ({
      registrationId: r.registrationId,
      userId: milltimeIdOf.get(r.tokiUserId) as string,
      projectId: company.projects[r.projectIndex]?.milltimeProjectId as string,
      activityId: company.activities[r.activityIndex]?.milltimeActivityId as string,
      date: r.date,
      hours: Math.floor(r.minutes / 60),
      // Milltime sends null minutes for whole hours now and then.
      minutes: r.minutes % 60 === 0 && i % 4 === 0 ? null : r.minutes % 60,
      note: r.note,
      attestLevel: r.attestLevel,
    })),
    schedule: company.schedule.map((s) => ({
      userId: milltimeIdOf.get(s.tokiUserId) as string,
      date: s.date,
      hours: s.milltimeHours,
      holiday: false,
    })),
    absences: company.absences.map((a) => ({
      userId: milltimeIdOf.get(a.tokiUserId) as string,
      date: a.date,
      hours: a.hours,
      type: a.type,
    })),
  };
}

/** The credentials file a cutover team would write (one row carries a wrong password on purpose). */
export function credentialsOf(company: SyntheticCompany): Array<{ tokiUserId: number; username: string; password: string }> {
  return company.users.map((u) => ({
    tokiUserId: u.tokiUserId,
    username: u.username,
    password: u.wrongPassword ? `${u.password}-old` : u.password,
  }));
}

/** Toki's timer_history as a JSON export (the keys `\copy … csv header` would write, plus user_email). */
export function historyExportOf(company: SyntheticCompany): Array<Record<string, string | number | null>> {
  const links: Array<Record<string, string | number | null>> = company.historyLinks.map((l) => ({
    id: l.historyId,
    user_id: l.tokiUserId,
    start_time: l.startTime,
    end_time: l.endTime,
    project_id: l.projectId,
    project_name: l.projectName,
    activity_id: l.activityId,
    activity_name: l.activityName,
    note: l.note,
    created_at: l.endTime,
    registration_id: l.registrationId,
    user_email: l.userEmail,
  }));
  return [...links, ...company.invalidHistoryRows];
}
