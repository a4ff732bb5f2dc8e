import { eachDay } from "../../domain/calendar.js";
import { allowedActivities } from "../../domain/project-access.js";
import type { DateRange, IsoDate, TimeEntryStatus } from "../../domain/time-entry.js";
import {
  parseKleerEmulatorSeed,
  type KleerEmulatorSeed,
  type KleerEmulatorSeedInput,
  type KleerSeedActivity,
  type KleerSeedDayStatus,
  type KleerSeedEvent,
  type KleerSeedPayrollEvent,
  type KleerSeedProject,
  type KleerSeedSchedule,
  type KleerSeedUser,
  type KleerWireQuirks,
} from "./kleer-emulator-seed.js";

/** An event as a write asks for it (already decoded from the event-writable body). */
export interface KleerEmulatorEventInput {
  foreignId: string;
  userId: number;
  activityId: number;
  projectId: number | null;
  child: string | null;
  date: IsoDate;
  hours: number;
  comment: string;
  internalComment: string | null;
}

/** The outcome of a write: the id Kleer answers with, or the HTTP status and message of a refusal. */
export type KleerEmulatorWriteResult = { ok: true; id: number } | { ok: false; status: number; message: string };

/** A payroll event as stored (its id always assigned). */
export type KleerEmulatorPayrollEvent = KleerSeedPayrollEvent & { id: number };

/** One in-memory Kleer company. Every emulator instance owns its own (Kleer's hosts do not share storage). */
export interface KleerEmulatorState {
  /** Replaces everything with the seed (validated; throws ConfigError on a bad seed). */
  seed(input: KleerEmulatorSeedInput): void;
  /** The whole company in seed form (a dump seeds another emulator identically). */
  dump(): KleerEmulatorSeed;
  /**
   * Test hook: whether a write on an approved or certified day is accepted (as a Kleer without
   * such a check would) instead of refused with 409. @default false (refused)
   */
  acceptWritesOnLockedDays(accept: boolean): void;
  /** Test hook: sets the day status of every date of the range for a user (approve / certify / open). */
  setDayStatus(userId: number, range: DateRange, status: TimeEntryStatus, registrationUserId?: number): number;
  integrationUser(): KleerSeedUser | undefined;
  /** The seed's wire quirks (all off by default). */
  quirks(): KleerWireQuirks;
  users(): KleerSeedUser[];
  user(id: number): KleerSeedUser | undefined;
  activities(): KleerSeedActivity[];
  projects(filter: { activeOnly: boolean }): KleerSeedProject[];
  event(id: number): KleerSeedEvent | undefined;
  /** Events by user (all users when absent) and inclusive date bounds, sorted by date then id. */
  events(query: { userId?: number | undefined; from?: IsoDate | undefined; to?: IsoDate | undefined }): KleerSeedEvent[];
  /** Day-status rows of a user within an inclusive range (only dates that have a row), by date. */
  dayStatuses(userId: number, range: DateRange): KleerSeedDayStatus[];
  schedule(userId: number, range: DateRange): KleerSeedSchedule[];
  payrollEvents(userId: number, range: DateRange): KleerEmulatorPayrollEvent[];
  createEvent(input: KleerEmulatorEventInput): KleerEmulatorWriteResult;
  updateEvent(id: number, input: KleerEmulatorEventInput): KleerEmulatorWriteResult;
  deleteEvent(id: number): KleerEmulatorWriteResult;
}

/** The activity ids a user may report on a project: the same truth table Toki applies (kleer-api.md §7). */
export function emulatorAllowedActivities(project: KleerSeedProject, userId: number, allActivityIds: number[]): Set<number> {
  const access = {
    id: project.id,
    active: project.active,
    allUsers: project.allUsers,
    users: project.users.map((u) => ({ userId: u.userId, activityIds: u.activities })),
    allActivities: project.allActivities,
    activityIds: project.activities,
  };
  return new Set(allowedActivities(access, userId, allActivityIds).allowed);
}

const clone = <T>(value: T): T => structuredClone(value);
const inBounds = (date: IsoDate, from?: IsoDate, to?: IsoDate) => (from === undefined || date >= from) && (to === undefined || date <= to);
const byDateThenId = (a: { date: string; id: number }, b: { date: string; id: number }) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id;

