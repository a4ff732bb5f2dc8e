import { indexMapping, type CutoverMapping } from "../domain/cutover-mapping.js";
import type { DateRange } from "../domain/time-entry.js";
import { allowedActivities, projectVisibility, type ActivityRuleRow, type KleerProjectAccess } from "../domain/project-access.js";
import { compareIds } from "./mapping-normalise.js";

/** One (project, activity) pair a user reported on in Milltime, with how often. */
export interface LegacyUsageEntry {
  milltimeProjectId: string;
  projectName?: string | undefined;
  milltimeActivityId: string;
  activityName?: string | undefined;
  entryCount: number;
}

/** A user's legacy entries in the checked range, grouped by project and activity. */
export interface LegacyUserUsage {
  tokiUserId: number;
  email?: string | undefined;
  entries: readonly LegacyUsageEntry[];
}

export interface KleerProjectInfo extends KleerProjectAccess {
  name?: string | undefined;
}

export interface CoverageInput {
  mapping: CutoverMapping;
  /** The range the usage was read for (reported back as given). */
  range?: DateRange | undefined;
  usage: readonly LegacyUserUsage[];
  /** Kleer's full project list (`/client-project`, inactive included). */
  kleerProjects: readonly KleerProjectInfo[];
  /** Kleer's `/activity` list: the set A of the truth table. */
  kleerActivities: readonly { id: number; name?: string | undefined }[];
  /** Kleer's `/user` list; when given, mapped users missing from it or inactive are reported. */
  kleerUsers?: readonly { id: number; active: boolean }[] | undefined;
}

export interface UnmappedUser {
  tokiUserId: number;
  email: string | undefined;
  entryCount: number;
  reason: "not-in-mapping" | "no-kleer-user";
}

export interface UnmappedItem {
  milltimeId: string;
  name: string | undefined;
  entryCount: number;
  tokiUserIds: number[];
}

/** A mapped target Kleer would not accept the entries on. Counts are legacy entries affected. */
export type CoverageProblem =
  | { kind: "kleer-user-missing" | "kleer-user-inactive"; tokiUserId: number; kleerUserId: number; entryCount: number }
  | { kind: "kleer-project-missing" | "project-inactive"; kleerProjectId: number; milltimeProjectIds: string[]; tokiUserIds: number[]; entryCount: number }
  | { kind: "project-not-visible"; kleerProjectId: number; tokiUserId: number; kleerUserId: number; entryCount: number }
  | { kind: "kleer-activity-missing"; kleerActivityId: number; milltimeActivityIds: string[]; tokiUserIds: number[]; entryCount: number }
  | { kind: "activity-not-allowed"; kleerProjectId: number; kleerActivityId: number; tokiUserId: number; kleerUserId: number; rule: ActivityRuleRow; entryCount: number };

export type CoverageProblemKind = CoverageProblem["kind"];

export interface CoverageResult {
  range: DateRange | undefined;
  users: number;
  entries: number;
  /** Entries whose user, project and activity are mapped and that Kleer would accept. */
  entriesReady: number;
  unmappedUsers: UnmappedUser[];
  unmappedProjects: UnmappedItem[];
  unmappedActivities: UnmappedItem[];
  problems: CoverageProblem[];
  /** Nothing unmapped and no problem. */
  ok: boolean;
}

const PROBLEM_ORDER: CoverageProblemKind[] = [
  "kleer-user-missing", "kleer-user-inactive", "kleer-project-missing", "project-inactive", "project-not-visible", "kleer-activity-missing", "activity-not-allowed",
];

/** Accumulates entry counts per key, remembering ids and users. */
class Tally<T extends { entryCount: number }> {
  private readonly items = new Map<string, T>();
  add(key: string, create: () => T, count: number, update?: (item: T) => void): void {
    let item = this.items.get(key);
    if (!item) {
      item = create();
      this.items.set(key, item);
    }
    item.entryCount += count;
    update?.(item);
  }
  values(): T[] {
    return [...this.items.values()];
  }
}

