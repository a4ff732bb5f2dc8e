import type { Severity } from "../../parity/finding-kinds.js";
import type { EntryOutcome } from "../../parity/user-parity.js";
import type { EntryRecord, FindingRecord } from "./html-report-input.js";

export type SeverityCounts = Record<Severity, number>;
export type OutcomeCounts = Record<EntryOutcome, number> & { total: number };

export const ENTRY_OUTCOMES: readonly EntryOutcome[] = ["match", "mismatch", "missing_in_kleer", "extra_in_kleer", "unmapped", "skipped"];

export function emptySeverityCounts(): SeverityCounts {
  return { blocking: 0, warning: 0, info: 0 };
}

/** Counts active findings by severity; suppressed findings never count. */
export function countSeverities(findings: readonly FindingRecord[]): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const f of findings) if (!f.suppressed) counts[f.severity] += 1;
  return counts;
}

export function countOutcomes(entries: readonly EntryRecord[]): OutcomeCounts {
  const counts = Object.fromEntries(ENTRY_OUTCOMES.map((o) => [o, 0])) as Record<EntryOutcome, number>;
  for (const e of entries) if (e.outcome in counts) counts[e.outcome] += 1;
  return { ...counts, total: entries.length };
}

export const SEVERITY_RANK: Record<Severity, number> = { blocking: 0, warning: 1, info: 2 };

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Active before suppressed, most severe first, then by date, kind and ids: a stable reading order. */
export function compareFindings(a: FindingRecord, b: FindingRecord): number {
  return (
    Number(a.suppressed) - Number(b.suppressed) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareNullable(a.date, b.date) ||
    compareNullable(a.kind, b.kind) ||
    compareNullable(a.legacyId, b.legacyId) ||
    compareNullable(a.kleerId, b.kleerId) ||
    compareNullable(a.field, b.field) ||
    a.id - b.id
  );
}
