import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { createKleerClient } from "../../src/kleer/index.js";
import {
  collectTokiUsers,
  countByReason,
  createKleerMappingDirectory,
  loadTokiUsersFile,
  mapCheckOptionsFromFlags,
  mapSuggestOptionsFromFlags,
  openMilltimeAccounts,
  runMapSuggest,
  tokiUsersFromHistory,
} from "../../src/map/index.js";
import type { MappingDocument } from "../../src/mapping/index.js";
import { applyTokiSchema, describeWithPostgres, probePostgres, withClient, withTempDatabase } from "../helpers/postgres.js";
import {
  COMPANY,
  DEMO,
  DEMO_RANGE,
  KLEER_TOKEN,
  startDemoEmulators,
  tempDir,
  writeJson,
  type Emulators,
} from "./map-test-support.js";

const HISTORY_FIXTURES = join(DEMO, "..", "history");

describe("map options", () => {
  const live = { from: "2026-09-28", to: "2026-11-22", milltimeCredentials: "creds.json" };

  it("takes Kleer and Milltime settings from the environment and fills the defaults", () => {
    const env = { TOKI_KLEER__TOKEN: "env-token-1", TOKI_KLEER__COMPANY_ID: "4875", TOKI_MILLTIME__URL: "https://tenant.milltime.se/cgi/mt.cgi" };
    const { options, warnings } = mapSuggestOptionsFromFlags({ ...live, out: "out.json" }, env);
    expect(warnings).toEqual([]);
    expect(options).toEqual({
      range: { from: "2026-09-28", to: "2026-11-22" },
      timeZone: "Europe/Stockholm",
      concurrency: 4,
      kleer: { baseUrl: "https://api.kleer.se/v1", token: "env-token-1", companyId: 4875 },
      milltime: { url: "https://tenant.milltime.se/cgi/mt.cgi", credentialsFile: "creds.json", snapshotDir: undefined, instanceId: undefined },
      history: undefined,
      tokiUsersFile: undefined,
      users: undefined,
      outFile: "out.json",
      mappingFile: undefined,
      force: false,
      minConfidence: 0,
    });
  });

  it("names the flag of every bad value", () => {
    const env = { TOKI_KLEER__TOKEN: "t-123456", TOKI_KLEER__COMPANY_ID: "4875" };
    const issues = (fn: () => unknown): string[] => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ConfigError) return error.issues;
        throw error;
      }
      throw new Error("expected a ConfigError");
    };
    const snap = { from: "2026-09-28", to: "2026-11-22", milltimeSnapshot: "snap" };
    expect(issues(() => mapSuggestOptionsFromFlags({ ...snap, out: "o.json", minConfidence: "1.5" }, env))).toEqual([expect.stringMatching(/^--min-confidence: /)]);
    expect(issues(() => mapSuggestOptionsFromFlags({ ...snap, out: "o.json", concurrency: "0" }, env))).toEqual([expect.stringMatching(/^--concurrency: /)]);
    expect(issues(() => mapSuggestOptionsFromFlags({ ...snap, to: "2026-02-30", out: "o.json" }, env))).toEqual(["--to: expected a real date in YYYY-MM-DD form"]);
    expect(() => mapCheckOptionsFromFlags({ ...snap, mapping: "m.json", users: "1,x" }, env)).toThrow("--users: not a Toki user id: x");
    expect(issues(() => mapCheckOptionsFromFlags({ ...snap }, env))).toEqual(["--mapping: required"]);
    expect(issues(() => mapCheckOptionsFromFlags({ from: "2026-09-28", to: "2026-11-22", mapping: "m.json" }, env))).toEqual([
      "the Milltime side needs --milltime-snapshot DIR, or --milltime-url URL with --milltime-credentials FILE",
    ]);
    const test = mapCheckOptionsFromFlags({ ...snap, mapping: "m.json", kleerUrl: "https://test-api.kleer.se/v1/", json: true, users: "3, 1" }, env);
    expect(test.options).toMatchObject({ kleer: { baseUrl: "https://test-api.kleer.se/v1" }, json: true, users: [3, 1] });
    expect(test.warnings).toEqual([expect.stringContaining("Kleer's test API keeps its own storage")]);
  });
});

