import { existsSync, statSync } from "node:fs";
import { systemClock, type Clock } from "../domain/ports.js";
import { TokiError } from "../domain/errors.js";
import { totalsOf, type RunReport, type RunTotals } from "./report-data.js";
import { openReportStore } from "./report-store.js";
import { baselineProblems, baselineSummary, type GateBaseline } from "./report-gate-baseline.js";
import { loadReportDiff } from "./report-diff-load.js";
import { describeNotCompared, describeUnreadUsers, verdictScopeOf } from "./report-verdict.js";

export { parseMatchRate, parseMaxBlocking } from "./report-gate-flags.js";

/** Blocking findings a run may have and still pass. */
export const DEFAULT_MAX_BLOCKING = 0;

export interface GateOptions {
  /** Unsuppressed blocking findings allowed. @default 0, or no limit when a baseline is given */
  maxBlocking?: number | undefined;
  /** Judge by new blocking findings against this baseline instead of all blocking findings. */
  baseline?: GateBaseline | undefined;
  /** Minimum matches ÷ compared legacy entries, as a fraction in [0, 1]. @default no minimum */
  minMatchRate?: number | undefined;
}

export interface GateResult {
  passed: boolean;
  /** One line: `gate passed: …` or `gate failed: …`. */
  reason: string;
  runId: string;
  blocking: number;
  matchRate: number | null;
  /** Users not (fully) read: each blocks the verdict. */
  unreadUsers: number[];
}

const percent = (rate: number) => `${(Math.floor(rate * 10000) / 100).toFixed(2)} %`;

/**
 * The CI verdict on a run: it must have completed, have at most `maxBlocking` unsuppressed
 * blocking findings and, when asked, reach `minMatchRate` (a run that compared no legacy entry
 * cannot reach a minimum).
 */
export function evaluateGate(report: Pick<RunReport, "run" | "totals"> & Partial<Pick<RunReport, "users" | "findings">>, options: GateOptions = {}): GateResult {
  const maxBlocking = options.maxBlocking ?? (options.baseline === undefined ? DEFAULT_MAX_BLOCKING : undefined);
  const { run, totals } = report;
  const scope = verdictScopeOf(report.users ?? [], report.findings ?? []);
  const base = { runId: run.runId, blocking: totals.blocking, matchRate: totals.matchRate, unreadUsers: scope.unread.map((u) => u.userKey) };
  const problems: string[] = [];
  if (run.status === "failed") problems.push(`the run failed${run.errorMessage ? ` (${run.errorMessage})` : ""}`);
  if (run.status === "running") problems.push("the run did not finish (still running, or killed)");
  // Never ready while a user was not (fully) read, whatever the findings' counts say.
  if (scope.unread.length > 0) problems.push(`not (fully) read, so never ready: ${describeUnreadUsers(scope.unread)}`);
  if (maxBlocking !== undefined && totals.blocking > maxBlocking) problems.push(`${describeBlocking(totals)} (max ${maxBlocking})`);
  if (options.baseline !== undefined) problems.push(...baselineProblems(options.baseline));
  if (options.minMatchRate !== undefined) {
    if (totals.matchRate === null) problems.push(`no legacy entries were compared, so the match rate cannot reach ${percent(options.minMatchRate)}`);
    else if (totals.matchRate < options.minMatchRate) problems.push(`match rate ${percent(totals.matchRate)} is below ${percent(options.minMatchRate)}`);
  }
  const rate = totals.matchRate === null ? "no entries compared" : `match rate ${percent(totals.matchRate)}`;
  const notCompared = report.users ? `; ${describeNotCompared(scope)}` : "";
  const coverage = run.status === "completed" ? `; ${rate}${notCompared}` : "";
  if (problems.length > 0) return { ...base, passed: false, reason: `gate failed: run ${run.runId}: ${problems.join("; ")}${coverage}` };
  const min = options.minMatchRate === undefined ? "" : ` (min ${percent(options.minMatchRate)})`;
  const blocking = maxBlocking === undefined ? `${totals.blocking} blocking` : `${totals.blocking} blocking (max ${maxBlocking})`;
  const since = options.baseline === undefined ? "" : `, ${baselineSummary(options.baseline)}`;
  return { ...base, passed: true, reason: `gate passed: run ${run.runId}: ${blocking}${since}, ${rate}${min}${notCompared}` };
}

/**
 * `5 blocking findings` or, when some follow from another, `5 blocking findings: 3 problems and
 * 2 of their consequences`. `--max-blocking` counts findings, consequences included.
 */
export function describeBlocking(totals: Pick<RunTotals, "blocking" | "consequences">): string {
  const text = `${totals.blocking} blocking finding${totals.blocking === 1 ? "" : "s"}`;
  const consequences = totals.consequences.blocking;
  if (consequences === 0) return text;
  const problems = totals.blocking - consequences;
  return `${text}: ${problems} problem${problems === 1 ? "" : "s"} and ${consequences} of ${problems === 1 ? "its" : "their"} consequences`;
}

export interface RunGateOptions extends Omit<GateOptions, "baseline"> {
  reportFile: string;
  /** A run id of `reportFile`, or another report file (its latest parity run). */
  baseline?: string | undefined;
  /** @default 0 */
  maxNewBlocking?: number | undefined;
  /** @default the latest run */
  runId?: string | undefined;
  clock?: Clock | undefined;
}

/** Opens the report file, evaluates the gate on one run and closes the file. */
export function runGate(options: RunGateOptions): GateResult {
  const store = openReportStore(options.reportFile, { clock: options.clock ?? systemClock, mustExist: true });
  try {
    const run = store.getRun(options.runId);
    const users = store.readRunUsers(run.runId);
    const kinds = store.countFindingsByKind(run.runId);
    const baseline = options.baseline === undefined ? undefined : { diff: loadBaselineDiff(options, run.runId), maxNewBlocking: options.maxNewBlocking };
    const findings = store.readFindings(run.runId, { kind: "source_error" });
    return evaluateGate({ run, totals: totalsOf(users, kinds), users, findings }, { ...options, baseline });
  } finally {
    store.db.close();
  }
}

/** `--baseline` names a run of the same file, or (when it is an existing file) another report file. */
function loadBaselineDiff(options: RunGateOptions, runId: string) {
  const baseline = options.baseline as string;
  if (existsSync(baseline) && statSync(baseline).isFile()) {
    return loadReportDiff({ reportFile: baseline, otherFile: options.reportFile, runId, clock: options.clock });
  }
  return loadReportDiff({ reportFile: options.reportFile, baseRunId: baseline, runId, clock: options.clock });
}
