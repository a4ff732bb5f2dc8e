import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeSuggestionIntoDocument } from "../../src/mapping/mapping-merge.js";
import { compareIds, normaliseName, normaliseProjectNumber } from "../../src/mapping/mapping-normalise.js";
import { suggestMapping } from "../../src/mapping/mapping-suggest.js";
import type { SuggestMappingInput } from "../../src/mapping/mapping-suggest-types.js";
import { parseMappingDocument } from "../../src/mapping/mapping-file.js";

function input(overrides: Partial<SuggestMappingInput> = {}): SuggestMappingInput {
  return {
    tokiUsers: [],
    milltimeUsers: [],
    kleerUsers: [],
    milltimeProjects: [],
    kleerProjects: [],
    milltimeActivities: [],
    kleerActivities: [],
    ...overrides,
  };
}

const kleerUser = (id: number, email: string | null, active = true) => ({ id, name: `Kleer ${id}`, email, active });
const kleerProject = (id: number, name: string, number = "", active = true) => ({ id, name, number, active });

describe("normalisation", () => {
  it("folds case, punctuation and whitespace but keeps Swedish letters", () => {
    expect(normaliseName("  Intranät – Revamp!! ")).toBe("intranät revamp");
    expect(normaliseName("ÖVRIGT")).toBe("övrigt");
    expect(normaliseName("Ovrigt")).not.toBe(normaliseName("Övrigt"));
    expect(normaliseName("O\u0308vrigt")).toBe("övrigt"); // decomposed Ö
    expect(normaliseProjectNumber(" P-1042 ")).toBe("p1042");
  });

  it("orders long numeric ids by value", () => {
    expect(["400000000000000010", "9", "300000000000241970", "abc"].sort(compareIds)).toEqual(["9", "300000000000241970", "400000000000000010", "abc"]);
  });
});

