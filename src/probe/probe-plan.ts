import { addDays, eachDay, instantAt, localDateOf } from "../domain/calendar.js";
import type { Activity, CreateTimeEntryRequest, DateRange, IsoDate, Project, TimeEntry, TimeEntryDayStatus, TimeEntryStatus } from "../domain/time-entry.js";
import { PROBE_DEFAULT_WINDOW_DAYS } from "./probe-options.js";

/** Pure planning of a probe: which days, which project and activities, which requests. */

/** Prefix of every foreign id the probe writes; `toki-parity-probe:<run id>` finds a run's events. */
export const PROBE_FOREIGN_ID_PREFIX = "toki-parity-probe:";
/** Projects asked for their activities at most, looking for one with two activities. */
export const PROBE_PROJECT_SCAN_LIMIT = 20;

export const probeForeignId = (runId: string): string => `${PROBE_FOREIGN_ID_PREFIX}${runId}`;

/** The window: `--to` (default today in the zone) and `--from` (default 61 days earlier). */
export function probeWindow(now: Date, timeZone: string, from?: IsoDate, to?: IsoDate): DateRange {
  const end = to ?? localDateOf(now.toISOString(), timeZone);
  return { from: from ?? addDays(end, -(PROBE_DEFAULT_WINDOW_DAYS - 1)), to: end };
}

const LOCKED: ReadonlySet<TimeEntryStatus> = new Set(["approved", "certified"]);

/** The latest day of the window that is open (a day without a status row counts as open). */
export function pickEventDate(window: DateRange, statuses: readonly TimeEntryDayStatus[]): IsoDate | undefined {
  const byDate = new Map(statuses.map((s) => [s.date, s.status]));
  return eachDay(window).reverse().find((d) => (byDate.get(d) ?? "open") === "open");
}

/** The latest approved or certified day of the window, with its status. */
export function pickLockedDate(window: DateRange, statuses: readonly TimeEntryDayStatus[]): { date: IsoDate; status: TimeEntryStatus } | undefined {
  const locked = statuses.filter((s) => LOCKED.has(s.status) && s.date >= window.from && s.date <= window.to).sort((a, b) => (a.date < b.date ? 1 : -1));
  const latest = locked[0];
  return latest ? { date: latest.date, status: latest.status } : undefined;
}

/** The project and activities a probe writes on: the first project with two activities, else one. */
export interface ProbeTarget {
  project: Project;
  createActivity: Activity;
  editActivity: Activity;
}

export function chooseTarget(candidates: ReadonlyArray<{ project: Project; activities: readonly Activity[] }>): ProbeTarget | undefined {
  const two = candidates.find((c) => c.activities.length >= 2);
  const chosen = two ?? candidates.find((c) => c.activities.length >= 1);
  if (!chosen) return undefined;
  const [first, second] = chosen.activities;
  return { project: chosen.project, createActivity: first!, editActivity: second ?? first! };
}

/** What the probe writes and expects to read back. */
export interface ProbeWrite {
  request: CreateTimeEntryRequest;
  date: IsoDate;
  hours: number;
}

/** Start 09:00 local, `minutes` long, on `date`. */
export function probeWrite(options: {
  date: IsoDate;
  minutes: number;
  timeZone: string;
  project: Project;
  activity: Activity;
  note: string;
  foreignId: string;
}): ProbeWrite {
  const startTime = instantAt(options.date, "09:00:00", options.timeZone);
  const endTime = new Date(Date.parse(startTime) + options.minutes * 60_000).toISOString();
  return {
    date: options.date,
    hours: options.minutes / 60,
    request: {
      projectId: options.project.id,
      projectName: options.project.name,
      activityId: options.activity.id,
      activityName: options.activity.name,
      startTime,
      endTime,
      note: options.note,
      foreignId: options.foreignId,
    },
  };
}

const HOURS_TOLERANCE = 1e-6;

/** Differences between what was written and the entry read back ("" fields first); empty when equal. */
export function compareReadBack(entry: TimeEntry | undefined, write: ProbeWrite): string[] {
  if (!entry) return ["the entry is not in the listing of its day"];
  const { request } = write;
  const out: string[] = [];
  const diff = (field: string, expected: unknown, actual: unknown) => out.push(`${field} ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`);
  if (entry.date !== write.date) diff("date", write.date, entry.date);
  if (Math.abs(entry.hours - write.hours) > HOURS_TOLERANCE) diff("hours", write.hours, entry.hours);
  if (entry.projectId !== request.projectId) diff("project", request.projectId, entry.projectId);
  if (entry.activityId !== request.activityId) diff("activity", request.activityId, entry.activityId);
  if (entry.note !== request.note) diff("note", request.note, entry.note);
  if (entry.foreignId !== request.foreignId) diff("foreign id", request.foreignId, entry.foreignId ?? null);
  const status = entry.lock.kind === "status" ? entry.lock.status : "attest level";
  if (status !== "open") diff("status", "open", status);
  return out;
}

/** `1.5 h on project 901 "Webbplats", activity 22427 "Utveckling", note "…"` */
export function describeWrite(write: ProbeWrite): string {
  const r = write.request;
  return `${write.hours} h on ${write.date}, project ${r.projectId} "${r.projectName}", activity ${r.activityId} "${r.activityName}", note "${r.note}"`;
}
