import { addDays, eachDay, isoWeekOf, isoWeekStart } from "../../domain/calendar.js";
import type { IsoDate } from "../../domain/time-entry.js";
import type { MilltimeSeed, MilltimeSeedProject, MilltimeSeedRegistration, MilltimeSeedUser } from "./milltime-emulator-seed.js";

/**
 * In-memory Milltime: the seed plus what writes changed, and every read reply computed from it.
 * Hours are summed in whole minutes so that TimeInfo figures and day flex agree exactly.
 */

const minutesOf = (hours: number) => Math.round(hours * 60);
const key = (userId: string, date: IsoDate) => `${userId}|${date}`;
/** Only 1 and 2 are real attest levels; anything else reads as 0 (as in Toki). */
const levelOf = (value: number | null) => (value === 1 || value === 2 ? value : 0);

export interface TimeInfoFigures {
  scheduledMinutes: number;
  workedMinutes: number;
  absenceMinutes: number;
  flexBeforeMinutes: number;
}

/** Leaves out the seed's `omitOptionKeys` (only keys Toki declares `Option`). */
function withoutKeys(row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  if (keys.length === 0) return row;
  const out = { ...row };
  for (const k of keys) delete out[k];
  return out;
}

export class MilltimeEmulatorState {
  readonly seed: MilltimeSeed;
  private regIndex: Map<string, MilltimeSeedRegistration[]> | undefined;
  /** Per user: flex accumulated before a date, for dates already asked (reset with the registrations). */
  private flexBeforeCache = new Map<string, Map<IsoDate, number>>();
  private readonly scheduleIndex: Map<string, { hours: number | null; holiday: boolean }>;
  private readonly absenceIndex = new Map<string, number>();
  private nextRegistrationNumber: bigint;

  constructor(seed: MilltimeSeed) {
    this.seed = structuredClone(seed);
    this.scheduleIndex = new Map(this.seed.schedule.map((s) => [key(s.userId, s.date), { hours: s.hours, holiday: s.holiday }]));
    for (const a of this.seed.absences) this.absenceIndex.set(key(a.userId, a.date), (this.absenceIndex.get(key(a.userId, a.date)) ?? 0) + minutesOf(a.hours));
    const highest = this.seed.registrations.reduce((max, r) => (BigInt(r.registrationId) > max ? BigInt(r.registrationId) : max), 400000000000000000n);
    this.nextRegistrationNumber = highest + 1n;
  }

  user(userId: string): MilltimeSeedUser | undefined {
    return this.seed.users.find((u) => u.userId === userId);
  }

  project(projectId: string): MilltimeSeedProject | undefined {
    return this.seed.projects.find((p) => p.projectId === projectId);
  }

  activityName(project: MilltimeSeedProject, activityId: string): string | undefined {
    for (const phase of project.phases) for (const a of phase.activities) if (a.activityId === activityId) return a.name;
    return undefined;
  }

  private registrationsOn(userId: string, date: IsoDate): MilltimeSeedRegistration[] {
    if (!this.regIndex) {
      this.regIndex = new Map();
      for (const r of this.seed.registrations) {
        const k = key(r.userId, r.date);
        const list = this.regIndex.get(k);
        if (list) list.push(r);
        else this.regIndex.set(k, [r]);
      }
    }
    return this.regIndex.get(key(userId, date)) ?? [];
  }

  employed(user: MilltimeSeedUser, date: IsoDate): boolean {
    return date >= user.startDate && (user.endDate === null || date <= user.endDate);
  }

  /** `stdtime` of a day: a schedule override, else hoursPerDay Monday–Friday; null outside employment. */
  stdtime(user: MilltimeSeedUser, date: IsoDate): number | null {
    if (!this.employed(user, date)) return null;
    const override = this.scheduleIndex.get(key(user.userId, date));
    if (override) return override.hours;
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow === 0 || dow === 6 ? 0 : user.hoursPerDay;
  }

  private dayMinutes(user: MilltimeSeedUser, date: IsoDate): { scheduled: number; worked: number; absence: number } {
    if (!this.employed(user, date)) return { scheduled: 0, worked: 0, absence: 0 };
    const worked = this.registrationsOn(user.userId, date).reduce((sum, r) => sum + minutesOf(r.hours) + (r.minutes ?? 0), 0);
    return { scheduled: minutesOf(this.stdtime(user, date) ?? 0), worked, absence: this.absenceIndex.get(key(user.userId, date)) ?? 0 };
  }