describe("suggestMapping: users", () => {
  it("matches Toki users to Kleer users by email: exact 1.0, normalised 0.9", () => {
    const result = suggestMapping(
      input({
        tokiUsers: [{ tokiUserId: 1, email: "anna@example.com" }, { tokiUserId: 2, email: "Bo.Berg@Example.com " }],
        kleerUsers: [kleerUser(5001, "anna@example.com"), kleerUser(5002, "bo.berg@example.com", false)],
      }),
    );
    expect(result.users).toEqual([
      { target: "kleer", tokiUserId: 1, email: "anna@example.com", kleerUserId: 5001, kleerName: "Kleer 5001", kleerActive: true, reason: "email", confidence: 1 },
      { target: "kleer", tokiUserId: 2, email: "Bo.Berg@Example.com ", kleerUserId: 5002, kleerName: "Kleer 5002", kleerActive: false, reason: "email", confidence: 0.9 },
    ]);
    expect(result.mapping.users).toEqual([
      { tokiUserId: 1, email: "anna@example.com", kleerUserId: 5001 },
      { tokiUserId: 2, email: "Bo.Berg@Example.com ", kleerUserId: 5002 },
    ]);
  });

  it("links Milltime accounts by the Toki id from the credentials, else by email or an email-like username", () => {
    const result = suggestMapping(
      input({
        tokiUsers: [{ tokiUserId: 1, email: "anna@example.com" }, { tokiUserId: 2, email: "bo@example.com" }, { tokiUserId: 3, email: "cia@example.com" }],
        milltimeUsers: [
          { milltimeUserId: "101", tokiUserId: 1, username: "anna" },
          { milltimeUserId: "102", email: "BO@example.com" },
          { milltimeUserId: "103", username: "cia@example.com" },
          { milltimeUserId: "104", username: "ghost" },
        ],
      }),
    );
    expect(result.users).toEqual([
      { target: "milltime", tokiUserId: 1, email: "anna@example.com", milltimeUserId: "101", reason: "toki-user-id", confidence: 1 },
      { target: "milltime", tokiUserId: 2, email: "bo@example.com", milltimeUserId: "102", reason: "email", confidence: 0.9 },
      { target: "milltime", tokiUserId: 3, email: "cia@example.com", milltimeUserId: "103", reason: "email", confidence: 1 },
    ]);
    expect(result.unmatched.filter((u) => u.kind === "milltime-user")).toEqual([{ kind: "milltime-user", key: "104", label: "ghost", candidates: [] }]);
  });

  it("lists ambiguous users with their candidates and suggests nothing for them", () => {
    const result = suggestMapping(
      input({
        tokiUsers: [{ tokiUserId: 1, email: "anna@example.com" }, { tokiUserId: 2, email: "dup@example.com" }, { tokiUserId: 3, email: "Dup@example.com" }],
        kleerUsers: [kleerUser(5001, "anna@example.com"), kleerUser(5009, "ANNA@example.com", false), kleerUser(5002, "dup@example.com")],
      }),
    );
    expect(result.users).toEqual([]);
    expect(result.ambiguous).toEqual([
      { kind: "user", key: "1", label: "anna@example.com", reason: "email", candidates: [
        { id: 5001, name: "Kleer 5001", detail: "anna@example.com", active: true },
        { id: 5009, name: "Kleer 5009", detail: "ANNA@example.com", active: false },
      ] },
      { kind: "user", key: "2", label: "dup@example.com (same email as Toki user 3)", reason: "email", candidates: [{ id: 5002, name: "Kleer 5002", detail: "dup@example.com", active: true }] },
      { kind: "user", key: "3", label: "Dup@example.com (same email as Toki user 2)", reason: "email", candidates: [{ id: 5002, name: "Kleer 5002", detail: "dup@example.com", active: true }] },
    ]);
  });

  it("never overwrites an explicit user entry: disagreements are conflicts", () => {
    const result = suggestMapping(
      input({
        existing: {
          users: [{ tokiUserId: 1, email: "anna@example.com", kleerUserId: 5999, milltimeUserId: "101" }, { tokiUserId: 9, kleerUserId: 5002 }],
          projects: [],
          activities: [],
        },
        tokiUsers: [{ tokiUserId: 1, email: "anna@example.com" }, { tokiUserId: 2, email: "bo@example.com" }],
        milltimeUsers: [{ milltimeUserId: "101", tokiUserId: 1 }],
        kleerUsers: [kleerUser(5001, "anna@example.com"), kleerUser(5002, "bo@example.com")],
      }),
    );
    expect(result.users).toEqual([]);
    expect(result.conflicts).toEqual([
      { kind: "user-kleer", key: "1", existing: "Kleer user 5999", suggested: "Kleer user 5001 (Kleer 5001)", reason: "email", confidence: 1 },
      { kind: "user-kleer", key: "2", existing: "Kleer user 5002 is mapped to Toki user 9", suggested: "Kleer user 5002 (Kleer 5002)", reason: "email", confidence: 1 },
    ]);
    expect(result.confirmed.users).toBe(1); // the Milltime account of user 1
    expect(result.mapping.users).toEqual([
      { tokiUserId: 1, email: "anna@example.com", kleerUserId: 5999, milltimeUserId: "101" },
      { tokiUserId: 9, kleerUserId: 5002 },
    ]);
  });

  it("fills a field an explicit entry leaves open", () => {
    const result = suggestMapping(
      input({
        existing: { users: [{ tokiUserId: 1, milltimeUserId: "101" }], projects: [], activities: [] },
        tokiUsers: [{ tokiUserId: 1, email: "anna@example.com" }],
        kleerUsers: [kleerUser(5001, "anna@example.com")],
      }),
    );
    expect(result.mapping.users).toEqual([{ tokiUserId: 1, milltimeUserId: "101", kleerUserId: 5001 }]);
  });

  it("reports unmatched users with hints sharing the email's local part", () => {
    const result = suggestMapping(
      input({
        tokiUsers: [{ tokiUserId: 1, email: "anna@old-domain.se" }],
        kleerUsers: [kleerUser(5001, "anna@example.com"), kleerUser(5002, "bo@old-domain.se"), kleerUser(5003, null)],
      }),
    );
    expect(result.unmatched).toEqual([{ kind: "user", key: "1", label: "anna@old-domain.se", candidates: [{ id: 5001, name: "Kleer 5001", detail: "anna@example.com", active: true }] }]);
  });
});

