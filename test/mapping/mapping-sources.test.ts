import { describe, expect, it } from "vitest";
import { TokiError } from "../../src/domain/errors.js";
import type { Activity, DateRange, Project, TimeEntry } from "../../src/domain/time-entry.js";
import { globalRedactor } from "../../src/http/redact.js";
import {
  buildMappingCoverage,
  buildMappingSuggestion,
  usageFromEntries,
  type KleerMappingDirectory,
  type KleerProjectListing,
  type MilltimeAccount,
  type MilltimeMappingReader,
} from "../../src/mapping/mapping-sources.js";

const RANGE: DateRange = { from: "2026-05-01", to: "2026-05-31" };

function entry(registrationId: string, projectId: string, projectName: string, activityId: string, activityName: string): TimeEntry {
  return {
    registrationId, projectId, projectName, activityId, activityName, date: "2026-05-12", hours: 1, note: "", startTime: null, endTime: null,
    weekNumber: 20, lock: { kind: "attestLevel", attestLevel: 0 },
  };
}

interface FakeMilltime extends MilltimeMappingReader {
  calls: string[];
}

function fakeMilltime(data: { projects: Project[]; activities: Record<string, Activity[]>; entries: TimeEntry[]; fail?: "projects" | "time-entries" | Error }): FakeMilltime {
  const calls: string[] = [];
  const maybeFail = (step: string) => {
    if (data.fail instanceof Error) throw data.fail;
    if (data.fail === step) throw new TokiError("UNREACHABLE", `Milltime ${step} unreachable`);
  };
  return {
    calls,
    async getProjects() {
      calls.push("projects");
      maybeFail("projects");
      return data.projects;
    },
    async getActivities(projectId, range) {
      calls.push(`activities:${projectId}:${range.from}..${range.to}`);
      const list = data.activities[projectId];
      if (!list) throw new TokiError("NOT_FOUND", `no phase for project ${projectId}`);
      return list;
    },
    async getTimeEntries(range) {
      calls.push(`entries:${range.from}..${range.to}`);
      maybeFail("time-entries");
      return data.entries;
    },
  };
}

function fakeKleer(projects: KleerProjectListing[]): KleerMappingDirectory & { calls: number } {
  const directory = {
    calls: 0,
    async listKleerUsers() {
      directory.calls += 1;
      return [
        { id: 5001, name: "Anna A", email: "anna@example.com", active: true },
        { id: 5002, name: "Bo B", email: "bo@example.com", active: true },
      ];
    },
    async listKleerProjects() {
      directory.calls += 1;
      return projects;
    },
    async listKleerActivities() {
      directory.calls += 1;
      return [{ id: 22427, name: "Utveckling" }, { id: 22428, name: "Möte" }];
    },
  };
  return directory;
}

const intranet: KleerProjectListing = { id: 901, name: "Intranät", number: "P-1042", active: true, allUsers: false, users: [{ userId: 5001, activityIds: [] }], allActivities: false, activityIds: [22427] };