describe("Toki users", () => {
  it("reads --toki-users and rejects a repeated user", async () => {
    const dir = tempDir();
    expect(await loadTokiUsersFile(writeJson(join(dir, "ok.json"), [{ tokiUserId: 2, email: " b@example.se ", fullName: "B" }]))).toEqual([{ tokiUserId: 2, email: "b@example.se" }]);
    const twice = writeJson(join(dir, "twice.json"), [{ tokiUserId: 2, email: "a@example.se" }, { tokiUserId: 2, email: "b@example.se" }]);
    await expect(loadTokiUsersFile(twice)).rejects.toMatchObject({ issues: [`${twice}: tokiUserId 2 repeats`] });
    await expect(loadTokiUsersFile(join(dir, "missing.json"))).rejects.toThrow("cannot read the Toki users file");
  });

  it("reads each user's email from a timer-history export (all rows, no range)", async () => {
    const users = await tokiUsersFromHistory(join(HISTORY_FIXTURES, "timer-history.csv"), "Europe/Stockholm");
    expect(users.length).toBeGreaterThan(0);
    expect(users[0]).toEqual({ tokiUserId: 1, email: "anna@example.com" });
    expect(await tokiUsersFromHistory(join(HISTORY_FIXTURES, "timer-history-no-email.csv"), "Europe/Stockholm")).toEqual([]);
  });

  it("prefers the history, then the existing mapping, then Milltime user names that are emails", async () => {
    const dir = tempDir();
    const history = writeJson(join(dir, "history.json"), [
      { id: 1, user_id: 1, start_time: "2026-10-01T07:00:00Z", end_time: "2026-10-01T08:00:00Z", registration_id: "4001", user_email: "anna@toki.se" },
    ]);
    const existing: MappingDocument = { users: [{ tokiUserId: 1, email: "anna@old.se" }, { tokiUserId: 2, email: "erik@mapping.se" }], projects: [], activities: [] };
    const accounts = [{ tokiUserId: 2, email: "erik@milltime.se" }, { tokiUserId: 3, email: "maria@milltime.se" }, { tokiUserId: 4 }];
    const collected = await collectTokiUsers({ history, timeZone: "Europe/Stockholm", existing, accountEmails: accounts });
    expect(collected.users).toEqual([
      { tokiUserId: 1, email: "anna@toki.se" },
      { tokiUserId: 2, email: "erik@mapping.se" },
      { tokiUserId: 3, email: "maria@milltime.se" },
    ]);
    expect(collected.describe).toBe("1 from the timer history, 1 from the existing mapping, 1 from Milltime user names");
    const file = writeJson(join(dir, "users.json"), [{ tokiUserId: 9, email: "x@toki.se" }]);
    expect((await collectTokiUsers({ file, history, timeZone: "Europe/Stockholm", existing, accountEmails: accounts })).users).toEqual([{ tokiUserId: 9, email: "x@toki.se" }]);
  });
});