describe("suggestMapping: projects and activities", () => {
  const kleerProjects = [
    kleerProject(901, "Intranet revamp", "P-1042"),
    kleerProject(902, "Kund Ö AB – support", "", false),
    kleerProject(903, "Övrigt", "X-1"),
    kleerProject(904, "Internt", "P-2000"),
    kleerProject(905, "Internt", "P-2000b"),
  ];

  it("matches by project number first (exact 1.0, normalised 0.9), then by normalised name", () => {
    const result = suggestMapping(
      input({
        milltimeProjects: [
          { id: "300000000000000001", name: "Intranät (old name)", code: "P-1042" },
          { id: "300000000000000002", name: "Something else", code: "p 1042" },
          { id: "300000000000000003", name: "kund ö ab: SUPPORT", code: null },
          { id: "300000000000000004", name: "Övrigt", code: "" },
        ],
        kleerProjects,
      }),
    );
    expect(result.projects.map((p) => [p.milltimeProjectId, p.kleerProjectId, p.reason, p.confidence])).toEqual([
      ["300000000000000001", 901, "project-number", 1],
      ["300000000000000002", 901, "project-number", 0.9],
      ["300000000000000003", 902, "name", 0.9],
      ["300000000000000004", 903, "name", 1],
    ]);
    expect(result.projects[2]).toMatchObject({ kleerActive: false, kleerName: "Kund Ö AB – support", milltimeCode: undefined });
  });

  it("keeps Swedish letters apart and lists weaker name hints for unmatched projects", () => {
    const result = suggestMapping(input({ milltimeProjects: [{ id: "1", name: "Ovrigt" }, { id: "2", name: "Intranet" }], kleerProjects }));
    expect(result.projects).toEqual([]);
    expect(result.unmatched).toEqual([
      { kind: "project", key: "1", label: "Ovrigt", candidates: [] },
      { kind: "project", key: "2", label: "Intranet", candidates: [{ id: 901, name: "Intranet revamp", detail: "P-1042", active: true }] },
    ]);
  });

  it("lists ambiguous projects and activities with every candidate", () => {
    const result = suggestMapping(
      input({
        milltimeProjects: [{ id: "10", name: "Internt" }],
        kleerProjects,
        milltimeActivities: [{ id: "20", name: "Möte" }],
        kleerActivities: [{ id: 22, name: "möte" }, { id: 21, name: "MÖTE " }],
      }),
    );
    expect(result.projects).toEqual([]);
    expect(result.activities).toEqual([]);
    expect(result.ambiguous).toEqual([
      { kind: "project", key: "10", label: "Internt", reason: "name", candidates: [
        { id: 904, name: "Internt", detail: "P-2000", active: true },
        { id: 905, name: "Internt", detail: "P-2000b", active: true },
      ] },
      { kind: "activity", key: "20", label: "Möte", reason: "name", candidates: [{ id: 21, name: "MÖTE " }, { id: 22, name: "möte" }] },
    ]);
  });

  it("does not fall back to the name when the project number is ambiguous", () => {
    const result = suggestMapping(
      input({
        milltimeProjects: [{ id: "11", name: "Intranet revamp", code: "P-1042" }],
        kleerProjects: [...kleerProjects, kleerProject(906, "Old intranet", "P1042", false)],
      }),
    );
    expect(result.projects).toEqual([]);
    expect(result.ambiguous).toEqual([
      { kind: "project", key: "11", label: "Intranet revamp (P-1042)", reason: "project-number", candidates: [
        { id: 901, name: "Intranet revamp", detail: "P-1042", active: true },
        { id: 906, name: "Old intranet", detail: "P1042", active: false },
      ] },
    ]);
  });

  it("matches activities by normalised name and never overwrites explicit entries", () => {
    const result = suggestMapping(
      input({
        existing: { users: [], projects: [{ milltimeProjectId: "1", kleerProjectId: 999 }], activities: [{ milltimeActivityId: "21", kleerActivityId: 22428 }] },
        milltimeProjects: [{ id: "1", name: "Intranet revamp" }],
        kleerProjects,
        milltimeActivities: [{ id: "20", name: "Utveckling" }, { id: "21", name: "Möte" }, { id: "22", name: "Test & QA" }],
        kleerActivities: [{ id: 22427, name: "Utveckling" }, { id: 22428, name: "Möte" }, { id: 22429, name: "test/qa" }],
      }),
    );
    expect(result.activities).toEqual([
      { milltimeActivityId: "20", milltimeName: "Utveckling", kleerActivityId: 22427, kleerName: "Utveckling", reason: "name", confidence: 1 },
      { milltimeActivityId: "22", milltimeName: "Test & QA", kleerActivityId: 22429, kleerName: "test/qa", reason: "name", confidence: 0.9 },
    ]);
    expect(result.conflicts).toEqual([{ kind: "project", key: "1", existing: "Kleer project 999", suggested: "Kleer project 901 (Intranet revamp)", reason: "name", confidence: 1 }]);
    expect(result.confirmed).toEqual({ users: 0, projects: 0, activities: 1 });
    expect(result.mapping.projects).toEqual([{ milltimeProjectId: "1", kleerProjectId: 999 }]);
    expect(result.mapping.activities).toEqual([
      { milltimeActivityId: "21", kleerActivityId: 22428 },
      { milltimeActivityId: "20", kleerActivityId: 22427 },
      { milltimeActivityId: "22", kleerActivityId: 22429 },
    ]);
  });
});

