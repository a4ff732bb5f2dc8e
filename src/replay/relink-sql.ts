import { TokiError } from "../domain/errors.js";

/** One timer-history re-point: a Toki user's Milltime registration id → the Kleer event that replaced it. */
export interface Relink {
  tokiUserId: number;
  oldRegistrationId: string;
  newRegistrationId: string;
}

/** A `timer_history` row the relink will touch (known when the history was read). */
export interface RelinkRow extends Relink {
  historyId: number;
}

const IDENTIFIER_LIMIT = 63;

/** `toki_parity_relink_<run>`: the backup table of a run's relink (run id lower-cased, non-alphanumerics → `_`). */
export function relinkTableName(runId: string): string {
  const name = `toki_parity_relink_${runId.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "")}`;
  if (name.length > IDENTIFIER_LIMIT || !/^[a-z_][a-z0-9_]*$/.test(name))
    throw new TokiError("USAGE", `run id ${JSON.stringify(runId)} does not give a usable PostgreSQL table name`);
  return name;
}

/** A SQL string literal (standard_conforming_strings on: only `'` needs doubling; NUL cannot be stored). */
export function sqlLiteral(value: string): string {
  if (value.includes("\u0000")) throw new TokiError("USAGE", "a registration id contains a NUL character and cannot be written to PostgreSQL");
  return `'${value.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlInteger(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) throw new TokiError("USAGE", `not a Toki user id: ${value}`);
  return String(value);
}

/**
 * The statements of a relink, to run inside one transaction: create the backup table, fill it
 * with every `timer_history` row of the user whose registration id is the old one, then
 * re-point exactly those rows. Creating the table fails when it exists, so a second apply of
 * the same run changes nothing.
 */
export function relinkStatements(runId: string, relinks: readonly Relink[]): string[] {
  const table = sqlIdentifier(relinkTableName(runId));
  const statements = [
    "SET LOCAL standard_conforming_strings = on",
    `CREATE TABLE ${table} (
  history_id          integer PRIMARY KEY,
  user_id             integer NOT NULL,
  old_registration_id text NOT NULL,
  new_registration_id text NOT NULL,
  relinked_at         timestamptz NOT NULL DEFAULT now()
)`,
    `COMMENT ON TABLE ${table} IS ${sqlLiteral(`toki-parity relink of replay run ${runId}: previous registration_id of each re-pointed timer_history row`)}`,
  ];
  const sorted = [...relinks].sort((a, b) => a.tokiUserId - b.tokiUserId || (a.oldRegistrationId < b.oldRegistrationId ? -1 : a.oldRegistrationId > b.oldRegistrationId ? 1 : 0));
  if (sorted.length > 0) {
    const values = sorted.map((r) => `  (${sqlInteger(r.tokiUserId)}, ${sqlLiteral(r.oldRegistrationId)}, ${sqlLiteral(r.newRegistrationId)})`).join(",\n");
    statements.push(`INSERT INTO ${table} (history_id, user_id, old_registration_id, new_registration_id)
SELECT th.id, th.user_id, th.registration_id, m.new_registration_id
FROM timer_history th
JOIN (VALUES
${values}
) AS m (user_id, old_registration_id, new_registration_id)
  ON th.user_id = m.user_id AND th.registration_id = m.old_registration_id`);
  }
  statements.push(`UPDATE timer_history th SET registration_id = b.new_registration_id
FROM ${table} b
WHERE th.id = b.history_id AND th.user_id = b.user_id AND th.registration_id = b.old_registration_id`);
  return statements;
}

/**
 * The statements of a revert: every row still on the new id gets its old id back and leaves the
 * backup table; the table is dropped once empty (rows changed since stay in it, untouched).
 */
export function revertStatements(runId: string): string[] {
  const name = relinkTableName(runId);
  const table = sqlIdentifier(name);
  return [
    `WITH reverted AS (
  UPDATE timer_history th SET registration_id = b.old_registration_id
  FROM ${table} b
  WHERE th.id = b.history_id AND th.user_id = b.user_id AND th.registration_id = b.new_registration_id
  RETURNING th.id
)
DELETE FROM ${table} WHERE history_id IN (SELECT id FROM reverted)`,
    `DO $toki_parity$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM ${table}) THEN
    DROP TABLE ${table};
  ELSE
    RAISE NOTICE '% rows of ${name} changed since the relink and were left as they are', (SELECT count(*) FROM ${table});
  END IF;
END $toki_parity$`,
  ];
}

/** A script for psql: comments, then the statements in one transaction. */
export function toSqlScript(header: readonly string[], statements: readonly string[]): string {
  const comments = header.map((line) => `-- ${line.replace(/[\r\n]+/g, " ")}`);
  return [...comments, "BEGIN;", ...statements.map((s) => `${s};`), "COMMIT;", ""].join("\n");
}