describe("buildMappingSuggestion", () => {
  it("gathers projects, activities and users from every source and suggests a mapping", async () => {
    const anna = fakeMilltime({
      projects: [{ id: "300000000000241970", name: "Intranät", code: "P-1042" }],
      activities: { "300000000000241970": [{ id: "201201111420550010", name: "Utveckling", projectId: "300000000000241970" }] },
      entries: [entry("r1", "300000000000241999", "Gammalt projekt", "201201111420550011", "Möte")],
    });
    const bo = fakeMilltime({
      projects: [{ id: "300000000000241970", name: "Intranät", code: "P-1042" }],
      activities: { "300000000000241970": [{ id: "201201111420550010", name: "Utveckling", projectId: "300000000000241970" }] },
      entries: [],
    });
    const accounts: MilltimeAccount[] = [
      { tokiUserId: 2, milltimeUserId: "102", username: "bo", reader: bo },
      { tokiUserId: 1, milltimeUserId: "101", username: "anna", reader: anna },
    ];
    const kleer = fakeKleer([intranet]);
    const run = await buildMappingSuggestion(
      { kleer, tokiUsers: [{ tokiUserId: 1, email: "anna@example.com" }, { tokiUserId: 2, email: "Bo@Example.com" }], milltimeAccounts: accounts },
      { range: RANGE, concurrency: 1 },
    );

    expect(kleer.calls).toBe(3);
    // The activities of a project are read once, through the first account (by Toki id) that lists it.
    expect(anna.calls).toEqual(["projects", "entries:2026-05-01..2026-05-31", "activities:300000000000241970:2026-05-01..2026-05-31"]);
    expect(bo.calls).toEqual(["projects", "entries:2026-05-01..2026-05-31"]);
    expect(run.sourceErrors).toEqual([]);
    expect(run.input.milltimeProjects).toEqual([
      { id: "300000000000241970", name: "Intranät", code: "P-1042" },
      { id: "300000000000241999", name: "Gammalt projekt" },
    ]);
    expect(run.suggestion.mapping).toEqual({
      users: [
        { tokiUserId: 1, email: "anna@example.com", milltimeUserId: "101", kleerUserId: 5001 },
        { tokiUserId: 2, email: "Bo@Example.com", milltimeUserId: "102", kleerUserId: 5002 },
      ],
      projects: [{ milltimeProjectId: "300000000000241970", kleerProjectId: 901 }],
      activities: [
        { milltimeActivityId: "201201111420550010", kleerActivityId: 22427 },
        { milltimeActivityId: "201201111420550011", kleerActivityId: 22428 },
      ],
    });
    expect(run.suggestion.unmatched).toEqual([{ kind: "project", key: "300000000000241999", label: "Gammalt projekt", candidates: [] }]);
  });

  it("reports a failing Milltime account or project without stopping, secrets redacted", async () => {
    globalRedactor.add("hunter2-secret");
    const broken = fakeMilltime({ projects: [], activities: {}, entries: [], fail: new TokiError("AUTH_FAILED", "login as cia with hunter2-secret refused") });
    const noPhase = fakeMilltime({ projects: [{ id: "300000000000000007", name: "Phaseless" }], activities: {}, entries: [], fail: "time-entries" });
    const run = await buildMappingSuggestion(
      { kleer: fakeKleer([]), tokiUsers: [], milltimeAccounts: [{ tokiUserId: 3, reader: broken }, { tokiUserId: 4, reader: noPhase }] },
      { range: RANGE },
    );
    expect(run.sourceErrors).toEqual([
      { tokiUserId: 3, step: "projects", code: "AUTH_FAILED", message: "login as cia with [redacted] refused" },
      { tokiUserId: 3, step: "time-entries", code: "AUTH_FAILED", message: "login as cia with [redacted] refused" },
      { tokiUserId: 4, step: "activities", projectId: "300000000000000007", code: "NOT_FOUND", message: "no phase for project 300000000000000007" },
      { tokiUserId: 4, step: "time-entries", code: "UNREACHABLE", message: "Milltime time-entries unreachable" },
    ]);
    expect(run.input.milltimeProjects).toEqual([{ id: "300000000000000007", name: "Phaseless", code: undefined }]);
  });

  it("lets a Kleer failure through: nothing can be suggested without Kleer", async () => {
    const kleer = { ...fakeKleer([]), listKleerProjects: async () => Promise.reject(new TokiError("AUTH_FAILED", "Kleer token rejected")) };
    await expect(buildMappingSuggestion({ kleer, tokiUsers: [], milltimeAccounts: [] }, { range: RANGE })).rejects.toThrow("Kleer token rejected");
  });
});

