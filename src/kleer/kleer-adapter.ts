import pLimit from "p-limit";
import { inRange, isIsoDate } from "../domain/calendar.js";
import { splitBySpan } from "../domain/date-span.js";
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger, type TimeTrackingClient, type WeeklyStatsByPeriodReader } from "../domain/ports.js";
import type {
  CreateTimeEntryRequest,
  DateRange,
  EditTimeEntryRequest,
  IsoDate,
  TimeEntryListing,
  TimeEntryStatus,
} from "../domain/time-entry.js";
import type { KleerClient, KleerEventQuery } from "./kleer-client.js";
import { isPayrollUserMissing } from "./kleer-errors.js";
import { createKleerSpanReader, KLEER_DEFAULT_MAX_SPAN_MONTHS, type KleerSpanLimits } from "./kleer-span.js";
import { createKleerCompanyLookups, type KleerCompanyLookups } from "./kleer-lookups.js";
import {
  allowedActivityIds,
  buildEventWritable,
  dayStatusesByDate,
  indexLookups,
  isProjectVisible,
  mapEvents,
  toActivities,
  toDayStatuses,
  toProject,
  uniqueEvents,
} from "./kleer-mapping.js";
import { computeStatsForPeriods } from "./kleer-stats.js";
import type { KleerClientProject, KleerEvent, KleerEventRestriction } from "./kleer-schema.js";

/** Spans of one adapter call fetched at the same time. */
export const KLEER_CHUNK_CONCURRENCY = 4;
/** Toki's users are in Sweden; the registration day of a write is the start's date in this zone. */
export const KLEER_DEFAULT_TIME_ZONE = "Europe/Stockholm";

export interface KleerAdapterOptions {
  client: KleerClient;
  /** The one Kleer user this adapter acts for (Toki resolves it server-side). */
  kleerUserId: number;
  /** Zone of the registration day written for a start time. @default "Europe/Stockholm" */
  timeZone?: string | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** Shared company lookups. @default createKleerCompanyLookups(client) (private to this adapter) */
  lookups?: KleerCompanyLookups | undefined;
  /** Longest span one per-user read asks for, in calendar months. @default 12 */
  maxSpanMonths?: number | undefined;
  /** Span limits learnt from Kleer's refusals, shared by the adapters of a run. @default private to this adapter */
  spanLimits?: KleerSpanLimits | undefined;
}

/** Toki's Kleer-era provider port plus multi-period statistics. */
export type KleerAdapter = TimeTrackingClient & WeeklyStatsByPeriodReader;

function checkRange(range: DateRange): void {
  if (!isIsoDate(range.from) || !isIsoDate(range.to) || range.from > range.to)
    throw new TokiError("USAGE", `not a valid date range: ${range.from}..${range.to}`);
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch (error) {
    throw new ConfigError(`unknown time zone: ${timeZone}`, ["timeZone"], { cause: error });
  }
}

const KLEER_ID = /^[1-9]\d{0,9}$/;
function parseKleerId(value: string): number | undefined {
  if (!KLEER_ID.test(value)) return undefined;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : undefined;
}

