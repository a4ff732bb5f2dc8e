import type Database from "better-sqlite3";
import { ConfigError } from "../domain/errors.js";

/** One schema step. Pending versions are applied in ascending order, all in one transaction. */
export interface ReportMigration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The report file's schema, in order. Never edit an applied migration: append a new one.
 * Required contract tables (read by every export, including the HTML report):
 * runs, entries, findings, time_info, requests; plus run_users and suppressions.
 */
export const REPORT_MIGRATIONS: readonly ReportMigration[] = [
  {
    version: 1,
    description: "runs, per-user summaries, entries, findings, time_info, requests, suppressions",
    sql: `
      CREATE TABLE runs (
        run_id        TEXT PRIMARY KEY,
        command       TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        from_date     TEXT,
        to_date       TEXT,
        period        TEXT,
        options_json  TEXT NOT NULL DEFAULT '{}',
        tool_version  TEXT NOT NULL,
        error_message TEXT,
        summary_json  TEXT
      );
      CREATE TABLE run_users (
        run_id           TEXT NOT NULL,
        user_key         INTEGER NOT NULL,
        milltime_user_id TEXT,
        kleer_user_id    TEXT,
        status           TEXT NOT NULL CHECK (status IN ('compared', 'unmapped', 'source_error')),
        legacy_entries   INTEGER NOT NULL,
        compared         INTEGER NOT NULL,
        kleer_events     INTEGER NOT NULL,
        matches          INTEGER NOT NULL,
        mismatches       INTEGER NOT NULL,
        missing          INTEGER NOT NULL,
        extra            INTEGER NOT NULL,
        unmapped         INTEGER NOT NULL,
        skipped          INTEGER NOT NULL,
        blocking         INTEGER NOT NULL,
        warnings         INTEGER NOT NULL,
        infos            INTEGER NOT NULL,
        suppressed       INTEGER NOT NULL,
        flex_balance     REAL,
        PRIMARY KEY (run_id, user_key)
      );
      CREATE TABLE entries (
        run_id       TEXT NOT NULL,
        user_key     INTEGER NOT NULL,
        date         TEXT NOT NULL,
        legacy_id    TEXT,
        kleer_id     TEXT,
        outcome      TEXT NOT NULL CHECK (outcome IN ('match', 'mismatch', 'missing_in_kleer', 'extra_in_kleer', 'unmapped', 'skipped')),
        evidence     TEXT,
        legacy_hours REAL,
        kleer_hours  REAL
      );
      CREATE INDEX entries_by_run_user ON entries (run_id, user_key);
      CREATE TABLE findings (
        id                 INTEGER PRIMARY KEY,
        run_id             TEXT NOT NULL,
        kind               TEXT NOT NULL,
        severity           TEXT NOT NULL CHECK (severity IN ('blocking', 'warning', 'info')),
        user_key           INTEGER,
        date               TEXT,
        legacy_id          TEXT,
        kleer_id           TEXT,
        field              TEXT,
        legacy_value       TEXT,
        kleer_value        TEXT,
        message            TEXT NOT NULL,
        details_json       TEXT,
        suppressed         INTEGER NOT NULL DEFAULT 0 CHECK (suppressed IN (0, 1)),
        suppression_reason TEXT
      );
      CREATE INDEX findings_by_run_kind ON findings (run_id, kind);
      CREATE INDEX findings_by_run_user ON findings (run_id, user_key);
      CREATE TABLE time_info (
        run_id              TEXT NOT NULL,
        user_key            INTEGER NOT NULL,
        period_start        TEXT NOT NULL,
        period_end          TEXT NOT NULL,
        legacy_worked       REAL,
        legacy_scheduled    REAL,
        legacy_absence      REAL,
        legacy_covered      REAL,
        legacy_remaining    REAL,
        legacy_flex_period  REAL,
        legacy_flex_balance REAL,
        kleer_worked        REAL,
        kleer_scheduled     REAL,
        kleer_absence       REAL,
        kleer_covered       REAL,
        kleer_remaining     REAL,
        kleer_flex_period   REAL,
        PRIMARY KEY (run_id, user_key, period_start)
      );
      CREATE TABLE requests (
        id          INTEGER PRIMARY KEY,
        run_id      TEXT NOT NULL,
        user_key    INTEGER,
        system      TEXT NOT NULL CHECK (system IN ('kleer', 'milltime', 'history')),
        method      TEXT NOT NULL,
        route       TEXT NOT NULL,
        status      INTEGER,
        attempts    INTEGER NOT NULL,
        duration_ms REAL NOT NULL
      );
      CREATE INDEX requests_by_run ON requests (run_id);
      CREATE TABLE suppressions (
        id               INTEGER PRIMARY KEY,
        run_id           TEXT NOT NULL,
        kind             TEXT NOT NULL,
        user_key         INTEGER,
        from_date        TEXT,
        to_date          TEXT,
        legacy_id        TEXT,
        kleer_id         TEXT,
        reason           TEXT NOT NULL,
        matched_findings INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX suppressions_by_run ON suppressions (run_id);
    `,
  },
  {
    version: 2,
    description: "replay: per-run target, per-user plan status, plan rows, write journal, cleanup log",
    sql: `
      CREATE TABLE replay_runs (
        run_id           TEXT PRIMARY KEY,
        mode             TEXT NOT NULL CHECK (mode IN ('dry-run', 'apply')),
        kleer_base_url   TEXT NOT NULL,
        kleer_company_id INTEGER NOT NULL,
        time_zone        TEXT NOT NULL,
        compare_run_id   TEXT
      );
      CREATE TABLE replay_users (
        run_id           TEXT NOT NULL,
        user_key         INTEGER NOT NULL,
        milltime_user_id TEXT,
        kleer_user_id    INTEGER,
        status           TEXT NOT NULL CHECK (status IN ('planned', 'source_error')),
        entries          INTEGER NOT NULL,
        error_system     TEXT,
        error_message    TEXT,
        PRIMARY KEY (run_id, user_key)
      );
      CREATE TABLE replay_plan (
        run_id              TEXT NOT NULL,
        user_key            INTEGER NOT NULL,
        legacy_id           TEXT NOT NULL,
        date                TEXT NOT NULL,
        kleer_user_id       INTEGER,
        kleer_project_id    INTEGER,
        kleer_project_name  TEXT,
        kleer_activity_id   INTEGER,
        kleer_activity_name TEXT,
        hours               REAL NOT NULL,
        minutes             INTEGER NOT NULL,
        note                TEXT NOT NULL,
        foreign_id          TEXT NOT NULL,
        start_time          TEXT NOT NULL,
        end_time            TEXT NOT NULL,
        start_source        TEXT NOT NULL CHECK (start_source IN ('history', 'synthetic')),
        action              TEXT NOT NULL CHECK (action IN ('create', 'skip-existing', 'blocked')),
        reason_code         TEXT,
        reason              TEXT,
        existing_event_id   TEXT,
        PRIMARY KEY (run_id, user_key, legacy_id)
      );
      CREATE TABLE replay_journal (
        id             INTEGER PRIMARY KEY,
        run_id         TEXT NOT NULL,
        user_key       INTEGER NOT NULL,
        legacy_id      TEXT NOT NULL,
        foreign_id     TEXT NOT NULL,
        kleer_user_id  INTEGER NOT NULL,
        attempt        INTEGER NOT NULL,
        intent_at      TEXT NOT NULL,
        outcome        TEXT CHECK (outcome IN ('created', 'failed', 'resolved-existing')),
        kleer_event_id TEXT,
        resolved_by    TEXT CHECK (resolved_by IN ('reply', 'lookup')),
        error_code     TEXT,
        error_message  TEXT,
        outcome_at     TEXT
      );
      CREATE INDEX replay_journal_by_run ON replay_journal (run_id, user_key, legacy_id);
      CREATE INDEX replay_journal_by_event ON replay_journal (kleer_event_id) WHERE kleer_event_id IS NOT NULL;
      CREATE TABLE replay_cleanup (
        id             INTEGER PRIMARY KEY,
        cleanup_run_id TEXT NOT NULL,
        replay_run_id  TEXT NOT NULL,
        user_key       INTEGER NOT NULL,
        legacy_id      TEXT NOT NULL,
        kleer_event_id TEXT NOT NULL,
        action         TEXT NOT NULL CHECK (action IN ('deleted', 'already-gone', 'kept', 'would-delete')),
        reason         TEXT,
        at             TEXT NOT NULL
      );
      CREATE INDEX replay_cleanup_by_replay_run ON replay_cleanup (replay_run_id);
    `,
  },
  {
    version: 3,
    description: "probe: one row per contract-probe step (verdict, detail, duration, the step's requests)",
    sql: `
      CREATE TABLE probe_steps (
        id            INTEGER PRIMARY KEY,
        run_id        TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        step          TEXT NOT NULL,
        verdict       TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'skip')),
        detail        TEXT NOT NULL,
        duration_ms   REAL NOT NULL,
        requests_json TEXT NOT NULL DEFAULT '[]',
        UNIQUE (run_id, seq)
      );
      CREATE INDEX probe_steps_by_run ON probe_steps (run_id);
    `,
  },
  {
    version: 4,
    description: "findings.caused_by: the id of the root finding a consequential finding follows from (additive)",
    sql: `
      ALTER TABLE findings ADD COLUMN caused_by INTEGER;
      CREATE INDEX findings_by_cause ON findings (caused_by) WHERE caused_by IS NOT NULL;
    `,
  },
  {
    version: 5,
    description: "run_users.email and run_users.name: who a Toki user is (mapping email, Kleer's users list), additive",
    sql: `
      ALTER TABLE run_users ADD COLUMN email TEXT;
      ALTER TABLE run_users ADD COLUMN name TEXT;
    `,
  },
  {
    version: 6,
    description: "requests: the date span a ranged read asked for, and whether Kleer refused it so it was retried as two halves",
    sql: `
      ALTER TABLE requests ADD COLUMN span_from TEXT;
      ALTER TABLE requests ADD COLUMN span_to TEXT;
      ALTER TABLE requests ADD COLUMN split INTEGER NOT NULL DEFAULT 0 CHECK (split IN (0, 1));
    `,
  },
  {
    version: 7,
    description: "run_leases: one lease per write target (Kleer company or Toki's database) held by a running write command",
    sql: `
      CREATE TABLE run_leases (
        target      TEXT PRIMARY KEY,
        token       TEXT NOT NULL,
        run_id      TEXT NOT NULL,
        command     TEXT NOT NULL,
        host        TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        acquired_at TEXT NOT NULL,
        renewed_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 8,
    description: "run_users.kleer_skipped: Kleer events Toki's listing skips, counted apart from the legacy entries skipped (which run_users.skipped now counts alone)",
    // Earlier runs counted both in skipped; their entries rows tell them apart (a Kleer id on a
    // skipped row marks a Kleer event), so the backfill makes old runs add up too.
    sql: `
      ALTER TABLE run_users ADD COLUMN kleer_skipped INTEGER NOT NULL DEFAULT 0;
      UPDATE run_users SET kleer_skipped = (
        SELECT COUNT(*) FROM entries e
        WHERE e.run_id = run_users.run_id AND e.user_key = run_users.user_key AND e.outcome = 'skipped' AND e.kleer_id IS NOT NULL
      );
      UPDATE run_users SET skipped = skipped - kleer_skipped;
    `,
  },
];

/** The highest schema version this tool writes. */
export const REPORT_SCHEMA_VERSION = REPORT_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Current schema version of a database (0 for a fresh file); reads only. */
export function schemaVersionOf(db: Database.Database): number {
  const marker = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!marker) return 0;
  const row = db.prepare("SELECT MAX(version) AS version FROM schema_version").get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Applies the pending migrations in order, all of them with their schema_version rows in ONE
 * immediate transaction: a failing step leaves the file exactly as it was, and two processes
 * opening a fresh file at once do not both migrate it (the second waits on `busy_timeout`,
 * then finds the work done). Running it again is a no-op. Refuses a file written by a newer tool.
 */
export function migrateReport(db: Database.Database, appliedAt: string, migrations: readonly ReportMigration[] = REPORT_MIGRATIONS): number {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const latest = ordered[ordered.length - 1]?.version ?? 0;
  const check = (current: number) => {
    if (current > latest)
      throw new ConfigError(`the report file has schema version ${current}, newer than this tool's ${latest}: use a newer toki-parity`);
  };
  const before = schemaVersionOf(db);
  check(before);
  // Nothing pending: no write transaction, so read-only commands never wait on a writer here.
  if (before === latest) return before;
  db.transaction(() => {
    const current = schemaVersionOf(db);
    check(current);
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    const record = db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)");
    for (const migration of ordered) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.description, appliedAt);
    }
  }).immediate();
  return schemaVersionOf(db);
}
