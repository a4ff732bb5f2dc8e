import { addDays } from "../domain/calendar.js";
import { indexMapping, type CutoverMapping, type UserLink } from "../domain/cutover-mapping.js";
import type { TimeTrackingClient, TimeTrackingReader } from "../domain/ports.js";
import type { DateRange, TimeEntryListing, TimeEntryStatus } from "../domain/time-entry.js";
import type { TimeInfo } from "../domain/time-info.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import type { RequestRecorder } from "../http/request-log.js";
import { planUserEntries, replayForeignId, type KleerUserFacts } from "./replay-plan.js";
import type { PlanRow } from "./replay-types.js";

/** Days listed beyond each end of the range when looking for events that already carry a foreign-id. */
export const REPLAY_LISTING_MARGIN_DAYS = 1;

/** The Kleer side replay needs for one user: Toki's port (read + write + day statuses). */
export type ReplayKleerClient = TimeTrackingClient;

/** A mapped user (has a Kleer user id). */
export type ReplayMappedUser = UserLink & { kleerUserId: number };

/** The sources replay reads and writes, per user. */
export interface ReplaySources {
  legacyReaderFor(user: UserLink, recorder: RequestRecorder): TimeTrackingReader<TimeInfo> | Promise<TimeTrackingReader<TimeInfo>>;
  kleerClientFor(user: ReplayMappedUser, recorder: RequestRecorder): ReplayKleerClient | Promise<ReplayKleerClient>;
  /** The user's timer-history links (those outside the range are ignored). */
  historyLinksFor(tokiUserId: number): Promise<TimerHistoryLink[]>;
  /** GET one Kleer event by id: its owner and foreign-id, or null when Kleer has no such event. */
  findKleerEvent(eventId: string, recorder: RequestRecorder): Promise<KleerEventOwner | null>;
}

/** Who holds a Kleer event, as GET `/event/{id}` says. */
export interface KleerEventOwner {
  kleerUserId: number;
  foreignId: string;
}

/**
 * Adds to `index` the events this report file's journal says earlier runs settled the given
 * legacy entries with, that the listing did not show (moved out of the listed days, or a listing
 * that left them out), each confirmed by GET to still exist for the same Kleer user: the journal
 * is trusted before anything is created. Returns a note per adopted foreign-id. A failing GET
 * throws (no write decision rests on it).
 */
export async function adoptJournaledByLookup(
  index: Map<string, string[]>,
  legacyIds: readonly string[],
  journaledByLegacyId: ReadonlyMap<string, readonly string[]>,
  kleerUserId: number,
  find: (eventId: string) => Promise<KleerEventOwner | null>,
): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  for (const legacyId of legacyIds) {
    const foreignId = replayForeignId(legacyId);
    if (index.has(foreignId)) continue;
    for (const eventId of journaledByLegacyId.get(legacyId) ?? []) {
      const found = await find(eventId);
      if (found === null || found.kleerUserId !== kleerUserId) continue;
      index.set(foreignId, [eventId]);
      notes.set(
        foreignId,
        `Kleer event ${eventId} was written for this entry by an earlier replay run of this report file; the listing did not show it, GET /event/${eventId} does (foreign-id ${JSON.stringify(found.foreignId)})`,
      );
      break;
    }
  }
  return notes;
}

/** The range listed for existing events: the replay range widened by the margin. */
export function listingRangeOf(range: DateRange): DateRange {
  return { from: addDays(range.from, -REPLAY_LISTING_MARGIN_DAYS), to: addDays(range.to, REPLAY_LISTING_MARGIN_DAYS) };
}

/** foreign-id → event ids (ascending numerically) over the listed entries AND the skipped events. */
export function indexForeignIds(listing: TimeEntryListing): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (foreignId: string | undefined, id: string) => {
    if (!foreignId) return;
    const list = out.get(foreignId) ?? [];
    if (!list.includes(id)) list.push(id);
    out.set(foreignId, list);
  };
  for (const e of listing.entries) add(e.foreignId, e.registrationId);
  for (const s of listing.skipped) add(s.foreignId, s.registrationId);
  // Stryker disable next-line EqualityOperator: ids in one list are unique (deduplicated above), so `a <= b` decides exactly as `a < b`
  for (const list of out.values()) list.sort((a, b) => (a.length - b.length) || (a < b ? -1 : 1));
  return out;
}

/**
 * Adds to `index` the listed events that a run of the same report file settled an entry with but
 * that no longer carry its foreign-id (edited through Toki since, which writes a `toki-…` one):
 * they still hold the entry, so writing it again would duplicate it. Returns a note per adopted
 * foreign-id.
 */
