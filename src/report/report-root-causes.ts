import type { Severity } from "../parity/finding-kinds.js";
import { foldsIntoRoot, groupConsequences } from "./report-consequences.js";
import type { EntryRecord, FindingRecord } from "./report-records.js";
import { describeCause, type CausePattern } from "./report-root-cause-text.js";
import { hoursDifferenceOf } from "./report-values.js";

/** A root finding with the consequences shown under it (see `caused_by`). */
export interface RootCauseItem {
  finding: FindingRecord;
  consequences: FindingRecord[];
}

/**
 * One cause behind several findings: a user's period figures off week after week (no Kleer
 * schedule, a different employment rate), a mapping error behind many entries, or one root
 * finding with its consequences. Presentation only: every finding stays in the report, the gate
 * counts each one.
 */
export interface RootCause {
  /** Stable within a run: `period:3:timeinfo_scheduled_mismatch`, `unmapped_project:3000…`, `root:17`. */
  key: string;
  kind: string;
  pattern: CausePattern;
  /** The cause in words. */
  title: string;
  /** The most severe finding's severity. */
  severity: Severity;
  userKeys: number[];
  /** The root findings that are the cause, each with its consequences, in report order. */
  items: RootCauseItem[];
  /**
   * Other root findings the cause fully explains, shown with it: the `missing_in_kleer` of an
   * entry whose project or activity is unmapped, the `flex_drift` of a user whose schedule
   * difference accounts for it. They keep their own kind and severity.
   */
  explained: RootCauseItem[];
  /** Every finding of the cause: items, explained findings and all their consequences. */
  count: number;
  counts: Record<Severity, number>;
  /** First day of the first finding and last day (a period's end) of the last one. */
  firstDate: string | null;
  lastDate: string | null;
  /**
   * `kleer_minus_milltime`: Σ (Kleer − Milltime) hours of the items (period figures, entry hours);
   * `legacy_entries`: the Milltime hours of the entries behind it. Null when no hours are known.
   */
  hours: number | null;
  hoursMeaning: "kleer_minus_milltime" | "legacy_entries" | null;
}

export interface RootCauseGroups {
  /** Causes with two or more findings, most severe first, then the largest. */
  causes: RootCause[];
  /** Findings that are a cause of one finding only (nothing to group), in the given order. */
  standalone: FindingRecord[];
}

export interface GroupRootCausesOptions {
  /** Milltime hours of a legacy entry (from the run's entries), for entry-level causes. */
  entryHours?: (userKey: number, legacyId: string) => number | null;
  /** The run's period (`week` makes titles say "weeks"). */
  period?: string | null;
}

/** Milltime hours of a run's legacy entries, by user and registration id (for `entryHours`). */
export function entryHoursOf(entries: readonly EntryRecord[]): (userKey: number, legacyId: string) => number | null {
  const hours = new Map(entries.filter((e) => e.legacyId !== null).map((e) => [`${e.userKey}:${e.legacyId}`, e.legacyHours]));
  return (userKey, legacyId) => hours.get(`${userKey}:${legacyId}`) ?? null;
}

/** Period figures of one user and kind: the same difference week after week is one cause. */
export const PERIOD_KINDS: ReadonlySet<string> = new Set([
  "timeinfo_worked_mismatch",
  "timeinfo_scheduled_mismatch",
  "timeinfo_absence_mismatch",
  "timeinfo_covered_mismatch",
  "timeinfo_remaining_mismatch",
  "flex_period_mismatch",
]);

/** Entry kinds where the same value pair on many entries is one mapping or lock error, company-wide. */
export const VALUE_CHANGE_KINDS: ReadonlySet<string> = new Set(["project_mismatch", "activity_mismatch", "editability_regression", "editability_change", "status_mismatch"]);

/** An unmapped Milltime project or activity is one cause for every entry on it, company-wide. */
export const UNMAPPED_KINDS: ReadonlySet<string> = new Set(["unmapped_project", "unmapped_activity"]);

const RANK: Readonly<Record<Severity, number>> = { blocking: 0, warning: 1, info: 2 };

/** One minute per period: the TimeInfo tolerance a period within it can still add to a drift. */
const MINUTE = 1 / 60;

function clusterKey(f: FindingRecord): string {
  if (f.suppressed) return `root:${f.id}`;
  if (PERIOD_KINDS.has(f.kind) && f.userKey !== null) return `period:${f.userKey}:${f.kind}`;
  if (VALUE_CHANGE_KINDS.has(f.kind)) return `${f.kind}:${f.field ?? ""}:${f.legacyValue ?? ""}→${f.kleerValue ?? ""}`;
  if (UNMAPPED_KINDS.has(f.kind)) return `${f.kind}:${f.legacyValue ?? ""}`;
  return `root:${f.id}`;
}

interface Cluster {
  key: string;
  items: RootCauseItem[];
  explained: RootCauseItem[];
}

const allOf = (c: Cluster): FindingRecord[] => [...c.items, ...c.explained].flatMap((i) => [i.finding, ...i.consequences]);
const severityOfCluster = (c: Cluster): Severity => allOf(c).reduce<Severity>((s, f) => (RANK[f.severity] < RANK[s] ? f.severity : s), "info");
const asRoot = (c: Cluster) => ({ severity: c.items.reduce<Severity>((s, i) => (RANK[i.finding.severity] < RANK[s] ? i.finding.severity : s), "info"), suppressed: false });