const pushUnique = <V>(list: V[], value: V) => {
  if (!list.includes(value)) list.push(value);
};

/**
 * Which legacy entries could move to Kleer with this mapping: users, projects and activities
 * without a mapping (with entry counts), and mapped Kleer targets that are missing, inactive,
 * not visible to the mapped Kleer user or not allowed for them (kleer-api.md §7). Pure.
 */
export function checkMappingCoverage(input: CoverageInput): CoverageResult {
  const index = indexMapping(input.mapping);
  const projects = new Map(input.kleerProjects.map((p) => [p.id, p]));
  const activityIds = input.kleerActivities.map((a) => a.id);
  const knownActivities = new Set(activityIds);
  const kleerUsers = input.kleerUsers ? new Map(input.kleerUsers.map((u) => [u.id, u])) : undefined;
  const unmappedUsers = new Tally<UnmappedUser>();
  const unmappedProjects = new Tally<UnmappedItem>();
  const unmappedActivities = new Tally<UnmappedItem>();
  const problems = new Tally<CoverageProblem>();
  let entries = 0;
  let entriesReady = 0;

  for (const user of [...input.usage].sort((a, b) => a.tokiUserId - b.tokiUserId)) {
    const link = index.userByToki(user.tokiUserId);
    const kleerUserId = link?.kleerUserId;
    const userKleer = kleerUserId === undefined ? undefined : kleerUsers?.get(kleerUserId);
    for (const entry of user.entries) {
      const n = entry.entryCount;
      entries += n;
      let ready = true;
      if (kleerUserId === undefined) {
        ready = false;
        const reason = link ? "no-kleer-user" : "not-in-mapping";
        unmappedUsers.add(String(user.tokiUserId), () => ({ tokiUserId: user.tokiUserId, email: user.email ?? link?.email, entryCount: 0, reason }), n);
      } else if (kleerUsers && (!userKleer || !userKleer.active)) {
        ready = false;
        const kind = userKleer ? "kleer-user-inactive" : "kleer-user-missing";
        problems.add(`${kind}:${user.tokiUserId}`, () => ({ kind, tokiUserId: user.tokiUserId, kleerUserId, entryCount: 0 }), n);
      }
      const kleerProjectId = index.kleerProjectFor(entry.milltimeProjectId);
      const kleerActivityId = index.kleerActivityFor(entry.milltimeActivityId);
      if (kleerProjectId === undefined) {
        ready = false;
        unmappedProjects.add(entry.milltimeProjectId, () => ({ milltimeId: entry.milltimeProjectId, name: entry.projectName, entryCount: 0, tokiUserIds: [] }), n, (i) => pushUnique(i.tokiUserIds, user.tokiUserId));
      }
      if (kleerActivityId === undefined) {
        ready = false;
        unmappedActivities.add(entry.milltimeActivityId, () => ({ milltimeId: entry.milltimeActivityId, name: entry.activityName, entryCount: 0, tokiUserIds: [] }), n, (i) => pushUnique(i.tokiUserIds, user.tokiUserId));
      } else if (!knownActivities.has(kleerActivityId)) {
        ready = false;
        problems.add(`kleer-activity-missing:${kleerActivityId}`, () => ({ kind: "kleer-activity-missing", kleerActivityId, milltimeActivityIds: [], tokiUserIds: [], entryCount: 0 }), n, (p) => {
          if (p.kind !== "kleer-activity-missing") return;
          pushUnique(p.milltimeActivityIds, entry.milltimeActivityId);
          pushUnique(p.tokiUserIds, user.tokiUserId);
        });
      }
      const project = kleerProjectId === undefined ? undefined : projects.get(kleerProjectId);
      if (kleerProjectId !== undefined && !project) {
        ready = false;
        problems.add(`kleer-project-missing:${kleerProjectId}`, () => ({ kind: "kleer-project-missing", kleerProjectId, milltimeProjectIds: [], tokiUserIds: [], entryCount: 0 }), n, (p) => {
          if (p.kind !== "kleer-project-missing") return;
          pushUnique(p.milltimeProjectIds, entry.milltimeProjectId);
          pushUnique(p.tokiUserIds, user.tokiUserId);
        });
      }
      if (project) {
        if (!project.active) {
          ready = false;
          problems.add(`project-inactive:${project.id}`, () => ({ kind: "project-inactive", kleerProjectId: project.id, milltimeProjectIds: [], tokiUserIds: [], entryCount: 0 }), n, (p) => {
            if (p.kind !== "project-inactive") return;
            pushUnique(p.milltimeProjectIds, entry.milltimeProjectId);
            pushUnique(p.tokiUserIds, user.tokiUserId);
          });
        }
        if (kleerUserId !== undefined) {
          if (!projectVisibility(project, kleerUserId).member) {
            ready = false;
            problems.add(`project-not-visible:${project.id}:${user.tokiUserId}`, () => ({ kind: "project-not-visible", kleerProjectId: project.id, tokiUserId: user.tokiUserId, kleerUserId, entryCount: 0 }), n);
          }
          if (kleerActivityId !== undefined) {
            const rule = allowedActivities(project, kleerUserId, activityIds);
            if (!rule.allowed.has(kleerActivityId)) {
              ready = false;
              problems.add(
                `activity-not-allowed:${project.id}:${kleerActivityId}:${user.tokiUserId}`,
                () => ({ kind: "activity-not-allowed", kleerProjectId: project.id, kleerActivityId, tokiUserId: user.tokiUserId, kleerUserId, rule: rule.row, entryCount: 0 }),
                n,
              );
            }
          }
        }
      }
      if (ready) entriesReady += n;
    }
  }

  const result: CoverageResult = {
    range: input.range,
    users: input.usage.length,
    entries,
    entriesReady,
    unmappedUsers: unmappedUsers.values().sort((a, b) => a.tokiUserId - b.tokiUserId),
    unmappedProjects: sortItems(unmappedProjects.values()),
    unmappedActivities: sortItems(unmappedActivities.values()),
    problems: problems.values().map(sortLists).sort(compareProblems),
    ok: false,
  };
  result.ok = result.unmappedUsers.length === 0 && result.unmappedProjects.length === 0 && result.unmappedActivities.length === 0 && result.problems.length === 0;
  return result;
}

