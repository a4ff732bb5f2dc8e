import { describe, expect, it } from "vitest";
import { allowedActivities, isActivityAllowed, isProjectVisible, projectVisibility, type KleerProjectAccess } from "../../src/domain/project-access.js";

const USER = 5512;
const A = [44310, 44311, 44312, 44313];

function project(overrides: Partial<KleerProjectAccess> = {}): KleerProjectAccess {
  return { id: 880021, active: true, allUsers: false, users: [{ userId: USER, activityIds: [] }], allActivities: false, activityIds: [], ...overrides };
}

describe("project visibility: active ∧ (all-users ∨ member)", () => {
  it.each([
    { active: true, allUsers: true, member: false, visible: true },
    { active: true, allUsers: false, member: true, visible: true },
    { active: true, allUsers: false, member: false, visible: false },
    { active: false, allUsers: true, member: true, visible: false },
    { active: false, allUsers: false, member: false, visible: false },
  ])("active=$active all-users=$allUsers listed=$member → visible=$visible", ({ active, allUsers, member, visible }) => {
    const p = project({ active, allUsers, users: member ? [{ userId: USER, activityIds: [] }] : [{ userId: 1, activityIds: [] }] });
    expect(isProjectVisible(p, USER)).toBe(visible);
    expect(projectVisibility(p, USER)).toEqual({ visible, active, member: allUsers || member });
  });
});

describe("allowed activities truth table (kleer-api.md §7)", () => {
  it.each([
    { name: "all-activities ignores P and U", p: { allActivities: true, activityIds: [44310], users: [{ userId: USER, activityIds: [44311] }] }, row: "all-activities", allowed: A },
    { name: "P empty, U none → nothing", p: { activityIds: [], users: [{ userId: USER, activityIds: [] }] }, row: "nothing", allowed: [] },
    { name: "P empty, user not listed → nothing", p: { activityIds: [], allUsers: true, users: [] }, row: "nothing", allowed: [] },
    { name: "P empty, U non-empty → U (observed 2026-05-12)", p: { activityIds: [], users: [{ userId: USER, activityIds: [44312] }] }, row: "user", allowed: [44312] },
    { name: "P non-empty, U none → P", p: { activityIds: [44310, 44311], users: [{ userId: USER, activityIds: [] }] }, row: "project", allowed: [44310, 44311] },
    { name: "P non-empty, U non-empty → P ∩ U", p: { activityIds: [44310, 44311], users: [{ userId: USER, activityIds: [44311, 44313] }] }, row: "project-and-user", allowed: [44311] },
    { name: "P ∩ U may be empty", p: { activityIds: [44310], users: [{ userId: USER, activityIds: [44313] }] }, row: "project-and-user", allowed: [] },
    { name: "another user's restriction does not apply", p: { activityIds: [44310], users: [{ userId: 1, activityIds: [44313] }] }, row: "project", allowed: [44310] },
  ] as const)("$name", ({ p, row, allowed }) => {
    const result = allowedActivities(project(p as Partial<KleerProjectAccess>), USER, A);
    expect(result.row).toBe(row);
    expect([...result.allowed].sort()).toEqual([...allowed].sort());
    for (const id of A) expect(isActivityAllowed(project(p as Partial<KleerProjectAccess>), USER, id, A)).toBe((allowed as readonly number[]).includes(id));
  });

  it("write validation checks membership only: an id listed in P but missing from A is allowed", () => {
    expect(isActivityAllowed(project({ activityIds: [99999] }), USER, 99999, A)).toBe(true);
  });

  it("uses the first entry when a user is listed twice", () => {
    const p = project({ activityIds: [], users: [{ userId: USER, activityIds: [44310] }, { userId: USER, activityIds: [44311] }] });
    expect([...allowedActivities(p, USER, A).allowed]).toEqual([44310]);
  });
});
