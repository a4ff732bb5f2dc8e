import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { splitByIsoWeek, splitByMonth } from "../../src/domain/calendar.js";
import { ConfigError, TokiError } from "../../src/domain/errors.js";
import type { RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { createMemoryRecorder } from "../../src/http/request-log.js";
import { createMilltimeClient } from "../../src/milltime/milltime-client.js";
import type { MilltimeCredential } from "../../src/milltime/milltime-credentials.js";
import { login } from "../../src/milltime/milltime-login.js";
import { createMilltimeReader, type MilltimeReader } from "../../src/milltime/milltime-reader.js";
import { sha256Hex } from "../../src/milltime/milltime-snapshot-manifest.js";
import { openMilltimeSnapshot } from "../../src/milltime/milltime-snapshot-source.js";
import { exportMilltimeSnapshot } from "../../src/milltime/milltime-snapshot.js";
import { ANNA, ERIK, LARS, MARIA, mutableClock, useMilltimeEmulators } from "./milltime-test-support.js";

const start = useMilltimeEmulators();
const RANGE = { from: "2026-03-01", to: "2026-05-31" };
const TOOL_VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), "mt-snap-"));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile())
    .map((p) => relative(dir, p).split("\\").join("/"))
    .sort();
}

/** Everything a parity run would read from one user, in a fixed order. */
async function readAll(reader: MilltimeReader) {
  const projects = await reader.getProjects();
  const activities = [];
  for (const p of projects) activities.push(await reader.getActivities(p.id, RANGE));
  const weeks = [];
  for (const week of splitByIsoWeek(RANGE)) weeks.push(await reader.getTimeInfo(week));
  const months = [];
  for (const month of splitByMonth(RANGE)) months.push(await reader.getTimeInfo(month));
  return {
    projects,
    activities,
    entries: await reader.getTimeEntries(RANGE),
    listing: await reader.listTimeEntries(RANGE),
    aWeek: await reader.getTimeEntries({ from: "2026-04-27", to: "2026-05-03" }),
    aDay: await reader.getTimeEntries({ from: "2026-05-12", to: "2026-05-12" }),
    weeks,
    months,
  };
}

async function exportFixture(em: RunningMilltimeEmulator, credentials: MilltimeCredential[], outDir = emptyDir()) {
  const recorder = createMemoryRecorder();
  const result = await exportMilltimeSnapshot({
    ...RANGE,
    credentials,
    baseUrl: em.milltimeUrl,
    outDir,
    clock: mutableClock("2026-06-01T06:00:00Z"),
    recorder,
  });
  return { result, outDir, recorder };
}

describe("Milltime snapshot export", () => {
  it("writes raw store replies per user and month plus a checksummed manifest, and records failed users", async () => {
    const em = await start();
    const { result, outDir } = await exportFixture(em, [ANNA, { ...ERIK, password: "fel-lösenord" }, LARS]);
    const manifest = JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8")) as typeof result.manifest;
    expect(manifest).toEqual(result.manifest);
    expect(manifest).toMatchObject({
      format: "toki-parity/milltime-snapshot",
      formatVersion: 1,
      toolVersion: TOOL_VERSION,
      createdAt: "2026-06-01T06:00:00.000Z",
      range: RANGE,
      instanceId: "000224.1",
      milltimeUrl: em.milltimeUrl,
    });
    expect(manifest.users).toEqual([
      { tokiUserId: 1, username: "anna", milltimeUserId: "201", status: "ok" },
      { tokiUserId: 2, username: "erik", milltimeUserId: null, status: "failed", error: { code: "AUTH_FAILED", message: expect.stringContaining("Milltime login failed for Toki user 2 (erik)") } },
      { tokiUserId: 4, username: "lars", milltimeUserId: "204", status: "ok" },
    ]);
    expect(result.failedUsers.map((u) => u.tokiUserId)).toEqual([2]);

    const annaFiles = manifest.files.filter((f) => f.tokiUserId === 1).map((f) => f.path);
    expect(annaFiles).toEqual(expect.arrayContaining([
      "users/1/ProjectSearchMT.json",
      "users/1/ProjectPhaseActivity/300000000000241970.json",
      "users/1/UserCalendar/2026-03.json",
      "users/1/UserCalendar/2026-04.json",
      "users/1/UserCalendar/2026-05.json",
      "users/1/TimeInfo/2026-03-01_2026-03-01.json",
      "users/1/TimeInfo/2026-05-25_2026-05-31.json",
      "users/1/TimeInfo/2026-04-01_2026-04-30.json",
    ]));
    // The calendar is exported one day either side of the range (compare's date-shift margin).
    expect(annaFiles).toEqual(expect.arrayContaining(["users/1/UserCalendar/2026-02.json", "users/1/UserCalendar/2026-06.json"]));
    // 1 search + 3 member projects + 3 months of calendar and the 2 margin days' months + 14 ISO weeks and 3 months of TimeInfo.
    expect(annaFiles).toHaveLength(1 + 3 + 3 + 2 + 14 + 3);
    expect(filesUnder(outDir)).toEqual(["manifest.json", ...manifest.files.map((f) => f.path)].sort());
    for (const f of manifest.files) {
      const bytes = readFileSync(join(outDir, f.path));
      expect(sha256Hex(bytes), f.path).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
    }
    // The files are the raw replies: the envelope as Milltime sent it.
    const calendar = JSON.parse(readFileSync(join(outDir, "users/1/UserCalendar/2026-05.json"), "utf8")) as { success: boolean; rows: Array<{ weeks: unknown[] }> };
    expect(calendar.success).toBe(true);
    expect(calendar.rows[0]?.weeks).toHaveLength(5);
  });

  it("holds no password, session id, CSRF token or JWT in any file", async () => {
    const em = await start();
    const session = await login({ baseUrl: em.milltimeUrl, username: MARIA.username, password: MARIA.password });
    const credentials: MilltimeCredential[] = [ANNA, { tokiUserId: 3, username: "maria", sessionId: session.sessionId, csrfToken: session.csrfToken }];
    const { outDir, result } = await exportFixture(em, credentials);
    expect(result.manifest.users.map((u) => [u.tokiUserId, u.status, u.milltimeUserId])).toEqual([[1, "ok", "201"], [3, "ok", "203"]]);
    const secrets = [ANNA.password, MARIA.password, session.sessionId, session.csrfToken, ...session.sessionId.split(".")];
    for (const path of filesUnder(outDir)) {
      const text = readFileSync(join(outDir, path), "utf8");
      for (const secret of secrets) expect(text.includes(secret), `${path} holds a secret`).toBe(false);
      expect(text, path).not.toMatch(/eyJ[A-Za-z0-9_-]+\.|milltimesessionid|CSRFToken|password/i);
    }
  });

  it("refuses a directory that is not empty", async () => {
    const em = await start();
    const dir = emptyDir();
    writeFileSync(join(dir, "old.txt"), "x");
    await expect(exportMilltimeSnapshot({ ...RANGE, credentials: [ANNA], baseUrl: em.milltimeUrl, outDir: dir })).rejects.toThrow(/not empty/);
  });
});

