import type { DateRange, TimeEntryListing } from "../domain/time-entry.js";
import { DEFAULT_SEVERITIES } from "../parity/finding-kinds.js";
import type { RunFinding } from "../parity/history-row-check.js";
import { MILLTIME_FOREIGN_ID_PREFIX } from "../parity/entry-matching.js";
import type { ReportStore } from "../report/report-store.js";
import { replayForeignId } from "./replay-plan.js";
import type { ReplayKleerClient } from "./replay-read.js";
import { listingRangeOf } from "./replay-read.js";
import type { KleerDuplicate, PlanRow } from "./replay-types.js";

/** The legacy registration id a `milltime:<id>` foreign-id names, or undefined for any other. */
export function legacyIdOfForeignId(foreignId: string | undefined): string | undefined {
  if (foreignId === undefined || !foreignId.startsWith(MILLTIME_FOREIGN_ID_PREFIX)) return undefined;
  const id = foreignId.slice(MILLTIME_FOREIGN_ID_PREFIX.length);
  return id === "" ? undefined : id;
}

const byEventId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Pure: the user's listed events grouped by the legacy entry they hold — by their foreign-id
 * `milltime:<id>`, or, for an event whose foreign-id was changed since (an edit through Toki writes
 * a `toki-…` one), by what this report file's journal says it was written for — and every entry of
 * `rows` that now has more than one. Toki itself only ever knows an entry by its one event id (the
 * registration id is the Kleer event id: toki-api/src/adapters/outbound/kleer/mod.rs:465, :472; a
 * timer_history row names one registration id: toki-api/src/repositories/timer_repo.rs:237-250),
 * so a second event is a second entry in Toki. Toki's own writes carry `toki-…` foreign-ids
 * (mod.rs:234-246), so a `milltime:<id>` one was written by a replay (or by hand).
 */
export function findKleerDuplicates(
  listing: TimeEntryListing,
  rows: readonly PlanRow[],
  kleerUserId: number,
  journaled: ReadonlyMap<string, string>,
): KleerDuplicate[] {
  const planned = new Map(rows.map((r) => [r.legacyId, r]));
  const holders = new Map<string, string[]>();
  const listed = [...listing.entries.map((e) => ({ id: e.registrationId, foreignId: e.foreignId })), ...listing.skipped.map((s) => ({ id: s.registrationId, foreignId: s.foreignId }))];
  for (const event of listed) {
    const legacyId = legacyIdOfForeignId(event.foreignId) ?? journaled.get(event.id);
    if (legacyId === undefined || !planned.has(legacyId)) continue;
    const list = holders.get(legacyId) ?? [];
    if (!list.includes(event.id)) list.push(event.id);
    holders.set(legacyId, list);
  }
  const out: KleerDuplicate[] = [];
  for (const [legacyId, eventIds] of holders) {
    if (eventIds.length < 2) continue;
    const row = planned.get(legacyId)!;
    out.push({ tokiUserId: row.userKey, kleerUserId, legacyId, date: row.date, eventIds: [...eventIds].sort(byEventId) });
  }
  return out.sort((a, b) => a.tokiUserId - b.tokiUserId || (a.legacyId < b.legacyId ? -1 : a.legacyId > b.legacyId ? 1 : 0));
}

/**
 * Lists one user's events over the applied range (± the listing margin) after the apply, with the
 * client's strict lists (an odd reply throws instead of reading as "one event each").
 */
export async function readBackUser(
  client: ReplayKleerClient,
  range: DateRange,
  rows: readonly PlanRow[],
  kleerUserId: number,
  journaled: ReadonlyMap<string, string>,
): Promise<KleerDuplicate[]> {
  return findKleerDuplicates(await client.listTimeEntries(listingRangeOf(range)), rows, kleerUserId, journaled);
}

/** The `duplicate_in_kleer` finding of one duplicate, as the replay run records it (blocking by default). */
export function duplicateFinding(d: KleerDuplicate, reportFile: string | undefined): RunFinding {
  const ids = d.eventIds.join(", ");
  const cleanup = `toki-parity cleanup --duplicates --report ${reportFile ?? "FILE"} --apply`;
  return {
    kind: "duplicate_in_kleer",
    severity: DEFAULT_SEVERITIES.duplicate_in_kleer,
    userKey: d.tokiUserId,
    date: d.date,
    legacyId: d.legacyId,
    kleerId: d.eventIds[1] ?? null,
    field: "foreign_id",
    legacyValue: replayForeignId(d.legacyId),
    kleerValue: ids,
    message:
      `After applying, Kleer holds ${d.eventIds.length} events for Milltime registration ${d.legacyId} of Kleer user ${d.kleerUserId}: ${ids} ` +
      `(a replay from another report file, or someone, wrote it at the same time). \`${cleanup}\` removes the copies this file's replays created.`,
    details: { eventIds: d.eventIds.join(","), events: d.eventIds.length, kleerUserId: d.kleerUserId, source: "replay read-back" },
    causedBy: null,
    caseSeverity: null,
    suppressed: false,
    suppressionReason: null,
  };
}

/**
 * Replaces the run's read-back findings (a resume reads back again; the file keeps what Kleer
 * holds now, not what an earlier invocation saw) in one IMMEDIATE transaction.
 */
export function recordReadBackFindings(store: ReportStore, runId: string, duplicates: readonly KleerDuplicate[]): void {
  const findings = duplicates.map((d) => duplicateFinding(d, store.db.name));
  const remove = store.db.prepare("DELETE FROM findings WHERE run_id = ? AND kind = 'duplicate_in_kleer'");
  store.db
    .transaction(() => {
      remove.run(runId);
      store.writeRunFindings(runId, findings);
    })
    .immediate();
}
