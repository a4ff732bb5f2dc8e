import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { mergeReports } from "../../src/report/report-merge.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { systemClock } from "../../src/domain/ports.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-shards-"));
const fixtures = demoFixturesDir();
let kleer: RunningKleerEmulator;
let milltime: RunningMilltimeEmulator;

function config(reportFile: string, shard?: { index: number; count: number }): RunConfig {
  const parsed = parseRunConfig({
    from: "2026-10-26",
    to: "2026-11-22",
    shard,
    kleer: { baseUrl: `${kleer.url}/v1`, token: "shard-token-1", companyId: 4875 },
    milltime: { url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, "milltime-credentials.json") },
    history: join(fixtures, "timer-history.json"),
    mappingFile: join(fixtures, "mapping.json"),
    reportFile,
  });
  if (!parsed.config) throw new Error(parsed.errors.join("; "));
  return parsed.config;
}

function findingRows(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const run = db.prepare("SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1").get() as { run_id: string };
    const rows = db
      .prepare("SELECT kind, severity, user_key, date, legacy_id, kleer_id, field, legacy_value, kleer_value, message, suppressed FROM findings WHERE run_id = ?")
      .all(run.run_id);
    return rows.map((r) => JSON.stringify(r)).sort();
  } finally {
    db.close();
  }
}

/** Each consequence with its root, by content (ids differ between files). */
function causeRows(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const run = db.prepare("SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1").get() as { run_id: string };
    const rows = db
      .prepare("SELECT f.kind, f.user_key, f.date, r.kind AS root_kind, r.user_key AS root_user, r.date AS root_date FROM findings f JOIN findings r ON r.id = f.caused_by WHERE f.run_id = ? AND r.run_id = f.run_id")
      .all(run.run_id);
    return rows.map((r) => JSON.stringify(r)).sort();
  } finally {
    db.close();
  }
}

describe("sharded compare + report merge", () => {
  beforeAll(async () => {
    kleer = await startKleerEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "kleer-seed.json"), "utf8")), token: "shard-token-1", companyId: 4875 });
    milltime = await startMilltimeEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "milltime-seed.json"), "utf8")) });
  });
  afterAll(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("merges three shard reports into findings equal to an unsharded run", async () => {
    const whole = await compareFromConfig(config(join(dir, "whole.sqlite")));
    const shardUsers: number[] = [];
    for (let index = 1; index <= 3; index++) {
      const summary = await compareFromConfig(config(join(dir, `shard-${index}.sqlite`), { index, count: 3 }));
      shardUsers.push(summary.users);
    }
    expect(shardUsers.reduce((a, b) => a + b, 0)).toBe(whole.users);
    expect(shardUsers.filter((n) => n > 0).length).toBeGreaterThan(1);

    const merged = mergeReports({
      outFile: join(dir, "merged.sqlite"),
      inputs: [1, 2, 3].map((i) => join(dir, `shard-${i}.sqlite`)),
      clock: systemClock,
      toolVersion: "test",
    });
    expect(merged.users).toBe(whole.users);
    expect(findingRows(join(dir, "merged.sqlite"))).toEqual(findingRows(join(dir, "whole.sqlite")));
    const causes = causeRows(join(dir, "whole.sqlite"));
    expect(causes.length).toBeGreaterThan(0);
    expect(causeRows(join(dir, "merged.sqlite"))).toEqual(causes);
  }, 60_000);

  it("refuses overlapping shards", () => {
    expect(() =>
      mergeReports({ outFile: join(dir, "bad.sqlite"), inputs: [join(dir, "whole.sqlite"), join(dir, "shard-1.sqlite")], clock: systemClock, toolVersion: "test" }),
    ).toThrow(/disjoint users/);
  });
});

describe("selecting the users of a run", () => {
  it("refuses a --users id that neither the mapping nor Milltime knows, naming it", async () => {
    const { selectRunUsers } = await import("../../src/run/run-sources.js");
    const mapping = { users: [{ tokiUserId: 1, kleerUserId: 5501 }], projects: [], activities: [] };
    expect(selectRunUsers(mapping, [2], { users: [1, 2] }).map((u) => u.tokiUserId)).toEqual([1, 2]);
    expect(() => selectRunUsers(mapping, [2], { users: [1, 99] })).toThrow(/Toki user 99 is neither in the mapping/);
  });
});