describe("suggestMapping: determinism", () => {
  const base = input({
    tokiUsers: [{ tokiUserId: 3, email: "c@x.se" }, { tokiUserId: 1, email: "a@x.se" }, { tokiUserId: 2, email: "b@x.se" }],
    milltimeUsers: [{ milltimeUserId: "102", email: "b@x.se" }, { milltimeUserId: "101", tokiUserId: 1 }, { milltimeUserId: "109", username: "nobody" }],
    kleerUsers: [kleerUser(3, "c@x.se"), kleerUser(1, "a@x.se"), kleerUser(4, "A@x.se"), kleerUser(2, "b@x.se")],
    milltimeProjects: [{ id: "300000000000000010", name: "Beta" }, { id: "9", name: "Alpha", code: "A1" }, { id: "300000000000000002", name: "Gamma" }],
    kleerProjects: [kleerProject(2, "beta"), kleerProject(1, "Alpha x", "a-1"), kleerProject(3, "Gamma"), kleerProject(4, "GAMMA")],
    milltimeActivities: [{ id: "2", name: "Dev" }, { id: "1", name: "Möte" }, { id: "3", name: "Other" }],
    kleerActivities: [{ id: 2, name: "dev" }, { id: 1, name: "Möte" }],
  });

  it("gives the same output, in the same order, whatever the input order", () => {
    const expected = suggestMapping(base);
    const arrays = (["tokiUsers", "milltimeUsers", "kleerUsers", "milltimeProjects", "kleerProjects", "milltimeActivities", "kleerActivities"] as const);
    fc.assert(
      fc.property(
        fc.tuple(...arrays.map((key) => fc.shuffledSubarray([...(base[key] as readonly unknown[])], { minLength: base[key].length }))),
        (shuffled) => {
          const permuted = { ...base } as Record<string, unknown>;
          arrays.forEach((key, i) => (permuted[key] = shuffled[i]));
          expect(suggestMapping(permuted as unknown as SuggestMappingInput)).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
    expect(expected.users.map((u) => `${u.tokiUserId}:${u.target}`)).toEqual(["1:milltime", "2:kleer", "2:milltime", "3:kleer"]);
    expect(expected.ambiguous.map((a) => `${a.kind}:${a.key}`)).toEqual(["user:1", "project:300000000000000002"]);
    expect(expected.unmatched.map((a) => `${a.kind}:${a.key}`)).toEqual(["milltime-user:109", "activity:3"]);
  });
});

describe("mergeSuggestionIntoDocument", () => {
  it("keeps existing entries and extra keys, fills open fields, appends new entries with provenance", () => {
    const { document, mapping } = parseMappingDocument({
      note: "hand-made",
      users: [{ tokiUserId: 1, email: "anna@example.com", milltimeUserId: "101", team: "A" }],
      projects: [{ milltimeProjectId: "1", kleerProjectId: 999, reason: "agreed with finance" }],
      activities: [],
    });
    const suggestion = suggestMapping(
      input({
        existing: mapping,
        tokiUsers: [{ tokiUserId: 1, email: "anna@example.com" }, { tokiUserId: 2, email: "Bo@example.com" }],
        kleerUsers: [kleerUser(5001, "anna@example.com"), kleerUser(5002, "bo@example.com")],
        milltimeProjects: [{ id: "1", name: "Intranet" }, { id: "2", name: "Support", code: "S-1" }],
        kleerProjects: [kleerProject(901, "Intranet"), kleerProject(902, "Support AB", "S1")],
        milltimeActivities: [{ id: "20", name: "Dev" }],
        kleerActivities: [{ id: 7, name: "dev" }],
      }),
    );
    const merged = mergeSuggestionIntoDocument(document, suggestion);
    expect(merged).toEqual({
      note: "hand-made",
      users: [
        { tokiUserId: 1, email: "anna@example.com", milltimeUserId: "101", team: "A", kleerUserId: 5001, kleerName: "Kleer 5001", suggested: { kleerUserId: { reason: "email", confidence: 1 } } },
        { tokiUserId: 2, email: "Bo@example.com", kleerUserId: 5002, kleerName: "Kleer 5002", suggested: { kleerUserId: { reason: "email", confidence: 0.9 } } },
      ],
      projects: [
        { milltimeProjectId: "1", kleerProjectId: 999, reason: "agreed with finance" },
        { milltimeProjectId: "2", kleerProjectId: 902, milltimeName: "Support", kleerName: "Support AB", reason: "project-number", confidence: 0.9 },
      ],
      activities: [{ milltimeActivityId: "20", kleerActivityId: 7, milltimeName: "Dev", kleerName: "dev", reason: "name", confidence: 0.9 }],
    });
    expect(() => parseMappingDocument(merged)).not.toThrow();

    const strict = mergeSuggestionIntoDocument(document, suggestion, { minConfidence: 1 });
    expect(strict.users.map((u) => u.kleerUserId)).toEqual([5001]);
    expect(strict.projects).toHaveLength(1);
    expect(strict.activities).toEqual([]);
  });
});
