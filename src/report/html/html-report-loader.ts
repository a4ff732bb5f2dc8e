import type Database from "better-sqlite3";
import { ConfigError } from "../../domain/errors.js";
import { createReportReader } from "../report-reader.js";
import type { HtmlReportInput } from "./html-report-input.js";

/** The public table contract every export reads. */
const REQUIRED_TABLES = ["runs", "entries", "findings", "time_info", "requests"] as const;

function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/**
 * Reads one run from an open report database through the report store's reader: the given run,
 * or the most recently started one. `run_users` and `suppressions` are optional.
 */
export function loadHtmlReportInput(db: Database.Database, runId?: string): HtmlReportInput {
  const missing = REQUIRED_TABLES.filter((t) => !hasTable(db, t));
  if (missing.length > 0) throw new ConfigError(`not a toki-parity report file: missing table${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
  const reader = createReportReader(db);
  const run = reader.getRun(runId);
  const id = run.runId;
  return {
    run,
    otherRuns: reader.listRuns().filter((r) => r.runId !== id),
    users: hasTable(db, "run_users") ? reader.readRunUsers(id) : [],
    entries: reader.readEntries(id),
    findings: reader.readFindings(id),
    timeInfo: reader.readTimeInfo(id),
    suppressions: hasTable(db, "suppressions") ? reader.readSuppressions(id) : [],
    requests: reader.summariseRequests(id),
  };
}
