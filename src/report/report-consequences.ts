import type { Severity } from "../parity/finding-kinds.js";
import type { FindingRecord } from "./report-records.js";

const RANK: Readonly<Record<Severity, number>> = { blocking: 0, warning: 1, info: 2 };

/**
 * A consequential finding is shown beside its root, not as a problem of its own, when both are
 * unsuppressed and the root is at least as severe. Otherwise (its root suppressed, or a rules file
 * made the consequence the more severe one) it stands alone, so nothing the gate counts is hidden.
 */
export function foldsIntoRoot(finding: Pick<FindingRecord, "severity" | "suppressed">, root: Pick<FindingRecord, "severity" | "suppressed"> | undefined): boolean {
  if (!root || finding.suppressed || root.suppressed) return false;
  return RANK[root.severity] <= RANK[finding.severity];
}

/** The same rule in SQL over `findings f LEFT JOIN findings r ON r.id = f.caused_by`. */
export const FOLDS_INTO_ROOT_SQL = `(f.suppressed = 0 AND r.id IS NOT NULL AND r.suppressed = 0 AND
  (r.severity = 'blocking' OR r.severity = f.severity OR (r.severity = 'warning' AND f.severity = 'info')))`;

export interface FindingGroups {
  /** Findings that are problems of their own, in the given order. */
  roots: FindingRecord[];
  /** Root id → the consequences shown beside it, in the given order. */
  consequencesOf: Map<number, FindingRecord[]>;
}

/** Splits findings into problems and the consequences shown beside them ("one problem once"). */
export function groupConsequences(findings: readonly FindingRecord[]): FindingGroups {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const roots: FindingRecord[] = [];
  const consequencesOf = new Map<number, FindingRecord[]>();
  for (const f of findings) {
    const root = f.causedBy === null ? undefined : byId.get(f.causedBy);
    if (root && foldsIntoRoot(f, root)) {
      const list = consequencesOf.get(root.id) ?? [];
      list.push(f);
      consequencesOf.set(root.id, list);
    } else {
      roots.push(f);
    }
  }
  return { roots, consequencesOf };
}
