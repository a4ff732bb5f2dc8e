import type Database from "better-sqlite3";
import { ConfigError } from "../domain/errors.js";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";
import type { RequestRecord } from "../http/request-log.js";
import type { PlanRow, ReplayMode, ReplayRunRecord, ReplayTarget, ReplayUserRecord } from "./replay-types.js";

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toPlanRow(r: Row): PlanRow {
  return {
    userKey: Number(r.user_key),
    legacyId: String(r.legacy_id),
    date: String(r.date),
    kleerUserId: num(r.kleer_user_id),
    kleerProjectId: num(r.kleer_project_id),
    kleerProjectName: str(r.kleer_project_name),
    kleerActivityId: num(r.kleer_activity_id),
    kleerActivityName: str(r.kleer_activity_name),
    hours: Number(r.hours),
    minutes: Number(r.minutes),
    note: String(r.note),
    foreignId: String(r.foreign_id),
    startTime: String(r.start_time),
    endTime: String(r.end_time),
    startSource: r.start_source as PlanRow["startSource"],
    action: r.action as PlanRow["action"],
    reasonCode: (str(r.reason_code) as PlanRow["reasonCode"]) ?? null,
    reason: str(r.reason),
    existingEventId: str(r.existing_event_id),
  };
}

function toUser(r: Row): ReplayUserRecord {
  return {
    userKey: Number(r.user_key),
    milltimeUserId: str(r.milltime_user_id),
    kleerUserId: num(r.kleer_user_id),
    status: r.status as ReplayUserRecord["status"],
    entries: Number(r.entries),
    errorSystem: (str(r.error_system) as ReplayUserRecord["errorSystem"]) ?? null,
    errorMessage: str(r.error_message),
  };
}

/** Replay's tables in a report file: the run's target, per-user status, plan rows, requests. */
export interface ReplayPlanStore {
  registerRun(runId: string, mode: ReplayMode, target: ReplayTarget): void;
  /** The replay record of a run, or undefined for a run that is not a replay. */
  findRun(runId: string): ReplayRunRecord | undefined;
  /** The replay record of a run; ConfigError naming the replay runs when it is not one. */
  getRun(runId: string): ReplayRunRecord;
  /** Sets a finished run back to `running` so that it can be continued. */
  reopenRun(runId: string): void;
  /** Links the compare run made after applying (also into the replay run's summary). */
  setCompareRun(runId: string, compareRunId: string): void;
  /** Replaces one user's plan (status row + plan rows + requests) in one transaction. */
  writeUserPlan(runId: string, user: Omit<ReplayUserRecord, "status" | "entries" | "errorSystem" | "errorMessage">, rows: readonly PlanRow[], requests: readonly RequestRecord[]): void;
  /** Records that one user's sources could not be read (no plan rows). */
  writeUserError(runId: string, user: Omit<ReplayUserRecord, "status" | "entries">, requests: readonly RequestRecord[]): void;
  readUsers(runId: string): ReplayUserRecord[];
  /** Plan rows of a run (of one user when given), by user then legacy id order of planning. */
  readPlan(runId: string, userKey?: number): PlanRow[];
  /** Appends request rows (the report's `requests` table) for a user of the run. */
  recordRequests(runId: string, userKey: number | null, requests: readonly RequestRecord[]): void;
  /** Kleer requests of a run with this method (e.g. PUT: creates sent). */
  countKleerRequests(runId: string, method: string): number;
}

