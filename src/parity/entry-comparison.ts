import { addDays } from "../domain/calendar.js";
import type { MappingIndex } from "../domain/cutover-mapping.js";
import { describeLockState, editabilityOf } from "../domain/lock-state.js";
import type { TimeEntry, TimeEntryStatus } from "../domain/time-entry.js";
import type { EntryPair } from "./entry-matching.js";
import { describeDifference, draftFinding, formatHours, hoursValue, type FindingDraft } from "./finding.js";
import { normaliseKleerNote, normaliseLegacyNote } from "./note-normalise.js";
import { exceedsTolerance, type ParityRules } from "./parity-rules.js";

export interface EntryComparisonContext {
  userKey: number;
  mapping: MappingIndex;
  rules: ParityRules;
}

const EVIDENCE_TEXT = { foreign_id: "foreign id", relink: "timer-history relink", content: "content" } as const;

/**
 * Compares one pair field by field: date, hours, mapped project, mapped activity, note, and the
 * lock state. When editability differs only the editability kind is reported for the pair;
 * `status_mismatch` is for two locked states that do not correspond.
 */
export function compareEntryPair(pair: EntryPair, context: EntryComparisonContext): FindingDraft[] {
  const { legacy, kleer } = pair;
  const { userKey, mapping, rules } = context;
  const base = { userKey, date: legacy.date, legacyId: legacy.registrationId, kleerId: kleer.registrationId };
  const out: FindingDraft[] = [];

  if (legacy.date !== kleer.date) {
    const shifted = kleer.date === addDays(legacy.date, -1);
    out.push(
      draftFinding({
        ...base,
        kind: "date_mismatch",
        field: "date",
        legacyValue: legacy.date,
        kleerValue: kleer.date,
        message:
          `${pairLead(pair)}: dated ${legacy.date} in Milltime but ${kleer.date} in Kleer` +
          (shifted ? " (one day earlier: likely the UTC date of an early-morning start)" : ""),
      }),
    );
  }

  if (exceedsTolerance(legacy.hours, kleer.hours, rules.tolerances.entryHours)) {
    out.push(
      draftFinding({
        ...base,
        kind: "hours_mismatch",
        field: "hours",
        legacyValue: hoursValue(legacy.hours),
        kleerValue: hoursValue(kleer.hours),
        message: `${pairLead(pair)}: ${formatHours(legacy.hours)} in Milltime, ${formatHours(kleer.hours)} in Kleer (${describeDifference(legacy.hours, kleer.hours)})`,
      }),
    );
  }

  const mappedProject = mapping.kleerProjectFor(legacy.projectId);
  if (mappedProject !== undefined && String(mappedProject) !== kleer.projectId) {
    out.push(
      draftFinding({
        ...base,
        kind: "project_mismatch",
        field: "project",
        legacyValue: String(mappedProject),
        kleerValue: kleer.projectId,
        message: `${pairLead(pair)}: Milltime project ${legacy.projectId} "${legacy.projectName}" maps to Kleer project ${mappedProject}, the event is on ${kleer.projectId} "${kleer.projectName}"`,
        // The names let a report say "Milltime X → Kleer Y" in words instead of two bare ids.
        details: { milltimeProjectId: legacy.projectId, milltimeProjectName: legacy.projectName, kleerProjectName: kleer.projectName },
      }),
    );
  }

  const mappedActivity = mapping.kleerActivityFor(legacy.activityId);
  if (mappedActivity !== undefined && String(mappedActivity) !== kleer.activityId) {
    out.push(
      draftFinding({
        ...base,
        kind: "activity_mismatch",
        field: "activity",
        legacyValue: String(mappedActivity),
        kleerValue: kleer.activityId,
        message: `${pairLead(pair)}: Milltime activity ${legacy.activityId} "${legacy.activityName}" maps to Kleer activity ${mappedActivity}, the event has ${kleer.activityId} "${kleer.activityName}"`,
        details: { milltimeActivityId: legacy.activityId, milltimeActivityName: legacy.activityName, kleerActivityName: kleer.activityName },
      }),
    );
  }

  const legacyNote = normaliseLegacyNote(legacy.note);
  const kleerNote = normaliseKleerNote(kleer.note);
  if (legacyNote !== kleerNote) {
    out.push(
      draftFinding({
        ...base,
        kind: "note_mismatch",
        field: "note",
        legacyValue: legacyNote,
        kleerValue: kleerNote,
        message: `${pairLead(pair)}: note ${JSON.stringify(legacyNote)} in Milltime, ${JSON.stringify(kleerNote)} in Kleer`,
      }),
    );
  }

  const lock = compareLockState(pair, rules, base);
  if (lock) out.push(lock);
  return out;
}

// Most pairs agree: the messages' common lead is built only for a finding (no closure per pair either).
function pairLead(pair: EntryPair): string {
  return `Milltime ${pair.legacy.registrationId} ↔ Kleer ${pair.kleer.registrationId} (by ${EVIDENCE_TEXT[pair.evidence]})`;
}

function compareLockState(pair: EntryPair, rules: ParityRules, base: Pick<FindingDraft, "userKey" | "date" | "legacyId" | "kleerId">): FindingDraft | undefined {
  const { legacy, kleer } = pair;
  const legacyEditability = editabilityOf(legacy.lock);
  const kleerEditability = editabilityOf(kleer.lock);
  if (legacyEditability === "editable" && kleerEditability === "editable") return undefined;
  const legacyText = describeLockState(legacy.lock);
  const kleerText = describeLockState(kleer.lock);
  if (legacyEditability === "locked" && kleerEditability === "editable") {
    return draftFinding({
      ...base,
      legacyValue: legacyText,
      kleerValue: kleerText,
      kind: "editability_regression",
      field: "editability",
      message: `${pairLead(pair)}: locked in Milltime (attest level ${legacyText}) but editable in Kleer (${kleerText})`,
    });
  }
  if (legacyEditability === "editable" && kleerEditability === "locked") {
    return draftFinding({
      ...base,
      legacyValue: legacyText,
      kleerValue: kleerText,
      kind: "editability_change",
      field: "editability",
      message: `${pairLead(pair)}: editable in Milltime (attest level ${legacyText}) but locked in Kleer (${kleerText})`,
    });
  }
  const expected = expectedStatuses(legacy, rules);
  if (kleer.lock.kind !== "status" || expected.includes(kleer.lock.status)) return undefined;
  return draftFinding({
    ...base,
    legacyValue: legacyText,
    kleerValue: kleerText,
    kind: "status_mismatch",
    field: "status",
    message: `${pairLead(pair)}: attest level ${legacyText} corresponds to ${expected.join(" or ")}, Kleer has ${kleerText}`,
  });
}

function expectedStatuses(legacy: TimeEntry, rules: ParityRules): readonly TimeEntryStatus[] {
  if (legacy.lock.kind === "status") return [legacy.lock.status];
  return legacy.lock.attestLevel === 1 ? rules.statusCorrespondence.week : rules.statusCorrespondence.month;
}
