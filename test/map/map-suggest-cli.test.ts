import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMappingDocument, type MappingDocument } from "../../src/mapping/index.js";
import { exportMilltimeSnapshot, loadMilltimeCredentials } from "../../src/milltime/index.js";
import {
  captureOutput,
  cli,
  DEMO,
  DEMO_RANGE,
  demoSecrets,
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

let em: Emulators;
beforeAll(async () => {
  em = await startDemoEmulators();
});
afterAll(async () => {
  await em.close();
});

const demoMapping = () => readJson<MappingDocument>(join(DEMO, "mapping.json"));

describe("toki-parity map suggest", () => {
  it("proposes users by email, Milltime accounts by Toki id, projects by number or name and activities by name from an empty mapping", async () => {
    const out = join(tempDir(), "mapping.json");
    const run = await cli("map", "suggest", ...sourceArgs(em), "--out", out);
    expect(run.code).toBe(0);
    const doc = readJson<MappingDocument>(out);
    parseMappingDocument(doc);

    const anna = doc.users.find((u) => u.tokiUserId === 1);
    expect(anna).toEqual({
      tokiUserId: 1,
      email: "anna.lindqvist@example.se",
      milltimeUserId: "201",
      kleerUserId: 5501,
      kleerName: "Anna Lindqvist",
      suggested: { kleerUserId: { reason: "email", confidence: 1 }, milltimeUserId: { reason: "toki-user-id", confidence: 1 } },
    });
    // Sara's login is refused: Kleer still matches her email, her Milltime user id stays open.
    expect(doc.users.find((u) => u.tokiUserId === SARA)).toMatchObject({ kleerUserId: 5509 });
    expect(doc.users.find((u) => u.tokiUserId === SARA)?.milltimeUserId).toBeUndefined();
    // Oskar has no Kleer user: Milltime id only.
    expect(doc.users.find((u) => u.tokiUserId === OSKAR)).toMatchObject({ milltimeUserId: "210" });
    expect(doc.users.find((u) => u.tokiUserId === OSKAR)?.kleerUserId).toBeUndefined();

    // Every project of the demo's explicit mapping is proposed exactly as a person mapped it, plus the planted gap.
    const pairs = doc.projects.map((p) => [p.milltimeProjectId, p.kleerProjectId, p.reason]);
    expect(pairs).toEqual([
      ...demoMapping().projects.map((p) => [p.milltimeProjectId, p.kleerProjectId, p.milltimeProjectId === "300000000000242022" ? "name" : "project-number"]),
      [TIDRAPPORTERING, 907, "project-number"],
    ]);
    expect(doc.activities.map((a) => [a.milltimeActivityId, a.kleerActivityId])).toEqual([
      ...demoMapping().activities.map((a) => [a.milltimeActivityId, a.kleerActivityId]),
      [KONFERENS, 22435],
    ]);
    expect(doc.activities.at(-1)).toMatchObject({ milltimeName: "Konferens", kleerName: "Konferens", reason: "name", confidence: 1 });

    expect(run.stdout).toContain("Toki users: 10 with an email (10 from the timer history)");
    expect(run.stdout).toMatch(/users → Kleer user\s+9 {2}email 1\.0 ×9/);
    expect(run.stdout).toMatch(/users → Milltime user\s+9 {2}toki-user-id 1\.0 ×9/);
    expect(run.stdout).toMatch(/projects\s+7 {2}project-number 1\.0 ×6, name 1\.0 ×1/);
    expect(run.stdout).toMatch(/activities\s+9 {2}name 1\.0 ×9/);
    expect(run.stdout).toContain('Unmatched (1) — nothing matched; hints share the email\'s local part or contain the name:\n  Toki user 10 "oskar.karlsson@example.se": no candidate');
    expect(run.stdout).toContain("Ambiguous: none");
    expect(run.stdout).toContain("Conflicts: none");
    expect(run.stdout).toContain("Source errors (1)");
    expect(run.stdout).toContain("Toki user 9, login: AUTH_FAILED: Milltime login failed for Toki user 9 (sara)");
    expect(run.stdout).toContain("9 of 10 accounts read");
    expect(run.stdout).toContain(`Wrote ${out}: 10 users, 7 projects, 9 activities.`);
  });

  it("keeps every explicit entry of the demo mapping (extra keys included) and adds only the gaps", async () => {
    const dir = tempDir();
    const existing = demoMapping();
    (existing.projects[0] as Record<string, unknown>).comment = "checked by Karin";
    (existing as Record<string, unknown>).version = "2026-11";
    const mappingFile = writeJson(join(dir, "existing.json"), existing);
    const out = join(dir, "suggested.json");
    const run = await cli("map", "suggest", ...sourceArgs(em), "--mapping", mappingFile, "--out", out);
    expect(run.code).toBe(0);
    const doc = readJson<MappingDocument>(out);
    expect(doc.users).toEqual(existing.users);
    expect(doc.projects.slice(0, existing.projects.length)).toEqual(existing.projects);
    expect(doc.activities.slice(0, existing.activities.length)).toEqual(existing.activities);
    expect((doc as Record<string, unknown>).version).toBe("2026-11");
    expect(doc.projects.slice(existing.projects.length).map((p) => [p.milltimeProjectId, p.kleerProjectId])).toEqual([[TIDRAPPORTERING, 907]]);
    expect(doc.activities.slice(existing.activities.length).map((a) => [a.milltimeActivityId, a.kleerActivityId])).toEqual([[KONFERENS, 22435]]);
    expect(run.stdout).toContain("Confirmed (already in the mapping): 18 user fields, 6 projects, 8 activities");
    expect(run.stdout).toMatch(/projects\s+1 {2}project-number 1\.0 ×1/);
    expect(run.stdout).toContain("Unmatched (1)");
    // the input file is left alone
    expect(readJson(mappingFile)).toEqual(existing);
  });

  it("lists a conflict and leaves the explicit entry as it is", async () => {
    const dir = tempDir();
    const existing = demoMapping();
    existing.projects[0] = { milltimeProjectId: "300000000000241970", kleerProjectId: 902 };
    existing.users[1] = { ...existing.users[1], kleerUserId: 5503 } as MappingDocument["users"][number];
    existing.users[2] = { ...existing.users[2], kleerUserId: 5502 } as MappingDocument["users"][number];
    const mappingFile = writeJson(join(dir, "mapping.json"), existing);
    const run = await cli("map", "suggest", ...sourceArgs(em), "--mapping", mappingFile, "--out", mappingFile);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Conflicts (3) — a suggestion disagrees with an explicit entry, which is kept:");
    expect(run.stdout).toContain("Toki user 2: the mapping has Kleer user 5503; email 1.0 suggests Kleer user 5502 (Erik Olsson)");
    expect(run.stdout).toContain("Milltime project 300000000000241970: the mapping has Kleer project 902; project-number 1.0 suggests Kleer project 901 (Intranät förnyelse)");
    const doc = readJson<MappingDocument>(mappingFile);
    expect(doc.projects[0]).toEqual({ milltimeProjectId: "300000000000241970", kleerProjectId: 902 });
    expect(doc.users[1]?.kleerUserId).toBe(5503);
  });

  it("lists ambiguous and unmatched items with their candidates", async () => {
    const other = await startDemoEmulators({
      kleer: (seed) => {
        // Two Kleer projects now carry P-1042, one is renamed out of reach, and "Support" exists twice.
        seed.projects.push({ id: 990, number: "P 1042", name: "Intranät förnyelse (fas 2)", active: false, allUsers: true, activities: [22427] });
        const drift = seed.projects.find((p) => p.id === 903);
        if (drift) Object.assign(drift, { number: "", name: "Drift och förvaltning 2027" });
        seed.activities.push({ id: 22436, name: "support" });
        const erik = seed.users.find((u) => u.id === 5502);
        if (erik) erik.email = "erik.olsson@old.example.se";
      },
    });
    try {
      const out = join(tempDir(), "mapping.json");
      const run = await cli("map", "suggest", ...sourceArgs(other), "--out", out);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Ambiguous (2) — several candidates match equally; add the right one by hand:");
      expect(run.stdout).toContain(
        'Milltime project 300000000000241970 "Intranät förnyelse (P-1042)": project-number matches 2 candidates\n' +
          '      - Kleer project 901 "Intranät förnyelse" (P-1042)\n' +
          '      - Kleer project 990 "Intranät förnyelse (fas 2)" (P 1042) [inactive]',
      );
      expect(run.stdout).toContain('Milltime activity 201201111420550045 "Support": name matches 2 candidates\n      - Kleer activity 22432 "Support"\n      - Kleer activity 22436 "support"');
      expect(run.stdout).toContain("Unmatched (3)");
      expect(run.stdout).toContain('Toki user 2 "erik.olsson@example.se": hints\n      - Kleer user 5502 "Erik Olsson" (erik.olsson@old.example.se)');
      expect(run.stdout).toContain('Milltime project 300000000000241996 "Drift och förvaltning (P-0900)": hints\n      - Kleer project 903 "Drift och förvaltning 2027"');
      const doc = readJson<MappingDocument>(out);
      expect(doc.projects.map((p) => p.milltimeProjectId)).not.toContain("300000000000241970");
      expect(doc.activities.map((a) => a.milltimeActivityId)).not.toContain("201201111420550045");
      expect(doc.users.find((u) => u.tokiUserId === 2)?.kleerUserId).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it("writes only suggestions at or above --min-confidence and says how many it held back", async () => {
    const other = await startDemoEmulators({
      kleer: (seed) => {
        const p = seed.projects.find((x) => x.id === 905);
        if (p) p.name = "INTERN administration";
      },
    });
    try {
      const out = join(tempDir(), "mapping.json");
      const run = await cli("map", "suggest", ...sourceArgs(other), "--out", out, "--min-confidence", "1");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/projects\s+6 {2}project-number 1\.0 ×6 {2}\(\+1 below --min-confidence 1, not written\)/);
      expect(readJson<MappingDocument>(out).projects.map((p) => p.milltimeProjectId)).not.toContain("300000000000242022");
    } finally {
      await other.close();
    }
  });

  it("takes Toki users from --toki-users instead of the history", async () => {
    const dir = tempDir();
    const users = writeJson(join(dir, "users.json"), [
      { tokiUserId: 1, email: "Anna.Lindqvist@example.se " },
      { tokiUserId: 2, email: "erik.olsson@example.se" },
    ]);
    const out = join(dir, "mapping.json");
    const run = await cli("map", "suggest", ...sourceArgs(em, { history: null }), "--toki-users", users, "--out", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Toki users: 2 with an email (2 from ${users})`);
    expect(run.stdout).toMatch(/users → Kleer user\s+2 {2}email 0\.9 ×1, email 1\.0 ×1/);
    const doc = readJson<MappingDocument>(out);
    expect(doc.users.filter((u) => u.kleerUserId !== undefined).map((u) => [u.tokiUserId, u.kleerUserId])).toEqual([[1, 5501], [2, 5502]]);
  });

  it("warns when no Toki user has an email, and still maps projects and activities", async () => {
    const out = join(tempDir(), "mapping.json");
    const run = await cli("map", "suggest", ...sourceArgs(em, { history: null }), "--out", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("warning: no Toki user with an email was found");
    expect(readJson<MappingDocument>(out).projects).toHaveLength(7);
  });

  it("gives the same suggestion from a Milltime snapshot as live", async () => {
    const dir = tempDir();
    const snapshot = join(dir, "snapshot");
    await exportMilltimeSnapshot({
      from: DEMO_RANGE.from,
      to: DEMO_RANGE.to,
      credentials: await loadMilltimeCredentials(join(DEMO, "milltime-credentials.json")),
      baseUrl: em.milltime.milltimeUrl,
      outDir: snapshot,
    });
    const live = join(dir, "live.json");
    const offline = join(dir, "offline.json");
    expect((await cli("map", "suggest", ...sourceArgs(em), "--out", live)).code).toBe(0);
    const args = sourceArgs(em).filter((a, i, all) => !["--milltime-url", "--milltime-credentials"].includes(a) && !["--milltime-url", "--milltime-credentials"].includes(all[i - 1] ?? ""));
    const run = await cli("map", "suggest", ...args, "--milltime-snapshot", snapshot, "--out", offline);
    expect(run.code).toBe(0);
    expect(readFileSync(offline, "utf8")).toBe(readFileSync(live, "utf8"));
    expect(run.stdout).toContain(`Milltime snapshot ${snapshot} (${DEMO_RANGE.from}..${DEMO_RANGE.to}): 9 of 10 accounts read`);
    expect(run.stdout).toContain("Toki user 9, login: AUTH_FAILED: Milltime export of Toki user 9 (sara) had failed");

    const outside = await cli("map", "suggest", ...args.map((a) => (a === DEMO_RANGE.to ? "2026-12-31" : a)), "--milltime-snapshot", snapshot, "--out", join(dir, "x.json"));
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain(`covers ${DEMO_RANGE.from}..${DEMO_RANGE.to}`);
  });

  it("refuses to overwrite an existing --out unless it is --mapping or --force is given (exit 2)", async () => {
    const dir = tempDir();
    const out = join(dir, "mapping.json");
    writeFileSync(out, "do not touch\n");
    const refused = await cli("map", "suggest", ...sourceArgs(em), "--out", out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`REFUSED: ${out} exists; refusing to overwrite it`);
    expect(readFileSync(out, "utf8")).toBe("do not touch\n");

    const other = join(dir, "other.json");
    copyFileSync(join(DEMO, "mapping.json"), other);
    expect((await cli("map", "suggest", ...sourceArgs(em), "--mapping", other, "--out", out)).code).toBe(2);

    // the same file as --mapping, through another spelling of its path
    const same = await cli("map", "suggest", ...sourceArgs(em), "--mapping", other, "--out", join(dir, ".", "other.json"));
    expect(same.code).toBe(0);
    expect(readJson<MappingDocument>(other).projects).toHaveLength(7);

    expect((await cli("map", "suggest", ...sourceArgs(em), "--out", out, "--force")).code).toBe(0);
    expect(readJson<MappingDocument>(out).projects).toHaveLength(7);
  });

  it("exits 2 on bad options and a bad existing mapping, naming the problem", async () => {
    const dir = tempDir();
    const out = join(dir, "mapping.json");
    const noCompany = sourceArgs(em).filter((a, i, all) => a !== "--kleer-company" && all[i - 1] !== "--kleer-company");
    const saved = process.env.TOKI_KLEER__COMPANY_ID;
    delete process.env.TOKI_KLEER__COMPANY_ID;
    try {
      const run = await cli("map", "suggest", ...noCompany, "--out", out);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--kleer-company / TOKI_KLEER__COMPANY_ID");
    } finally {
      if (saved !== undefined) process.env.TOKI_KLEER__COMPANY_ID = saved;
    }
    const both = await cli("map", "suggest", ...sourceArgs(em), "--milltime-snapshot", dir, "--out", out);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give either --milltime-snapshot or --milltime-url with --milltime-credentials, not both");
    const confidence = await cli("map", "suggest", ...sourceArgs(em), "--out", out, "--min-confidence", "high");
    expect(confidence.code).toBe(2);
    expect(confidence.stderr).toContain("--min-confidence");
    const reversed = await cli("map", "suggest", ...sourceArgs(em).map((a) => (a === DEMO_RANGE.from ? "2026-12-01" : a)), "--out", out);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain("--from 2026-12-01 is after --to 2026-11-22");
    const noOut = await cli("map", "suggest", ...sourceArgs(em));
    expect(noOut.code).toBe(2);
    const noDir = await cli("map", "suggest", ...sourceArgs(em), "--out", join(dir, "missing", "mapping.json"));
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain(`the directory ${join(dir, "missing")} does not exist`);

    const bad = writeJson(join(dir, "bad.json"), { projects: [{ milltimeProjectId: 300000000000241970, kleerProjectId: 901 }] });
    const badMapping = await cli("map", "suggest", ...sourceArgs(em), "--mapping", bad, "--out", out);
    expect(badMapping.code).toBe(2);
    expect(badMapping.stderr).toContain("projects[0].milltimeProjectId: expected a string");
    const badUsers = writeJson(join(dir, "users.json"), [{ tokiUserId: "1", email: "a@b.se" }]);
    const badUsersRun = await cli("map", "suggest", ...sourceArgs(em, { history: null }), "--toki-users", badUsers, "--out", out);
    expect(badUsersRun.code).toBe(2);
    expect(badUsersRun.stderr).toContain("[0].tokiUserId: expected a number");
  });

  it("exits 3 when Kleer refuses the token or no Milltime account can be read", async () => {
    const dir = tempDir();
    const badToken = await cli("map", "suggest", ...sourceArgs(em).map((a) => (a.startsWith("map-cli-token") ? "wrong-token-424242" : a)), "--out", join(dir, "a.json"));
    expect(badToken.code).toBe(3);
    expect(badToken.stderr).toContain("AUTH_FAILED");
    expect(badToken.stderr).not.toContain("wrong-token-424242");

    const wrong = writeJson(join(dir, "wrong.json"), [{ tokiUserId: 1, username: "anna", password: "wrong-pass-1" }, { tokiUserId: 2, username: "erik", password: "wrong-pass-2" }]);
    const refused = await cli("map", "suggest", ...sourceArgs(em, { credentials: wrong }), "--out", join(dir, "b.json"));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("AUTH_FAILED: no Milltime account could be read: the login failed for all 2 account(s)");
    expect(refused.stderr).not.toContain("wrong-pass-1");

    const down = await cli("map", "suggest", ...sourceArgs(em).map((a) => (a === em.milltime.milltimeUrl ? "http://127.0.0.1:1/cgi/mt.cgi" : a)), "--out", join(dir, "c.json"));
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("UNREACHABLE: no Milltime account could be read");
  });

  it("never prints a password, token or session", () => {
    const all = printed.join("\n");
    expect(all.length).toBeGreaterThan(1000);
    for (const secret of demoSecrets()) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
