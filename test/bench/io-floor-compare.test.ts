// The I/O floor of a real compare: the request hook sees every request the report records (and
// the company calls before the first user), each with a path free of credentials, and the floor
// replays them against the same emulators without a failure.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import type { RequestRecord } from "../../src/http/request-log.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { plannedRequestOf, planIoFloor, replayIoFloor, type PlannedRequest } from "../../scripts/bench/io-floor.js";
import { floorOptionsFor } from "../../scripts/bench/floor-sources.js";

const token = "floor-token-0123456789";
const dir = mkdtempSync(join(tmpdir(), "toki-parity-floor-"));
const fixtures = demoFixturesDir();
let kleer: RunningKleerEmulator;
let milltime: RunningMilltimeEmulator;

function config(reportFile: string): RunConfig {
  const parsed = parseRunConfig({
    from: "2026-10-26",
    to: "2026-11-22",
    concurrency: 2,
    kleer: { baseUrl: `${kleer.url}/v1`, token, companyId: 4875 },
    milltime: { url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, "milltime-credentials.json") },
    history: join(fixtures, "timer-history.json"),
    mappingFile: join(fixtures, "mapping.json"),
    reportFile,
  });
  if (!parsed.config) throw new Error(parsed.errors.join("; "));
  return parsed.config;
}

describe("the I/O floor of a compare", () => {
  beforeAll(async () => {
    kleer = await startKleerEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "kleer-seed.json"), "utf8")), token, companyId: 4875 });
    milltime = await startMilltimeEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "milltime-seed.json"), "utf8")) });
  });
  afterAll(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("sees every recorded request with its path, and replays them all from the same emulators", async () => {
    const seen: Array<{ tokiUserId: number | undefined; record: RequestRecord }> = [];
    const report = join(dir, "floor.sqlite");
    const cfg = config(report);
    await compareFromConfig(cfg, { onRequest: (tokiUserId, record) => seen.push({ tokiUserId, record }) });

    const db = new Database(report, { readonly: true });
    const stored = db.prepare("SELECT system, method, route FROM requests ORDER BY id").all() as Array<{ system: string; method: string; route: string }>;
    db.close();
    const key = (r: { system: string; method: string; route: string }) => `${r.system} ${r.method} ${r.route}`;
    const withUser = seen.filter((s) => s.tokiUserId !== undefined).map((s) => key(s.record));
    expect(withUser.sort()).toEqual(stored.map(key).sort());
    // user/me (the preflight) and the users list come before any user's batch.
    expect(seen.filter((s) => s.tokiUserId === undefined).map((s) => s.record.path).sort()).toEqual(["/company/4875/user", "/company/4875/user/me"]);
    for (const { record } of seen) {
      expect(record.path, record.route).toBeDefined();
      expect(record.path).not.toContain(token);
      if (record.system === "kleer") expect(record.path?.startsWith("/company/4875/")).toBe(true);
    }

    const plan = planIoFloor(seen.map((s) => plannedRequestOf(s.tokiUserId, s.record)).filter((p): p is PlannedRequest => p !== undefined));
    const options = await floorOptionsFor(cfg);
    try {
      const floor = await replayIoFloor(plan, options);
      // The demo plants refusals (a payroll user Kleer lacks, a Milltime login refused): the floor gets the same statuses.
      expect(seen.filter((s) => (s.record.status ?? 0) >= 400).length).toBeGreaterThan(0);
      expect(floor.mismatches).toBe(0);
      expect(floor.requests).toBe(seen.length);
      expect(floor.bytes).toBeGreaterThan(0);
    } finally {
      await options.close();
    }
  });
});