describe("the Kleer and Milltime sides against the emulators", () => {
  let em: Emulators;
  beforeAll(async () => {
    em = await startDemoEmulators({
      kleer: (seed) => {
        const p = seed.projects.find((x) => x.id === 906);
        if (p) Object.assign(p, { active: false, allUsers: false, users: [{ userId: 5501, activities: [22434] }] });
      },
    });
  });
  afterAll(async () => {
    await em.close();
  });

  it("turns Kleer's lists into the mapping's shapes, inactive projects and access fields included", async () => {
    const client = createKleerClient({ baseUrl: em.kleerUrl, token: KLEER_TOKEN, companyId: COMPANY });
    try {
      const directory = createKleerMappingDirectory(client);
      const projects = await directory.listKleerProjects();
      expect(projects).toHaveLength(7);
      expect(projects.find((p) => p.id === 906)).toEqual({
        id: 906, name: "Kompetensutveckling", number: "P-0010", active: false,
        allUsers: false, users: [{ userId: 5501, activityIds: [22434] }], allActivities: false, activityIds: [22434, 22428],
      });
      expect((await directory.listKleerUsers()).find((u) => u.id === 5503)).toEqual({ id: 5503, name: "Maria Ström", email: "maria.strom@example.se", active: true });
      expect((await directory.listKleerActivities()).map((a) => a.name)).toContain("Konferens");
    } finally {
      await client.close();
    }
  });

  it("logs each Milltime account in once, reads only, and sends Kleer only GETs", async () => {
    const dir = tempDir();
    em.milltime.requestLog.length = 0;
    em.kleer.requestLog.length = 0;
    const result = await runMapSuggest({
      range: DEMO_RANGE,
      timeZone: "Europe/Stockholm",
      concurrency: 3,
      kleer: { baseUrl: em.kleerUrl, token: KLEER_TOKEN, companyId: COMPANY },
      milltime: { url: em.milltime.milltimeUrl, credentialsFile: join(DEMO, "milltime-credentials.json") },
      history: join(DEMO, "timer-history.json"),
      outFile: join(dir, "mapping.json"),
      force: false,
      minConfidence: 0,
    });
    expect(result.suggestion.projects.find((p) => p.milltimeProjectId === "300000000000242035")).toMatchObject({ kleerProjectId: 906, kleerActive: false });
    const logins = em.milltime.requestLog.filter((r) => r.method === "POST");
    expect(logins).toHaveLength(2 * 10); // CSRF + credentials, once per account (Sara's refused)
    expect(em.milltime.writeLog).toEqual([]);
    expect(new Set(em.kleer.requestLog.map((r) => r.method))).toEqual(new Set(["GET"]));
    expect(result.sourceErrors.map((e) => [e.tokiUserId, e.step])).toEqual([[9, "login"]]);
  });

  it("opens a snapshot's accounts with the manifest's Milltime user ids", async () => {
    const { exportMilltimeSnapshot, loadMilltimeCredentials } = await import("../../src/milltime/index.js");
    const snapshot = join(tempDir(), "snap");
    await exportMilltimeSnapshot({
      from: "2026-11-01", to: "2026-11-22", outDir: snapshot, baseUrl: em.milltime.milltimeUrl,
      credentials: (await loadMilltimeCredentials(join(DEMO, "milltime-credentials.json"))).slice(7),
    });
    const side = await openMilltimeAccounts({ snapshotDir: snapshot, range: { from: "2026-11-02", to: "2026-11-08" } });
    expect(side.accounts.map((a) => [a.tokiUserId, a.milltimeUserId, a.username])).toEqual([[8, "208", "mikael"], [10, "210", "oskar"]]);
    expect(side.loginErrors).toEqual([expect.objectContaining({ tokiUserId: 9, step: "login", code: "AUTH_FAILED" })]);
    expect((await side.accounts[0]?.reader.getTimeEntries({ from: "2026-11-02", to: "2026-11-08" }))?.length).toBeGreaterThan(0);
    await expect(openMilltimeAccounts({ snapshotDir: snapshot, range: { from: "2026-11-02", to: "2026-11-08" }, tokiUserIds: [1] })).rejects.toThrow("no Milltime account to read");
  });
});

describe("countByReason", () => {
  it("counts by reason and confidence, most common first", () => {
    expect(countByReason([{ reason: "name", confidence: 0.9 }, { reason: "project-number", confidence: 1 }, { reason: "project-number", confidence: 1 }])).toBe("project-number 1.0 ×2, name 0.9 ×1");
    expect(countByReason([])).toBe("");
  });
});

const probe = await probePostgres();
describeWithPostgres("Toki users from Toki's database", probe, (adminUrl) => {
  it("lists every row of users (id, email), ordered by id", async () => {
    await withTempDatabase(async (db) => {
      await applyTokiSchema(db.url);
      await withClient(db.url, (c) =>
        c.query(
          `INSERT INTO users (id, email, full_name, picture, access_token) VALUES
           (2, 'erik.olsson@example.se', 'Erik', '', 'tok-2'), (1, 'anna.lindqvist@example.se', 'Anna', '', 'tok-1')`,
        ),
      );
      expect(await tokiUsersFromHistory(db.url, "Europe/Stockholm")).toEqual([
        { tokiUserId: 1, email: "anna.lindqvist@example.se" },
        { tokiUserId: 2, email: "erik.olsson@example.se" },
      ]);
    }, adminUrl);
  });
});