function sortItems(items: UnmappedItem[]): UnmappedItem[] {
  return items.map((i) => ({ ...i, tokiUserIds: [...i.tokiUserIds].sort((a, b) => a - b) })).sort((a, b) => compareIds(a.milltimeId, b.milltimeId));
}

function sortLists(problem: CoverageProblem): CoverageProblem {
  const p = { ...problem } as CoverageProblem & { tokiUserIds?: number[]; milltimeProjectIds?: string[]; milltimeActivityIds?: string[] };
  if (p.tokiUserIds) p.tokiUserIds = [...p.tokiUserIds].sort((a, b) => a - b);
  if (p.milltimeProjectIds) p.milltimeProjectIds = [...p.milltimeProjectIds].sort(compareIds);
  if (p.milltimeActivityIds) p.milltimeActivityIds = [...p.milltimeActivityIds].sort(compareIds);
  return p;
}

function problemKey(p: CoverageProblem): Array<number> {
  switch (p.kind) {
    case "kleer-user-missing":
    case "kleer-user-inactive":
      return [p.tokiUserId];
    case "kleer-project-missing":
    case "project-inactive":
      return [p.kleerProjectId];
    case "project-not-visible":
      return [p.kleerProjectId, p.tokiUserId];
    case "kleer-activity-missing":
      return [p.kleerActivityId];
    case "activity-not-allowed":
      return [p.kleerProjectId, p.kleerActivityId, p.tokiUserId];
  }
}

function compareProblems(a: CoverageProblem, b: CoverageProblem): number {
  const byKind = PROBLEM_ORDER.indexOf(a.kind) - PROBLEM_ORDER.indexOf(b.kind);
  if (byKind !== 0) return byKind;
  const ka = problemKey(a);
  const kb = problemKey(b);
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
