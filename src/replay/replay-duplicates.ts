import type { KleerDuplicate } from "./replay-types.js";

/** Where one event of a duplicated legacy entry stands, as GET `/event/{id}` and the journal say. */
export interface DuplicateHolder {
  eventId: string;
  /** The replay run of this report file whose create Kleer answered with this id; null: not this file's. */
  createdBy: { runId: string; journalId: number } | null;
  /** A run of this file settled a create with it only by a lookup after a lost reply (it may be another writer's event). */
  settledByLookup?: boolean | undefined;
  /** GET says the event still exists, for the same Kleer user, still holding the entry. */
  live: boolean;
  /** Still carries `milltime:<legacy id>` (an edit through Toki writes a `toki-…` foreign-id: then it is the user's). */
  unedited: boolean;
  /** The timer_history rows (ids) that point at the event, when the history was read. */
  linkedBy: number[];
}

/** What happens to one event of a duplicated entry. */
export type DuplicateDecision =
  | { eventId: string; action: "delete"; reason: string }
  | { eventId: string; action: "retain"; reason: string }
  /** Not this report file's to delete (another file's replay, a person, an edit, a lookup-settled create). */
  | { eventId: string; action: "leave"; reason: string }
  | { eventId: string; action: "gone"; reason: string };

/**
 * Pure: which events of one duplicated entry to delete. Only an event this report file's journal
 * records as created by a replay, by Kleer's own reply to that create, still unedited and live,
 * may be deleted. Every other live event is left alone; when there is one, every deletable copy
 * is an extra one. When all live events are this file's, the one kept is the one a timer_history
 * row points at (Toki finds its link by that one registration id,
 * toki-api/src/repositories/timer_repo.rs:237-250), else the one the earliest
 * journal row settled the entry with (the one later runs of the file adopt and relink).
 * A deletable copy a timer_history row points at is never deleted.
 */
export function decideDuplicate(holders: readonly DuplicateHolder[]): DuplicateDecision[] {
  const live = holders.filter((h) => h.live);
  const deletable = live.filter((h) => h.createdBy !== null && h.unedited);
  const others = live.filter((h) => !deletable.includes(h));
  const byJournal = [...deletable].sort((a, b) => a.createdBy!.journalId - b.createdBy!.journalId);
  const keeper = others.length > 0 ? undefined : (byJournal.find((h) => h.linkedBy.length > 0) ?? byJournal[0]);
  return holders.map((h): DuplicateDecision => {
    if (!h.live) return { eventId: h.eventId, action: "gone", reason: "Kleer no longer has it for this user and entry" };
    if (!deletable.includes(h)) {
      const why =
        h.createdBy !== null
          ? "its foreign-id was changed since (edited through Toki): it is the user's now"
          : h.settledByLookup
            ? "this report file found it by a lookup after a create's reply was lost, so it cannot show that its own create wrote it (another writer's create may have)"
            : "not created by a replay of this report file (another report file's replay, or a person)";
      return { eventId: h.eventId, action: "leave", reason: why };
    }
    if (h === keeper)
      return {
        eventId: h.eventId,
        action: "retain",
        reason: h.linkedBy.length > 0 ? `the one event kept: timer_history #${h.linkedBy.join(", #")} points at it` : "the one event kept: the earliest this report file created for the entry",
      };
    if (h.linkedBy.length > 0) return { eventId: h.eventId, action: "retain", reason: `timer_history #${h.linkedBy.join(", #")} points at it: not deleted` };
    const kept = others.length > 0 ? others.map((o) => o.eventId).join(", ") : keeper!.eventId;
    return { eventId: h.eventId, action: "delete", reason: `an extra copy made by replay run ${h.createdBy!.runId}; event ${kept} holds the entry` };
  });
}

/** Merges the duplicates found for the same Kleer user and entry (several runs over one range). */
export function mergeDuplicates(found: readonly KleerDuplicate[]): KleerDuplicate[] {
  const byKey = new Map<string, KleerDuplicate>();
  for (const d of found) {
    const key = `${d.kleerUserId}|${d.legacyId}`;
    const known = byKey.get(key);
    if (!known) byKey.set(key, { ...d, eventIds: [...d.eventIds] });
    else for (const id of d.eventIds) if (!known.eventIds.includes(id)) known.eventIds.push(id);
  }
  return [...byKey.values()];
}