export function createReplayPlanStore(db: Database.Database, options: { redactor?: SecretRedactor } = {}): ReplayPlanStore {
  const redactor = options.redactor ?? globalRedactor;
  const clean = (text: string | null): string | null => (text === null ? null : redactor.redact(text));
  const insertRun = db.prepare(
    "INSERT INTO replay_runs (run_id, mode, kleer_base_url, kleer_company_id, time_zone) VALUES (?, ?, ?, ?, ?)",
  );
  const selectRun = db.prepare("SELECT * FROM replay_runs WHERE run_id = ?");
  const reopen = db.prepare(
    "UPDATE runs SET status = 'running', finished_at = NULL, error_message = NULL, summary_json = NULL WHERE run_id = ? AND command = 'replay'",
  );
  const updateCompare = db.prepare("UPDATE replay_runs SET compare_run_id = ? WHERE run_id = ?");
  const updateSummaryCompare = db.prepare(
    "UPDATE runs SET summary_json = json_set(summary_json, '$.compareRunId', ?) WHERE run_id = ? AND summary_json IS NOT NULL",
  );
  const deleteUser = db.prepare("DELETE FROM replay_users WHERE run_id = ? AND user_key = ?");
  const deletePlan = db.prepare("DELETE FROM replay_plan WHERE run_id = ? AND user_key = ?");
  const insertUser = db.prepare(
    `INSERT INTO replay_users (run_id, user_key, milltime_user_id, kleer_user_id, status, entries, error_system, error_message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPlan = db.prepare(
    `INSERT INTO replay_plan (run_id, user_key, legacy_id, date, kleer_user_id, kleer_project_id, kleer_project_name, kleer_activity_id,
       kleer_activity_name, hours, minutes, note, foreign_id, start_time, end_time, start_source, action, reason_code, reason, existing_event_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRequest = db.prepare(
    "INSERT INTO requests (run_id, user_key, system, method, route, status, attempts, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );

  const insertRequests = (runId: string, userKey: number | null, requests: readonly RequestRecord[]) => {
    for (const r of requests) insertRequest.run(runId, userKey, r.system, r.method, clean(r.route), r.status ?? null, r.attempts, r.durationMs);
  };

  const writeUserPlan = db.transaction(
    (runId: string, user: Pick<ReplayUserRecord, "userKey" | "milltimeUserId" | "kleerUserId">, rows: readonly PlanRow[], requests: readonly RequestRecord[]) => {
      deleteUser.run(runId, user.userKey);
      deletePlan.run(runId, user.userKey);
      insertUser.run(runId, user.userKey, user.milltimeUserId, user.kleerUserId, "planned", rows.length, null, null);
      for (const p of rows) {
        insertPlan.run(
          runId, p.userKey, p.legacyId, p.date, p.kleerUserId, p.kleerProjectId, clean(p.kleerProjectName), p.kleerActivityId,
          clean(p.kleerActivityName), p.hours, p.minutes, clean(p.note), p.foreignId, p.startTime, p.endTime, p.startSource, p.action,
          p.reasonCode, clean(p.reason), p.existingEventId,
        );
      }
      insertRequests(runId, user.userKey, requests);
    },
  );

  const writeUserError = db.transaction(
    (runId: string, user: Omit<ReplayUserRecord, "status" | "entries">, requests: readonly RequestRecord[]) => {
      deleteUser.run(runId, user.userKey);
      deletePlan.run(runId, user.userKey);
      insertUser.run(runId, user.userKey, user.milltimeUserId, user.kleerUserId, "source_error", 0, user.errorSystem, clean(user.errorMessage));
      insertRequests(runId, user.userKey, requests);
    },
  );

  const findRun = (runId: string): ReplayRunRecord | undefined => {
    const r = selectRun.get(runId) as Row | undefined;
    if (!r) return undefined;
    return {
      runId: String(r.run_id),
      mode: r.mode as ReplayMode,
      kleerBaseUrl: String(r.kleer_base_url),
      kleerCompanyId: Number(r.kleer_company_id),
      timeZone: String(r.time_zone),
      compareRunId: str(r.compare_run_id),
    };
  };

  return {
    registerRun(runId, mode, target) {
      insertRun.run(runId, mode, target.kleerBaseUrl, target.kleerCompanyId, target.timeZone);
    },
    findRun,
    getRun(runId) {
      const run = findRun(runId);
      if (run) return run;
      const known = (db.prepare("SELECT run_id FROM replay_runs ORDER BY run_id DESC LIMIT 10").all() as Row[]).map((r) => String(r.run_id));
      throw new ConfigError(`run ${runId} is not a replay run of this report file`, known.length > 0 ? [`replay runs (newest first): ${known.join(", ")}`] : ["the file holds no replay run"]);
    },
    reopenRun(runId) {
      reopen.run(runId);
    },
    setCompareRun(runId, compareRunId) {
      db.transaction(() => {
        updateCompare.run(compareRunId, runId);
        updateSummaryCompare.run(compareRunId, runId);
      }).immediate();
    },
    // Every write transaction of the report file starts IMMEDIATE (see report-store.ts).
    writeUserPlan: (runId, user, rows, requests) => writeUserPlan.immediate(runId, user, rows, requests),
    writeUserError: (runId, user, requests) => writeUserError.immediate(runId, user, requests),
    readUsers(runId) {
      return (db.prepare("SELECT * FROM replay_users WHERE run_id = ? ORDER BY user_key").all(runId) as Row[]).map(toUser);
    },
    readPlan(runId, userKey) {
      const rows =
        userKey === undefined
          ? db.prepare("SELECT * FROM replay_plan WHERE run_id = ? ORDER BY user_key, rowid").all(runId)
          : db.prepare("SELECT * FROM replay_plan WHERE run_id = ? AND user_key = ? ORDER BY rowid").all(runId, userKey);
      return (rows as Row[]).map(toPlanRow);
    },
    recordRequests(runId, userKey, requests) {
      db.transaction(() => insertRequests(runId, userKey, requests)).immediate();
    },
    countKleerRequests(runId, method) {
      const row = db.prepare("SELECT COUNT(*) AS n FROM requests WHERE run_id = ? AND system = 'kleer' AND method = ?").get(runId, method) as { n: number };
      return Number(row.n);
    },
  };
}