/** The `missing_in_kleer` of an unmapped entry and a drift the schedule accounts for join their cause. */
function attachExplained(clusters: Map<string, Cluster>): void {
  const singles = [...clusters.values()].filter((c) => c.key.startsWith("root:") && c.items.length === 1);
  const move = (single: Cluster, into: Cluster) => {
    into.explained.push(single.items[0]!);
    clusters.delete(single.key);
  };
  const unmappedByEntry = new Map<string, Cluster>();
  for (const c of clusters.values()) {
    if (!UNMAPPED_KINDS.has(c.items[0]?.finding.kind ?? "")) continue;
    for (const i of c.items) {
      const k = `${i.finding.userKey}:${i.finding.legacyId}`;
      if (i.finding.legacyId !== null && !unmappedByEntry.has(k)) unmappedByEntry.set(k, c);
    }
  }
  for (const single of singles) {
    const f = single.items[0]!.finding;
    if (f.suppressed || f.userKey === null) continue;
    if (f.kind === "missing_in_kleer" && f.legacyId !== null) {
      const cause = unmappedByEntry.get(`${f.userKey}:${f.legacyId}`);
      if (cause && foldsIntoRoot(f, asRoot(cause))) move(single, cause);
    } else if (f.kind === "flex_drift") {
      const schedule = clusters.get(`period:${f.userKey}:timeinfo_scheduled_mismatch`);
      if (!schedule || !foldsIntoRoot(f, asRoot(schedule))) continue;
      // Flex = covered − scheduled: a schedule difference alone moves the drift by −ΣΔscheduled.
      const drift = hoursDifferenceOf(f);
      const scheduled = schedule.items.reduce((sum, i) => sum + (hoursDifferenceOf(i.finding) ?? 0), 0);
      const periods = typeof f.details?.periods === "number" ? f.details.periods : schedule.items.length;
      if (drift !== null && Math.abs(drift + scheduled) <= Math.max(periods * MINUTE, 0.05 * Math.abs(drift)) + 1e-9) move(single, schedule);
    }
  }
}

function hoursOf(c: Cluster, entryHours: GroupRootCausesOptions["entryHours"]): Pick<RootCause, "hours" | "hoursMeaning"> {
  const diffs = c.items.map((i) => hoursDifferenceOf(i.finding)).filter((h): h is number => h !== null);
  if (diffs.length > 0) return { hours: Number(diffs.reduce((a, b) => a + b, 0).toFixed(6)), hoursMeaning: "kleer_minus_milltime" };
  // The entries behind the cause: the run's entry hours, else a missing entry's own hours.
  const missing = new Map(c.explained.filter((i) => i.finding.kind === "missing_in_kleer").map((i) => [`${i.finding.userKey}:${i.finding.legacyId}`, Number(i.finding.legacyValue)]));
  const seen = new Set<string>();
  let total = 0;
  let known = 0;
  for (const { finding: f } of c.items) {
    if (f.userKey === null || f.legacyId === null) continue;
    const k = `${f.userKey}:${f.legacyId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const h = entryHours?.(f.userKey, f.legacyId) ?? missing.get(k) ?? null;
    if (h !== null && Number.isFinite(h)) {
      total += h;
      known += 1;
    }
  }
  return known === 0 ? { hours: null, hoursMeaning: null } : { hours: Number(total.toFixed(6)), hoursMeaning: "legacy_entries" };
}

function spanOf(findings: readonly FindingRecord[]): { firstDate: string | null; lastDate: string | null } {
  let first: string | null = null;
  let last: string | null = null;
  for (const f of findings) {
    if (f.date === null) continue;
    const end = typeof f.details?.periodEnd === "string" ? f.details.periodEnd : f.date;
    if (first === null || f.date < first) first = f.date;
    if (last === null || end > last) last = end;
  }
  return { firstDate: first, lastDate: last };
}

/**
 * Pure: groups a run's findings into causes. Consequences go under their root (the rule of
 * `foldsIntoRoot`); unsuppressed roots of one user's period kind, of one value pair of an entry
 * kind, or of one unmapped Milltime id form one cause. Suppressed findings are never grouped.
 * Every finding appears exactly once: in one cause or in `standalone`.
 */
export function groupRootCauses(findings: readonly FindingRecord[], options: GroupRootCausesOptions = {}): RootCauseGroups {
  const { roots, consequencesOf } = groupConsequences(findings);
  const clusters = new Map<string, Cluster>();
  for (const f of roots) {
    const key = clusterKey(f);
    const cluster = clusters.get(key) ?? { key, items: [], explained: [] };
    cluster.items.push({ finding: f, consequences: consequencesOf.get(f.id) ?? [] });
    clusters.set(key, cluster);
  }
  attachExplained(clusters);
  const causes: RootCause[] = [];
  const standalone: FindingRecord[] = [];
  for (const c of clusters.values()) {
    const all = allOf(c);
    if (all.length < 2) {
      standalone.push(...all);
      continue;
    }
    const { pattern, title } = describeCause(c.items.map((i) => i.finding), options.period ?? null);
    const counts: Record<Severity, number> = { blocking: 0, warning: 0, info: 0 };
    for (const f of all) counts[f.severity] += 1;
    causes.push({
      key: c.key,
      kind: c.items[0]!.finding.kind,
      pattern,
      title,
      severity: severityOfCluster(c),
      userKeys: [...new Set(all.map((f) => f.userKey).filter((k): k is number => k !== null))].sort((a, b) => a - b),
      items: c.items,
      explained: c.explained,
      count: all.length,
      counts,
      ...spanOf(all),
      ...hoursOf(c, options.entryHours),
    });
  }
  causes.sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.count - a.count || Math.abs(b.hours ?? 0) - Math.abs(a.hours ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { causes, standalone };
}
