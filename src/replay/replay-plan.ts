import { instantAt, localDateOf } from "../domain/calendar.js";
import type { MappingIndex, UserLink } from "../domain/cutover-mapping.js";
import type { Instant, IsoDate, TimeEntry, TimeEntryStatus } from "../domain/time-entry.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import { MILLTIME_FOREIGN_ID_PREFIX } from "../parity/entry-matching.js";
import type { BlockReasonCode, PlanRow, StartSource } from "./replay-types.js";

/** Local wall-clock start of an entry that has no timer-history link (its day stays the registration day). */
export const SYNTHETIC_START_TIME = "08:00:00";

/** Kleer's placeholder for a blank note (what the adapter writes; kleer-api.md §7). */
export const REPLAY_MISSING_NOTE = "missing note";

/** The foreign-id replay writes: `milltime:<legacy registration id>`. */
export function replayForeignId(legacyId: string): string {
  return `${MILLTIME_FOREIGN_ID_PREFIX}${legacyId}`;
}

/** What the Kleer side says about one mapped user, read before planning. */
export interface KleerUserFacts {
  /** Projects visible to the user: Kleer project id → name. */
  visibleProjects: ReadonlyMap<number, string>;
  /** Activities the user may report, per visible project: project id → activity id → name. */
  allowedActivities: ReadonlyMap<number, ReadonlyMap<number, string>>;
  /** Day statuses of the range; a missing date is open. */
  dayStatuses: ReadonlyMap<IsoDate, TimeEntryStatus>;
  /** Events that already carry a foreign-id: foreign-id → event ids, ascending. */
  existing: ReadonlyMap<string, readonly string[]>;
  /** Why an entry of `existing` holds a foreign-id it does not carry (events adopted from the journal). */
  existingNotes?: ReadonlyMap<string, string> | undefined;
}

export interface PlanUserInput {
  user: UserLink;
  /** The user's legacy entries of the range. */
  entries: readonly TimeEntry[];
  mapping: MappingIndex;
  /** The user's timer-history links (any range; those on another day than the entry are ignored). */
  links: readonly TimerHistoryLink[];
  timeZone: string;
  /** Null when the user has no Kleer account in the mapping. */
  kleer: KleerUserFacts | null;
}

/** Milltime's whole minutes of an entry (`hh + mm/60` hours, back to minutes). */
export function legacyMinutesOf(entry: TimeEntry): number {
  return Math.round(entry.hours * 60);
}

/** `start + minutes`, as an RFC 3339 instant (milliseconds kept from the start). */
export function addMinutes(start: Instant, minutes: number): Instant {
  return new Date(Date.parse(start) + minutes * 60_000).toISOString();
}

/**
 * The start of the event for an entry: the true start of the latest timer-history link to the
 * registration whose local day is the registration day, else 08:00 local on that day. A link
 * on another day (Toki once saved with the UTC date of the save) would move the event to
 * that day, so it is not used.
 */
export function chooseStart(
  entry: TimeEntry,
  links: readonly TimerHistoryLink[],
  timeZone: string,
): { startTime: Instant; startSource: StartSource; note: string | null } {
  const own = links.filter((l) => l.registrationId === entry.registrationId).sort((a, b) => b.historyId - a.historyId);
  const sameDay = own.find((l) => localDateOf(l.startTime, timeZone) === entry.date);
  if (sameDay) return { startTime: new Date(Date.parse(sameDay.startTime)).toISOString(), startSource: "history", note: null };
  const synthetic = instantAt(entry.date, SYNTHETIC_START_TIME, timeZone);
  const first = own[0];
  const note = first
    ? `timer history #${first.historyId} starts on ${localDateOf(first.startTime, timeZone)}, not on the registration day; ${SYNTHETIC_START_TIME.slice(0, 5)} local used`
    : null;
  return { startTime: synthetic, startSource: "synthetic", note };
}

type Check = { code: BlockReasonCode; reason: string } | null;

/**
 * The replay plan of one user: for every legacy entry the event Toki would write and what
 * replay will do with it. Pure; rows in the order of `entries`. Checks in order: an event
 * already carrying the foreign-id (skip-existing), user/project/activity mapped, project
 * visible, activity allowed, day open in Kleer, non-zero duration.
 */
