import type Database from "better-sqlite3";
import { ConfigError } from "../domain/errors.js";
import { isFindingKind, kindOrder, type FindingKind, type Severity } from "../parity/finding-kinds.js";
import type { Suppression } from "../parity/parity-rules.js";
import type { TimeInfoRow } from "../parity/time-info-comparison.js";
import { FOLDS_INTO_ROOT_SQL } from "./report-consequences.js";
import type { EntryOutcome, UserStatus } from "../parity/user-parity.js";
import type {
  EntryRecord,
  FindingRecord,
  KindCount,
  RequestSummaryRecord,
  RunRecord,
  RunStatus,
  RunUserRecord,
  SuppressionRecord,
} from "./report-records.js";

/** Runs a report file holds that are not parity runs (they have their own tables). */
export const NON_PARITY_RUN_COMMANDS: readonly string[] = ["replay", "cleanup", "probe"];
export const NON_PARITY_COMMANDS = NON_PARITY_RUN_COMMANDS.map((c) => `'${c}'`).join(", ");

/** Whether a run of this command holds parity findings (compare, demo, merge, …). */
export function isParityCommand(command: string): boolean {
  return !NON_PARITY_RUN_COMMANDS.includes(command);
}

/** Read access to a report file. */
export interface ReportReader {
  /** All runs, newest first. */
  listRuns(): RunRecord[];
  /** The given run, or the most recently started one; ConfigError when there is none. */
  getRun(runId?: string): RunRecord;
  readRunUsers(runId: string): RunUserRecord[];
  /** Findings in write order (per user, deterministic within a user). */
  readFindings(runId: string, filter?: { unsuppressedOnly?: boolean; kind?: string }): FindingRecord[];
  readEntries(runId: string, userKey?: number): EntryRecord[];
  readTimeInfo(runId: string): TimeInfoRow[];
  readSuppressions(runId: string): SuppressionRecord[];
  /** The stored suppressions as rules (with their row ids), for matching new findings. */
  readSuppressionRules(runId: string): Array<{ id: number; suppression: Suppression }>;
  /** Counts per kind in vocabulary order; severities count unsuppressed findings. */
  countFindingsByKind(runId: string): KindCount[];
  summariseRequests(runId: string): RequestSummaryRecord[];
}

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toRun(row: Row): RunRecord {
  const options = parseJson(row.options_json);
  return {
    runId: String(row.run_id),
    command: String(row.command),
    status: row.status as RunStatus,
    startedAt: String(row.started_at),
    finishedAt: str(row.finished_at),
    fromDate: str(row.from_date),
    toDate: str(row.to_date),
    period: row.period === "week" || row.period === "month" ? row.period : null,
    options: options && typeof options === "object" ? (options as Record<string, unknown>) : {},
    toolVersion: String(row.tool_version),
    errorMessage: str(row.error_message),
    summary: parseJson(row.summary_json),
  };
}

