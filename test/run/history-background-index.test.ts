// A history export's index is built while the first users' providers are read; an export that
// turns out unreadable past its header still ends the run (failed, nobody written), as it ended
// the preflight before — never one history source error per user.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRunConfig } from "../../src/config/run-config.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { ConfigError } from "../../src/domain/errors.js";
import { startKleerEmulator, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { compareFromConfig } from "../../src/run/run-compare.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-background-index-"));
const fixtures = demoFixturesDir();
let kleer: RunningKleerEmulator;
let milltime: RunningMilltimeEmulator;
const HEADER = "id,user_id,start_time,end_time,project_id,project_name,activity_id,activity_name,note,created_at,registration_id,user_email";
const row = (id: number) => `${id},2,2026-11-03T07:00:00+00:00,2026-11-03T08:00:00+00:00,,,,,ok,2026-11-03T08:00:00+00:00,4000000000009${String(id).padStart(5, "0")},`;

function config(name: string, historyText: string) {
  const history = join(dir, `${name}.csv`);
  writeFileSync(history, historyText);
  const parsed = parseRunConfig({
    from: "2026-11-02",
    to: "2026-11-08",
    kleer: { baseUrl: `${kleer.url}/v1`, token: "background-index-token", companyId: 4875 },
    milltime: { url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, "milltime-credentials.json") },
    history,
    mappingFile: join(fixtures, "mapping.json"),
    reportFile: join(dir, `${name}.sqlite`),
  });
  if (!parsed.config) throw new Error(parsed.errors.join("; "));
  return parsed.config;
}

function runRows(file: string): { runs: Array<{ status: string }>; users: number } {
  const db = new Database(file, { readonly: true });
  try {
    const runs = db.prepare("SELECT status FROM runs").all() as Array<{ status: string }>;
    return { runs, users: (db.prepare("SELECT COUNT(*) AS n FROM run_users").get() as { n: number }).n };
  } finally {
    db.close();
  }
}

describe("history index built in the background", () => {
  beforeAll(async () => {
    kleer = await startKleerEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "kleer-seed.json"), "utf8")), token: "background-index-token", companyId: 4875 });
    milltime = await startMilltimeEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "milltime-seed.json"), "utf8")) });
  });
  afterAll(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends the run as failed, writing no user, when the export breaks past its header", async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row(i + 1));
    const cfg = config("broken", `${[HEADER, ...rows, '9999,2,"2026-11-04T07:00:00+00:00,unclosed'].join("\n")}\n`);
    const error = await compareFromConfig(cfg).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/cannot read .*broken\.csv at line \d+: Quote Not Closed/);
    expect(runRows(cfg.reportFile)).toEqual({ runs: [{ status: "failed" }], users: 0 });
  });

  it("still refuses a file without the required columns before any run starts", async () => {
    const cfg = config("no-columns", "id,user_id\n1,2\n");
    await expect(compareFromConfig(cfg)).rejects.toThrow(/is not a timer_history export/);
    expect(runRows(cfg.reportFile).runs).toEqual([]);
  });

  it("compares every user with the links of a good export", async () => {
    const cfg = config("good", `${[HEADER, row(1), row(2)].join("\n")}\n`);
    const summary = await compareFromConfig(cfg);
    expect(summary.usersWithSourceErrors).toBeLessThan(summary.users);
    expect(summary.sourceErrors.filter((e) => e.system === "history")).toEqual([]);
    expect(runRows(cfg.reportFile).runs).toEqual([{ status: "completed" }]);
  });
});
