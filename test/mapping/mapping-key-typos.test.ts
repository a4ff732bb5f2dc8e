import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { loadMappingFile, writeMappingFile } from "../../src/mapping/mapping-file.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-mapping-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(import.meta.dirname, "../..");

function write(name: string, document: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(document, null, 2));
  return path;
}

async function issuesOf(path: string): Promise<string[]> {
  const error = await loadMappingFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).issues;
}

describe("mapping file keys", () => {
  it("refuses a misspelt key the toolkit reads, naming the key it resembles", async () => {
    const path = write("typo.json", {
      users: [{ tokiUserId: 1, email: "anna@example.com", kleerUserID: 1001 }],
      projects: [{ milltimeProjectId: "300", kleerProjectId: 901, kleerprojectid: 902 }],
      activities: [{ milltimeActivityId: "201", kleerActivityId: 22, milltimeActivityID: "202" }],
      user: [],
    });
    expect(await issuesOf(path)).toEqual([
      `${path}: user: unknown key (did you mean "users"?)`,
      `${path}: users[0].kleerUserID: unknown key (did you mean "kleerUserId"?)`,
      `${path}: projects[0].kleerprojectid: unknown key (did you mean "kleerProjectId"?)`,
      `${path}: activities[0].milltimeActivityID: unknown key (did you mean "milltimeActivityId"?)`,
    ]);
  });

  it("lists a typo beside the schema's own problems (`tokiUserID` is why tokiUserId is missing)", async () => {
    const path = write("missing.json", { users: [{ tokiUserID: 7 }] });
    expect(await issuesOf(path)).toEqual([`${path}: users[0].tokiUserId: expected a number (timer_history.user_id)`, `${path}: users[0].tokiUserID: unknown key (did you mean "tokiUserId"?)`]);
  });

  it("keeps the annotations map suggest writes and any key that is not near a known one", async () => {
    const document = {
      comment: "reviewed 2026-11-30",
      users: [{ tokiUserId: 1, kleerUserId: 1001, kleerName: "Anna", suggested: { kleerUserId: { reason: "email", confidence: 1 } }, team: "Backend" }],
      projects: [{ milltimeProjectId: "300", kleerProjectId: 901, milltimeName: "Intern", kleerName: "Internt", reason: "number", confidence: 1 }],
      activities: [{ milltimeActivityId: "201", kleerActivityId: 22, kleerActive: false, note: "merged" }],
    };
    const path = write("annotated.json", document);
    const loaded = await loadMappingFile(path);
    expect(loaded.mapping.users).toEqual([{ tokiUserId: 1, email: undefined, milltimeUserId: undefined, kleerUserId: 1001 }]);
    await writeMappingFile(path, loaded.document);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(document);
  });

  it.each(["fixtures/mapping/mapping.json", "fixtures/demo/mapping.json", "test/doctor/fixtures/mapping.json", "test/probe/fixtures/mapping.json"])("the shipped %s loads", async (file) => {
    await expect(loadMappingFile(join(root, file))).resolves.toMatchObject({ path: join(root, file) });
  });
});