export function createReportReader(db: Database.Database): ReportReader {
  const all = (sql: string, ...params: unknown[]): Row[] => db.prepare(sql).all(...params) as Row[];
  const listRuns = (): RunRecord[] => all("SELECT * FROM runs ORDER BY started_at DESC, rowid DESC").map(toRun);

  return {
    listRuns,
    getRun(runId) {
      if (runId === undefined) {
        // The latest parity run: replay plans, cleanups and probes share the file but are not
        // what gate and the exports judge by default (a failed compare run still is).
        const latest =
          all(`SELECT * FROM runs WHERE command NOT IN (${NON_PARITY_COMMANDS}) ORDER BY started_at DESC, rowid DESC LIMIT 1`)[0] ??
          all("SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1")[0];
        if (!latest) throw new ConfigError("the report file holds no runs yet");
        return toRun(latest);
      }
      const row = all("SELECT * FROM runs WHERE run_id = ?", runId)[0];
      if (row) return toRun(row);
      const known = listRuns().slice(0, 10).map((r) => r.runId);
      throw new ConfigError(`run ${runId} is not in the report file`, known.length > 0 ? [`runs (newest first): ${known.join(", ")}`] : []);
    },
    readRunUsers(runId) {
      return all("SELECT * FROM run_users WHERE run_id = ? ORDER BY user_key", runId).map((r) => ({
        userKey: Number(r.user_key),
        milltimeUserId: str(r.milltime_user_id),
        kleerUserId: str(r.kleer_user_id),
        status: r.status as UserStatus,
        legacyEntries: Number(r.legacy_entries),
        compared: Number(r.compared),
        kleerEvents: Number(r.kleer_events),
        matches: Number(r.matches),
        mismatches: Number(r.mismatches),
        missing: Number(r.missing),
        extra: Number(r.extra),
        unmapped: Number(r.unmapped),
        skipped: Number(r.skipped),
        kleerSkipped: Number(r.kleer_skipped ?? 0),
        blocking: Number(r.blocking),
        warnings: Number(r.warnings),
        infos: Number(r.infos),
        suppressed: Number(r.suppressed),
        flexBalance: num(r.flex_balance),
        email: str(r.email),
        name: str(r.name),
      }));
    },
    readFindings(runId, filter = {}) {
      const where = `${filter.unsuppressedOnly ? "AND suppressed = 0" : ""} ${filter.kind !== undefined ? "AND kind = ?" : ""}`;
      const params = filter.kind !== undefined ? [runId, filter.kind] : [runId];
      return all(`SELECT * FROM findings WHERE run_id = ? ${where} ORDER BY id`, ...params).map((r) => ({
        id: Number(r.id),
        kind: String(r.kind),
        severity: r.severity as Severity,
        userKey: num(r.user_key),
        date: str(r.date),
        legacyId: str(r.legacy_id),
        kleerId: str(r.kleer_id),
        field: str(r.field),
        legacyValue: str(r.legacy_value),
        kleerValue: str(r.kleer_value),
        message: String(r.message),
        details: (parseJson(r.details_json) as FindingRecord["details"]) ?? null,
        suppressed: Number(r.suppressed) === 1,
        suppressionReason: str(r.suppression_reason),
        causedBy: num(r.caused_by),
      }));
    },
    readEntries(runId, userKey) {
      const rows = userKey === undefined
        ? all("SELECT * FROM entries WHERE run_id = ? ORDER BY rowid", runId)
        : all("SELECT * FROM entries WHERE run_id = ? AND user_key = ? ORDER BY rowid", runId, userKey);
      return rows.map((r) => ({
        userKey: Number(r.user_key),
        date: String(r.date),
        legacyId: str(r.legacy_id),
        kleerId: str(r.kleer_id),
        outcome: r.outcome as EntryOutcome,
        evidence: str(r.evidence),
        legacyHours: num(r.legacy_hours),
        kleerHours: num(r.kleer_hours),
      }));
    },
    readTimeInfo(runId) {
      return all("SELECT * FROM time_info WHERE run_id = ? ORDER BY user_key, period_start", runId).map((r) => ({
        userKey: Number(r.user_key),
        periodStart: String(r.period_start),
        periodEnd: String(r.period_end),
        legacyWorked: num(r.legacy_worked),
        legacyScheduled: num(r.legacy_scheduled),
        legacyAbsence: num(r.legacy_absence),
        legacyCovered: num(r.legacy_covered),
        legacyRemaining: num(r.legacy_remaining),
        legacyFlexPeriod: num(r.legacy_flex_period),
        legacyFlexBalance: num(r.legacy_flex_balance),
        kleerWorked: num(r.kleer_worked),
        kleerScheduled: num(r.kleer_scheduled),
        kleerAbsence: num(r.kleer_absence),
        kleerCovered: num(r.kleer_covered),
        kleerRemaining: num(r.kleer_remaining),
        kleerFlexPeriod: num(r.kleer_flex_period),
      }));
    },
    readSuppressions(runId) {
      return all("SELECT * FROM suppressions WHERE run_id = ? ORDER BY id", runId).map((r) => ({
        kind: String(r.kind),
        userKey: num(r.user_key),
        fromDate: str(r.from_date),
        toDate: str(r.to_date),
        legacyId: str(r.legacy_id),
        kleerId: str(r.kleer_id),
        reason: String(r.reason),
        matchedFindings: Number(r.matched_findings),
      }));
    },
    readSuppressionRules(runId) {
      return all("SELECT * FROM suppressions WHERE run_id = ? ORDER BY id", runId)
        .filter((r) => isFindingKind(String(r.kind)))
        .map((r) => ({
          id: Number(r.id),
          suppression: {
            kind: r.kind as FindingKind,
            userKey: num(r.user_key) ?? undefined,
            from: str(r.from_date) ?? undefined,
            to: str(r.to_date) ?? undefined,
            legacyId: str(r.legacy_id) ?? undefined,
            kleerId: str(r.kleer_id) ?? undefined,
            reason: String(r.reason),
          },
        }));
    },
    countFindingsByKind(runId) {
      const rows = all(
        `SELECT f.kind AS kind,
           SUM(CASE WHEN f.suppressed = 0 AND f.severity = 'blocking' THEN 1 ELSE 0 END) AS blocking,
           SUM(CASE WHEN f.suppressed = 0 AND f.severity = 'warning' THEN 1 ELSE 0 END) AS warning,
           SUM(CASE WHEN f.suppressed = 0 AND f.severity = 'info' THEN 1 ELSE 0 END) AS info,
           SUM(f.suppressed) AS suppressed,
           SUM(CASE WHEN ${FOLDS_INTO_ROOT_SQL} AND f.severity = 'blocking' THEN 1 ELSE 0 END) AS c_blocking,
           SUM(CASE WHEN ${FOLDS_INTO_ROOT_SQL} AND f.severity = 'warning' THEN 1 ELSE 0 END) AS c_warning,
           SUM(CASE WHEN ${FOLDS_INTO_ROOT_SQL} AND f.severity = 'info' THEN 1 ELSE 0 END) AS c_info
         FROM findings f LEFT JOIN findings r ON r.id = f.caused_by AND r.run_id = f.run_id
         WHERE f.run_id = ? GROUP BY f.kind`,
        runId,
      );
      const order = (kind: string) => (isFindingKind(kind) ? kindOrder(kind) : Number.MAX_SAFE_INTEGER);
      return rows
        .map((r) => ({
          kind: String(r.kind),
          blocking: Number(r.blocking),
          warning: Number(r.warning),
          info: Number(r.info),
          suppressed: Number(r.suppressed),
          consequences: { blocking: Number(r.c_blocking), warning: Number(r.c_warning), info: Number(r.c_info) },
        }))
        .sort((a, b) => order(a.kind) - order(b.kind) || a.kind.localeCompare(b.kind));
    },
    summariseRequests(runId) {
      return all(
        `SELECT system, COUNT(*) AS requests,
           SUM(CASE WHEN status IS NULL OR status < 200 OR status > 299 THEN 1 ELSE 0 END) AS failed,
           SUM(attempts) AS attempts, SUM(duration_ms) AS total
         FROM requests WHERE run_id = ? GROUP BY system ORDER BY system`,
        runId,
      ).map((r) => ({ system: String(r.system), requests: Number(r.requests), failed: Number(r.failed), attempts: Number(r.attempts), totalDurationMs: Number(r.total) }));
    },
  };
}
