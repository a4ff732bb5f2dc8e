import type { MappingIndex } from "../domain/cutover-mapping.js";
import type { TimeEntry } from "../domain/time-entry.js";
import { compareIds } from "./finding.js";
import { normaliseKleerNote, normaliseLegacyNote, noteSimilarity } from "./note-normalise.js";
import { exceedsTolerance } from "./parity-rules.js";

/** Prefix of the Kleer foreign-id that replay (and some migrations) write: `milltime:<registration id>`. */
export const MILLTIME_FOREIGN_ID_PREFIX = "milltime:";

/** Why a legacy entry and a Kleer event were paired, strongest first. */
export type MatchEvidence = "foreign_id" | "relink" | "content";

export interface EntryPair {
  legacy: TimeEntry;
  kleer: TimeEntry;
  evidence: MatchEvidence;
}

/** A Kleer event claiming a legacy entry that is already paired with another event. */
export interface DuplicateClaim {
  legacy: TimeEntry;
  kleer: TimeEntry;
  evidence: MatchEvidence;
}

/** A Kleer event that pairs with nothing; `claimedLegacyId` when its foreign id names an unknown registration. */
export interface UnpairedKleerEvent {
  kleer: TimeEntry;
  claimedLegacyId: string | null;
}

export interface MatchEntriesInput {
  legacy: readonly TimeEntry[];
  kleer: readonly TimeEntry[];
  /** legacy registration id → Kleer event id, from the timer-history relink records. */
  relinks: ReadonlyMap<string, string>;
  mapping: MappingIndex;
  /** Hours tolerance of the content score (the entry tolerance). */
  hoursTolerance: number;
}

export interface MatchEntriesResult {
  /** Ordered by legacy registration id. */
  pairs: EntryPair[];
  duplicates: DuplicateClaim[];
  missing: TimeEntry[];
  extra: UnpairedKleerEvent[];
}

/**
 * Content evidence weights. A pair by content needs MIN_CONTENT_SCORE: at least two of
 * project (3), activity (2), hours within tolerance (3) and equal note (2) must agree, or one
 * of them plus near hours (up to 1.5 for a difference under an hour) and a similar note.
 */
const WEIGHT_PROJECT = 3;
const WEIGHT_ACTIVITY = 2;
const WEIGHT_HOURS = 3;
const WEIGHT_NEAR_HOURS = 1.5;
const WEIGHT_NOTE = 2;
export const MIN_CONTENT_SCORE = 5;

/** The legacy registration id a Kleer foreign-id names, or null. */
export function legacyIdFromForeignId(foreignId: string | undefined | null): string | null {
  if (!foreignId?.startsWith(MILLTIME_FOREIGN_ID_PREFIX)) return null;
  const id = foreignId.slice(MILLTIME_FOREIGN_ID_PREFIX.length).trim();
  return id === "" ? null : id;
}

export interface ContentAgreement {
  project: boolean;
  activity: boolean;
  hours: boolean;
  noteSimilarity: number;
  score: number;
}

/** How far a legacy entry and a Kleer event agree on mapped project, activity, hours and note. */
export function scoreContent(legacy: TimeEntry, kleer: TimeEntry, mapping: MappingIndex, hoursTolerance: number): ContentAgreement {
  const mappedProject = mapping.kleerProjectFor(legacy.projectId);
  const mappedActivity = mapping.kleerActivityFor(legacy.activityId);
  const project = mappedProject !== undefined && String(mappedProject) === kleer.projectId;
  const activity = mappedActivity !== undefined && String(mappedActivity) === kleer.activityId;
  const hours = !exceedsTolerance(legacy.hours, kleer.hours, hoursTolerance);
  const similarity = noteSimilarity(normaliseLegacyNote(legacy.note), normaliseKleerNote(kleer.note));
  const raw =
    (project ? WEIGHT_PROJECT : 0) +
    (activity ? WEIGHT_ACTIVITY : 0) +
    (hours ? WEIGHT_HOURS : WEIGHT_NEAR_HOURS * Math.max(0, 1 - Math.abs(legacy.hours - kleer.hours))) +
    WEIGHT_NOTE * similarity;
  // Rounded so that float noise never decides an ordering.
  return { project, activity, hours, noteSimilarity: similarity, score: Math.round(raw * 1e9) / 1e9 };
}

const byRegistrationId = (a: TimeEntry, b: TimeEntry): number => compareIds(a.registrationId, b.registrationId);

/**
 * Pairs one user's legacy entries with Kleer events. Evidence order:
 * (a) the event's foreign-id `milltime:<id>`; (b) the relink map; (c) content on the same day,
 * assigned greedily by descending score with ties broken by legacy id then Kleer id (so the
 * result does not depend on input order). Further events claiming an already paired entry by
 * (a)/(b) — or an unpaired same-day event identical in content — are duplicates.
 */
