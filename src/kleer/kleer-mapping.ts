import { isoWeekOf, localDateOf } from "../domain/calendar.js";
import { allowedActivities, projectVisibility, type KleerProjectAccess } from "../domain/project-access.js";
import { TokiError } from "../domain/errors.js";
import type {
  Activity,
  CreateTimeEntryRequest,
  IsoDate,
  Project,
  SkippedProviderEntry,
  TimeEntry,
  TimeEntryDayStatus,
  TimeEntryListing,
  TimeEntryStatus,
} from "../domain/time-entry.js";
import type {
  KleerActivity,
  KleerClientProject,
  KleerEvent,
  KleerEventRestriction,
  KleerEventWritable,
  KleerPayrollEvent,
} from "./kleer-schema.js";

/** Toki's rule (kleer-api.md §7): visible ⇔ active && (all-users || the user is listed). */
/** The access fields of a wire project, for Toki's visibility and activity rules. */
export function toProjectAccess(project: KleerClientProject): KleerProjectAccess {
  return {
    id: project.id.id,
    active: project.active,
    allUsers: project["all-users"],
    users: project.users.map((u) => ({ userId: u.user.id, activityIds: u.activities.map((a) => a.activity.id) })),
    allActivities: project["all-activities"],
    activityIds: project.activities.map((a) => a.activity.id),
  };
}

export function isProjectVisible(project: KleerClientProject, kleerUserId: number): boolean {
  return projectVisibility(toProjectAccess(project), kleerUserId).visible;
}

/**
 * The activity ids the user may report on a project — the truth table of kleer-api.md §7.
 * A = every activity id, P = the project's activities, U = the user's entry activities when the
 * entry exists and is non-empty (else "none").
 */
export function allowedActivityIds(project: KleerClientProject, kleerUserId: number, allActivityIds: readonly number[]): Set<number> {
  return new Set(allowedActivities(toProjectAccess(project), kleerUserId, allActivityIds).allowed);
}

/** The domain Project of a Kleer project (`number` becomes the code when non-empty). */
export function toProject(project: KleerClientProject): Project {
  const id = String(project.id.id);
  return project.number !== "" ? { id, name: project.name, code: project.number } : { id, name: project.name };
}

/** The activities of `all` (in Kleer's order) that the user may report on the project. */
export function toActivities(project: KleerClientProject, kleerUserId: number, all: readonly KleerActivity[]): Activity[] {
  const allowed = allowedActivityIds(
    project,
    kleerUserId,
    all.map((a) => a.id.id),
  );
  return all.filter((a) => allowed.has(a.id.id)).map((a) => ({ id: String(a.id.id), name: a.name, projectId: String(project.id.id) }));
}

/** Day statuses by date; rows without `event-date` are dropped and a later row for a date wins. */
export function dayStatusesByDate(rows: readonly KleerEventRestriction[]): Map<IsoDate, TimeEntryStatus> {
  const out = new Map<IsoDate, TimeEntryStatus>();
  for (const row of rows) if (row.status["event-date"] !== null) out.set(row.status["event-date"], row.status.type);
  return out;
}

/** The day statuses as the domain lists them (one per date, sorted by date). */
export function toDayStatuses(rows: readonly KleerEventRestriction[]): TimeEntryDayStatus[] {
  // Stryker disable next-line EqualityOperator: the dates are a Map's keys, never equal, so `a <= b` decides exactly as `a < b`
  return [...dayStatusesByDate(rows)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, status]) => ({ date, status }));
}

/** comment if not blank, else internal-comment if not blank, else null — untrimmed. */
export function noteOf(event: KleerEvent): string | null {
  if (event.comment !== null && event.comment.trim() !== "") return event.comment;
  if (event["internal-comment"] !== null && event["internal-comment"].trim() !== "") return event["internal-comment"];
  return null;
}

/** Event status type, else the day status of its date, else open. */
export function statusOf(event: KleerEvent, dayStatuses: ReadonlyMap<IsoDate, TimeEntryStatus>): TimeEntryStatus {
  return event.status?.type ?? dayStatuses.get(event.date) ?? "open";
}

export interface KleerNameLookups {
  projectsById: ReadonlyMap<number, KleerClientProject>;
  activitiesById: ReadonlyMap<number, KleerActivity>;
}

export function indexLookups(projects: readonly KleerClientProject[], activities: readonly KleerActivity[]): KleerNameLookups {
  return {
    projectsById: new Map(projects.map((p) => [p.id.id, p])),
    activitiesById: new Map(activities.map((a) => [a.id.id, a])),
  };
}

export type EventMapping = { kind: "entry"; entry: TimeEntry } | { kind: "skipped"; skipped: SkippedProviderEntry };

