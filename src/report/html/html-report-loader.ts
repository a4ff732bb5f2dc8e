import type Database from "better-sqlite3";
import { ConfigError } from "../../domain/errors.js";
import {
  ENTRY_OUTCOMES,
  FINDING_SEVERITIES,
  type EntryOutcome,
  type FindingSeverity,
  type HtmlReportInput,
  type ReportRunRecord,
  type ReportSuppressionRecord,
  type RunStatus,
} from "./html-report-input.js";

type Row = Record<string, unknown>;

function text(row: Row, column: string): string | null {
  const v = row[column];
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : String(v);
}

function num(row: Row, column: string): number | null {
  const v = row[column];
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

function tableColumns(db: Database.Database, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name));
}

const REQUIRED_TABLES = ["runs", "entries", "findings", "time_info", "requests"] as const;

function toRun(row: Row): ReportRunRecord {
  const status = text(row, "status");
  return {
    runId: text(row, "run_id") ?? "",
    command: text(row, "command") ?? "",
    status: status === "completed" || status === "failed" ? status : ("running" satisfies RunStatus),
    startedAt: text(row, "started_at") ?? "",
    finishedAt: text(row, "finished_at"),
    fromDate: text(row, "from_date"),
    toDate: text(row, "to_date"),
    optionsJson: text(row, "options_json"),
    toolVersion: text(row, "tool_version"),
  };
}

function readSuppressions(db: Database.Database, runId: string): ReportSuppressionRecord[] {
  const columns = tableColumns(db, "suppressions");
  if (!columns.has("reason")) return [];
  const rows = (columns.has("run_id")
    ? db.prepare(`SELECT * FROM suppressions WHERE run_id = ? ORDER BY rowid`).all(runId)
    : db.prepare(`SELECT * FROM suppressions ORDER BY rowid`).all()) as Row[];
  const own = new Set(["run_id", "kind", "user_key", "reason", "id", "rowid"]);
  return rows.map((row) => {
    const scope = Object.keys(row)
      .filter((c) => !own.has(c) && row[c] !== null && row[c] !== undefined && row[c] !== "")
      .map((c) => `${c} = ${text(row, c) ?? ""}`)
      .join(", ");
    return { kind: text(row, "kind"), userKey: text(row, "user_key"), reason: text(row, "reason") ?? "", scope: scope === "" ? null : scope };
  });
}

/**
 * Reads one run from an open report database: the given run, or the most recently started one.
 * Tolerates the optional columns (`suppressed`, `suppression_reason`) and `suppressions` table.
 */
export function loadHtmlReportInput(db: Database.Database, runId?: string): HtmlReportInput {
  const missing = REQUIRED_TABLES.filter((t) => tableColumns(db, t).size === 0);
  if (missing.length > 0) throw new ConfigError(`not a toki-parity report file: missing table${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
  const runs = (db.prepare(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC`).all() as Row[]).map(toRun);
  if (runs.length === 0) throw new ConfigError("the report file holds no runs yet");
  const run = runId === undefined ? runs[0]! : runs.find((r) => r.runId === runId);
  if (!run) {
    const known = runs.slice(0, 10).map((r) => r.runId).join(", ");
    throw new ConfigError(`run ${runId} is not in the report file`, [`runs in the file (newest first): ${known}${runs.length > 10 ? ", …" : ""}`]);
  }
  const id = run.runId;

  const entries = (db.prepare(`SELECT user_key, date, legacy_id, kleer_id, outcome FROM entries WHERE run_id = ?`).all(id) as Row[]).map((row) => {
    const outcome = text(row, "outcome");
    return {
      userKey: text(row, "user_key") ?? "",
      date: text(row, "date"),
      legacyId: text(row, "legacy_id"),
      kleerId: text(row, "kleer_id"),
      outcome: (ENTRY_OUTCOMES as readonly string[]).includes(outcome ?? "") ? (outcome as EntryOutcome) : "skipped",
    };
  });

  const findingColumns = tableColumns(db, "findings");
  const findings = (db.prepare(`SELECT * FROM findings WHERE run_id = ? ORDER BY rowid`).all(id) as Row[]).map((row) => {
    const severity = text(row, "severity");
    const suppressed = findingColumns.has("suppressed") ? Boolean(num(row, "suppressed")) : false;
    return {
      kind: text(row, "kind") ?? "",
      severity: (FINDING_SEVERITIES as readonly string[]).includes(severity ?? "") ? (severity as FindingSeverity) : "info",
      userKey: text(row, "user_key"),
      date: text(row, "date"),
      legacyId: text(row, "legacy_id"),
      kleerId: text(row, "kleer_id"),
      field: text(row, "field"),
      legacyValue: text(row, "legacy_value"),
      kleerValue: text(row, "kleer_value"),
      message: text(row, "message") ?? "",
      suppressed,
      suppressionReason: findingColumns.has("suppression_reason") ? text(row, "suppression_reason") : null,
    };
  });

  const timeInfo = (db.prepare(`SELECT * FROM time_info WHERE run_id = ? ORDER BY user_key, period_start`).all(id) as Row[]).map((row) => ({
    userKey: text(row, "user_key") ?? "",
    periodStart: text(row, "period_start") ?? "",
    periodEnd: text(row, "period_end") ?? "",
    legacyWorked: num(row, "legacy_worked"),
    legacyScheduled: num(row, "legacy_scheduled"),
    legacyAbsence: num(row, "legacy_absence"),
    legacyFlexPeriod: num(row, "legacy_flex_period"),
    legacyFlexBalance: num(row, "legacy_flex_balance"),
    kleerWorked: num(row, "kleer_worked"),
    kleerScheduled: num(row, "kleer_scheduled"),
    kleerAbsence: num(row, "kleer_absence"),
    kleerFlexPeriod: num(row, "kleer_flex_period"),
  }));

  const requests = (db.prepare(`SELECT system, method, route, status, attempts, duration_ms FROM requests WHERE run_id = ?`).all(id) as Row[]).map((row) => ({
    system: text(row, "system") ?? "",
    method: text(row, "method") ?? "",
    route: text(row, "route") ?? "",
    status: num(row, "status"),
    attempts: num(row, "attempts") ?? 1,
    durationMs: num(row, "duration_ms") ?? 0,
  }));

  return {
    run,
    otherRuns: runs.filter((r) => r.runId !== id).map((r) => ({ runId: r.runId, command: r.command, status: r.status, startedAt: r.startedAt })),
    entries,
    findings,
    timeInfo,
    requests,
    suppressions: readSuppressions(db, id),
  };
}
