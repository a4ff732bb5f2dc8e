import type { IsoDate } from "../domain/time-entry.js";
import { kindOrder, type FindingKind, type Severity } from "./finding-kinds.js";
import type { ParityRules, Suppression } from "./parity-rules.js";

/** Extra context of a finding, stored as JSON (e.g. the timer-history id of a link finding). */
export type FindingDetails = Readonly<Record<string, string | number | boolean | null>>;

/** A finding as the comparison produces it, before rules assign severity and suppression. */
export interface FindingDraft {
  kind: FindingKind;
  /** The Toki user id. */
  userKey: number;
  /** The entry's day, or the first day of the period the finding is about. */
  date: IsoDate | null;
  legacyId: string | null;
  kleerId: string | null;
  /** The compared field (`hours`, `note`, `worked`, …) or the failing system for `source_error`. */
  field: string | null;
  legacyValue: string | null;
  kleerValue: string | null;
  message: string;
  details: FindingDetails | null;
  /**
   * The root finding (same user) this one is a consequence of, e.g. the worked-hours difference
   * behind a covered, remaining or flex difference of the same period; null for a root.
   */
  causedBy: FindingRef | null;
  /**
   * The severity of this case when the rules file does not set one for the kind; null means the
   * kind's default (`link_orphan` on a registration that predates the migration is `info`).
   */
  caseSeverity: Severity | null;
}

/** Names a finding among one user's findings: the fields that identify it. */
export type FindingRef = Readonly<Pick<FindingDraft, "kind" | "date" | "legacyId" | "kleerId" | "field">>;

/** The reference to a draft (a cause is named by the fields that identify it). */
export function refOf(draft: FindingDraft): FindingRef {
  return { kind: draft.kind, date: draft.date, legacyId: draft.legacyId, kleerId: draft.kleerId, field: draft.field };
}

/** True when `ref` names `finding` (same user assumed). */
export function refersTo(ref: FindingRef, finding: FindingRef): boolean {
  return ref.kind === finding.kind && ref.date === finding.date && ref.legacyId === finding.legacyId && ref.kleerId === finding.kleerId && ref.field === finding.field;
}

/** One row of the report's `findings` table. */
export interface Finding extends FindingDraft {
  severity: Severity;
  suppressed: boolean;
  suppressionReason: string | null;
}

/** Fills the optional columns of a draft with null. */
export function draftFinding(
  draft: Pick<FindingDraft, "kind" | "userKey" | "message"> & Partial<Omit<FindingDraft, "kind" | "userKey" | "message">>,
): FindingDraft {
  return {
    kind: draft.kind,
    userKey: draft.userKey,
    date: draft.date ?? null,
    legacyId: draft.legacyId ?? null,
    kleerId: draft.kleerId ?? null,
    field: draft.field ?? null,
    legacyValue: draft.legacyValue ?? null,
    kleerValue: draft.kleerValue ?? null,
    message: draft.message,
    details: draft.details ?? null,
    causedBy: draft.causedBy ?? null,
    caseSeverity: draft.caseSeverity ?? null,
  };
}

export function suppressionMatches(suppression: Suppression, finding: FindingDraft): boolean {
  if (suppression.kind !== finding.kind) return false;
  if (suppression.userKey !== undefined && suppression.userKey !== finding.userKey) return false;
  if (suppression.legacyId !== undefined && suppression.legacyId !== finding.legacyId) return false;
  if (suppression.kleerId !== undefined && suppression.kleerId !== finding.kleerId) return false;
  if (suppression.from !== undefined || suppression.to !== undefined) {
    if (finding.date === null) return false;
    if (suppression.from !== undefined && finding.date < suppression.from) return false;
    if (suppression.to !== undefined && finding.date > suppression.to) return false;
  }
  return true;
}

/** Index of the first suppression matching the finding, or -1 (the first match wins). */
export function findSuppression(suppressions: readonly Suppression[], finding: FindingDraft): number {
  return suppressions.findIndex((s) => suppressionMatches(s, finding));
}

const compareNullable = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : compareIds(a, b);

/**
 * Orders ids numerically when both are digit strings (Kleer `7001234` < `70012345`),
 * otherwise as plain strings; the deterministic tie-break everywhere in the engine.
 */
export function compareIds(a: string, b: string): number {
  // Ids of equal length order as strings whether numeric or not, so only unequal lengths need
  // the digit test (every sort of the engine comes through here; most ids have one length).
  if (a.length !== b.length && isDigits(a) && isDigits(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Deterministic report order: date, kind (vocabulary order), legacy id, Kleer id, field. */
export function compareFindings(a: FindingDraft, b: FindingDraft): number {
  return (
    compareNullable(a.date, b.date) ||
    a.userKey - b.userKey ||
    kindOrder(a.kind) - kindOrder(b.kind) ||
    compareNullable(a.legacyId, b.legacyId) ||
    compareNullable(a.kleerId, b.kleerId) ||
    compareNullable(a.field, b.field) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * The severity of a finding: the rules file's for its kind when it sets one, else the case's
 * own (when the comparison gave one), else the kind's default.
 */
export function severityOf(draft: FindingDraft, rules: ParityRules): Severity {
  if (draft.caseSeverity === null || rules.explicitSeverities?.has(draft.kind)) return rules.severities[draft.kind];
  return draft.caseSeverity;
}

/** Applies the rules' severities and suppressions and sorts deterministically. */
export function finaliseFindings(drafts: readonly FindingDraft[], rules: ParityRules): Finding[] {
  return [...drafts].sort(compareFindings).map((draft) => {
    const index = findSuppression(rules.suppressions, draft);
    const suppression = index >= 0 ? rules.suppressions[index] : undefined;
    return {
      ...draft,
      severity: severityOf(draft, rules),
      suppressed: suppression !== undefined,
      suppressionReason: suppression?.reason ?? null,
    };
  });
}

/** Hours as stored in value columns: at most 6 decimals, no trailing zeros. */
export function hoursValue(hours: number): string {
  return String(Number(hours.toFixed(6)));
}

/** Hours for people: `2.25 h (2:15)`, negative as `-0.5 h (-0:30)`. */
export function formatHours(hours: number): string {
  const sign = hours < 0 ? "-" : "";
  const totalSeconds = Math.round(Math.abs(hours) * 3600);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const clock = `${sign}${h}:${String(m).padStart(2, "0")}${s === 0 ? "" : `:${String(s).padStart(2, "0")}`}`;
  return `${Number(hours.toFixed(4))} h (${clock})`;
}

/** A signed difference for messages: `15 min more in Kleer`, `30 s less in Kleer`. */
export function describeDifference(legacyHours: number, kleerHours: number): string {
  const seconds = Math.round((kleerHours - legacyHours) * 3600);
  const abs = Math.abs(seconds);
  const amount = abs >= 60 ? `${Number((abs / 60).toFixed(2))} min` : `${abs} s`;
  return `${amount} ${seconds >= 0 ? "more" : "less"} in Kleer`;
}
