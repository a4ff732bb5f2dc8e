import type { FindingRecord } from "./report-records.js";

/** One rules-file suppression entry (rules file keys), without its reason. */
export interface TriageEntry {
  kind: string;
  user_key?: number;
  legacy_id?: string;
  kleer_id?: string;
  from?: string;
  to?: string;
}

/** Kinds a rules file refuses to suppress (a source that was not read is never accepted). */
const UNSUPPRESSIBLE = new Set(["source_error"]);

/**
 * The narrowest suppression that matches this finding: its kind, user, ids and its day (from = to
 * = the finding's date), so accepting it in the page accepts this finding and no other of
 * another day, entry or user. Null for a finding a rules file cannot suppress or that already is.
 */
export function triageEntryOf(finding: Pick<FindingRecord, "kind" | "userKey" | "legacyId" | "kleerId" | "date" | "suppressed">): TriageEntry | null {
  if (finding.suppressed || UNSUPPRESSIBLE.has(finding.kind)) return null;
  return {
    kind: finding.kind,
    ...(finding.userKey === null ? {} : { user_key: finding.userKey }),
    ...(finding.legacyId === null ? {} : { legacy_id: finding.legacyId }),
    ...(finding.kleerId === null ? {} : { kleer_id: finding.kleerId }),
    ...(finding.date === null ? {} : { from: finding.date, to: finding.date }),
  };
}
