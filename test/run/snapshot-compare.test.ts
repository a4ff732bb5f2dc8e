import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRunConfig, type RunConfigInput } from "../../src/config/run-config.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { exportMilltimeSnapshot, loadMilltimeCredentials } from "../../src/milltime/index.js";
import { compareFromConfig } from "../../src/run/run-compare.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-snapshot-compare-"));
const fixtures = demoFixturesDir();
const RANGE = { from: "2026-10-26", to: "2026-11-22" };
let kleer: RunningKleerEmulator;
let milltime: RunningMilltimeEmulator;

function findingRows(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT kind, severity, user_key, date, legacy_id, kleer_id, field, legacy_value, kleer_value FROM findings ORDER BY id").all() as object[])
      .map((r) => JSON.stringify(r))
      .sort();
  } finally {
    db.close();
  }
}

async function compareWith(milltimeSide: RunConfigInput["milltime"], reportFile: string, range: { from: string; to: string } = RANGE) {
  const parsed = parseRunConfig({
    ...range,
    kleer: { baseUrl: `${kleer.url}/v1`, token: "snapshot-token-1", companyId: 4875 },
    milltime: milltimeSide,
    history: join(fixtures, "timer-history.json"),
    mappingFile: join(fixtures, "mapping.json"),
    reportFile,
  });
  if (!parsed.config) throw new Error(parsed.errors.join("; "));
  return compareFromConfig(parsed.config);
}

describe("compare from a Milltime snapshot", () => {
  beforeAll(async () => {
    kleer = await startKleerEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "kleer-seed.json"), "utf8")), token: "snapshot-token-1", companyId: 4875 });
    milltime = await startMilltimeEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "milltime-seed.json"), "utf8")) });
  });
  afterAll(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives the same findings as a live read, for a snapshot of exactly the compare range", async () => {
    const credentials = await loadMilltimeCredentials(join(fixtures, "milltime-credentials.json"));
    const snapshotDir = join(dir, "snapshot");
    await exportMilltimeSnapshot({ ...RANGE, credentials, baseUrl: `${milltime.url}/cgi/mt.cgi`, outDir: snapshotDir });

    const live = await compareWith({ url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, "milltime-credentials.json") }, join(dir, "live.sqlite"));
    const offline = await compareWith({ snapshotDir }, join(dir, "snapshot.sqlite"));
    expect(offline.matches).toBe(live.matches);
    expect(offline.legacyEntries).toBe(live.legacyEntries);
    const liveRows = findingRows(join(dir, "live.sqlite"));
    expect(liveRows.length).toBeGreaterThan(10);
    // The user whose login fails live is a failed user of the snapshot too (same source_error row).
    expect(findingRows(join(dir, "snapshot.sqlite"))).toEqual(liveRows);
  }, 60_000);

  it("compares a sub-range inside the snapshot, TimeInfo over the snapshot's whole weeks", async () => {
    const snapshotDir = join(dir, "snapshot");
    const sub = { from: "2026-11-04", to: "2026-11-15" };
    const live = await compareWith({ url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, "milltime-credentials.json") }, join(dir, "live-sub.sqlite"), sub);
    const offline = await compareWith({ snapshotDir }, join(dir, "snapshot-sub.sqlite"), sub);
    // Only the user whose login failed at export time has a source error, as live.
    expect(offline.sourceErrors.map((e) => e.tokiUserId)).toEqual(live.sourceErrors.map((e) => e.tokiUserId));
    expect(offline.usersWithSourceErrors).toBe(1);
    expect(offline.legacyEntries).toBe(live.legacyEntries);
    expect(offline.matches).toBe(live.matches);
    expect(offline.legacyEntries).toBeGreaterThan(50);
    const db = new Database(join(dir, "snapshot-sub.sqlite"), { readonly: true });
    try {
      const periods = db.prepare("SELECT DISTINCT period_start, period_end FROM time_info ORDER BY period_start").all();
      expect(periods).toEqual([
        { period_start: "2026-11-02", period_end: "2026-11-08" },
        { period_start: "2026-11-09", period_end: "2026-11-15" },
      ]);
    } finally {
      db.close();
    }
  }, 60_000);

  it("refuses a range reaching outside the snapshot before anything runs, naming the snapshot's range", async () => {
    const report = join(dir, "outside.sqlite");
    await expect(compareWith({ snapshotDir: join(dir, "snapshot") }, report, { from: "2026-11-16", to: "2026-11-29" })).rejects.toMatchObject({
      code: "CONFIG",
      message: expect.stringMatching(/--from 2026-11-16 --to 2026-11-29 is outside the Milltime snapshot .+, which holds 2026-10-26\.\.2026-11-22/),
    });
    expect(existsSync(report)).toBe(false);
  });
});
