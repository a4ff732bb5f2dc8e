import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoverageResult, MappingDocument } from "../../src/mapping/index.js";
import {
  captureOutput,
  cli,
  DEMO,
  demoSecrets,
  fixedCredentials,
  KONFERENS,
  OSKAR,
  printed,
  readJson,
  SARA,
  sourceArgs,
  startDemoEmulators,
  tempDir,
  TIDRAPPORTERING,
  writeJson,
  type Emulators,
} from "./map-test-support.js";

captureOutput();

const demoMapping = join(DEMO, "mapping.json");

describe("toki-parity map check on the demo company", () => {
  let em: Emulators;
  beforeAll(async () => {
    em = await startDemoEmulators();
  });
  afterAll(async () => {
    await em.close();
  });

  it("reports the planted gaps with entry counts and exits 1 with a one-line reason", async () => {
    const run = await cli("map", "check", ...sourceArgs(em), "--mapping", demoMapping);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Legacy entries: 1040 of 9 users; 942 ready for Kleer (90.6%)");
    expect(run.stdout).toContain("Unmapped users (1):\n  Toki user 10 oskar.karlsson@example.se: in the mapping without a Kleer user — 96 entries");
    expect(run.stdout).toContain(`Unmapped projects (1):\n  Milltime project ${TIDRAPPORTERING} "Tidrapportering Toki" — 1 entry (Toki users 1)`);
    expect(run.stdout).toContain(`Unmapped activities (1):\n  Milltime activity ${KONFERENS} "Konferens" — 1 entry (Toki users 1)`);
    expect(run.stdout).toContain("Refused by Kleer: none");
    expect(run.stdout).toContain("Source errors (1) — these users' entries were not (fully) checked:\n  Toki user 9, login: AUTH_FAILED: Milltime login failed for Toki user 9 (sara)");
    expect(run.stdout).toContain("Coverage incomplete: 1 unmapped user, 1 unmapped project, 1 unmapped activity, 1 user not (fully) read.");
    expect(run.stderr.trim()).toBe("map check failed: 1 unmapped user, 1 unmapped project, 1 unmapped activity, 1 user not (fully) read (98 of 1040 legacy entries not ready)");
  });

  it("prints the same result as JSON with --json", async () => {
    const run = await cli("map", "check", ...sourceArgs(em), "--mapping", demoMapping, "--json");
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { ok: boolean; coverage: CoverageResult; sourceErrors: Array<{ tokiUserId: number; step: string; code: string }>; usersWithoutAccount: number[] };
    expect(json.ok).toBe(false);
    expect(json.coverage.unmappedUsers).toEqual([{ tokiUserId: OSKAR, email: "oskar.karlsson@example.se", entryCount: 96, reason: "no-kleer-user" }]);
    expect(json.coverage.unmappedProjects).toEqual([{ milltimeId: TIDRAPPORTERING, name: "Tidrapportering Toki", entryCount: 1, tokiUserIds: [1] }]);
    expect(json.coverage.unmappedActivities).toEqual([{ milltimeId: KONFERENS, name: "Konferens", entryCount: 1, tokiUserIds: [1] }]);
    expect(json.coverage.problems).toEqual([]);
    expect(json.sourceErrors).toEqual([expect.objectContaining({ tokiUserId: SARA, step: "login", code: "AUTH_FAILED" })]);
    expect(json.usersWithoutAccount).toEqual([]);
  });

  it("limits the check to --users and lists mapped users it could not read", async () => {
    const dir = tempDir();
    const credentials = writeJson(join(dir, "two.json"), readJson<unknown[]>(fixedCredentials(dir)).slice(0, 2));
    const run = await cli("map", "check", ...sourceArgs(em, { credentials }), "--mapping", demoMapping, "--users", "1,2,3");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Milltime 127.0.0.1:");
    expect(run.stdout).toContain("2 of 2 accounts read");
    expect(run.stdout).toContain("Not checked (mapped, but no Milltime account was given): Toki users 3");
    expect(run.stdout).toContain("Unmapped users: none");

    const nobody = await cli("map", "check", ...sourceArgs(em, { credentials }), "--mapping", demoMapping, "--users", "42");
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain("no Milltime account to read");
  });

  it("exits 2 for a missing or invalid mapping, 3 when Kleer refuses the token or is unreachable", async () => {
    const dir = tempDir();
    const missing = await cli("map", "check", ...sourceArgs(em), "--mapping", join(dir, "nope.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("mapping file not found");
    const conflict = writeJson(join(dir, "conflict.json"), {
      projects: [
        { milltimeProjectId: TIDRAPPORTERING, kleerProjectId: 907 },
        { milltimeProjectId: TIDRAPPORTERING, kleerProjectId: 901 },
      ],
    });
    const invalid = await cli("map", "check", ...sourceArgs(em), "--mapping", conflict);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("(conflict)");
    const noMapping = await cli("map", "check", ...sourceArgs(em));
    expect(noMapping.code).toBe(2);

    const badToken = await cli("map", "check", ...sourceArgs(em).map((a) => (a.startsWith("map-cli-token") ? "wrong-token-515151" : a)), "--mapping", demoMapping);
    expect(badToken.code).toBe(3);
    expect(badToken.stderr).toContain("AUTH_FAILED");
    expect(badToken.stderr).not.toContain("wrong-token-515151");

    const down = await cli("map", "check", ...sourceArgs(em).map((a) => (a === em.kleerUrl ? "http://127.0.0.1:1/v1" : a)), "--mapping", demoMapping);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("UNREACHABLE");
  });
});

describe("toki-parity map check: suggest → review → check", () => {
  let em: Emulators;
  beforeAll(async () => {
    // Oskar gets his Kleer account; a closed project and a restricted one give the check something to refuse.
    em = await startDemoEmulators({
      kleer: (seed) => {
        seed.users.push({ id: 5510, name: "Oskar Karlsson", email: "oskar.karlsson@example.se", active: true, hasPayroll: true });
      },
    });
  });
  afterAll(async () => {
    await em.close();
  });

  it("exits 0 on the mapping suggest completed (with Sara's password corrected)", async () => {
    const dir = tempDir();
    const credentials = fixedCredentials(dir);
    const mapping = join(dir, "mapping.json");
    const suggest = await cli("map", "suggest", ...sourceArgs(em, { credentials }), "--mapping", demoMapping, "--out", mapping);
    expect(suggest.code).toBe(0);
    expect(suggest.stdout).toContain("Unmatched: none");
    const doc = readJson<MappingDocument>(mapping);
    expect(doc.users.find((u) => u.tokiUserId === OSKAR)).toMatchObject({ kleerUserId: 5510, suggested: { kleerUserId: { reason: "email", confidence: 1 } } });

    const check = await cli("map", "check", ...sourceArgs(em, { credentials }), "--mapping", mapping);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("Legacy entries: 1150 of 10 users; 1150 ready for Kleer (100.0%)");
    expect(check.stdout).toContain("Coverage complete: all 1150 legacy entries of 10 users are mapped and accepted by Kleer.");
  });

  it("exits 1 when a mapped Kleer project is inactive, not open to the user, or the activity is not allowed", async () => {
    const dir = tempDir();
    const credentials = fixedCredentials(dir);
    const strict = await startDemoEmulators({
      kleer: (seed) => {
        seed.users.push({ id: 5510, name: "Oskar Karlsson", email: "oskar.karlsson@example.se", active: true, hasPayroll: true });
        const closed = seed.projects.find((p) => p.id === 907);
        if (closed) closed.active = false;
        const training = seed.projects.find((p) => p.id === 906);
        if (training) Object.assign(training, { allUsers: false, users: seed.users.filter((u) => u.id !== 5502).map((u) => ({ userId: u.id })) });
      },
    });
    try {
      const doc = readJson<MappingDocument>(demoMapping);
      doc.users = doc.users.map((u) => (u.tokiUserId === OSKAR ? { ...u, kleerUserId: 5510 } : u));
      doc.projects.push({ milltimeProjectId: TIDRAPPORTERING, kleerProjectId: 907 });
      // Konferens mapped to Utbildning, which Intern administration (905) does not allow.
      doc.activities.push({ milltimeActivityId: KONFERENS, kleerActivityId: 22434 });
      const mapping = writeJson(join(dir, "mapping.json"), doc);
      const run = await cli("map", "check", ...sourceArgs(strict, { credentials }), "--mapping", mapping);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("Unmapped users: none");
      expect(run.stdout).toContain("Unmapped projects: none");
      expect(run.stdout).toContain("Unmapped activities: none");
      expect(run.stdout).toContain("Refused by Kleer (3) — mapped, but missing, inactive, not open to the user or activity not allowed:");
      expect(run.stdout).toContain(`  Kleer project 907 is inactive (Milltime ${TIDRAPPORTERING}; Toki users 1) — 1 entry`);
      expect(run.stdout).toMatch(/ {2}Kleer project 906 is not open to Toki user 2 \(Kleer user 5502: not all-users, not in users\) — \d+ entries/);
      expect(run.stdout).toContain("  Kleer activity 22434 is not allowed on Kleer project 905 for Toki user 1 (Kleer user 5501; rule project) — 1 entry");
      expect(run.stderr).toMatch(/^map check failed: 3 mapped targets Kleer would refuse \(\d+ of 1150 legacy entries not ready\)\n$/);
    } finally {
      await strict.close();
    }
  });

  it("never prints a password, token or session", () => {
    const all = printed.join("\n");
    expect(all.length).toBeGreaterThan(1000);
    for (const secret of demoSecrets()) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