/** A Kleer adapter bound to one user: implements Toki's `TimeTrackingClient` port over the Kleer API. */
export function createKleerAdapter(options: KleerAdapterOptions): KleerAdapter {
  const { client, kleerUserId } = options;
  if (!Number.isInteger(kleerUserId) || kleerUserId <= 0) throw new ConfigError("kleerUserId must be a positive integer", ["kleerUserId"]);
  const timeZone = options.timeZone ?? KLEER_DEFAULT_TIME_ZONE;
  checkTimeZone(timeZone);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const lookups = options.lookups ?? createKleerCompanyLookups(client);
  const maxSpanMonths = options.maxSpanMonths ?? KLEER_DEFAULT_MAX_SPAN_MONTHS;
  if (!Number.isInteger(maxSpanMonths) || maxSpanMonths < 1) throw new ConfigError("maxSpanMonths must be a positive integer", ["kleer.maxSpanMonths"]);
  const limit = pLimit(KLEER_CHUNK_CONCURRENCY);
  const spans = createKleerSpanReader({ limit, maxSpanMonths, limits: options.spanLimits });
  const query = (range: DateRange): KleerEventQuery => ({ userId: kleerUserId, range, splittable: true });

  const emptyWhenNoPayroll = async <T>(load: Promise<T[]>): Promise<T[]> => {
    try {
      return await load;
    } catch (error) {
      if (!isPayrollUserMissing(error)) throw error;
      logger.debug("kleer user has no payroll record; counting zero", { kleerUserId });
      return [];
    }
  };

  // Events are fetched for the whole asked range (in spans) and kept until the next write; a
  // later ask inside a fetched range (the statistics after the listing) reuses it, so both share
  // one read per span (the request budget).
  const eventReads: Array<{ range: DateRange; events: Promise<KleerEvent[]> }> = [];
  async function fetchEvents(range: DateRange): Promise<KleerEvent[]> {
    let read = eventReads.find((r) => r.range.from <= range.from && r.range.to >= range.to);
    if (!read) {
      const entry = { range, events: spans.read("events", range, (span) => client.listEvents(query(span))) };
      entry.events.catch(() => {
        const at = eventReads.indexOf(entry);
        if (at >= 0) eventReads.splice(at, 1);
      });
      eventReads.push(entry);
      read = entry;
    }
    return uniqueEvents(await read.events).filter((e) => inRange(e.date, range));
  }
  /** Runs a write and forgets the cached events whatever its outcome (a lost reply may have written). */
  async function writing<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      eventReads.length = 0;
    }
  }

  async function fetchStatuses(range: DateRange): Promise<KleerEventRestriction[]> {
    return spans.read("statuses", range, (span) => client.listEventStatuses(query(span)));
  }

  async function listTimeEntries(range: DateRange): Promise<TimeEntryListing> {
    checkRange(range);
    const started = clock.now().getTime();
    const [projects, activities, events, statusRows] = await Promise.all([
      lookups.projectsAll(),
      lookups.activities(),
      fetchEvents(range),
      fetchStatuses(range),
    ]);
    const statuses = dayStatusesByDate(statusRows);
    const listing = mapEvents(events, indexLookups(projects, activities), statuses);
    for (const s of listing.skipped) {
      if (s.reason !== "projectless")
        logger.warn("kleer event skipped: its project or activity is missing from the lookups", {
          registrationId: s.registrationId,
          reason: s.reason,
          projectId: s.projectId,
          activityId: s.activityId,
        });
    }
    logger.debug("listed kleer events", {
      kleerUserId,
      from: range.from,
      to: range.to,
      entries: listing.entries.length,
      skipped: listing.skipped.length,
      durationMs: clock.now().getTime() - started,
    });
    return listing;
  }

  async function getWeeklyStatsForPeriods(periods: DateRange[]) {
    if (periods.length === 0) return [];
    periods.forEach(checkRange);
    const from = periods.reduce((min, p) => (p.from < min ? p.from : min), periods[0]!.from);
    const to = periods.reduce((max, p) => (p.to > max ? p.to : max), periods[0]!.to);
    // Sparse periods (a few weeks far apart) read only the spans that hold one.
    const chunks = splitBySpan({ from, to }, maxSpanMonths).filter((c) => periods.some((p) => p.from <= c.to && p.to >= c.from));
    const [events, schedule, payroll] = await Promise.all([
      Promise.all(chunks.map((chunk) => fetchEvents(chunk))).then((lists) => uniqueEvents(lists.flat())),
      Promise.all(chunks.map((chunk) => emptyWhenNoPayroll(spans.read("schedule", chunk, (span) => client.getPayrollSchedule(query(span)))))).then((l) => l.flat()),
      Promise.all(chunks.map((chunk) => emptyWhenNoPayroll(spans.read("payroll-events", chunk, (span) => client.listPayrollEvents(query(span)))))).then((l) => l.flat()),
    ]);
    return computeStatsForPeriods(periods, events, schedule, payroll);
  }

  async function dayStatusOf(date: IsoDate): Promise<TimeEntryStatus> {
    const rows = await client.listEventStatuses({ userId: kleerUserId, range: { from: date, to: date } });
    return dayStatusesByDate(rows).get(date) ?? "open";
  }

  async function assertDayOpen(date: IsoDate): Promise<void> {
    const status = await dayStatusOf(date);
    if (status !== "open") throw new TokiError("DATE_LOCKED", `${date} is ${status} in Kleer; entries on it cannot be written`);
  }

  async function assertEventOpen(event: KleerEvent): Promise<void> {
    const own = event.status?.type;
    if (own !== undefined && own !== "open")
      throw new TokiError("DATE_LOCKED", `time entry ${event.id.id} on ${event.date} is ${own} in Kleer and cannot be changed`);
    await assertDayOpen(event.date);
  }

  /** The target's project and activity, validated as Toki does (visible project, allowed activity). */
  async function resolveTarget(request: CreateTimeEntryRequest): Promise<{ projectId: number; activityId: number }> {
    const [projects, activities] = await Promise.all([lookups.projectsActive(), lookups.activities()]);
    const projectId = parseKleerId(request.projectId);
    const project: KleerClientProject | undefined =
      projectId === undefined ? undefined : projects.find((p) => p.id.id === projectId && isProjectVisible(p, kleerUserId));
    if (!project || projectId === undefined)
      throw new TokiError("PROJECT_NOT_FOUND", `project ${request.projectId} is not visible to Kleer user ${kleerUserId}`);
    const activityId = parseKleerId(request.activityId);
    const allowed = allowedActivityIds(project, kleerUserId, activities.map((a) => a.id.id));
    if (activityId === undefined || !allowed.has(activityId))
      throw new TokiError("ACTIVITY_NOT_ALLOWED", `activity ${request.activityId} may not be reported on project ${request.projectId}`);
    return { projectId, activityId };
  }

  /** GET `/event/{id}`; another user's event answers exactly like a missing one. */
  async function getOwnEvent(registrationId: string): Promise<KleerEvent> {
    const notFound = (cause?: unknown) =>
      new TokiError("NOT_FOUND", `time entry ${registrationId} not found`, cause === undefined ? {} : { cause });
    const eventId = parseKleerId(registrationId);
    if (eventId === undefined) throw notFound();
    let event: KleerEvent;
    try {
      event = await client.getEvent(eventId);
    } catch (error) {
      if (error instanceof TokiError && error.code === "NOT_FOUND") throw notFound(error);
      throw error;
    }
    if (event.user.id !== kleerUserId) throw notFound();
    return event;
  }

  return {
    async getProjects() {
      const projects = await lookups.projectsActive();
      return projects.filter((p) => isProjectVisible(p, kleerUserId)).map(toProject);
    },
    async getActivities(projectId) {
      const [projects, activities] = await Promise.all([lookups.projectsActive(), lookups.activities()]);
      const id = parseKleerId(projectId);
      const project = projects.find((p) => p.id.id === id && isProjectVisible(p, kleerUserId));
      if (!project) throw new TokiError("PROJECT_NOT_FOUND", `project ${projectId} is not visible to Kleer user ${kleerUserId}`);
      return toActivities(project, kleerUserId, activities);
    },
    async getTimeInfo(range) {
      const [stats] = await getWeeklyStatsForPeriods([range]);
      return stats!;
    },
    getWeeklyStatsForPeriods,
    async getTimeEntries(range) {
      return (await listTimeEntries(range)).entries;
    },
    listTimeEntries,
    async getTimeEntryDayStatuses(range) {
      checkRange(range);
      return toDayStatuses(await fetchStatuses(range));
    },
    async createTimeEntry(request) {
      const { projectId, activityId } = await resolveTarget(request);
      const writable = buildEventWritable({ request, kleerUserId, projectId, activityId, timeZone });
      await assertDayOpen(writable.date);
      return String(await writing(() => client.createEvent(writable)));
    },
    async editTimeEntry(request: EditTimeEntryRequest) {
      const existing = await getOwnEvent(request.registrationId);
      const { projectId, activityId } = await resolveTarget(request);
      const writable = buildEventWritable({ request, kleerUserId, projectId, activityId, timeZone });
      await assertEventOpen(existing);
      if (writable.date !== existing.date) await assertDayOpen(writable.date);
      return String(await writing(() => client.updateEvent(existing.id.id, writable)));
    },
    async deleteTimeEntry(registrationId) {
      const existing = await getOwnEvent(registrationId);
      await assertEventOpen(existing);
      await writing(() => client.deleteEvent(existing.id.id));
    },
  };
}