export function matchEntries(input: MatchEntriesInput): MatchEntriesResult {
  const { mapping, hoursTolerance } = input;
  const legacy = [...input.legacy].sort(byRegistrationId);
  const kleer = [...input.kleer].sort(byRegistrationId);
  const legacyById = new Map(legacy.map((e) => [e.registrationId, e]));
  const kleerById = new Map(kleer.map((e) => [e.registrationId, e]));

  const claims = new Map<string, Array<{ kleer: TimeEntry; evidence: MatchEvidence }>>();
  const claimedEvents = new Set<string>();
  const foreignNamed = new Map<string, string>();
  const addClaim = (legacyId: string, event: TimeEntry, evidence: MatchEvidence): void => {
    const list = claims.get(legacyId) ?? [];
    list.push({ kleer: event, evidence });
    claims.set(legacyId, list);
    claimedEvents.add(event.registrationId);
  };

  for (const event of kleer) {
    const named = legacyIdFromForeignId(event.foreignId);
    if (named === null) continue;
    if (legacyById.has(named)) addClaim(named, event, "foreign_id");
    else foreignNamed.set(event.registrationId, named);
  }
  // Looked up per legacy entry (in id order): the relink map may hold the whole company.
  for (const entry of legacy) {
    const kleerId = input.relinks.get(entry.registrationId);
    // Stryker disable next-line ConditionalExpression: Map.get(undefined) is undefined as well; the test only narrows the type.
    const event = kleerId === undefined ? undefined : kleerById.get(kleerId);
    if (!event || claimedEvents.has(event.registrationId) || foreignNamed.has(event.registrationId)) continue;
    addClaim(entry.registrationId, event, "relink");
  }

  const pairs: EntryPair[] = [];
  const duplicates: DuplicateClaim[] = [];
  const pairedLegacy = new Set<string>();
  for (const entry of legacy) {
    const list = claims.get(entry.registrationId);
    if (!list) continue;
    // One claim (the usual case) needs no ranking, so no content score. The ranked claims are
    // the claim objects themselves, their scores kept aside: a copy with a score field had
    // another hidden class, and the optimised code here was thrown away each time it met one.
    let ranked = list;
    if (list.length > 1) {
      const scores = new Map(list.map((c) => [c, scoreContent(entry, c.kleer, mapping, hoursTolerance).score]));
      ranked = [...list].sort(
        (a, b) =>
          (a.evidence === b.evidence ? 0 : a.evidence === "foreign_id" ? -1 : 1) ||
          Number(b.kleer.date === entry.date) - Number(a.kleer.date === entry.date) ||
          (scores.get(b) as number) - (scores.get(a) as number) ||
          byRegistrationId(a.kleer, b.kleer),
      );
    }
    const [best, ...rest] = ranked;
    // Stryker disable next-line ConditionalExpression: a claims list is created with its first claim, so it is never empty.
    if (!best) continue;
    pairs.push({ legacy: entry, kleer: best.kleer, evidence: best.evidence });
    pairedLegacy.add(entry.registrationId);
    for (const dup of rest) duplicates.push({ legacy: entry, kleer: dup.kleer, evidence: dup.evidence });
  }

  // (c) content on the same day, among what (a) and (b) left; events naming an unknown
  // registration keep that identity and never pair by content.
  // Stryker disable next-line MethodExpression: the assignment loop skips paired entries again; the filter only saves scoring them.
  const openLegacy = legacy.filter((e) => !pairedLegacy.has(e.registrationId));
  const openKleer = kleer.filter((e) => !claimedEvents.has(e.registrationId) && !foreignNamed.has(e.registrationId));
  const candidates: Array<{ legacy: TimeEntry; kleer: TimeEntry; score: number }> = [];
  const openKleerByDate = groupByDate(openKleer);
  for (const entry of openLegacy) {
    for (const event of openKleerByDate.get(entry.date) ?? []) {
      const { score } = scoreContent(entry, event, mapping, hoursTolerance);
      if (score >= MIN_CONTENT_SCORE) candidates.push({ legacy: entry, kleer: event, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score || byRegistrationId(a.legacy, b.legacy) || byRegistrationId(a.kleer, b.kleer));
  const contentPairedKleer = new Set<string>();
  for (const c of candidates) {
    if (pairedLegacy.has(c.legacy.registrationId) || contentPairedKleer.has(c.kleer.registrationId)) continue;
    pairs.push({ legacy: c.legacy, kleer: c.kleer, evidence: "content" });
    pairedLegacy.add(c.legacy.registrationId);
    contentPairedKleer.add(c.kleer.registrationId);
  }
  pairs.sort((a, b) => byRegistrationId(a.legacy, b.legacy));

  // An event left over that is identical (mapped project, activity, hours, note) to a paired
  // entry on the same day is a second copy of it, not an unrelated extra.
  const pairsByDate = new Map<string, EntryPair[]>();
  for (const pair of pairs) {
    const list = pairsByDate.get(pair.legacy.date) ?? [];
    list.push(pair);
    pairsByDate.set(pair.legacy.date, list);
  }
  const extra: UnpairedKleerEvent[] = [];
  for (const event of kleer) {
    if (claimedEvents.has(event.registrationId) || contentPairedKleer.has(event.registrationId)) continue;
    const named = foreignNamed.get(event.registrationId);
    if (named === undefined) {
      const twin = (pairsByDate.get(event.date) ?? []).find((p) => {
        const a = scoreContent(p.legacy, event, mapping, hoursTolerance);
        return a.project && a.activity && a.hours && a.noteSimilarity === 1;
      });
      if (twin) {
        duplicates.push({ legacy: twin.legacy, kleer: event, evidence: "content" });
        continue;
      }
    }
    extra.push({ kleer: event, claimedLegacyId: named ?? null });
  }
  duplicates.sort((a, b) => byRegistrationId(a.legacy, b.legacy) || byRegistrationId(a.kleer, b.kleer));

  return { pairs, duplicates, missing: legacy.filter((e) => !pairedLegacy.has(e.registrationId)), extra };
}

function groupByDate(entries: readonly TimeEntry[]): Map<string, TimeEntry[]> {
  const out = new Map<string, TimeEntry[]>();
  for (const e of entries) {
    const list = out.get(e.date) ?? [];
    list.push(e);
    out.set(e.date, list);
  }
  return out;
}
