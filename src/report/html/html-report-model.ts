import { compareFindings, countOutcomes, countSeverities, emptySeverityCounts, type OutcomeCounts, type SeverityCounts } from "./html-report-counts.js";
import type {
  FindingSeverity,
  HtmlReportInput,
  ReportFindingRecord,
  ReportRunRecord,
  ReportSuppressionRecord,
} from "./html-report-input.js";
import { buildPeriodPoints, pickOpeningBalance, type OpeningBalance, type PeriodPoint } from "./html-report-periods.js";

export type { OutcomeCounts, SeverityCounts } from "./html-report-counts.js";
export type { OpeningBalance, PeriodPoint, PeriodStats } from "./html-report-periods.js";

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
  userKey: string;
  /** A unique, HTML-safe id for the user's detail section. */
  anchor: string;
  outcomes: OutcomeCounts;
  /** Active findings only. */
  findingCounts: SeverityCounts;
  suppressedCount: number;
  periods: PeriodPoint[];
  /** Σ (kleer_flex_period − legacy_flex_period) over the run; null when no period had both. */
  finalDrift: number | null;
  openingBalance: OpeningBalance;
  /** All findings of the user (suppressed ones flagged), most severe first. */
  findings: ReportFindingRecord[];
}

export interface SuppressionView {
  kind: string | null;
  userKey: string | null;
  reason: string;
  scope: string | null;
  /** Findings of this run the suppression hid. */
  matched: number;
  /** "rule": listed in the file's suppressions table; "finding": only known from suppressed findings. */
  origin: "rule" | "finding";
}

export interface RequestSummary {
  system: string;
  requests: number;
  /** No status or a status ≥ 400. */
  failed: number;
  /** Needed more than one attempt. */
  retried: number;
  totalDurationMs: number;
  maxDurationMs: number;
}

