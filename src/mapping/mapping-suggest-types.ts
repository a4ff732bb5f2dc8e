import type { CutoverMapping } from "../domain/cutover-mapping.js";

/** Why a pair was suggested. */
export type MatchReason = "email" | "toki-user-id" | "project-number" | "name";

/** Confidence of a suggestion: the raw values were identical, or equal only after normalising. */
export const MATCH_CONFIDENCE = { exact: 1, normalised: 0.9 } as const;

// ---- inputs (plain data; the orchestrator fetches them) ----

export interface TokiUserRef {
  tokiUserId: number;
  email: string;
}

/** A Milltime account; `tokiUserId` when the credentials file already says whose it is. */
export interface MilltimeUserRef {
  milltimeUserId: string;
  tokiUserId?: number | undefined;
  username?: string | undefined;
  email?: string | undefined;
}

export interface KleerUserRef {
  id: number;
  name: string;
  email?: string | null | undefined;
  active: boolean;
}

export interface MilltimeProjectRef {
  id: string;
  name: string;
  /** Milltime `projectnr`. */
  code?: string | null | undefined;
}

export interface KleerProjectRef {
  id: number;
  name: string;
  /** Kleer `number` ("" when absent). */
  number: string;
  active: boolean;
}

export interface MilltimeActivityRef {
  id: string;
  name: string;
}

export interface KleerActivityRef {
  id: number;
  name: string;
}

export interface SuggestMappingInput {
  /** Explicit entries: never overwritten. @default empty mapping */
  existing?: CutoverMapping | undefined;
  tokiUsers: readonly TokiUserRef[];
  milltimeUsers: readonly MilltimeUserRef[];
  kleerUsers: readonly KleerUserRef[];
  milltimeProjects: readonly MilltimeProjectRef[];
  kleerProjects: readonly KleerProjectRef[];
  milltimeActivities: readonly MilltimeActivityRef[];
  kleerActivities: readonly KleerActivityRef[];
}

// ---- outputs ----

export type UserSuggestion =
  | { target: "kleer"; tokiUserId: number; email: string; kleerUserId: number; kleerName: string; kleerActive: boolean; reason: "email"; confidence: number }
  | { target: "milltime"; tokiUserId: number; email: string | undefined; milltimeUserId: string; reason: "toki-user-id" | "email"; confidence: number };

export interface ProjectSuggestion {
  milltimeProjectId: string;
  milltimeName: string;
  milltimeCode: string | undefined;
  kleerProjectId: number;
  kleerName: string;
  kleerNumber: string;
  kleerActive: boolean;
  reason: "project-number" | "name";
  confidence: number;
}

export interface ActivitySuggestion {
  milltimeActivityId: string;
  milltimeName: string;
  kleerActivityId: number;
  kleerName: string;
  reason: "name";
  confidence: number;
}

/** What an item was being matched for. */
export type SuggestionKind = "user" | "milltime-user" | "project" | "activity";

/** A possible target (a Kleer user/project/activity, a Toki user, or a Milltime account). */
export interface SuggestionCandidate {
  id: string | number;
  name: string;
  detail?: string | undefined;
  active?: boolean | undefined;
}

/** Several candidates matched equally: a person must choose. */
export interface AmbiguousItem {
  kind: SuggestionKind;
  /** Toki user id, Milltime user/project/activity id. */
  key: string;
  label: string;
  reason: MatchReason;
  candidates: SuggestionCandidate[];
}

/** Nothing matched; `candidates` are weaker hints (same email local part, name containment). */
export interface UnmatchedItem {
  kind: SuggestionKind;
  key: string;
  label: string;
  candidates: SuggestionCandidate[];
}

/** A suggestion that disagrees with an explicit entry (the entry stays as it is). */
export interface SuggestionConflict {
  kind: "user-kleer" | "user-milltime" | "project" | "activity";
  key: string;
  /** The explicit value, or the entry that already holds the suggested target. */
  existing: string;
  suggested: string;
  reason: MatchReason;
  confidence: number;
}

export interface MappingSuggestion {
  users: UserSuggestion[];
  projects: ProjectSuggestion[];
  activities: ActivitySuggestion[];
  ambiguous: AmbiguousItem[];
  unmatched: UnmatchedItem[];
  conflicts: SuggestionConflict[];
  /** Suggestions that equal an explicit entry (field-level for users). */
  confirmed: { users: number; projects: number; activities: number };
  /** The existing mapping plus every suggestion (explicit entries unchanged). */
  mapping: CutoverMapping;
}
