import { describe, expect, it } from "vitest";
import type { CutoverMapping } from "../../src/domain/cutover-mapping.js";
import { checkMappingCoverage, type CoverageInput, type KleerProjectInfo, type LegacyUserUsage } from "../../src/mapping/mapping-coverage.js";

const ANNA = { toki: 1, kleer: 5001 };
const BO = { toki: 2, kleer: 5002 };
const DEV = 22427;
const MEET = 22428;
const QA = 22429;

const mapping: CutoverMapping = {
  users: [
    { tokiUserId: ANNA.toki, email: "anna@example.com", kleerUserId: ANNA.kleer },
    { tokiUserId: BO.toki, email: "bo@example.com", kleerUserId: BO.kleer },
    { tokiUserId: 3, email: "cia@example.com" },
  ],
  projects: [{ milltimeProjectId: "P1", kleerProjectId: 901 }],
  activities: [
    { milltimeActivityId: "A-dev", kleerActivityId: DEV },
    { milltimeActivityId: "A-meet", kleerActivityId: MEET },
    { milltimeActivityId: "A-qa", kleerActivityId: QA },
  ],
};

function kleerProject(overrides: Partial<KleerProjectInfo> = {}): KleerProjectInfo {
  return { id: 901, name: "Intranet", active: true, allUsers: true, users: [], allActivities: true, activityIds: [], ...overrides };
}

function usage(tokiUserId: number, ...entries: Array<[string, string, number]>): LegacyUserUsage {
  return { tokiUserId, entries: entries.map(([milltimeProjectId, milltimeActivityId, entryCount]) => ({ milltimeProjectId, milltimeActivityId, entryCount })) };
}

function check(overrides: Partial<CoverageInput>) {
  return checkMappingCoverage({
    mapping,
    usage: [usage(ANNA.toki, ["P1", "A-dev", 3])],
    kleerProjects: [kleerProject()],
    kleerActivities: [{ id: DEV }, { id: MEET }, { id: QA }],
    ...overrides,
  });
}

