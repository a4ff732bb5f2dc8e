import { inRange, localDateOf } from "../domain/calendar.js";
import type { DateRange, TimeEntry } from "../domain/time-entry.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import { compareIds, describeDifference, draftFinding, formatHours, hoursValue, refOf, type FindingDraft } from "./finding.js";
import { exceedsTolerance } from "./parity-rules.js";

export interface CheckHistoryLinksInput {
  userKey: number;
  links: readonly TimerHistoryLink[];
  /** Links whose start falls on a local day in this range are checked; the others are ignored. */
  range: DateRange;
  timeZone: string;
  /** Every legacy entry read for the user (the range plus its margin). */
  legacyEntries: readonly TimeEntry[];
  /** Every Kleer event id read for the user, listed or skipped (null when Kleer was not read). */
  kleerEntries: readonly TimeEntry[] | null;
  kleerEventIds: ReadonlySet<string>;
  relinks: ReadonlyMap<string, string>;
  /** The Kleer ids of `relinks` (computed from it when absent; pass it when the map is large). */
  relinkTargets?: ReadonlySet<string> | undefined;
  /**
   * Legacy registration ids that have a Kleer counterpart (paired or duplicated); null when
   * entries were not compared (then a legacy link is not judged for a missing counterpart).
   */
  legacyWithKleer?: ReadonlySet<string> | null | undefined;
  /** The user's `missing_in_kleer` findings by legacy id: the cause of a link left without counterpart. */
  missingInKleer?: ReadonlyMap<string, FindingDraft> | undefined;
  toleranceHours: number;
}

/**
 * Checks timer-history links: `link_orphan` when the registration id is neither a legacy
 * entry nor a (relinked) Kleer event — `info` by default, since Toki keeps history rows when an
 * entry is deleted ("it serves as an audit log", toki-api/src/domain/services/time_tracking.rs:351),
 * so such a row predates the migration — and `link_orphan` at the kind's severity (warning) when
 * the registration is a Milltime entry without a Kleer counterpart: after the cutover the link
 * points at nothing (a consequence of that entry's `missing_in_kleer`).
 * `link_duration_mismatch` when end − start differs from the entry's hours beyond the link
 * tolerance. A link still on a Milltime id is measured against the legacy entry, a link already
 * on a Kleer id against the Kleer event.
 */
export function checkHistoryLinks(input: CheckHistoryLinksInput): FindingDraft[] {
  const legacyById = new Map(input.legacyEntries.map((e) => [e.registrationId, e]));
  const kleerById = new Map((input.kleerEntries ?? []).map((e) => [e.registrationId, e]));
  const relinkTargets = input.relinkTargets ?? new Set(input.relinks.values());
  const out: FindingDraft[] = [];
  const links = [...input.links].sort((a, b) => a.historyId - b.historyId || compareIds(a.registrationId, b.registrationId));
  for (const link of links) {
    const date = localDateOf(link.startTime, input.timeZone);
    if (!inRange(date, input.range)) continue;
    const base = { userKey: input.userKey, date, legacyId: link.registrationId };
    const linkHours = (Date.parse(link.endTime) - Date.parse(link.startTime)) / 3_600_000;
    const legacy = legacyById.get(link.registrationId);
    const isKleerId = kleerById.has(link.registrationId) || input.kleerEventIds.has(link.registrationId) || relinkTargets.has(link.registrationId);
    if (!legacy && !isKleerId) {
      out.push(
        draftFinding({
          ...base,
          kind: "link_orphan",
          field: "registration_id",
          legacyValue: link.registrationId,
          message: `timer history #${link.historyId} (${link.startTime}–${link.endTime}) points at registration ${link.registrationId}, which exists neither in Milltime nor in Kleer (a history row kept after a delete, from before the migration)`,
          details: { historyId: link.historyId, startTime: link.startTime, endTime: link.endTime, case: "in_neither_system" },
          caseSeverity: "info",
        }),
      );
      continue;
    }
    if (legacy && !isKleerId && input.legacyWithKleer && !input.legacyWithKleer.has(link.registrationId)) {
      const missing = input.missingInKleer?.get(link.registrationId);
      out.push(
        draftFinding({
          ...base,
          kind: "link_orphan",
          field: "registration_id",
          legacyValue: link.registrationId,
          message: `timer history #${link.historyId} (${link.startTime}–${link.endTime}) points at Milltime registration ${link.registrationId}, which has no Kleer counterpart: after the cutover the link points at nothing`,
          details: { historyId: link.historyId, startTime: link.startTime, endTime: link.endTime, case: "kleer_counterpart_missing" },
          causedBy: missing ? refOf(missing) : null,
        }),
      );
    }
    const entry = legacy ?? kleerById.get(link.registrationId);
    if (!entry || !exceedsTolerance(entry.hours, linkHours, input.toleranceHours)) continue;
    const system = legacy ? "Milltime" : "Kleer";
    out.push(
      draftFinding({
        ...base,
        legacyId: legacy ? link.registrationId : null,
        kleerId: legacy ? (input.relinks.get(link.registrationId) ?? null) : link.registrationId,
        kind: "link_duration_mismatch",
        field: "duration",
        legacyValue: legacy ? hoursValue(legacy.hours) : null,
        kleerValue: legacy ? null : hoursValue(entry.hours),
        message: `timer history #${link.historyId} runs ${formatHours(linkHours)} but ${system} registration ${link.registrationId} has ${formatHours(entry.hours)} (${describeDifference(linkHours, entry.hours).replace("in Kleer", `in ${system}`)})`,
        details: { historyId: link.historyId, linkHours: Number(linkHours.toFixed(6)), startTime: link.startTime, endTime: link.endTime },
      }),
    );
  }
  return out;
}
