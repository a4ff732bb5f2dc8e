/** One Toki user and the ids that person has in each provider. */
export interface UserLink {
  tokiUserId: number;
  email?: string | undefined;
  milltimeUserId?: string | undefined;
  kleerUserId?: number | undefined;
}

export interface ProjectLink {
  milltimeProjectId: string;
  kleerProjectId: number;
}

export interface ActivityLink {
  milltimeActivityId: string;
  kleerActivityId: number;
}

/** The Milltime→Kleer id mapping a cutover runs on (the mapping file, validated). */
export interface CutoverMapping {
  users: UserLink[];
  projects: ProjectLink[];
  activities: ActivityLink[];
}

/** Fast lookups over a CutoverMapping. */
export interface MappingIndex {
  userByToki(tokiUserId: number): UserLink | undefined;
  kleerProjectFor(milltimeProjectId: string): number | undefined;
  kleerActivityFor(milltimeActivityId: string): number | undefined;
}

export function indexMapping(mapping: CutoverMapping): MappingIndex {
  const users = new Map(mapping.users.map((u) => [u.tokiUserId, u]));
  const projects = new Map(mapping.projects.map((p) => [p.milltimeProjectId, p.kleerProjectId]));
  const activities = new Map(mapping.activities.map((a) => [a.milltimeActivityId, a.kleerActivityId]));
  return {
    userByToki: (id) => users.get(id),
    kleerProjectFor: (id) => projects.get(id),
    kleerActivityFor: (id) => activities.get(id),
  };
}
