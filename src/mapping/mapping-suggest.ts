import type { CutoverMapping, UserLink } from "../domain/cutover-mapping.js";
import { compareIds, normaliseName, normaliseProjectNumber } from "./mapping-normalise.js";
import { matchUsers } from "./mapping-suggest-users.js";
import {
  MATCH_CONFIDENCE,
  type ActivitySuggestion,
  type AmbiguousItem,
  type KleerActivityRef,
  type KleerProjectRef,
  type MappingSuggestion,
  type MatchReason,
  type ProjectSuggestion,
  type SuggestionCandidate,
  type SuggestionConflict,
  type SuggestMappingInput,
  type UnmatchedItem,
  type UserSuggestion,
} from "./mapping-suggest-types.js";

const MAX_HINTS = 5;
const MIN_HINT_LENGTH = 3;

function uniqueSorted<T>(items: readonly T[], id: (item: T) => string | number): T[] {
  const seen = new Map<string | number, T>();
  for (const item of items) if (!seen.has(id(item))) seen.set(id(item), item);
  return [...seen.values()].sort((a, b) => compareIds(id(a), id(b)));
}

type Lookup<K> = { kind: "one"; match: K; exact: boolean; reason: MatchReason } | { kind: "many"; matches: K[]; reason: MatchReason } | { kind: "none" };

function lookUp<K>(value: string, targets: readonly K[], raw: (k: K) => string, normalise: (s: string) => string, reason: MatchReason): Lookup<K> {
  const key = normalise(value);
  if (key === "") return { kind: "none" };
  const matches = targets.filter((t) => normalise(raw(t)) === key);
  if (matches.length === 0) return { kind: "none" };
  if (matches.length > 1) return { kind: "many", matches, reason };
  const match = matches[0] as K;
  return { kind: "one", match, exact: raw(match) === value, reason };
}

/** Weak hints for an unmatched name: targets whose normalised name contains it or is contained in it. */
function nameHints<K extends { name: string }>(name: string, targets: readonly K[]): K[] {
  const key = normaliseName(name);
  if (key.length < MIN_HINT_LENGTH) return [];
  return targets
    .filter((t) => {
      const other = normaliseName(t.name);
      return other.length >= MIN_HINT_LENGTH && (other.includes(key) || key.includes(other));
    })
    .slice(0, MAX_HINTS);
}

const projectCandidate = (p: KleerProjectRef): SuggestionCandidate => ({ id: p.id, name: p.name, detail: p.number || undefined, active: p.active });
const activityCandidate = (a: KleerActivityRef): SuggestionCandidate => ({ id: a.id, name: a.name });

interface ItemOutcome {
  ambiguous: AmbiguousItem[];
  unmatched: UnmatchedItem[];
  conflicts: SuggestionConflict[];
  confirmed: number;
}

function suggestProjects(input: SuggestMappingInput, existing: CutoverMapping, out: ItemOutcome): ProjectSuggestion[] {
  const explicit = new Map(existing.projects.map((p) => [p.milltimeProjectId, p.kleerProjectId]));
  const kleer = uniqueSorted(input.kleerProjects, (p) => p.id);
  const suggestions: ProjectSuggestion[] = [];
  for (const project of uniqueSorted(input.milltimeProjects, (p) => p.id)) {
    const code = project.code?.trim() ? project.code : undefined;
    let found: Lookup<KleerProjectRef> = code ? lookUp(code, kleer, (k) => k.number, normaliseProjectNumber, "project-number") : { kind: "none" };
    if (found.kind === "none") found = lookUp(project.name, kleer, (k) => k.name, normaliseName, "name");
    const current = explicit.get(project.id);
    const label = code ? `${project.name} (${code})` : project.name;
    if (found.kind === "none") {
      if (current === undefined) out.unmatched.push({ kind: "project", key: project.id, label, candidates: nameHints(project.name, kleer).map(projectCandidate) });
      continue;
    }
    if (found.kind === "many") {
      if (current === undefined) out.ambiguous.push({ kind: "project", key: project.id, label, reason: found.reason, candidates: found.matches.map(projectCandidate) });
      continue;
    }
    const { match, reason } = found;
    const confidence = found.exact ? MATCH_CONFIDENCE.exact : MATCH_CONFIDENCE.normalised;
    if (current !== undefined) {
      if (current === match.id) out.confirmed += 1;
      else out.conflicts.push({ kind: "project", key: project.id, existing: `Kleer project ${current}`, suggested: `Kleer project ${match.id} (${match.name})`, reason, confidence });
      continue;
    }
    suggestions.push({
      milltimeProjectId: project.id,
      milltimeName: project.name,
      milltimeCode: code,
      kleerProjectId: match.id,
      kleerName: match.name,
      kleerNumber: match.number,
      kleerActive: match.active,
      reason: reason as ProjectSuggestion["reason"],
      confidence,
    });
  }
  return suggestions;
}