  /** Flex of one day: covered (worked + absence) − scheduled. */
  dayFlexMinutes(user: MilltimeSeedUser, date: IsoDate): number {
    const d = this.dayMinutes(user, date);
    return d.worked + d.absence - d.scheduled;
  }

  /**
   * Flex of every employed day from the start date up to (excluding) `from`. Walks on from the
   * latest earlier date already summed, so weekly TimeInfo calls over a long range do not
   * re-walk every day since the start each time.
   */
  private flexBefore(user: MilltimeSeedUser, from: IsoDate): number {
    const userKey = `${user.userId}|${user.startDate}|${user.endDate}`;
    let cache = this.flexBeforeCache.get(userKey);
    if (!cache) this.flexBeforeCache.set(userKey, (cache = new Map()));
    const known = cache.get(from);
    if (known !== undefined) return known;
    let start = user.startDate;
    let sum = 0;
    for (const [date, value] of cache) {
      if (date <= from && date > start) {
        start = date;
        sum = value;
      }
    }
    for (let d = start; d < from; d = addDays(d, 1)) sum += this.dayFlexMinutes(user, d);
    cache.set(from, sum);
    return sum;
  }

  timeInfoFigures(user: MilltimeSeedUser, from: IsoDate, to: IsoDate): TimeInfoFigures {
    const figures: TimeInfoFigures = { scheduledMinutes: 0, workedMinutes: 0, absenceMinutes: 0, flexBeforeMinutes: minutesOf(user.flexOpeningBalance) };
    figures.flexBeforeMinutes += this.flexBefore(user, from);
    for (const d of eachDay({ from, to })) {
      const day = this.dayMinutes(user, d);
      figures.scheduledMinutes += day.scheduled;
      figures.workedMinutes += day.worked;
      figures.absenceMinutes += day.absence;
    }
    return figures;
  }

  /** The TimeInfo row, every figure derived from registrations, schedule, absence and the opening balance. */
  timeInfoRow(user: MilltimeSeedUser, from: IsoDate, to: IsoDate): Record<string, unknown> {
    const f = this.timeInfoFigures(user, from, to);
    const covered = f.workedMinutes + f.absenceMinutes;
    const incl = covered - f.scheduledMinutes;
    const h = (minutes: number) => minutes / 60;
    return withoutKeys({
      FlexTimePreviousPeriod: h(f.flexBeforeMinutes),
      FlexTimePeriodExcl: h(f.workedMinutes - f.scheduledMinutes),
      FlexTimePeriodIncl: h(incl),
      FlexTimeCurrent: h(f.flexBeforeMinutes + incl),
      FlexWithdrawal: 0,
      ScheduledPeriodTime: h(f.scheduledMinutes),
      WorkedPeriodTime: h(f.workedMinutes),
      AbsencePeriodTime: h(f.absenceMinutes),
      WorkedPeriodWithAbsenceTime: h(covered),
      PeriodTimeLeft: h(Math.max(0, f.scheduledMinutes - covered)),
      Overtimes: null,
      MTInfoDetailRow: [],
    }, this.seed.omitOptionKeys);
  }

  registrationWire(r: MilltimeSeedRegistration): Record<string, unknown> {
    const project = this.project(r.projectId);
    return withoutKeys({
      projectregistrationid: r.registrationId,
      userid: r.userId,
      regday: r.date,
      projectid: r.projectId,
      projectname: project?.name ?? "",
      activity: r.activityId,
      activityname: (project && this.activityName(project, r.activityId)) ?? "",
      projtimehh: r.hours,
      projtimemm: r.minutes,
      usernote: r.note,
      attestlevel: r.attestLevel,
      favoritetype: 0,
      customernames: project?.customerNames ?? null,
    }, this.seed.omitOptionKeys);
  }

  private dayLevel(userId: string, date: IsoDate): number {
    return this.registrationsOn(userId, date).reduce((max, r) => Math.max(max, levelOf(r.attestLevel)), 0);
  }