/** One event as Toki lists it, or the reason Toki's listing leaves it out. */
export function mapEvent(event: KleerEvent, lookups: KleerNameLookups, dayStatuses: ReadonlyMap<IsoDate, TimeEntryStatus>): EventMapping {
  const registrationId = String(event.id.id);
  const foreignId = event["foreign-id"] !== "" ? event["foreign-id"] : undefined;
  const activityId = String(event.activity.id);
  const base = { registrationId, date: event.date, hours: event.hours, foreignId };
  const projectRef = event["client-project"];
  // Every skipped event has one shape (projectId undefined when there is none): the parity code
  // that walks them was deoptimised each time it met a second shape.
  if (projectRef === null) return { kind: "skipped", skipped: { ...base, reason: "projectless", projectId: undefined, activityId } };
  const projectId = String(projectRef.id);
  const project = lookups.projectsById.get(projectRef.id);
  if (!project) return { kind: "skipped", skipped: { ...base, reason: "unknown_project", projectId, activityId } };
  const activity = lookups.activitiesById.get(event.activity.id);
  if (!activity) return { kind: "skipped", skipped: { ...base, reason: "unknown_activity", projectId, activityId } };
  const entry: TimeEntry = {
    registrationId,
    projectId,
    projectName: project.name,
    activityId,
    activityName: activity.name,
    date: event.date,
    hours: event.hours,
    note: noteOf(event),
    startTime: null,
    endTime: null,
    weekNumber: isoWeekOf(event.date),
    lock: { kind: "status", status: statusOf(event, dayStatuses) },
    foreignId,
  };
  return { kind: "entry", entry };
}

/**
 * Events merged from month chunks, each id once (first occurrence kept). Kleer's range semantics
 * are unverified; should it ever return an event in two chunks, it must not count twice.
 */
export function uniqueEvents(events: readonly KleerEvent[]): KleerEvent[] {
  const seen = new Set<number>();
  return events.filter((e) => !seen.has(e.id.id) && seen.add(e.id.id));
}

/** Maps a list of events in order into Toki's listing plus what it skips. */
export function mapEvents(
  events: readonly KleerEvent[],
  lookups: KleerNameLookups,
  dayStatuses: ReadonlyMap<IsoDate, TimeEntryStatus>,
): TimeEntryListing {
  const listing: TimeEntryListing = { entries: [], skipped: [] };
  for (const event of events) {
    const mapped = mapEvent(event, lookups, dayStatuses);
    if (mapped.kind === "entry") listing.entries.push(mapped.entry);
    else listing.skipped.push(mapped.skipped);
  }
  return listing;
}

/** Payroll types that count as absence: everything known except WorkHour. */
export function isAbsence(type: KleerPayrollEvent["type"]): boolean {
  return type !== "WorkHour" && type !== "unknown";
}

/** Kleer's placeholder for an empty note (Toki writes it; Kleer requires a comment). */
export const MISSING_NOTE_PLACEHOLDER = "missing note";

const FRACTION = /T\d{2}:\d{2}:\d{2}\.(\d+)/;

/** Parses an RFC 3339 instant into Unix nanoseconds (BigInt, keeps sub-millisecond digits). */
export function unixNanosOf(instant: string): bigint {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new TokiError("USAGE", `not an RFC 3339 instant: ${instant}`);
  const seconds = BigInt(Math.floor(ms / 1000));
  const fraction = FRACTION.exec(instant)?.[1] ?? "";
  const nanos = BigInt((fraction + "000000000").slice(0, 9));
  return seconds * 1_000_000_000n + nanos;
}

/** `toki-{kleerUserId}-{projectId}-{activityId}-{startUnixNanos}` (19 digits today). */
export function tokiForeignId(kleerUserId: number, projectId: number, activityId: number, startTime: string): string {
  return `toki-${kleerUserId}-${projectId}-${activityId}-${unixNanosOf(startTime).toString()}`;
}

export interface BuildEventWritableOptions {
  request: CreateTimeEntryRequest;
  kleerUserId: number;
  projectId: number;
  activityId: number;
  /** The registration day is the start's calendar date in this zone (Toki used UTC). */
  timeZone: string;
}

/**
 * The event-writable for a create or an edit. Deliberate improvement over Toki: `date` is the
 * LOCAL registration day of the start in `timeZone`, not its UTC date. Hours are whole seconds
 * ÷ 3600, unrounded; a blank note becomes the `missing note` placeholder in both comments.
 */
export function buildEventWritable(options: BuildEventWritableOptions): KleerEventWritable {
  const { request, kleerUserId, projectId, activityId, timeZone } = options;
  const start = Date.parse(request.startTime);
  const end = Date.parse(request.endTime);
  if (Number.isNaN(start)) throw new TokiError("USAGE", `startTime is not an RFC 3339 instant: ${request.startTime}`);
  if (Number.isNaN(end)) throw new TokiError("USAGE", `endTime is not an RFC 3339 instant: ${request.endTime}`);
  const seconds = Math.trunc((end - start) / 1000);
  if (seconds <= 0) throw new TokiError("USAGE", `endTime ${request.endTime} is not after startTime ${request.startTime}`);
  const text = request.note.trim() === "" ? MISSING_NOTE_PLACEHOLDER : request.note;
  return {
    "foreign-id": request.foreignId ?? tokiForeignId(kleerUserId, projectId, activityId, request.startTime),
    user: { id: kleerUserId },
    activity: { id: activityId },
    "client-project": { id: projectId },
    date: localDateOf(request.startTime, timeZone),
    hours: seconds / 3600,
    comment: text,
    "internal-comment": text,
  };
}
