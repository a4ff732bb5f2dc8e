import type { Severity } from "../parity/finding-kinds.js";
import { personLabel } from "./report-people.js";
import type { FindingRecord, RunRecord, RunUserRecord } from "./report-records.js";

/** One parity run as the diff sees it. */
export interface DiffSide {
  /** The report file the run comes from (as the user gave it). */
  file: string;
  run: RunRecord;
  users: readonly RunUserRecord[];
  findings: readonly FindingRecord[];
}

/**
 * new: only in the later run · resolved: only in the base, and the later run re-checked it ·
 * persisting: in both · unverified: only in the base, but the later run did not compare that
 * user or that date, so its absence proves nothing (never counted as resolved).
 */
export type DiffStatus = "new" | "resolved" | "persisting" | "unverified";
export const DIFF_STATUSES: readonly DiffStatus[] = ["new", "resolved", "persisting", "unverified"];

export interface DiffItem {
  key: string;
  status: DiffStatus;
  /** The later run's finding (new, persisting) or the base's (resolved, unverified). */
  finding: FindingRecord;
  /** For persisting findings: the base's severity when it changed (a rules-file change). */
  baseSeverity?: Severity | undefined;
  /** For unverified findings: why the later run says nothing about it. */
  unverifiedReason?: string | undefined;
  /** Name, email and Toki id of the finding's user; null for a finding without user. */
  user: string | null;
}

export interface DiffCounts {
  total: number;
  blocking: number;
  warning: number;
  info: number;
  suppressed: number;
}

export interface ReportDiff {
  base: { file: string; run: RunRecord };
  run: { file: string; run: RunRecord };
  items: DiffItem[];
  counts: Record<DiffStatus, DiffCounts>;
  /** Things that weaken the comparison (a run that did not complete, users that dropped out). */
  notes: string[];
  /** Users the base compared that the later run did not compare (absent or not `compared`). */
  usersDroppedOut: number[];
}

/**
 * The stable finding key: kind + Toki user + the legacy id (or, for Kleer-only findings, the
 * Kleer id) + the entry's day or the period's first day, + the field (it tells apart e.g. the
 * failing systems of two source errors). The Kleer id is left out when a legacy id exists, so a
 * relinked event keeps its finding's identity.
 */
export function findingKey(finding: Pick<FindingRecord, "kind" | "userKey" | "legacyId" | "kleerId" | "date" | "field">): string {
  const id = finding.legacyId !== null ? `legacy:${finding.legacyId}` : finding.kleerId !== null ? `kleer:${finding.kleerId}` : "-";
  return [finding.kind, `user:${finding.userKey ?? "-"}`, id, finding.date ?? "-", finding.field ?? "-"].join("|");
}

/** Keys made unique per run: the n-th finding with the same key gets `#n` (n ≥ 2). */
function keyed(findings: readonly FindingRecord[]): Map<string, FindingRecord> {
  const seen = new Map<string, number>();
  const out = new Map<string, FindingRecord>();
  for (const finding of findings) {
    const key = findingKey(finding);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    out.set(n === 1 ? key : `${key}#${n}`, finding);
  }
  return out;
}

const emptyCounts = (): DiffCounts => ({ total: 0, blocking: 0, warning: 0, info: 0, suppressed: 0 });

function whyUnverified(finding: FindingRecord, later: DiffSide, laterUsers: Map<number, RunUserRecord>): string | undefined {
  if (finding.userKey !== null) {
    const user = laterUsers.get(finding.userKey);
    if (user === undefined) return `user ${finding.userKey} is not in run ${later.run.runId}`;
    if (user.status !== "compared") return `user ${finding.userKey} was not compared in run ${later.run.runId} (${user.status})`;
  }
  const { fromDate, toDate } = later.run;
  if (finding.date !== null && ((fromDate !== null && finding.date < fromDate) || (toDate !== null && finding.date > toDate))) {
    return `${finding.date} is outside run ${later.run.runId}'s range ${fromDate ?? "…"}..${toDate ?? "…"}`;
  }
  if (later.run.status !== "completed") return `run ${later.run.runId} did not complete (${later.run.status})`;
  return undefined;
}

/** Compares the findings of two parity runs by stable key. Pure and deterministic. */
export function diffRuns(base: DiffSide, later: DiffSide): ReportDiff {
  const baseKeyed = keyed(base.findings);
  const laterKeyed = keyed(later.findings);
  const laterUsers = new Map(later.users.map((u) => [u.userKey, u]));
  const baseUsers = new Map(base.users.map((u) => [u.userKey, u]));
  const who = (f: FindingRecord) => (f.userKey === null ? null : personLabel(laterUsers.get(f.userKey) ?? baseUsers.get(f.userKey), f.userKey));
  const items: DiffItem[] = [];
  for (const [key, finding] of laterKeyed) {
    const before = baseKeyed.get(key);
    if (before === undefined) items.push({ key, status: "new", finding, user: who(finding) });
    else items.push({ key, status: "persisting", finding, user: who(finding), ...(before.severity !== finding.severity ? { baseSeverity: before.severity } : {}) });
  }
  for (const [key, finding] of baseKeyed) {
    if (laterKeyed.has(key)) continue;
    const reason = whyUnverified(finding, later, laterUsers);
    items.push(reason === undefined ? { key, status: "resolved", finding, user: who(finding) } : { key, status: "unverified", finding, user: who(finding), unverifiedReason: reason });
  }
  const order = (s: DiffStatus) => DIFF_STATUSES.indexOf(s);
  items.sort((a, b) => order(a.status) - order(b.status) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const counts = { new: emptyCounts(), resolved: emptyCounts(), persisting: emptyCounts(), unverified: emptyCounts() };
  for (const item of items) {
    const c = counts[item.status];
    c.total += 1;
    if (item.finding.suppressed) c.suppressed += 1;
    else c[item.finding.severity] += 1;
  }

  const usersDroppedOut = base.users
    .filter((u) => u.status === "compared" && laterUsers.get(u.userKey)?.status !== "compared")
    .map((u) => u.userKey);
  const notes: string[] = [];
  for (const side of [base, later]) {
    if (side.run.status !== "completed") notes.push(`run ${side.run.runId} (${side.file}) did not complete: ${side.run.status}${side.run.errorMessage ? ` (${side.run.errorMessage})` : ""}`);
  }
  if (usersDroppedOut.length > 0) {
    notes.push(`${usersDroppedOut.length} user${usersDroppedOut.length === 1 ? "" : "s"} compared in the base ${usersDroppedOut.length === 1 ? "was" : "were"} not compared in the later run: ${usersDroppedOut.join(", ")}`);
  }
  if (base.run.fromDate !== later.run.fromDate || base.run.toDate !== later.run.toDate) {
    notes.push(`the runs cover different ranges: base ${base.run.fromDate ?? "…"}..${base.run.toDate ?? "…"}, later ${later.run.fromDate ?? "…"}..${later.run.toDate ?? "…"}`);
  }
  return { base: { file: base.file, run: base.run }, run: { file: later.file, run: later.run }, items, counts, notes, usersDroppedOut };
}
