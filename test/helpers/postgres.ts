import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, it } from "vitest";

/**
 * Throw-away PostgreSQL databases for tests. The server is the one on 127.0.0.1:5432 (trust
 * auth, user `postgres` or `root`), or `TOKI_PARITY_TEST_PG_URL` (an admin URL whose database
 * exists, e.g. `postgres://postgres@127.0.0.1:5432/postgres`). Each test file owns its databases.
 */

/** Toki's final `users` + `timer_history` schema (tables, FK, the three indexes). */
export const TOKI_SCHEMA_SQL_PATH = fileURLToPath(new URL("../../fixtures/history/toki-schema.sql", import.meta.url));

const DEFAULT_ADMIN_URLS = ["postgres://postgres@127.0.0.1:5432/postgres", "postgres://root@127.0.0.1:5432/postgres"];

export type PostgresProbe = { available: true; adminUrl: string } | { available: false; reason: string };

/** True when the tests run in CI, where a missing PostgreSQL is a failure, not a skip. */
export function isCi(): boolean {
  return process.env.CI === "true" || process.env.CI === "1";
}

/** Finds an admin URL that accepts a connection; never throws. */
export async function probePostgres(): Promise<PostgresProbe> {
  const candidates = process.env.TOKI_PARITY_TEST_PG_URL ? [process.env.TOKI_PARITY_TEST_PG_URL] : DEFAULT_ADMIN_URLS;
  const failures: string[] = [];
  for (const adminUrl of candidates) {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return { available: true, adminUrl };
    } catch (error) {
      failures.push(`${new URL(adminUrl).username}@${new URL(adminUrl).host}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { available: false, reason: `no PostgreSQL reachable (${failures.join("; ")})` };
}

/**
 * `describe` for suites that need PostgreSQL: runs them when the server answers; with CI=true a
 * missing server fails the suite; elsewhere the suite is skipped with the reason in its title.
 */
export function describeWithPostgres(name: string, probe: PostgresProbe, body: (adminUrl: string) => void): void {
  if (probe.available) {
    describe(name, () => body(probe.adminUrl));
    return;
  }
  if (isCi()) {
    describe(name, () => {
      it("needs a reachable PostgreSQL (CI=true)", () => {
        throw new Error(`PostgreSQL is required in CI: ${probe.reason}`);
      });
    });
    return;
  }
  console.warn(`[skipped] ${name}: ${probe.reason}. Start PostgreSQL on 127.0.0.1:5432 or set TOKI_PARITY_TEST_PG_URL.`);
  describe.skip(`${name} (skipped: ${probe.reason})`, () => body(""));
}

export interface TempDatabase {
  name: string;
  /** URL of the new database (same user and host as the admin URL). */
  url: string;
  /** Drops the database, closing any session still connected to it. */
  drop(): Promise<void>;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function resolveAdminUrl(adminUrl: string | undefined): Promise<string> {
  if (adminUrl) return adminUrl;
  const probe = await probePostgres();
  if (!probe.available) throw new Error(probe.reason);
  return probe.adminUrl;
}

/**
 * Creates an empty database with a random name (`toki_parity_<hex>`) on the server of
 * `adminUrl` (default: whatever `probePostgres` finds).
 */
export async function createTempDatabase(adminUrlOption?: string): Promise<TempDatabase> {
  const adminUrl = await resolveAdminUrl(adminUrlOption);
  const name = `toki_parity_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      try {
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch {
        // PostgreSQL before 13 has no WITH (FORCE).
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}"`);
      }
    },
  };
}

/** Runs `fn` with a fresh database and drops it afterwards, whatever happens. */
export async function withTempDatabase<T>(fn: (db: TempDatabase) => Promise<T>, adminUrl?: string): Promise<T> {
  const db = await createTempDatabase(adminUrl);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}

/** Runs statements on a database with one short-lived connection. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Applies fixtures/history/toki-schema.sql to the database at `url`. */
export async function applyTokiSchema(url: string): Promise<void> {
  const sql = await readFile(TOKI_SCHEMA_SQL_PATH, "utf8");
  await withClient(url, (client) => client.query(sql));
}

/** Inserts a Toki user (the NOT NULL columns get harmless values) and returns its id. */
export async function insertTokiUser(client: pg.Client, email: string, fullName = email.split("@")[0] ?? email): Promise<number> {
  const result = await client.query<{ id: number }>(
    "INSERT INTO users (email, full_name, picture, access_token) VALUES ($1, $2, '', 'test-access-token') RETURNING id",
    [email, fullName],
  );
  return result.rows[0]!.id;
}

export interface TimerHistoryInsert {
  userId: number;
  startTime: string;
  endTime: string | null;
  registrationId: string | null;
  projectId?: string | null;
  projectName?: string | null;
  activityId?: string | null;
  activityName?: string | null;
  note?: string | null;
}

/** Inserts a timer_history row and returns its id. */
export async function insertTimerHistory(client: pg.Client, row: TimerHistoryInsert): Promise<number> {
  const result = await client.query<{ id: number }>(
    `INSERT INTO timer_history (user_id, start_time, end_time, project_id, project_name, activity_id, activity_name, note, registration_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [row.userId, row.startTime, row.endTime, row.projectId ?? null, row.projectName ?? null, row.activityId ?? null, row.activityName ?? null, row.note ?? null, row.registrationId],
  );
  return result.rows[0]!.id;
}