export function planUserEntries(input: PlanUserInput): PlanRow[] {
  const { user, mapping, kleer, timeZone } = input;
  const kleerUserId = user.kleerUserId ?? null;
  return input.entries.map((entry): PlanRow => {
    const minutes = legacyMinutesOf(entry);
    const { startTime, startSource, note: startNote } = chooseStart(entry, input.links, timeZone);
    const kleerProjectId = mapping.kleerProjectFor(entry.projectId) ?? null;
    const kleerActivityId = mapping.kleerActivityFor(entry.activityId) ?? null;
    const foreignId = replayForeignId(entry.registrationId);
    const text = entry.note === null || entry.note.trim() === "" ? REPLAY_MISSING_NOTE : entry.note;
    const projectName = kleerProjectId === null ? null : (kleer?.visibleProjects.get(kleerProjectId) ?? null);
    const activityName =
      kleerProjectId === null || kleerActivityId === null ? null : (kleer?.allowedActivities.get(kleerProjectId)?.get(kleerActivityId) ?? null);
    const base = {
      userKey: user.tokiUserId,
      legacyId: entry.registrationId,
      date: entry.date,
      kleerUserId,
      kleerProjectId,
      kleerProjectName: projectName,
      kleerActivityId,
      kleerActivityName: activityName,
      hours: minutes / 60,
      minutes,
      note: text,
      foreignId,
      startTime,
      endTime: addMinutes(startTime, minutes),
      startSource,
      existingEventId: null,
    };
    const existing = kleer?.existing.get(foreignId);
    if (existing && existing.length > 0) {
      const [first, ...more] = existing;
      const reason =
        kleer?.existingNotes?.get(foreignId) ??
        (more.length === 0
          ? `Kleer event ${first} already carries ${foreignId}`
          : `Kleer events ${existing.join(", ")} already carry ${foreignId} (duplicates; ${first} is taken)`);
      return { ...base, action: "skip-existing", reasonCode: null, reason, existingEventId: first ?? null };
    }
    const blocked = checkEntry(entry, minutes, user.tokiUserId, kleerUserId, kleerProjectId, kleerActivityId, kleer);
    if (blocked) return { ...base, action: "blocked", reasonCode: blocked.code, reason: blocked.reason };
    return { ...base, action: "create", reasonCode: null, reason: startNote };
  });
}

function checkEntry(
  entry: TimeEntry,
  minutes: number,
  tokiUserId: number,
  kleerUserId: number | null,
  kleerProjectId: number | null,
  kleerActivityId: number | null,
  kleer: KleerUserFacts | null,
): Check {
  if (kleerUserId === null || kleer === null) return { code: "user_unmapped", reason: `Toki user ${tokiUserId} has no Kleer user in the mapping` };
  if (kleerProjectId === null)
    return { code: "project_unmapped", reason: `Milltime project ${entry.projectId} (${entry.projectName}) has no Kleer project in the mapping` };
  if (kleerActivityId === null)
    return { code: "activity_unmapped", reason: `Milltime activity ${entry.activityId} (${entry.activityName}) has no Kleer activity in the mapping` };
  if (!kleer.visibleProjects.has(kleerProjectId))
    return { code: "project_not_visible", reason: `Kleer project ${kleerProjectId} is not visible to Kleer user ${kleerUserId} (inactive or not assigned)` };
  if (!kleer.allowedActivities.get(kleerProjectId)?.has(kleerActivityId))
    return { code: "activity_not_allowed", reason: `Kleer activity ${kleerActivityId} may not be reported on project ${kleerProjectId} by Kleer user ${kleerUserId}` };
  const status = kleer.dayStatuses.get(entry.date) ?? "open";
  if (status !== "open") return { code: "day_locked", reason: `${entry.date} is ${status} in Kleer for user ${kleerUserId}` };
  if (minutes <= 0) return { code: "zero_hours", reason: `the entry has ${entry.hours} hours; Kleer needs an end after the start` };
  return null;
}

/** Counts of a plan by action and by blocking reason. */
export function countPlan(rows: readonly PlanRow[]): { create: number; skipExisting: number; blocked: number; byReason: Partial<Record<BlockReasonCode, number>> } {
  const out = { create: 0, skipExisting: 0, blocked: 0, byReason: {} as Partial<Record<BlockReasonCode, number>> };
  for (const row of rows) {
    if (row.action === "create") out.create++;
    else if (row.action === "skip-existing") out.skipExisting++;
    else {
      out.blocked++;
      if (row.reasonCode) out.byReason[row.reasonCode] = (out.byReason[row.reasonCode] ?? 0) + 1;
    }
  }
  return out;
}
