import type { FindingRecord, RunUserRecord } from "./report-records.js";

/** A user whose sources were not (fully) read, with the failing systems. */
export interface UnreadUser {
  userKey: number;
  /** `milltime`, `kleer`, `history` (from the user's source_error findings; empty when unknown). */
  systems: string[];
}

/** Which users the verdict does not cover, and why. */
export interface VerdictScope {
  /** Users not (fully) read: they block the verdict whatever the rules say. */
  unread: UnreadUser[];
  /** Users without a Kleer user in the mapping: their entries were not compared. */
  unmapped: number[];
}

/**
 * The users a run's verdict does not cover. A user is unread when its run row says
 * `source_error` or it has any source_error finding (suppressed or not: a report file written
 * before suppressing source errors was refused may hold suppressed ones).
 */
export function verdictScopeOf(users: readonly Pick<RunUserRecord, "userKey" | "status">[], findings: readonly Pick<FindingRecord, "kind" | "userKey" | "field">[]): VerdictScope {
  const systems = new Map<number, Set<string>>();
  for (const u of users) if (u.status === "source_error") systems.set(u.userKey, new Set());
  for (const f of findings) {
    if (f.kind !== "source_error" || f.userKey === null) continue;
    const set = systems.get(f.userKey) ?? new Set<string>();
    if (f.field) set.add(f.field);
    systems.set(f.userKey, set);
  }
  return {
    unread: [...systems].sort(([a], [b]) => a - b).map(([userKey, set]) => ({ userKey, systems: [...set].sort() })),
    unmapped: users.filter((u) => u.status === "unmapped").map((u) => u.userKey).sort((a, b) => a - b),
  };
}

const MAX_LISTED = 10;

function list(keys: readonly string[]): string {
  return keys.length <= MAX_LISTED ? keys.join(", ") : `${keys.slice(0, MAX_LISTED).join(", ")} and ${keys.length - MAX_LISTED} more`;
}

/** `user 9 (milltime), user 12 (kleer, history)`: who blocks the verdict because it was not read. */
export function describeUnreadUsers(unread: readonly UnreadUser[]): string {
  return list(unread.map((u) => `user ${u.userKey}${u.systems.length > 0 ? ` (${u.systems.join(", ")})` : ""}`));
}

/** `users not compared: 9 (not read), 10 (unmapped)` or `every user compared`. */
export function describeNotCompared(scope: VerdictScope): string {
  const parts = [...scope.unread.map((u) => ({ key: u.userKey, why: "not read" })), ...scope.unmapped.filter((k) => !scope.unread.some((u) => u.userKey === k)).map((key) => ({ key, why: "unmapped" }))]
    .sort((a, b) => a.key - b.key)
    .map((p) => `${p.key} (${p.why})`);
  return parts.length === 0 ? "every user compared" : `users not compared: ${list(parts)}`;
}
