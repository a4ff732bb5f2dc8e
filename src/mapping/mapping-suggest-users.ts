import type { UserLink } from "../domain/cutover-mapping.js";
import { compareIds, normaliseEmail } from "./mapping-normalise.js";
import {
  MATCH_CONFIDENCE,
  type AmbiguousItem,
  type KleerUserRef,
  type MilltimeUserRef,
  type SuggestionCandidate,
  type SuggestionConflict,
  type TokiUserRef,
  type UnmatchedItem,
  type UserSuggestion,
} from "./mapping-suggest-types.js";

export interface UserMatchOutcome {
  suggestions: UserSuggestion[];
  ambiguous: AmbiguousItem[];
  unmatched: UnmatchedItem[];
  conflicts: SuggestionConflict[];
  confirmed: number;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined || k === "") continue;
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

function uniqueSorted<T>(items: readonly T[], id: (item: T) => string | number): T[] {
  const seen = new Map<string | number, T>();
  for (const item of items) if (!seen.has(id(item))) seen.set(id(item), item);
  return [...seen.values()].sort((a, b) => compareIds(id(a), id(b)));
}

const kleerCandidate = (k: KleerUserRef): SuggestionCandidate => ({ id: k.id, name: k.name, detail: k.email ?? undefined, active: k.active });

function localPart(email: string): string {
  const at = email.indexOf("@");
  return at > 0 ? email.slice(0, at) : "";
}

/** Toki user → Kleer user by normalised email; Milltime account → Toki user by the credentials' Toki id, else by email. */
export function matchUsers(
  tokiUsersIn: readonly TokiUserRef[],
  milltimeUsersIn: readonly MilltimeUserRef[],
  kleerUsersIn: readonly KleerUserRef[],
  existingUsers: readonly UserLink[],
): UserMatchOutcome {
  const out: UserMatchOutcome = { suggestions: [], ambiguous: [], unmatched: [], conflicts: [], confirmed: 0 };
  const existing = new Map(existingUsers.map((u) => [u.tokiUserId, u]));
  const kleerOwner = new Map<number, number>();
  const milltimeOwner = new Map<string, number>();
  for (const u of existingUsers) {
    if (u.kleerUserId !== undefined) kleerOwner.set(u.kleerUserId, u.tokiUserId);
    if (u.milltimeUserId !== undefined) milltimeOwner.set(u.milltimeUserId, u.tokiUserId);
  }
  const tokiUsers = uniqueSorted(tokiUsersIn, (u) => u.tokiUserId);
  const tokiById = new Map(tokiUsers.map((u) => [u.tokiUserId, u]));
  const kleerUsers = uniqueSorted(kleerUsersIn, (u) => u.id);
  const kleerByEmail = groupBy(kleerUsers, (k) => (k.email ? normaliseEmail(k.email) : undefined));
  const tokiByEmail = groupBy(tokiUsers, (t) => normaliseEmail(t.email));

  for (const toki of tokiUsers) {
    const link = existing.get(toki.tokiUserId);
    const key = String(toki.tokiUserId);
    const email = normaliseEmail(toki.email);
    const candidates = email ? (kleerByEmail.get(email) ?? []) : [];
    const sharing = (tokiByEmail.get(email) ?? []).filter((t) => t.tokiUserId !== toki.tokiUserId);
    if (link?.kleerUserId === undefined && candidates.length === 0) {
      const local = localPart(email);
      const hints = local ? kleerUsers.filter((k) => k.email && localPart(normaliseEmail(k.email)) === local) : [];
      out.unmatched.push({ kind: "user", key, label: toki.email, candidates: hints.map(kleerCandidate) });
      continue;
    }
    if (candidates.length === 0) continue;
    if (candidates.length > 1 || sharing.length > 0) {
      if (link?.kleerUserId === undefined) {
        const label = sharing.length > 0 ? `${toki.email} (same email as Toki user ${sharing.map((t) => t.tokiUserId).join(", ")})` : toki.email;
        out.ambiguous.push({ kind: "user", key, label, reason: "email", candidates: candidates.map(kleerCandidate) });
      }
      continue;
    }
    const match = candidates[0] as KleerUserRef;
    const confidence = match.email === toki.email ? MATCH_CONFIDENCE.exact : MATCH_CONFIDENCE.normalised;
    const suggested = `Kleer user ${match.id} (${match.name})`;
    if (link?.kleerUserId !== undefined) {
      if (link.kleerUserId === match.id) out.confirmed += 1;
      else out.conflicts.push({ kind: "user-kleer", key, existing: `Kleer user ${link.kleerUserId}`, suggested, reason: "email", confidence });
      continue;
    }
    const owner = kleerOwner.get(match.id);
    if (owner !== undefined && owner !== toki.tokiUserId) {
      out.conflicts.push({ kind: "user-kleer", key, existing: `Kleer user ${match.id} is mapped to Toki user ${owner}`, suggested, reason: "email", confidence });
      continue;
    }
    kleerOwner.set(match.id, toki.tokiUserId);
    out.suggestions.push({ target: "kleer", tokiUserId: toki.tokiUserId, email: toki.email, kleerUserId: match.id, kleerName: match.name, kleerActive: match.active, reason: "email", confidence });
  }

  matchMilltimeAccounts(uniqueSorted(milltimeUsersIn, (m) => m.milltimeUserId), tokiById, tokiByEmail, existing, milltimeOwner, out);
  return out;
}

