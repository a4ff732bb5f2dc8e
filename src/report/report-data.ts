import type { TimeInfoRow } from "../parity/time-info-comparison.js";
import type { ReportReader } from "./report-reader.js";
import type { FindingRecord, KindCount, RequestSummaryRecord, RunRecord, RunUserRecord, SuppressionRecord } from "./report-records.js";

/** Totals of a run, summed over its users. Severities count unsuppressed findings. */
export interface RunTotals {
  users: number;
  usersCompared: number;
  usersUnmapped: number;
  usersWithSourceErrors: number;
  legacyEntries: number;
  /** Legacy entries that count for the match rate (all but skipped). */
  compared: number;
  matches: number;
  mismatches: number;
  missing: number;
  extra: number;
  unmapped: number;
  /** Legacy entries not compared because a source of their user could not be read. */
  skipped: number;
  /** Kleer events Toki's listing skips: Kleer-side, never among the legacy entries. */
  kleerSkipped: number;
  /** matches ÷ compared; null when nothing was compared. */
  matchRate: number | null;
  blocking: number;
  warning: number;
  info: number;
  suppressed: number;
  /** Of the unsuppressed findings, those shown beside their root finding (not problems of their own). */
  consequences: { blocking: number; warning: number; info: number };
}

/** Everything the exports show about one run. */
export interface RunReport {
  run: RunRecord;
  totals: RunTotals;
  kinds: KindCount[];
  users: RunUserRecord[];
  findings: FindingRecord[];
  timeInfo: TimeInfoRow[];
  suppressions: SuppressionRecord[];
  requests: RequestSummaryRecord[];
  /**
   * Milltime hours of the run's legacy entries (for the hours of a root cause); loaded by the
   * exports that show root causes, absent for the gate. @default absent
   */
  entryHours?: (userKey: number, legacyId: string) => number | null;
}

export function totalsOf(users: readonly RunUserRecord[], kinds: readonly KindCount[]): RunTotals {
  const sum = (pick: (u: RunUserRecord) => number) => users.reduce((n, u) => n + pick(u), 0);
  const sumKinds = (pick: (k: KindCount) => number) => kinds.reduce((n, k) => n + pick(k), 0);
  const compared = sum((u) => u.compared);
  const matches = sum((u) => u.matches);
  return {
    users: users.length,
    usersCompared: users.filter((u) => u.status === "compared").length,
    usersUnmapped: users.filter((u) => u.status === "unmapped").length,
    usersWithSourceErrors: users.filter((u) => u.status === "source_error").length,
    legacyEntries: sum((u) => u.legacyEntries),
    compared,
    matches,
    mismatches: sum((u) => u.mismatches),
    missing: sum((u) => u.missing),
    extra: sum((u) => u.extra),
    unmapped: sum((u) => u.unmapped),
    skipped: sum((u) => u.skipped),
    kleerSkipped: sum((u) => u.kleerSkipped),
    matchRate: compared === 0 ? null : matches / compared,
    blocking: sumKinds((k) => k.blocking),
    warning: sumKinds((k) => k.warning),
    info: sumKinds((k) => k.info),
    suppressed: sumKinds((k) => k.suppressed),
    consequences: {
      blocking: sumKinds((k) => k.consequences.blocking),
      warning: sumKinds((k) => k.consequences.warning),
      info: sumKinds((k) => k.consequences.info),
    },
  };
}

/** Loads one run (the latest by default) for the exports and the gate. */
export function loadRunReport(reader: ReportReader, runId?: string): RunReport {
  const run = reader.getRun(runId);
  const users = reader.readRunUsers(run.runId);
  const kinds = reader.countFindingsByKind(run.runId);
  return {
    run,
    totals: totalsOf(users, kinds),
    kinds,
    users,
    findings: reader.readFindings(run.runId),
    timeInfo: reader.readTimeInfo(run.runId),
    suppressions: reader.readSuppressions(run.runId),
    requests: reader.summariseRequests(run.runId),
  };
}