describe("checkMappingCoverage", () => {
  it("is ok when every entry is mapped and allowed", () => {
    const result = check({ range: { from: "2026-05-01", to: "2026-05-31" } });
    expect(result).toEqual({
      range: { from: "2026-05-01", to: "2026-05-31" },
      users: 1,
      entries: 3,
      entriesReady: 3,
      unmappedUsers: [],
      unmappedProjects: [],
      unmappedActivities: [],
      problems: [],
      ok: true,
    });
  });

  it("reports unmapped users, projects and activities with entry counts and the users affected", () => {
    const result = check({
      usage: [
        usage(ANNA.toki, ["P1", "A-dev", 3], ["P9", "A-dev", 2], ["P9", "A-x", 1]),
        usage(3, ["P1", "A-dev", 4]),
        { tokiUserId: 7, email: "new@example.com", entries: [{ milltimeProjectId: "P9", projectName: "Nine", milltimeActivityId: "A-x", activityName: "X", entryCount: 5 }] },
      ],
    });
    expect(result.unmappedUsers).toEqual([
      { tokiUserId: 3, email: "cia@example.com", entryCount: 4, reason: "no-kleer-user" },
      { tokiUserId: 7, email: "new@example.com", entryCount: 5, reason: "not-in-mapping" },
    ]);
    expect(result.unmappedProjects).toEqual([{ milltimeId: "P9", name: undefined, entryCount: 8, tokiUserIds: [1, 7] }]);
    expect(result.unmappedActivities).toEqual([{ milltimeId: "A-x", name: undefined, entryCount: 6, tokiUserIds: [1, 7] }]);
    expect(result).toMatchObject({ users: 3, entries: 15, entriesReady: 3, ok: false });
  });

  it("reports an inactive project once, with every Milltime project and user on it", () => {
    const result = check({
      mapping: { ...mapping, projects: [...mapping.projects, { milltimeProjectId: "P2", kleerProjectId: 901 }] },
      usage: [usage(ANNA.toki, ["P1", "A-dev", 3]), usage(BO.toki, ["P2", "A-meet", 2])],
      kleerProjects: [kleerProject({ active: false })],
    });
    expect(result.problems).toEqual([{ kind: "project-inactive", kleerProjectId: 901, milltimeProjectIds: ["P1", "P2"], tokiUserIds: [1, 2], entryCount: 5 }]);
    expect(result.entriesReady).toBe(0);
  });

  it("reports a project the mapped Kleer user cannot see", () => {
    const result = check({
      usage: [usage(ANNA.toki, ["P1", "A-dev", 3]), usage(BO.toki, ["P1", "A-dev", 2])],
      kleerProjects: [kleerProject({ allUsers: false, users: [{ userId: ANNA.kleer, activityIds: [] }] })],
    });
    expect(result.problems).toEqual([{ kind: "project-not-visible", kleerProjectId: 901, tokiUserId: BO.toki, kleerUserId: BO.kleer, entryCount: 2 }]);
    expect(result.entriesReady).toBe(3);
  });

  it("reports mapped Kleer ids that do not exist, and missing or inactive Kleer users", () => {
    const result = check({
      mapping: { ...mapping, projects: [{ milltimeProjectId: "P1", kleerProjectId: 777 }] },
      usage: [usage(ANNA.toki, ["P1", "A-dev", 3]), usage(BO.toki, ["P1", "A-qa", 1])],
      kleerActivities: [{ id: DEV }, { id: MEET }],
      kleerUsers: [{ id: ANNA.kleer, active: false }],
    });
    expect(result.problems).toEqual([
      { kind: "kleer-user-missing", tokiUserId: BO.toki, kleerUserId: BO.kleer, entryCount: 1 },
      { kind: "kleer-user-inactive", tokiUserId: ANNA.toki, kleerUserId: ANNA.kleer, entryCount: 3 },
      { kind: "kleer-project-missing", kleerProjectId: 777, milltimeProjectIds: ["P1"], tokiUserIds: [1, 2], entryCount: 4 },
      { kind: "kleer-activity-missing", kleerActivityId: QA, milltimeActivityIds: ["A-qa"], tokiUserIds: [2], entryCount: 1 },
    ]);
  });

  // One row per line of the truth table in kleer-api.md §7; Anna reports DEV, MEET and QA.
  it.each([
    { row: "all-activities", project: { allActivities: true, activityIds: [DEV], users: [{ userId: ANNA.kleer, activityIds: [MEET] }] }, notAllowed: [] },
    { row: "nothing", project: { allActivities: false, activityIds: [], users: [{ userId: ANNA.kleer, activityIds: [] }] }, notAllowed: [DEV, MEET, QA] },
    { row: "user", project: { allActivities: false, activityIds: [], users: [{ userId: ANNA.kleer, activityIds: [MEET] }] }, notAllowed: [DEV, QA] },
    { row: "project", project: { allActivities: false, activityIds: [DEV, QA], users: [{ userId: ANNA.kleer, activityIds: [] }] }, notAllowed: [MEET] },
    { row: "project-and-user", project: { allActivities: false, activityIds: [DEV, MEET], users: [{ userId: ANNA.kleer, activityIds: [MEET, QA] }] }, notAllowed: [DEV, QA] },
  ] as const)("activity rule row $row: reports exactly the activities outside the allowed set", ({ row, project, notAllowed }) => {
    const result = check({
      usage: [usage(ANNA.toki, ["P1", "A-dev", 1], ["P1", "A-meet", 2], ["P1", "A-qa", 4])],
      kleerProjects: [kleerProject({ allUsers: false, ...project, users: [...project.users] as KleerProjectInfo["users"], activityIds: [...project.activityIds] })],
    });
    expect(result.problems).toEqual(
      notAllowed.map((kleerActivityId) => ({
        kind: "activity-not-allowed",
        kleerProjectId: 901,
        kleerActivityId,
        tokiUserId: ANNA.toki,
        kleerUserId: ANNA.kleer,
        rule: row,
        entryCount: kleerActivityId === DEV ? 1 : kleerActivityId === MEET ? 2 : 4,
      })),
    );
    const blocked = notAllowed.reduce((n, id) => n + (id === DEV ? 1 : id === MEET ? 2 : 4), 0);
    expect(result.entriesReady).toBe(7 - blocked);
    expect(result.ok).toBe(notAllowed.length === 0);
  });

  it("orders its lists deterministically whatever the usage order", () => {
    const a = check({ usage: [usage(BO.toki, ["P9", "A-y", 1], ["P8", "A-x", 1]), usage(ANNA.toki, ["P10", "A-x", 1])] });
    const b = check({ usage: [usage(ANNA.toki, ["P10", "A-x", 1]), usage(BO.toki, ["P8", "A-x", 1], ["P9", "A-y", 1])] });
    expect(a).toEqual(b);
    expect(a.unmappedProjects.map((p) => p.milltimeId)).toEqual(["P10", "P8", "P9"]);
  });
});