/** Creates an emulator company from a seed (empty when none is given). */
export interface KleerEmulatorBehaviour {
  /** Accept writes on approved or certified days instead of refusing them (409). @default false */
  acceptWritesOnLockedDays?: boolean | undefined;
}

export function createKleerEmulatorState(initial: KleerEmulatorSeedInput = {}, behaviour: KleerEmulatorBehaviour = {}): KleerEmulatorState {
  let acceptLockedWrites = behaviour.acceptWritesOnLockedDays ?? false;
  let data: KleerEmulatorSeed;
  let dayStatusByKey: Map<string, KleerSeedDayStatus>;
  let payroll: KleerEmulatorPayrollEvent[];
  let nextEventId: number;
  // Per-user indexes, rebuilt lazily after any change: a benchmark company has ~300k events.
  let version = 0;
  const indexes = new Map<string, { version: number; byUser: Map<number, unknown[]> }>();
  function rowsOf<T extends { userId: number }>(name: string, rows: () => readonly T[], userId: number): T[] {
    let index = indexes.get(name);
    if (!index || index.version !== version) {
      const byUser = new Map<number, unknown[]>();
      for (const row of rows()) {
        const list = byUser.get(row.userId);
        if (list) list.push(row);
        else byUser.set(row.userId, [row]);
      }
      index = { version, byUser };
      indexes.set(name, index);
    }
    return (index.byUser.get(userId) ?? []) as T[];
  }

  const key = (userId: number, date: IsoDate) => `${userId}|${date}`;

  function load(input: KleerEmulatorSeedInput): void {
    data = parseKleerEmulatorSeed(input);
    dayStatusByKey = new Map(data.dayStatuses.map((d) => [key(d.userId, d.date), d]));
    // reduce, not Math.max(...rows): a benchmark-sized seed would overflow the call stack.
    let nextPayrollId = data.payrollEvents.reduce((max, p) => Math.max(max, p.id ?? 0), 0) + 1;
    payroll = data.payrollEvents.map((p) => ({ ...p, id: p.id ?? nextPayrollId++ }));
    nextEventId = data.events.reduce((max, e) => Math.max(max, e.id), 0) + 1;
    version++;
  }
  load(initial);

  const dayStatus = (userId: number, date: IsoDate): TimeEntryStatus => dayStatusByKey.get(key(userId, date))?.status ?? "open";

  /** Kleer's behaviour here is unknown; the emulator refuses and says why (409). */
  const lockedDay = (userId: number, date: IsoDate): KleerEmulatorWriteResult | undefined => {
    const status = dayStatus(userId, date);
    return status === "open" || acceptLockedWrites
      ? undefined
      : { ok: false, status: 409, message: `The day ${date} is ${status.toUpperCase()} for user ${userId}; events on it cannot be changed` };
  };

  function validate(input: KleerEmulatorEventInput): KleerEmulatorWriteResult | undefined {
    // Observed on the live API: a write without foreign-id fails with a generic 500.
    if (input.foreignId === "") return { ok: false, status: 500, message: "Tekniskt fel" };
    if (!data.users.some((u) => u.id === input.userId)) return { ok: false, status: 400, message: `Unknown user ${input.userId}` };
    const activity = data.activities.find((a) => a.id === input.activityId);
    if (!activity) return { ok: false, status: 400, message: `Unknown activity ${input.activityId}` };
    if (input.projectId !== null) {
      const project = data.projects.find((p) => p.id === input.projectId);
      if (!project) return { ok: false, status: 400, message: `Unknown client project ${input.projectId}` };
      const allowed = emulatorAllowedActivities(project, input.userId, data.activities.map((a) => a.id));
      if (!allowed.has(input.activityId))
        return { ok: false, status: 400, message: `Activity ${input.activityId} is not allowed on client project ${input.projectId} for user ${input.userId}` };
    }
    if (activity.mandatoryChildWhenReporting && (input.child === null || input.child === ""))
      return { ok: false, status: 400, message: `Activity ${input.activityId} requires a child when reporting` };
    return lockedDay(input.userId, input.date);
  }

  function toEvent(id: number, input: KleerEmulatorEventInput, status: TimeEntryStatus, invoiceable: boolean): KleerSeedEvent {
    return {
      id,
      userId: input.userId,
      activityId: input.activityId,
      projectId: input.projectId,
      date: input.date,
      hours: input.hours,
      comment: input.comment,
      internalComment: input.internalComment ?? input.comment,
      foreignId: input.foreignId,
      status,
      invoiceable,
    };
  }

  function refuseChangeOf(event: KleerSeedEvent): KleerEmulatorWriteResult | undefined {
    if (event.status !== "open")
      return { ok: false, status: 409, message: `Event ${event.id} is ${event.status.toUpperCase()} and cannot be changed` };
    return lockedDay(event.userId, event.date);
  }

  return {
    seed: load,
    acceptWritesOnLockedDays(accept) {
      acceptLockedWrites = accept;
    },
    dump: () =>
      clone({
        ...data,
        dayStatuses: [...dayStatusByKey.values()].sort((a, b) => a.userId - b.userId || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
        payrollEvents: payroll,
        events: [...data.events].sort((a, b) => a.id - b.id),
      }),
    setDayStatus(userId, range, status, registrationUserId) {
      const days = eachDay(range);
      for (const date of days) {
        dayStatusByKey.set(key(userId, date), { userId, date, status, ...(registrationUserId === undefined ? {} : { registrationUserId }) });
      }
      for (const event of data.events) if (event.userId === userId && inBounds(event.date, range.from, range.to)) event.status = status;
      version++;
      return days.length;
    },
    quirks: () => data.quirks,
    integrationUser: () => {
      const wanted = data.integrationUserId ?? data.users[0]?.id;
      return clone(data.users.find((u) => u.id === wanted));
    },
    users: () => clone(data.users),
    user: (id) => clone(data.users.find((u) => u.id === id)),
    activities: () => clone(data.activities),
    projects: ({ activeOnly }) => clone(data.projects.filter((p) => !activeOnly || p.active)),
    event: (id) => clone(data.events.find((e) => e.id === id)),
    events: ({ userId, from, to }) =>
      clone(
        (userId === undefined ? data.events : rowsOf("events", () => data.events, userId))
          .filter((e) => inBounds(e.date, from, to))
          .sort(byDateThenId),
      ),
    dayStatuses: (userId, range) =>
      clone(
        rowsOf("dayStatuses", () => [...dayStatusByKey.values()], userId)
          .filter((d) => inBounds(d.date, range.from, range.to))
          .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
      ),
    schedule: (userId, range) =>
      clone(
        rowsOf("schedule", () => data.payrollSchedule, userId)
          .filter((s) => inBounds(s.date, range.from, range.to))
          .sort((a, b) => (a.date < b.date ? -1 : 1)),
      ),
    payrollEvents: (userId, range) =>
      clone(rowsOf("payroll", () => payroll, userId).filter((p) => inBounds(p.date, range.from, range.to)).sort(byDateThenId)),
    createEvent(input) {
      const refusal = validate(input);
      if (refusal) return refusal;
      const event = toEvent(nextEventId++, input, "open", true);
      data.events.push(event);
      version++;
      return { ok: true, id: event.id };
    },
    updateEvent(id, input) {
      const index = data.events.findIndex((e) => e.id === id);
      const existing = data.events[index];
      if (!existing) return { ok: false, status: 404, message: `Event ${id} not found` };
      const refusal = refuseChangeOf(existing) ?? validate(input);
      if (refusal) return refusal;
      data.events[index] = toEvent(id, input, "open", existing.invoiceable);
      version++;
      return { ok: true, id };
    },
    deleteEvent(id) {
      const index = data.events.findIndex((e) => e.id === id);
      const existing = data.events[index];
      if (!existing) return { ok: false, status: 404, message: `Event ${id} not found` };
      const refusal = refuseChangeOf(existing);
      if (refusal) return refusal;
      data.events.splice(index, 1);
      version++;
      return { ok: true, id };
    },
  };
}