describe("usageFromEntries", () => {
  it("groups entries by project and activity with counts, in id order", () => {
    const usage = usageFromEntries(1, [
      entry("r1", "P2", "Two", "A1", "Dev"),
      entry("r2", "P1", "One", "A2", "Meet"),
      entry("r3", "P2", "Two", "A1", "Dev"),
    ], "anna@example.com");
    expect(usage).toEqual({
      tokiUserId: 1,
      email: "anna@example.com",
      entries: [
        { milltimeProjectId: "P1", projectName: "One", milltimeActivityId: "A2", activityName: "Meet", entryCount: 1 },
        { milltimeProjectId: "P2", projectName: "Two", milltimeActivityId: "A1", activityName: "Dev", entryCount: 2 },
      ],
    });
  });
});

describe("buildMappingCoverage", () => {
  it("reads each account's entries in the range and checks them against the mapping and Kleer's rules", async () => {
    const anna = fakeMilltime({
      projects: [],
      activities: {},
      entries: [
        entry("r1", "300000000000241970", "Intranät", "201201111420550010", "Utveckling"),
        entry("r2", "300000000000241970", "Intranät", "201201111420550011", "Möte"),
        entry("r3", "300000000000249999", "Okänt", "201201111420550010", "Utveckling"),
      ],
    });
    const bo = fakeMilltime({ projects: [], activities: {}, entries: [entry("r4", "300000000000241970", "Intranät", "201201111420550010", "Utveckling")] });
    const mapping = {
      users: [
        { tokiUserId: 1, kleerUserId: 5001 },
        { tokiUserId: 2, kleerUserId: 5002 },
        { tokiUserId: 5, kleerUserId: 5005 },
      ],
      projects: [{ milltimeProjectId: "300000000000241970", kleerProjectId: 901 }],
      activities: [
        { milltimeActivityId: "201201111420550010", kleerActivityId: 22427 },
        { milltimeActivityId: "201201111420550011", kleerActivityId: 22428 },
      ],
    };
    const run = await buildMappingCoverage(
      { kleer: fakeKleer([intranet]), milltimeAccounts: [{ tokiUserId: 1, reader: anna }, { tokiUserId: 2, reader: bo }] },
      { range: RANGE, mapping },
    );
    expect(anna.calls).toEqual(["entries:2026-05-01..2026-05-31"]);
    expect(run.usersWithoutSource).toEqual([5]);
    expect(run.coverage).toMatchObject({ users: 2, entries: 4, entriesReady: 1, ok: false });
    expect(run.coverage.unmappedProjects).toEqual([{ milltimeId: "300000000000249999", name: "Okänt", entryCount: 1, tokiUserIds: [1] }]);
    expect(run.coverage.problems).toEqual([
      { kind: "project-not-visible", kleerProjectId: 901, tokiUserId: 2, kleerUserId: 5002, entryCount: 1 },
      { kind: "activity-not-allowed", kleerProjectId: 901, kleerActivityId: 22428, tokiUserId: 1, kleerUserId: 5001, rule: "project", entryCount: 1 },
    ]);
  });

  it("limits the accounts and mapped users to the requested Toki users", async () => {
    const anna = fakeMilltime({ projects: [], activities: {}, entries: [] });
    const bo = fakeMilltime({ projects: [], activities: {}, entries: [] });
    const run = await buildMappingCoverage(
      { kleer: fakeKleer([intranet]), milltimeAccounts: [{ tokiUserId: 1, reader: anna }, { tokiUserId: 2, reader: bo }] },
      { range: RANGE, mapping: { users: [{ tokiUserId: 1 }, { tokiUserId: 2 }, { tokiUserId: 3 }], projects: [], activities: [] }, tokiUserIds: [2, 3] },
    );
    expect(anna.calls).toEqual([]);
    expect(bo.calls).toEqual(["entries:2026-05-01..2026-05-31"]);
    expect(run.usersWithoutSource).toEqual([3]);
    expect(run.coverage).toMatchObject({ users: 1, entries: 0, ok: true });
  });
});