function suggestActivities(input: SuggestMappingInput, existing: CutoverMapping, out: ItemOutcome): ActivitySuggestion[] {
  const explicit = new Map(existing.activities.map((a) => [a.milltimeActivityId, a.kleerActivityId]));
  const kleer = uniqueSorted(input.kleerActivities, (a) => a.id);
  const suggestions: ActivitySuggestion[] = [];
  for (const activity of uniqueSorted(input.milltimeActivities, (a) => a.id)) {
    const found = lookUp(activity.name, kleer, (k) => k.name, normaliseName, "name");
    const current = explicit.get(activity.id);
    if (found.kind === "none") {
      if (current === undefined) out.unmatched.push({ kind: "activity", key: activity.id, label: activity.name, candidates: nameHints(activity.name, kleer).map(activityCandidate) });
      continue;
    }
    if (found.kind === "many") {
      if (current === undefined) out.ambiguous.push({ kind: "activity", key: activity.id, label: activity.name, reason: "name", candidates: found.matches.map(activityCandidate) });
      continue;
    }
    const confidence = found.exact ? MATCH_CONFIDENCE.exact : MATCH_CONFIDENCE.normalised;
    if (current !== undefined) {
      if (current === found.match.id) out.confirmed += 1;
      else out.conflicts.push({ kind: "activity", key: activity.id, existing: `Kleer activity ${current}`, suggested: `Kleer activity ${found.match.id} (${found.match.name})`, reason: "name", confidence });
      continue;
    }
    suggestions.push({ milltimeActivityId: activity.id, milltimeName: activity.name, kleerActivityId: found.match.id, kleerName: found.match.name, reason: "name", confidence });
  }
  return suggestions;
}

const KIND_ORDER = { user: 0, "milltime-user": 1, project: 2, activity: 3, "user-kleer": 0, "user-milltime": 1 } as const;

function byKindThenKey<T extends { kind: keyof typeof KIND_ORDER; key: string }>(a: T, b: T): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareIds(a.key, b.key);
}

/**
 * Suggests Milltime→Kleer pairs from plain data. Users match by normalised email (Milltime
 * accounts by the Toki id the credentials carry, else by email); projects by project number
 * (`code` ↔ `number`), then by normalised name; activities by normalised name. Explicit
 * entries in `existing` are never changed: a disagreeing match becomes a conflict. Pure and
 * deterministic: the same input gives the same output in the same order.
 */
export function suggestMapping(input: SuggestMappingInput): MappingSuggestion {
  const existing = input.existing ?? { users: [], projects: [], activities: [] };
  const users = matchUsers(input.tokiUsers, input.milltimeUsers, input.kleerUsers, existing.users);
  const projectOutcome: ItemOutcome = { ambiguous: [], unmatched: [], conflicts: [], confirmed: 0 };
  const activityOutcome: ItemOutcome = { ambiguous: [], unmatched: [], conflicts: [], confirmed: 0 };
  const projects = suggestProjects(input, existing, projectOutcome);
  const activities = suggestActivities(input, existing, activityOutcome);
  const items = [users, projectOutcome, activityOutcome];

  const userSuggestions = [...users.suggestions].sort((a, b) => a.tokiUserId - b.tokiUserId || a.target.localeCompare(b.target));
  return {
    users: userSuggestions,
    projects,
    activities,
    ambiguous: items.flatMap((o) => o.ambiguous).sort(byKindThenKey),
    unmatched: items.flatMap((o) => o.unmatched).sort(byKindThenKey),
    conflicts: items.flatMap((o) => o.conflicts).sort(byKindThenKey),
    confirmed: { users: users.confirmed, projects: projectOutcome.confirmed, activities: activityOutcome.confirmed },
    mapping: mergeSuggestions(existing, userSuggestions, projects, activities),
  };
}

function mergeSuggestions(existing: CutoverMapping, users: UserSuggestion[], projects: ProjectSuggestion[], activities: ActivitySuggestion[]): CutoverMapping {
  const links = new Map<number, UserLink>(existing.users.map((u) => [u.tokiUserId, { ...u }]));
  const order = existing.users.map((u) => u.tokiUserId);
  for (const s of users) {
    let link = links.get(s.tokiUserId);
    if (!link) {
      link = { tokiUserId: s.tokiUserId, email: s.email };
      links.set(s.tokiUserId, link);
      order.push(s.tokiUserId);
    }
    if (s.target === "kleer") link.kleerUserId = s.kleerUserId;
    else link.milltimeUserId = s.milltimeUserId;
  }
  return {
    users: order.map((id) => links.get(id) as UserLink),
    projects: [...existing.projects, ...projects.map((p) => ({ milltimeProjectId: p.milltimeProjectId, kleerProjectId: p.kleerProjectId }))],
    activities: [...existing.activities, ...activities.map((a) => ({ milltimeActivityId: a.milltimeActivityId, kleerActivityId: a.kleerActivityId }))],
  };
}