  /** Whole ISO weeks overlapping the range: days outside it are answered too (the reader must filter). */
  userCalendarRow(user: MilltimeSeedUser, from: IsoDate, to: IsoDate): Record<string, unknown> {
    const weeks: Array<Record<string, unknown>> = [];
    for (let monday = isoWeekStart(from); monday <= to; monday = addDays(monday, 7)) {
      const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
      const weekLevel = dates.reduce((max, d) => Math.max(max, this.dayLevel(user.userId, d)), 0);
      const weeknr = isoWeekOf(monday);
      const days = dates.map((date) => {
        const flex = this.dayFlexMinutes(user, date);
        const hh = Math.trunc(flex / 60);
        // A day's own attestlevel is not an Option in Toki (user_calendar.rs:148): only stdtime may go.
        return withoutKeys({
          regday: date,
          regweek: String(weeknr),
          week: weeknr,
          stdtime: this.stdtime(user, date),
          holiday: this.scheduleIndex.get(key(user.userId, date))?.holiday ?? false,
          monthday: Number(date.slice(8, 10)),
          month: Number(date.slice(5, 7)),
          attestlevel: this.dayLevel(user.userId, date),
          weeklyattestlevel: weekLevel,
          flexdiff: withoutKeys(this.employed(user, date) ? { hh, mm: flex - hh * 60 } : { hh: null, mm: null }, this.seed.omitOptionKeys),
          projectregistrations: this.registrationsOn(user.userId, date).map((r) => this.registrationWire(r)),
        }, this.seed.omitOptionKeys.filter((k) => k === "stdtime"));
      });
      weeks.push({ weeknr, attestlevel: weekLevel, days });
    }
    const previousMonthEnd = addDays(`${from.slice(0, 7)}-01`, -1);
    const previousMonth = eachDay({ from: `${previousMonthEnd.slice(0, 7)}-01`, to: previousMonthEnd });
    return withoutKeys({
      previousAttestLevel: previousMonth.reduce((max, d) => Math.max(max, this.dayLevel(user.userId, d)), 0),
      attestLevel: weeks.reduce((max, w) => Math.max(max, w.attestlevel as number), 0),
      month: Number(from.slice(5, 7)),
      user_startdate: user.startDate,
      user_enddate: user.endDate,
      weeks,
    }, this.seed.omitOptionKeys.filter((k) => k === "user_enddate"));
  }

  projectSearchRows(user: MilltimeSeedUser): Array<Record<string, unknown>> {
    return this.seed.projects.map((p, index) => ({
      id: index + 1,
      userid: user.userId,
      projectid: p.projectId,
      projectname: p.name,
      projectnr: p.projectNr,
      leadername: p.leaderName,
      planningtype: 0,
      isfavorite: false,
      customernames: p.customerNames,
      ismember: p.memberUserIds.includes(user.userId),
      isleader: false,
    }));
  }

  /** One row per phase; `name` is `<activity> (<phase>)` so that a reader using it instead of `activityname` shows. */
  projectPhaseActivityRows(user: MilltimeSeedUser, projectId: string): Array<Record<string, unknown>> {
    const project = this.project(projectId);
    if (!project) return [];
    return project.phases.map((phase, phaseorder) => ({
      phaseid: phase.phaseId,
      phasename: phase.name,
      activities: phase.activities.map((a) => ({
        userid: user.userId,
        projectid: project.projectId,
        activity: a.activityId,
        activityname: a.name,
        name: `${a.name} (${phase.name})`,
        phaseid: phase.phaseId,
        phasename: phase.name,
        phaseorder,
        isfavorite: false,
        requirenote: a.requireNote,
        planningtype: 0,
        variationid: null,
        absencetype: null,
        projplandescription: null,
        planningtaskid: null,
        planningtaskname: null,
        timedistributiontype: "NORMALTIME",
      })),
    }));
  }

  /** True when a registration of the user on that day is week- or month-attested. */
  isLocked(userId: string, date: IsoDate): boolean {
    return this.dayLevel(userId, date) > 0;
  }

  addRegistration(r: Omit<MilltimeSeedRegistration, "registrationId">): MilltimeSeedRegistration {
    const registration = { ...r, registrationId: String(this.nextRegistrationNumber++) };
    this.seed.registrations.push(registration);
    this.regIndex = undefined;
    this.flexBeforeCache.clear();
    return registration;
  }

  findRegistration(registrationId: string): MilltimeSeedRegistration | undefined {
    return this.seed.registrations.find((r) => r.registrationId === registrationId);
  }

  updateRegistration(registrationId: string, changes: Partial<Omit<MilltimeSeedRegistration, "registrationId" | "userId">>): MilltimeSeedRegistration | undefined {
    const r = this.findRegistration(registrationId);
    if (!r) return undefined;
    Object.assign(r, changes);
    this.regIndex = undefined;
    this.flexBeforeCache.clear();
    return r;
  }

  deleteRegistration(registrationId: string): boolean {
    const index = this.seed.registrations.findIndex((r) => r.registrationId === registrationId);
    if (index < 0) return false;
    this.seed.registrations.splice(index, 1);
    this.regIndex = undefined;
    this.flexBeforeCache.clear();
    return true;
  }

  /** The current state as a seed (registrations changed by writes included). */
  dump(): MilltimeSeed {
    return structuredClone(this.seed);
  }
}