export interface HtmlReportModel {
  run: ReportRunRecord;
  otherRuns: HtmlReportInput["otherRuns"];
  /** The run's options as pretty JSON with secret-looking values masked; null when absent or unreadable. */
  optionsText: string | null;
  verdict: Verdict;
  totals: {
    users: number;
    entries: number;
    matches: number;
    findings: SeverityCounts;
    suppressed: number;
    usersWithBlocking: number;
  };
  kindCounts: KindCount[];
  users: UserReport[];
  editabilityRegressions: ReportFindingRecord[];
  /** Findings not tied to a user (e.g. a source error before any user was read). */
  runFindings: ReportFindingRecord[];
  suppressions: SuppressionView[];
  requestSummary: RequestSummary[];
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

/** Pretty JSON of the run options with any secret-looking key masked (defence in depth). */
export function formatRunOptions(optionsJson: string | null): string | null {
  if (!optionsJson) return null;
  try {
    return JSON.stringify(maskSecrets(JSON.parse(optionsJson)), null, 2);
  } catch {
    return null;
  }
}

/** An id usable in HTML and URLs that is unique per user key (non-alphanumerics become `_hex_`). */
export function userAnchor(userKey: string): string {
  return `user-${userKey.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`)}`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null): Map<string | null, T[]> {
  const out = new Map<string | null, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

function compareKeys(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
}

export function decideVerdict(status: ReportRunRecord["status"], counts: SeverityCounts, usersWithBlocking: number): Verdict {
  const tally = `${counts.blocking} blocking, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}, ${counts.info} info`;
  if (status === "failed") return { level: "incomplete", headline: "Run failed: results are partial", detail: `The run ended with an error; what it recorded so far: ${tally}.` };
  if (status === "running") return { level: "incomplete", headline: "Run did not finish", detail: `The run is still running or was interrupted; recorded so far: ${tally}.` };
  if (counts.blocking > 0) {
    const who = `${usersWithBlocking} user${usersWithBlocking === 1 ? "" : "s"}`;
    return { level: "not_ready", headline: "Not ready for cutover", detail: `${counts.blocking} blocking finding${counts.blocking === 1 ? "" : "s"} for ${who} must be resolved first (${tally}).` };
  }
  if (counts.warning > 0) return { level: "ready_with_warnings", headline: "Ready for cutover, with warnings to review", detail: `No blocking findings (${tally}).` };
  return { level: "ready", headline: "Ready for cutover", detail: `No blocking findings and no warnings (${tally}).` };
}

function countKinds(findings: readonly ReportFindingRecord[]): KindCount[] {
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
  return [...byKind.values()].sort((a, b) => rank(a) - rank(b) || b.total - a.total || compareKeys(a.kind, b.kind));
}

function buildSuppressions(rules: readonly ReportSuppressionRecord[], findings: readonly ReportFindingRecord[]): SuppressionView[] {
  const suppressed = findings.filter((f) => f.suppressed);
  const claimed = new Set<ReportFindingRecord>();
  const out: SuppressionView[] = rules.map((rule) => {
    const hits = suppressed.filter(
      (f) => f.suppressionReason === rule.reason && (rule.kind === null || f.kind === rule.kind) && (rule.userKey === null || f.userKey === rule.userKey),
    );
    for (const f of hits) claimed.add(f);
    return { ...rule, matched: hits.length, origin: "rule" };
  });
  const derived = new Map<string, SuppressionView>();
  for (const f of suppressed) {
    if (claimed.has(f)) continue;
    const reason = f.suppressionReason ?? "(no reason recorded)";
    const key = `${f.kind}\u0000${reason}`;
    const view = derived.get(key) ?? { kind: f.kind, userKey: null, reason, scope: null, matched: 0, origin: "finding" as const };
    view.matched += 1;
    derived.set(key, view);
  }
  return [...out, ...[...derived.values()].sort((a, b) => compareKeys(a.kind ?? "", b.kind ?? "") || compareKeys(a.reason, b.reason))];
}

function summariseRequests(input: HtmlReportInput): RequestSummary[] {
  const bySystem = new Map<string, RequestSummary>();
  for (const r of input.requests) {
    const s = bySystem.get(r.system) ?? { system: r.system, requests: 0, failed: 0, retried: 0, totalDurationMs: 0, maxDurationMs: 0 };
    s.requests += 1;
    if (r.status === null || r.status >= 400) s.failed += 1;
    if (r.attempts > 1) s.retried += 1;
    s.totalDurationMs += r.durationMs;
    s.maxDurationMs = Math.max(s.maxDurationMs, r.durationMs);
    bySystem.set(r.system, s);
  }
  return [...bySystem.values()].sort((a, b) => compareKeys(a.system, b.system));
}

/** Pure: turns one run's rows into everything the HTML page shows, in a deterministic order. */
export function buildHtmlReportModel(input: HtmlReportInput): HtmlReportModel {
  const userKeys = new Set<string>();
  for (const e of input.entries) userKeys.add(e.userKey);
  for (const t of input.timeInfo) userKeys.add(t.userKey);
  for (const f of input.findings) if (f.userKey !== null) userKeys.add(f.userKey);

  const sortedFindings = [...input.findings].sort(compareFindings);
  const findingsByUser = groupBy(sortedFindings, (f) => f.userKey);
  const entriesByUser = groupBy(input.entries, (e) => e.userKey);
  const timeInfoByUser = groupBy(input.timeInfo, (t) => t.userKey);
  const users: UserReport[] = [...userKeys].sort(compareKeys).map((userKey) => {
    const findings = findingsByUser.get(userKey) ?? [];
    const periods = buildPeriodPoints(timeInfoByUser.get(userKey) ?? []);
    const drifts = periods.map((p) => p.cumulativeDrift).filter((d): d is number => d !== null);
    return {
      userKey,
      anchor: userAnchor(userKey),
      outcomes: countOutcomes(entriesByUser.get(userKey) ?? []),
      findingCounts: countSeverities(findings),
      suppressedCount: findings.filter((f) => f.suppressed).length,
      periods,
      finalDrift: drifts.length > 0 ? drifts[drifts.length - 1]! : null,
      openingBalance: pickOpeningBalance(findings, periods),
      findings,
    };
  });

  const findingCounts = countSeverities(sortedFindings);
  const usersWithBlocking = users.filter((u) => u.findingCounts.blocking > 0).length;
  const severityOf = (s: FindingSeverity): number => (s === "blocking" ? 0 : s === "warning" ? 1 : 2);
  return {
    run: input.run,
    otherRuns: input.otherRuns,
    optionsText: formatRunOptions(input.run.optionsJson),
    verdict: decideVerdict(input.run.status, findingCounts, usersWithBlocking),
    totals: {
      users: users.length,
      entries: input.entries.length,
      matches: input.entries.filter((e) => e.outcome === "match").length,
      findings: findingCounts,
      suppressed: sortedFindings.filter((f) => f.suppressed).length,
      usersWithBlocking,
    },
    kindCounts: countKinds(sortedFindings),
    users,
    editabilityRegressions: sortedFindings
      .filter((f) => f.kind === "editability_regression")
      .sort((a, b) => Number(a.suppressed) - Number(b.suppressed) || severityOf(a.severity) - severityOf(b.severity) || compareKeys(a.userKey ?? "", b.userKey ?? "") || compareKeys(a.date ?? "", b.date ?? "")),
    runFindings: sortedFindings.filter((f) => f.userKey === null),
    suppressions: buildSuppressions(input.suppressions, sortedFindings),
    requestSummary: summariseRequests(input),
  };
}
