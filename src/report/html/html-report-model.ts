import type { Severity } from "../../parity/finding-kinds.js";
import { personLabel } from "../report-people.js";
import type { UserStatus } from "../../parity/user-parity.js";
import { compareFindings, countOutcomes, countSeverities, emptySeverityCounts, type OutcomeCounts, type SeverityCounts } from "./html-report-counts.js";
import type { FindingRecord, HtmlReportInput, RequestSummaryRecord, RunRecord, SuppressionRecord } from "./html-report-input.js";
import { describeNotCompared, describeUnreadUsers, verdictScopeOf, type VerdictScope } from "../report-verdict.js";
import { entryHoursOf, groupRootCauses, type RootCause } from "../report-root-causes.js";
import { selectTopCauses, type TopCause } from "../report-top-causes.js";
import { buildPeriodPoints, pickOpeningBalance, type OpeningBalance, type PeriodPoint } from "./html-report-periods.js";

export type { OutcomeCounts, SeverityCounts } from "./html-report-counts.js";
export type { OpeningBalance, PeriodPoint, PeriodStats } from "./html-report-periods.js";
export type { RequestSummaryRecord } from "./html-report-input.js";

export type VerdictLevel = "ready" | "ready_with_warnings" | "not_ready" | "incomplete";

export interface Verdict {
  level: VerdictLevel;
  headline: string;
  detail: string;
}

export interface KindCount extends SeverityCounts {
  kind: string;
  /** Active (not suppressed) findings of this kind. */
  total: number;
  suppressed: number;
}

export interface UserReport {
  /** The Toki user id. */
  userKey: number;
  /** Name, email and Toki id (`Anna Lindqvist <anna@…> · Toki 1`), as far as the file knows. */
  label: string;
  /** A unique, HTML-safe id for the user's detail section. */
  anchor: string;
  /** From `run_users`; null when the file has no row for the user. */
  status: UserStatus | null;
  outcomes: OutcomeCounts;
  /** Active findings only. */
  findingCounts: SeverityCounts;
  suppressedCount: number;
  periods: PeriodPoint[];
  /** Σ (kleer_flex_period − legacy_flex_period) over the run; null when no period had both. */
  finalDrift: number | null;
  openingBalance: OpeningBalance;
  /** All findings of the user (suppressed ones flagged), most severe first. */
  findings: FindingRecord[];
}

export interface SuppressionView {
  kind: string;
  userKey: number | null;
  reason: string;
  /** The rule's further conditions in words (`2026-02-01 – 2026-02-28, Milltime id 4000…`). */
  scope: string | null;
  /** Findings of this run the suppression hid. */
  matched: number;
  /** "rule": stored with the run (from the rules file); "finding": only known from suppressed findings. */
  origin: "rule" | "finding";
}

export interface HtmlReportModel {
  run: RunRecord;
  otherRuns: readonly RunRecord[];
  /** The run's options as pretty JSON with secret-looking values masked; null when absent or unreadable. */
  optionsText: string | null;
  verdict: Verdict;
  totals: {
    users: number;
    entries: number;
    /** Legacy entries that count for the match rate (all but `skipped`), as the gate counts them. */
    compared: number;
    matches: number;
    findings: SeverityCounts;
    suppressed: number;
    usersWithBlocking: number;
  };
  kindCounts: KindCount[];
  users: UserReport[];
  editabilityRegressions: FindingRecord[];
  /** Findings not tied to a user (e.g. a source error before any user was read). */
  runFindings: FindingRecord[];
  suppressions: SuppressionView[];
  requestSummary: RequestSummaryRecord[];
  /** Causes behind two or more findings (presentation only: every finding still counts). */
  rootCauses: RootCause[];
  /** The run's top causes in words (the overview's "Top causes"; the exports carry the same). */
  topCauses: TopCause[];
}

const SECRET_KEY = /token|password|passwd|secret|cookie|csrf|authorization|api[-_]?key/i;

function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, SECRET_KEY.test(key) && typeof v === "string" ? "[redacted]" : maskSecrets(v)]),
    );
  }
  return value;
}

/** Pretty JSON of the run options with any secret-looking key masked (defence in depth); null when empty. */
export function formatRunOptions(options: unknown): string | null {
  if (options === null || options === undefined) return null;
  if (typeof options === "object" && Object.keys(options).length === 0) return null;
  return JSON.stringify(maskSecrets(options), null, 2);
}