export function adoptJournaledEvents(
  index: Map<string, string[]>,
  listing: TimeEntryListing,
  journaled: ReadonlyMap<string, string>,
): Map<string, string> {
  const notes = new Map<string, string>();
  const listed = [
    ...listing.entries.map((e) => ({ id: e.registrationId, foreignId: e.foreignId })),
    ...listing.skipped.map((s) => ({ id: s.registrationId, foreignId: s.foreignId })),
  ];
  for (const event of listed) {
    const legacyId = journaled.get(event.id);
    if (legacyId === undefined) continue;
    const foreignId = replayForeignId(legacyId);
    if (index.has(foreignId)) continue;
    index.set(foreignId, [event.id]);
    notes.set(foreignId, `Kleer event ${event.id} was written for this entry by an earlier replay run and still exists (its foreign-id is now ${JSON.stringify(event.foreignId ?? "")})`);
  }
  return notes;
}

/** A failure reading one of a user's sources. */
export class ReplaySourceError extends Error {
  constructor(
    readonly system: "milltime" | "kleer" | "history",
    readonly cause: unknown,
  ) {
    super(`${system} could not be read`);
    this.name = "ReplaySourceError";
  }
}

async function reading<T>(system: "milltime" | "kleer" | "history", read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new ReplaySourceError(system, error);
  }
}

export interface PlannedUser {
  rows: PlanRow[];
  /** The foreign-id index read while planning (reused by apply in the same process). */
  existing: Map<string, string[]> | null;
}

/**
 * Reads one user's legacy entries, timer-history links and Kleer facts (visible projects,
 * allowed activities, day statuses, events already carrying a foreign-id — one listing) and
 * plans every entry. A failing source throws ReplaySourceError naming it.
 */
export async function planUser(
  user: UserLink,
  range: DateRange,
  mapping: CutoverMapping,
  timeZone: string,
  sources: ReplaySources,
  recorder: RequestRecorder,
  journaled: ReadonlyMap<string, string> = new Map(),
  journaledByLegacyId: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<PlannedUser> {
  const index = indexMapping(mapping);
  const kleerUserId = user.kleerUserId;
  const [entries, links, kleer] = await Promise.all([
    reading("milltime", async () => (await sources.legacyReaderFor(user, recorder)).getTimeEntries(range)),
    reading("history", () => sources.historyLinksFor(user.tokiUserId)),
    kleerUserId === undefined
      ? Promise.resolve(null)
      : reading("kleer", () => readKleerFacts({ ...user, kleerUserId }, range, mapping, sources, recorder, journaled)),
  ]);
  if (kleer !== null) {
    const legacyIds = entries.map((e) => e.registrationId);
    const adopted = await reading("kleer", () =>
      adoptJournaledByLookup(kleer.facts.existing, legacyIds, journaledByLegacyId, kleer.kleerUserId, (id) => sources.findKleerEvent(id, recorder)),
    );
    for (const [foreignId, note] of adopted) kleer.facts.existingNotes.set(foreignId, note);
  }
  const rows = planUserEntries({
    user,
    entries,
    mapping: index,
    links: links.filter((l) => l.tokiUserId === user.tokiUserId),
    timeZone,
    kleer: kleer?.facts ?? null,
  });
  return { rows, existing: kleer ? new Map([...kleer.facts.existing].map(([k, v]) => [k, [...v]])) : null };
}

async function readKleerFacts(
  user: ReplayMappedUser,
  range: DateRange,
  mapping: CutoverMapping,
  sources: ReplaySources,
  recorder: RequestRecorder,
  journaled: ReadonlyMap<string, string>,
): Promise<{ kleerUserId: number; facts: KleerUserFacts & { existing: Map<string, string[]>; existingNotes: Map<string, string> } }> {
  const client = await sources.kleerClientFor(user, recorder);
  const [projects, statuses, listing] = await Promise.all([
    client.getProjects(),
    client.getTimeEntryDayStatuses(range),
    client.listTimeEntries(listingRangeOf(range)),
  ]);
  const visibleProjects = new Map<number, string>();
  for (const p of projects) visibleProjects.set(Number(p.id), p.name);
  // Only the mapped projects the user can see need their activity rules (company lookups are shared).
  const wanted = new Set(mapping.projects.map((p) => p.kleerProjectId).filter((id) => visibleProjects.has(id)));
  const allowedActivities = new Map<number, Map<number, string>>();
  for (const projectId of [...wanted].sort((a, b) => a - b)) {
    const activities = await client.getActivities(String(projectId), range);
    allowedActivities.set(projectId, new Map(activities.map((a) => [Number(a.id), a.name])));
  }
  const dayStatuses = new Map<string, TimeEntryStatus>(statuses.map((s) => [s.date, s.status]));
  const existing = indexForeignIds(listing);
  const existingNotes = adoptJournaledEvents(existing, listing, journaled);
  return { kleerUserId: user.kleerUserId, facts: { visibleProjects, allowedActivities, dayStatuses, existing, existingNotes } };
}
