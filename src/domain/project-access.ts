/**
 * Toki's rules on top of Kleer's project list (kleer-api.md §7), on plain data: project
 * visibility and the allowed-activities truth table. The Kleer adapter (pickers, write
 * validation) and the mapping coverage check both apply these.
 */

/** A user's row in a project's `users` list. */
export interface KleerProjectUserAccess {
  userId: number;
  /** The user's own activity restriction (`users[].activities[].activity.id`). */
  activityIds: readonly number[];
}

/** The access fields of a Kleer `client-project-readable`. */
export interface KleerProjectAccess {
  id: number;
  active: boolean;
  allUsers: boolean;
  users: readonly KleerProjectUserAccess[];
  allActivities: boolean;
  /** Project-level activities `P` (`activities[].activity.id`). */
  activityIds: readonly number[];
}

/** Why a project is or is not visible to a user: visible ⇔ active ∧ (all-users ∨ member). */
export interface ProjectVisibility {
  visible: boolean;
  active: boolean;
  /** `all-users` is true or the user appears in `users`. */
  member: boolean;
}

export function projectVisibility(project: KleerProjectAccess, kleerUserId: number): ProjectVisibility {
  const member = project.allUsers || project.users.some((u) => u.userId === kleerUserId);
  return { visible: project.active && member, active: project.active, member };
}

export function isProjectVisible(project: KleerProjectAccess, kleerUserId: number): boolean {
  return projectVisibility(project, kleerUserId).visible;
}

/**
 * The row of the allowed-activities truth table that applies:
 * - `all-activities`: all-activities true → A (user restrictions ignored)
 * - `nothing`: P empty, U none → ∅
 * - `user`: P empty, U non-empty → U
 * - `project`: P non-empty, U none → P
 * - `project-and-user`: P non-empty, U non-empty → P ∩ U
 */
export type ActivityRuleRow = "all-activities" | "nothing" | "user" | "project" | "project-and-user";

export interface AllowedActivities {
  row: ActivityRuleRow;
  allowed: ReadonlySet<number>;
}

/**
 * Activities `kleerUserId` may report on `project`. A = `allActivityIds` (`/activity`),
 * P = the project's activities, U = the user's entry in `users` if it exists and its
 * activities are non-empty (the first entry when a user is listed twice), else none.
 */
export function allowedActivities(project: KleerProjectAccess, kleerUserId: number, allActivityIds: Iterable<number>): AllowedActivities {
  if (project.allActivities) return { row: "all-activities", allowed: new Set(allActivityIds) };
  const entry = project.users.find((u) => u.userId === kleerUserId);
  const user = entry && entry.activityIds.length > 0 ? new Set(entry.activityIds) : undefined;
  const projectSet = new Set(project.activityIds);
  if (projectSet.size === 0) return user ? { row: "user", allowed: user } : { row: "nothing", allowed: new Set() };
  if (!user) return { row: "project", allowed: projectSet };
  return { row: "project-and-user", allowed: new Set([...projectSet].filter((id) => user.has(id))) };
}

/** Write validation's check: membership of the allowed set only (ids missing from A still pass when P/U list them). */
export function isActivityAllowed(project: KleerProjectAccess, kleerUserId: number, kleerActivityId: number, allActivityIds: Iterable<number>): boolean {
  return allowedActivities(project, kleerUserId, allActivityIds).allowed.has(kleerActivityId);
}
