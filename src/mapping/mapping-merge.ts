import type { MappingDocument, MappingUserEntry } from "./mapping-schema.js";
import type { MappingSuggestion } from "./mapping-suggest-types.js";

export interface MergeSuggestionOptions {
  /** Only suggestions at least this confident are written. @default 0 (all) */
  minConfidence?: number | undefined;
}

/**
 * The mapping document `map suggest --out` writes: every existing entry unchanged (extra keys
 * included), fields missing on an existing user filled in, new entries appended in the
 * suggestion's order. New data carries its provenance as extra keys: `kleerName`,
 * `milltimeName`, `reason`, `confidence` (projects, activities) and `suggested`
 * (`{field: {reason, confidence}}`, users). Conflicts, ambiguous and unmatched items are not written.
 */
export function mergeSuggestionIntoDocument(
  document: MappingDocument | undefined,
  suggestion: MappingSuggestion,
  options: MergeSuggestionOptions = {},
): MappingDocument {
  const min = options.minConfidence ?? 0;
  const base: MappingDocument = document ?? { users: [], projects: [], activities: [] };
  const users: MappingUserEntry[] = base.users.map((u) => ({ ...u }));
  const byToki = new Map(users.map((u) => [u.tokiUserId, u]));
  for (const s of suggestion.users) {
    if (s.confidence < min) continue;
    let entry = byToki.get(s.tokiUserId);
    if (!entry) {
      entry = { tokiUserId: s.tokiUserId, ...(s.email === undefined ? {} : { email: s.email }) };
      users.push(entry);
      byToki.set(s.tokiUserId, entry);
    }
    const field = s.target === "kleer" ? "kleerUserId" : "milltimeUserId";
    if (entry[field] !== undefined && entry[field] !== null) continue;
    if (s.target === "kleer") {
      entry.kleerUserId = s.kleerUserId;
      if (entry.kleerName === undefined) entry.kleerName = s.kleerName;
    } else {
      entry.milltimeUserId = s.milltimeUserId;
    }
    const provenance = typeof entry.suggested === "object" && entry.suggested !== null ? (entry.suggested as Record<string, unknown>) : {};
    entry.suggested = { ...provenance, [field]: { reason: s.reason, confidence: s.confidence } };
  }
  const knownProjects = new Set(base.projects.map((p) => p.milltimeProjectId));
  const knownActivities = new Set(base.activities.map((a) => a.milltimeActivityId));
  return {
    ...base,
    users,
    projects: [
      ...base.projects,
      ...suggestion.projects
        .filter((p) => p.confidence >= min && !knownProjects.has(p.milltimeProjectId))
        .map((p) => ({
          milltimeProjectId: p.milltimeProjectId,
          kleerProjectId: p.kleerProjectId,
          milltimeName: p.milltimeName,
          kleerName: p.kleerName,
          reason: p.reason,
          confidence: p.confidence,
        })),
    ],
    activities: [
      ...base.activities,
      ...suggestion.activities
        .filter((a) => a.confidence >= min && !knownActivities.has(a.milltimeActivityId))
        .map((a) => ({
          milltimeActivityId: a.milltimeActivityId,
          kleerActivityId: a.kleerActivityId,
          milltimeName: a.milltimeName,
          kleerName: a.kleerName,
          reason: a.reason,
          confidence: a.confidence,
        })),
    ],
  };
}
