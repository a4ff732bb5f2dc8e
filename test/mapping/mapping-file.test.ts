import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { loadMappingFile, parseMappingDocument, toMappingDocument, writeMappingFile } from "../../src/mapping/mapping-file.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/mapping/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "toki-mapping-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function issuesOf(value: unknown): string[] {
  try {
    parseMappingDocument(value, "m.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error("expected a ConfigError");
}

describe("mapping file", () => {
  it("every fixture under fixtures/mapping parses", async () => {
    for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith(".json"))) {
      await expect(loadMappingFile(join(FIXTURES, name))).resolves.toBeDefined();
    }
  });

  it("loads the domain mapping and keeps the raw document", async () => {
    const { mapping, document } = await loadMappingFile(join(FIXTURES, "mapping.json"));
    expect(mapping.users).toEqual([
      { tokiUserId: 1, email: "anna@example.com", milltimeUserId: "101", kleerUserId: 5001 },
      { tokiUserId: 2, email: "bo@example.com", milltimeUserId: "102", kleerUserId: 5002 },
      { tokiUserId: 3, email: "cia@example.com", milltimeUserId: "103", kleerUserId: undefined },
    ]);
    expect(mapping.projects).toEqual([
      { milltimeProjectId: "300000000000241970", kleerProjectId: 901 },
      { milltimeProjectId: "300000000000241971", kleerProjectId: 902 },
    ]);
    expect(mapping.activities[0]).toEqual({ milltimeActivityId: "201201111420550010", kleerActivityId: 22427 });
    expect(document.comment).toMatch(/^Example mapping/);
    expect(document.users[0]?.kleerName).toBe("Anna Andersson");
  });

  it("writes extra keys back unchanged", async () => {
    const source = join(FIXTURES, "mapping.json");
    const { document } = await loadMappingFile(source);
    const out = join(dir, "rewritten.json");
    await writeMappingFile(out, document);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(JSON.parse(readFileSync(source, "utf8")));
    expect(readFileSync(out, "utf8").endsWith("}\n")).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes a domain mapping without inventing keys", async () => {
    const out = join(dir, "domain.json");
    await writeMappingFile(out, { users: [{ tokiUserId: 4, kleerUserId: 5004 }], projects: [], activities: [] });
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ users: [{ tokiUserId: 4, kleerUserId: 5004 }], projects: [], activities: [] });
    expect(toMappingDocument({ users: [{ tokiUserId: 4, email: undefined }], projects: [], activities: [] }).users).toEqual([{ tokiUserId: 4 }]);
  });

  it("names every bad entry by path and reason", () => {
    const issues = issuesOf({
      users: [{ tokiUserId: "1" }, { tokiUserId: 2, milltimeUserId: 102, kleerUserId: 1.5 }],
      projects: [{ milltimeProjectId: 300000000000241970, kleerProjectId: 901 }, { milltimeProjectId: "3", kleerProjectId: "901" }, { kleerProjectId: 1 }],
      activities: [{ milltimeActivityId: " 2 ", kleerActivityId: -1 }],
    });
    expect(issues).toEqual([
      "m.json: users[0].tokiUserId: expected a number (timer_history.user_id)",
      "m.json: users[1].milltimeUserId: expected a string (write Milltime ids in quotes: 18-digit numbers lose precision in JSON)",
      "m.json: users[1].kleerUserId: expected an integer",
      "m.json: projects[0].milltimeProjectId: expected a string (write Milltime ids in quotes: 18-digit numbers lose precision in JSON)",
      "m.json: projects[1].kleerProjectId: expected a number (Kleer ids are integers)",
      "m.json: projects[2].milltimeProjectId: expected a string (write Milltime ids in quotes: 18-digit numbers lose precision in JSON)",
      "m.json: activities[0].milltimeActivityId: expected a non-empty id without spaces",
      "m.json: activities[0].kleerActivityId: expected a positive integer",
    ]);
  });

  it("rejects a section that is not an array, and treats a missing one as empty", () => {
    expect(issuesOf({ users: {} })).toEqual(["m.json: users: expected an array"]);
    expect(parseMappingDocument({ users: [] }).mapping).toEqual({ users: [], projects: [], activities: [] });
  });

  it("reports duplicate and conflicting entries", () => {
    const issues = issuesOf({
      users: [
        { tokiUserId: 1, email: "Anna@Example.com", milltimeUserId: "101", kleerUserId: 5001 },
        { tokiUserId: 1, email: "other@example.com" },
        { tokiUserId: 2, email: " anna@example.com", milltimeUserId: "101", kleerUserId: 5001 },
      ],
      projects: [
        { milltimeProjectId: "300", kleerProjectId: 901 },
        { milltimeProjectId: "300", kleerProjectId: 902 },
        { milltimeProjectId: "300", kleerProjectId: 901 },
        { milltimeProjectId: "301", kleerProjectId: 901 },
      ],
      activities: [
        { milltimeActivityId: "200", kleerActivityId: 1 },
        { milltimeActivityId: "200", kleerActivityId: 2 },
      ],
    });
    expect(issues).toEqual([
      "m.json: users[1].tokiUserId: 1 repeats users[0] (duplicate entry)",
      'm.json: users[2].email: "anna@example.com" repeats users[0] (duplicate entry)',
      'm.json: users[2].milltimeUserId: "101" repeats users[0] (duplicate entry)',
      "m.json: users[2].kleerUserId: 5001 repeats users[0] (duplicate entry)",
      'm.json: projects[1].milltimeProjectId: "300" is mapped to Kleer project 901 at projects[0] and to Kleer project 902 here (conflict)',
      'm.json: projects[2].milltimeProjectId: "300" repeats projects[0] (duplicate entry)',
      'm.json: activities[1].milltimeActivityId: "200" is mapped to Kleer activity 1 at activities[0] and to Kleer activity 2 here (conflict)',
    ]);
  });

  it("reports a missing file, bad JSON, and refuses to write an invalid mapping", async () => {
    await expect(loadMappingFile(join(dir, "missing.json"))).rejects.toThrow(/mapping file not found/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{users:");
    await expect(loadMappingFile(bad)).rejects.toThrow(/is not JSON/);
    const out = join(dir, "never.json");
    await expect(writeMappingFile(out, { users: [], projects: [{ milltimeProjectId: "1", kleerProjectId: 1 }, { milltimeProjectId: "1", kleerProjectId: 2 }], activities: [] })).rejects.toBeInstanceOf(ConfigError);
    expect(readdirSync(dir)).not.toContain("never.json");
  });
});
