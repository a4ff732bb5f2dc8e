import pg from "pg";
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger } from "../domain/ports.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";
import { assertTimeZone, classifyHistoryRow, rangeBounds, type RawHistoryRow } from "./history-row.js";
import {
  DEFAULT_HISTORY_PAGE_SIZE,
  DEFAULT_HISTORY_TIME_ZONE,
  copySummary,
  emptySummary,
  type HistoryQuery,
  type HistoryReadSummary,
  type HistorySourceOptions,
  type TimerHistorySource,
} from "./history-source.js";
import { tallyHistoryRow } from "./history-tally.js";
import { registerPostgresUrl } from "./postgres-url.js";

/** Largest page a caller may ask for; beyond this a page is "one giant result" again. */
export const MAX_HISTORY_PAGE_SIZE = 100_000;

export interface PostgresHistorySourceOptions extends HistorySourceOptions {
  /** `postgres://user[:password]@host[:port]/database`; the password is registered for redaction. */
  url: string;
  /** Rows per round trip (keyset pagination on `timer_history.id`). @default 1000 */
  pageSize?: number | undefined;
  /** @default 10000 */
  connectTimeoutMs?: number | undefined;
  /** @default globalRedactor */
  redactor?: SecretRedactor | undefined;
}

/** A Toki user as the `users` table holds it (only what the toolkit needs). */
export interface TokiUserRow {
  tokiUserId: number;
  email: string;
}

/** The PostgreSQL driver: Toki's real `timer_history` joined with `users`, read-only. */
export interface PostgresHistorySource extends TimerHistorySource {
  /** All rows of `users` (id, email), ordered by id. */
  listTokiUsers(): Promise<TokiUserRow[]>;
}

const AUTH_SQLSTATES = new Set(["28000", "28P01"]);
const SCHEMA_SQLSTATES = new Set(["42P01", "42703"]);

/** One keyset page: rows after `afterId`, filtered in SQL by start instant and user ids. */
function pageQuery(query: HistoryQuery, bounds: { from: string; toExclusive: string } | undefined, afterId: number, pageSize: number) {
  const values: unknown[] = [afterId, pageSize];
  const where = ["th.id > $1"];
  if (bounds) {
    values.push(bounds.from, bounds.toExclusive);
    where.push(`th.start_time >= $${values.length - 1}::timestamptz`, `th.start_time < $${values.length}::timestamptz`);
  }
  if (query.tokiUserIds) {
    values.push([...query.tokiUserIds]);
    where.push(`th.user_id = ANY($${values.length}::int[])`);
  }
  // to_json prints timestamptz as ISO 8601 with offset and microseconds whatever the session's DateStyle.
  const text = `SELECT th.id, th.user_id,
      to_json(th.start_time) #>> '{}' AS start_time, to_json(th.end_time) #>> '{}' AS end_time,
      th.project_id, th.project_name, th.activity_id, th.activity_name, th.note, th.registration_id,
      u.email AS user_email
    FROM timer_history th LEFT JOIN users u ON u.id = th.user_id
    WHERE ${where.join(" AND ")}
    ORDER BY th.id
    LIMIT $2`;
  return { text, values };
}

export function createPostgresHistorySource(options: PostgresHistorySourceOptions): PostgresHistorySource {
  const redactor = options.redactor ?? globalRedactor;
  const shownUrl = registerPostgresUrl(options.url, redactor);
  const timeZone = options.timeZone ?? DEFAULT_HISTORY_TIME_ZONE;
  assertTimeZone(timeZone);
  const pageSize = options.pageSize ?? DEFAULT_HISTORY_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_HISTORY_PAGE_SIZE) {
    throw new ConfigError(`invalid page size ${pageSize}`, [`pageSize: expected an integer from 1 to ${MAX_HISTORY_PAGE_SIZE}`]);
  }
  const logger = options.logger ?? silentLogger;
  const description = `PostgreSQL ${shownUrl} (timer_history with users.email, pages of ${pageSize}, days in ${timeZone})`;
  let current: HistoryReadSummary = emptySummary(description);

  function wrap(error: unknown, phase: "connect" | "query"): TokiError {
    if (error instanceof TokiError) return error;
    const code = (error as { code?: unknown }).code;
    const detail = redactor.redact(error instanceof Error ? error.message : String(error));
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "EHOSTUNREACH") {
      return new TokiError("UNREACHABLE", `PostgreSQL at ${shownUrl} is unreachable: ${detail}`, { cause: error });
    }
    if (typeof code === "string" && AUTH_SQLSTATES.has(code)) {
      return new TokiError("AUTH_FAILED", `PostgreSQL at ${shownUrl} refused the login: ${detail}`, { cause: error });
    }
    if (typeof code === "string" && SCHEMA_SQLSTATES.has(code)) {
      return new ConfigError(`${shownUrl} does not hold Toki's schema: ${detail}`, ["history: expected Toki's timer_history and users tables"], { cause: error });
    }
    if (phase === "connect" || (typeof code === "string" && (code.startsWith("08") || code.startsWith("57P")))) {
      return new TokiError("UNREACHABLE", `PostgreSQL at ${shownUrl} is unreachable: ${detail}`, { cause: error });
    }
    return new TokiError("PROVIDER_ERROR", `PostgreSQL query on ${shownUrl} failed: ${detail}`, { cause: error });
  }

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: "toki-parity",
      // The toolkit only reads Toki's database; the server enforces it for this session.
      options: "-c default_transaction_read_only=on",
    });
    // A connection dropped between queries is reported by the next query; keep the process alive.
    client.on("error", (error) => logger.warn("PostgreSQL connection error", { error: redactor.redact(error.message) }));
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw wrap(error, "connect");
    }
  }

  async function* read(query: HistoryQuery = {}): AsyncGenerator<TimerHistoryLink> {
    const summary = emptySummary(description);
    current = summary;
    const bounds = query.range ? rangeBounds(query.range, timeZone) : undefined;
    const client = await connect();
    try {
      let lastId = 0;
      for (;;) {
        const page = pageQuery(query, bounds, lastId, pageSize);
        let rows: Array<RawHistoryRow & { id: number }>;
        try {
          rows = (await client.query<RawHistoryRow & { id: number }>(page.text, page.values)).rows;
        } catch (error) {
          throw wrap(error, "query");
        }
        logger.debug("timer_history page", { afterId: lastId, rows: rows.length });
        for (const row of rows) {
          // The filters ran in SQL already; classification only reads, skips and rejects.
          const link = tallyHistoryRow(summary, classifyHistoryRow(row, {}), { rowId: String(row.id) }, query.onBadRow);
          if (link) yield link;
        }
        const last = rows[rows.length - 1];
        if (rows.length < pageSize || last === undefined) break;
        lastId = last.id;
      }
      summary.complete = true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  return {
    describe: () => description,
    read,
    summary: () => copySummary(current),
    async listTokiUsers() {
      const client = await connect();
      try {
        const result = await client.query<{ id: number; email: string }>("SELECT id, email FROM users ORDER BY id");
        return result.rows.map((row) => ({ tokiUserId: row.id, email: row.email }));
      } catch (error) {
        throw wrap(error, "query");
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
