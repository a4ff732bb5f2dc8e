import type { RunUserRecord } from "./report-records.js";

/** Who a Toki user is, as far as the report file knows. */
export type Person = Pick<RunUserRecord, "userKey" | "name" | "email">;

/**
 * `Anna Lindqvist <anna.lindqvist@example.se> · Toki 1`; the parts the file does not know are
 * left out, down to `Toki user 1`. The Toki id always shows (rules files and CLI flags use it).
 */
export function personLabel(person: Person | undefined, userKey: number): string {
  const name = person?.name?.trim() || null;
  const email = person?.email?.trim() || null;
  if (name && email) return `${name} <${email}> · Toki ${userKey}`;
  if (name || email) return `${name ?? email} · Toki ${userKey}`;
  return `Toki user ${userKey}`;
}

/** A label lookup over a run's users (users without a row get `Toki user N`). */
export function personLabels(users: readonly Person[]): (userKey: number) => string {
  const byKey = new Map(users.map((u) => [u.userKey, u]));
  return (userKey) => personLabel(byKey.get(userKey), userKey);
}