describe("Milltime snapshot source", () => {
  it("gives exactly the live reader's domain values, for every method", async () => {
    const em = await start();
    const users = [ANNA, ERIK, MARIA, LARS];
    const { outDir } = await exportFixture(em, users);
    const snapshot = await openMilltimeSnapshot(outDir);
    for (const user of users) {
      const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials: user });
      const live = await readAll(createMilltimeReader({ source: { kind: "live", client } }));
      await client.close();
      const fromDir = await readAll(createMilltimeReader({ source: { kind: "snapshot", snapshot: outDir, tokiUserId: user.tokiUserId } }));
      const fromOpened = await readAll(createMilltimeReader({ source: { kind: "snapshot", snapshot, tokiUserId: user.tokiUserId } }));
      expect(fromDir, user.username).toEqual(live);
      expect(fromOpened).toEqual(live);
      expect(live.entries.length + live.projects.length).toBeGreaterThan(0);
    }
  });

  it("works offline: no request reaches Milltime", async () => {
    const em = await start();
    const { outDir } = await exportFixture(em, [ANNA]);
    const before = em.requestLog.length;
    await readAll(createMilltimeReader({ source: { kind: "snapshot", snapshot: outDir, tokiUserId: 1 } }));
    expect(em.requestLog.length).toBe(before);
  });

  it("names the missing file when the snapshot has no reply for a request", async () => {
    const em = await start();
    const { outDir } = await exportFixture(em, [ANNA]);
    const reader = createMilltimeReader({ source: { kind: "snapshot", snapshot: outDir, tokiUserId: 1 } });
    const error = await reader.getTimeInfo({ from: "2026-05-04", to: "2026-05-12" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `Milltime snapshot ${outDir} has no TimeInfo 2026-05-04..2026-05-12 reply for Toki user 1 (anna) (no file like users/1/TimeInfo/2026-05-04_2026-05-12.json); it was exported for 2026-03-01..2026-05-31`,
    );
    await expect(reader.getTimeEntries({ from: "2026-06-01", to: "2026-06-05" })).rejects.toThrow(/no UserCalendar 2026-06-01\.\.2026-06-05 reply .*users\/1\/UserCalendar\/2026-06\.json/);
    await expect(createMilltimeReader({ source: { kind: "snapshot", snapshot: outDir, tokiUserId: 9 } }).getProjects()).rejects.toThrow(/holds no Toki user 9/);
  });

  it("detects a modified file by its checksum", async () => {
    const em = await start();
    const { outDir } = await exportFixture(em, [ANNA]);
    const path = join(outDir, "users/1/UserCalendar/2026-04.json");
    const original = readFileSync(path, "utf8");
    const tampered = original.replace(/"projtimehh":\d+/, '"projtimehh":99');
    expect(tampered).not.toBe(original);
    writeFileSync(path, tampered);
    const reader = createMilltimeReader({ source: { kind: "snapshot", snapshot: outDir, tokiUserId: 1 } });
    await expect(reader.getTimeEntries({ from: "2026-04-01", to: "2026-04-30" })).rejects.toThrow(/users\/1\/UserCalendar\/2026-04\.json does not match its sha256/);
    await expect(reader.getTimeEntries({ from: "2026-05-01", to: "2026-05-31" })).resolves.not.toEqual([]);
  });

  it("replays a user's failed export as that user's error", async () => {
    const em = await start();
    const { outDir } = await exportFixture(em, [{ ...ERIK, password: "fel-lösenord" }]);
    const error = await createMilltimeReader({ source: { kind: "snapshot", snapshot: outDir, tokiUserId: 2 } }).getProjects().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokiError);
    expect((error as TokiError).code).toBe("AUTH_FAILED");
    expect((error as Error).message).toMatch(/^Milltime export of Toki user 2 \(erik\) had failed: Milltime login failed/);
  });

  it("rejects a directory without a valid manifest", async () => {
    await expect(openMilltimeSnapshot(emptyDir())).rejects.toThrow(/is not a Milltime snapshot/);
    const dir = emptyDir();
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ format: "toki-parity/milltime-snapshot", formatVersion: 1, files: [{ path: "../../etc/passwd" }] }));
    const error = (await openMilltimeSnapshot(dir).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^files\[0\]\.path: expected users\/<tokiUserId>/)]));
  });
});