interface MilltimeMatch {
  account: MilltimeUserRef;
  reason: "toki-user-id" | "email";
  confidence: number;
}

function matchMilltimeAccounts(
  accounts: MilltimeUserRef[],
  tokiById: Map<number, TokiUserRef>,
  tokiByEmail: Map<string, TokiUserRef[]>,
  existing: Map<number, UserLink>,
  milltimeOwner: Map<string, number>,
  out: UserMatchOutcome,
): void {
  const byToki = new Map<number, MilltimeMatch[]>();
  const add = (tokiUserId: number, match: MilltimeMatch) => byToki.set(tokiUserId, [...(byToki.get(tokiUserId) ?? []), match]);
  for (const account of accounts) {
    const label = account.username ?? account.email ?? account.milltimeUserId;
    if (account.tokiUserId !== undefined) {
      add(account.tokiUserId, { account, reason: "toki-user-id", confidence: MATCH_CONFIDENCE.exact });
      continue;
    }
    const raw = account.email ?? (account.username?.includes("@") ? account.username : undefined);
    const hits = raw ? (tokiByEmail.get(normaliseEmail(raw)) ?? []) : [];
    if (hits.length === 0) {
      out.unmatched.push({ kind: "milltime-user", key: account.milltimeUserId, label, candidates: [] });
    } else if (hits.length > 1) {
      const candidates = hits.map((t) => ({ id: t.tokiUserId, name: t.email }));
      out.ambiguous.push({ kind: "milltime-user", key: account.milltimeUserId, label, reason: "email", candidates });
    } else {
      const hit = hits[0] as TokiUserRef;
      add(hit.tokiUserId, { account, reason: "email", confidence: raw === hit.email ? MATCH_CONFIDENCE.exact : MATCH_CONFIDENCE.normalised });
    }
  }

  for (const [tokiUserId, all] of [...byToki.entries()].sort(([a], [b]) => a - b)) {
    const link = existing.get(tokiUserId);
    const key = String(tokiUserId);
    const byId = all.some((m) => m.reason === "toki-user-id") ? all.filter((m) => m.reason === "toki-user-id") : all;
    const first = byId[0] as MilltimeMatch;
    if (byId.length > 1) {
      if (link?.milltimeUserId === undefined) {
        const candidates = byId.map((m) => ({ id: m.account.milltimeUserId, name: m.account.username ?? m.account.email ?? m.account.milltimeUserId }));
        out.ambiguous.push({ kind: "user", key, label: tokiById.get(tokiUserId)?.email ?? key, reason: first.reason, candidates });
      }
      continue;
    }
    const { account, reason, confidence } = first;
    const suggested = `Milltime user ${account.milltimeUserId}`;
    if (link?.milltimeUserId !== undefined) {
      if (link.milltimeUserId === account.milltimeUserId) out.confirmed += 1;
      else out.conflicts.push({ kind: "user-milltime", key, existing: `Milltime user ${link.milltimeUserId}`, suggested, reason, confidence });
      continue;
    }
    const owner = milltimeOwner.get(account.milltimeUserId);
    if (owner !== undefined && owner !== tokiUserId) {
      out.conflicts.push({ kind: "user-milltime", key, existing: `Milltime user ${account.milltimeUserId} is mapped to Toki user ${owner}`, suggested, reason, confidence });
      continue;
    }
    milltimeOwner.set(account.milltimeUserId, tokiUserId);
    const email = tokiById.get(tokiUserId)?.email ?? account.email;
    out.suggestions.push({ target: "milltime", tokiUserId, email, milltimeUserId: account.milltimeUserId, reason, confidence });
  }
}