/** The id of a user's detail section. */
export function userAnchor(userKey: number): string {
  return `user-${String(userKey).replace(/[^A-Za-z0-9-]/g, "_")}`;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the verdict states besides the counts: the match rate and who was not compared. */
export interface VerdictCoverage {
  scope: VerdictScope;
  matchRate: number | null;
}

const percentText = (rate: number | null) => (rate === null ? "n/a (no legacy entry compared)" : `${(Math.floor(rate * 10000) / 100).toFixed(2)} %`);

export function decideVerdict(status: RunRecord["status"], counts: SeverityCounts, usersWithBlocking: number, coverage?: VerdictCoverage): Verdict {
  const tally = `${counts.blocking} blocking, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}, ${counts.info} info`;
  const covered = coverage ? ` Match rate ${percentText(coverage.matchRate)}; ${describeNotCompared(coverage.scope)}.` : "";
  if (status === "failed") return { level: "incomplete", headline: "Run failed: results are partial", detail: `The run ended with an error; what it recorded so far: ${tally}.` };
  if (status === "running") return { level: "incomplete", headline: "Run did not finish", detail: `The run is still running or was interrupted; recorded so far: ${tally}.` };
  const unread = coverage?.scope.unread ?? [];
  // A user whose data was not (fully) read blocks the verdict whatever the counts say.
  if (unread.length > 0) {
    return {
      level: "not_ready",
      headline: "Not ready for cutover",
      detail: `Not (fully) read, so never ready: ${describeUnreadUsers(unread)}. ${counts.blocking} blocking finding${counts.blocking === 1 ? "" : "s"} (${tally}).${covered}`,
    };
  }
  if (counts.blocking > 0) {
    const who = `${usersWithBlocking} user${usersWithBlocking === 1 ? "" : "s"}`;
    return { level: "not_ready", headline: "Not ready for cutover", detail: `${counts.blocking} blocking finding${counts.blocking === 1 ? "" : "s"} for ${who} must be resolved first (${tally}).${covered}` };
  }
  if (counts.warning > 0) return { level: "ready_with_warnings", headline: "Ready for cutover, with warnings to review", detail: `No blocking findings (${tally}).${covered}` };
  return { level: "ready", headline: "Ready for cutover", detail: `No blocking findings and no warnings (${tally}).${covered}` };
}

function countKinds(findings: readonly FindingRecord[]): KindCount[] {
  const byKind = new Map<string, KindCount>();
  for (const f of findings) {
    const row = byKind.get(f.kind) ?? { kind: f.kind, ...emptySeverityCounts(), total: 0, suppressed: 0 };
    if (f.suppressed) row.suppressed += 1;
    else {
      row[f.severity] += 1;
      row.total += 1;
    }
    byKind.set(f.kind, row);
  }
  const rank = (k: KindCount): number => (k.blocking > 0 ? 0 : k.warning > 0 ? 1 : k.info > 0 ? 2 : 3);
  return [...byKind.values()].sort((a, b) => rank(a) - rank(b) || b.total - a.total || compareText(a.kind, b.kind));
}

function describeScope(rule: SuppressionRecord): string | null {
  const parts: string[] = [];
  if (rule.fromDate !== null || rule.toDate !== null) parts.push(`${rule.fromDate ?? "…"} – ${rule.toDate ?? "…"}`);
  if (rule.legacyId !== null) parts.push(`Milltime id ${rule.legacyId}`);
  if (rule.kleerId !== null) parts.push(`Kleer id ${rule.kleerId}`);
  return parts.length > 0 ? parts.join(", ") : null;
}

function buildSuppressions(rules: readonly SuppressionRecord[], findings: readonly FindingRecord[]): SuppressionView[] {
  const out: SuppressionView[] = rules.map((rule) => ({
    kind: rule.kind,
    userKey: rule.userKey,
    reason: rule.reason,
    scope: describeScope(rule),
    matched: rule.matchedFindings,
    origin: "rule",
  }));
  const ruleKeys = new Set(rules.map((r) => `${r.kind}\u0000${r.reason}`));
  const derived = new Map<string, SuppressionView>();
  for (const f of findings) {
    if (!f.suppressed) continue;
    const reason = f.suppressionReason ?? "(no reason recorded)";
    const key = `${f.kind}\u0000${reason}`;
    if (ruleKeys.has(key)) continue;
    const view = derived.get(key) ?? { kind: f.kind, userKey: null, reason, scope: null, matched: 0, origin: "finding" as const };
    view.matched += 1;
    derived.set(key, view);
  }
  return [...out, ...[...derived.values()].sort((a, b) => compareText(a.kind, b.kind) || compareText(a.reason, b.reason))];
}

/** Pure: turns one run's rows into everything the HTML page shows, in a deterministic order. */
export function buildHtmlReportModel(input: HtmlReportInput): HtmlReportModel {
  const userKeys = new Set<number>();
  for (const u of input.users) userKeys.add(u.userKey);
  for (const e of input.entries) userKeys.add(e.userKey);
  for (const t of input.timeInfo) userKeys.add(t.userKey);
  for (const f of input.findings) if (f.userKey !== null) userKeys.add(f.userKey);

  const sortedFindings = [...input.findings].sort(compareFindings);
  const findingsByUser = groupBy(sortedFindings, (f) => f.userKey);
  const entriesByUser = groupBy(input.entries, (e) => e.userKey);
  const timeInfoByUser = groupBy(input.timeInfo, (t) => t.userKey);
  const runUsers = new Map(input.users.map((u) => [u.userKey, u]));
  const users: UserReport[] = [...userKeys].sort((a, b) => a - b).map((userKey) => {
    const findings = findingsByUser.get(userKey) ?? [];
    const periods = buildPeriodPoints(timeInfoByUser.get(userKey) ?? []);
    const drifts = periods.map((p) => p.cumulativeDrift).filter((d): d is number => d !== null);
    const runUser = runUsers.get(userKey);
    return {
      userKey,
      label: personLabel(runUser, userKey),
      anchor: userAnchor(userKey),
      status: runUser?.status ?? null,
      outcomes: countOutcomes(entriesByUser.get(userKey) ?? []),
      findingCounts: countSeverities(findings),
      suppressedCount: findings.filter((f) => f.suppressed).length,
      periods,
      finalDrift: drifts.length > 0 ? drifts[drifts.length - 1]! : null,
      openingBalance: pickOpeningBalance(findings, periods, runUser?.flexBalance ?? null),
      findings,
    };
  });

  const findingCounts = countSeverities(sortedFindings);
  const usersWithBlocking = users.filter((u) => u.findingCounts.blocking > 0).length;
  const severityOf = (s: Severity): number => (s === "blocking" ? 0 : s === "warning" ? 1 : 2);
  // The gate's match rate: from the per-user totals when the file has them, else from the entry rows.
  const matches = input.users.length > 0 ? input.users.reduce((n, u) => n + u.matches, 0) : input.entries.filter((e) => e.outcome === "match").length;
  const compared =
    input.users.length > 0
      ? input.users.reduce((n, u) => n + u.compared, 0)
      : input.entries.filter((e) => e.outcome !== "skipped" && e.outcome !== "extra_in_kleer").length;
  const groups = groupRootCauses(sortedFindings, { period: input.run.period, entryHours: entryHoursOf(input.entries) });
  const labels = new Map(users.map((u) => [u.userKey, u.label]));
  return {
    run: input.run,
    otherRuns: input.otherRuns,
    optionsText: formatRunOptions(input.run.options),
    verdict: decideVerdict(input.run.status, findingCounts, usersWithBlocking, {
      scope: verdictScopeOf(input.users, input.findings),
      matchRate: compared === 0 ? null : matches / compared,
    }),
    totals: {
      users: users.length,
      entries: input.entries.length,
      compared,
      matches,
      findings: findingCounts,
      suppressed: sortedFindings.filter((f) => f.suppressed).length,
      usersWithBlocking,
    },
    kindCounts: countKinds(sortedFindings),
    users,
    editabilityRegressions: sortedFindings
      .filter((f) => f.kind === "editability_regression")
      .sort((a, b) => Number(a.suppressed) - Number(b.suppressed) || severityOf(a.severity) - severityOf(b.severity) || (a.userKey ?? 0) - (b.userKey ?? 0) || compareText(a.date ?? "", b.date ?? "")),
    runFindings: sortedFindings.filter((f) => f.userKey === null),
    suppressions: buildSuppressions(input.suppressions, sortedFindings),
    requestSummary: [...input.requests].sort((a, b) => compareText(a.system, b.system)),
    rootCauses: groups.causes,
    topCauses: selectTopCauses(groups, { labelOf: (k) => labels.get(k) ?? `Toki user ${k}`, fromDate: input.run.fromDate, toDate: input.run.toDate, period: input.run.period }),
  };
}
