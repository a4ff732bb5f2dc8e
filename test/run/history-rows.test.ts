import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCompareSummary } from "../../src/compare/index.js";
import { parseRunConfig } from "../../src/config/run-config.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { compareFromConfig } from "../../src/run/run-compare.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-history-rows-"));
const fixtures = demoFixturesDir();
let kleer: RunningKleerEmulator;
let milltime: RunningMilltimeEmulator;

const CSV = [
  "id,user_id,start_time,end_time,project_id,project_name,activity_id,activity_name,note,created_at,registration_id,user_email",
  "9001,2,2026-11-03T07:00:00+00:00,2026-11-03T08:00:00+00:00,,,,,ok,2026-11-03T08:00:00+00:00,400000000000999001,",
  "9002,2,2026-11-04T07:00:00+00:00,2026-11-04T06:00:00+00:00,,,,,clock set back,2026-11-04T08:00:00+00:00,400000000000999002,",
  "9003,abc,2026-11-05T07:00:00+00:00,2026-11-05T08:00:00+00:00,,,,,who?,2026-11-05T08:00:00+00:00,400000000000999003,",
].join("\n");

async function compare(users?: number[]) {
  const history = join(dir, "history.csv");
  writeFileSync(history, `${CSV}\n`);
  const parsed = parseRunConfig({
    from: "2026-11-02",
    to: "2026-11-08",
    users,
    kleer: { baseUrl: `${kleer.url}/v1`, token: "history-rows-token", companyId: 4875 },
    milltime: { url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, "milltime-credentials.json") },
    history,
    mappingFile: join(fixtures, "mapping.json"),
    reportFile: join(dir, `report-${users?.join("-") ?? "all"}.sqlite`),
  });
  if (!parsed.config) throw new Error(parsed.errors.join("; "));
  const summary = await compareFromConfig(parsed.config);
  const db = new Database(parsed.config.reportFile, { readonly: true });
  try {
    const rows = db.prepare("SELECT user_key, severity, legacy_value, details_json, message FROM findings WHERE run_id = ? AND kind = 'history_row_invalid' ORDER BY id").all(summary.runId) as Array<Record<string, unknown>>;
    return { summary, rows };
  } finally {
    db.close();
  }
}

describe("unreadable timer-history rows in compare", () => {
  beforeAll(async () => {
    kleer = await startKleerEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "kleer-seed.json"), "utf8")), token: "history-rows-token", companyId: 4875 });
    milltime = await startMilltimeEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "milltime-seed.json"), "utf8")) });
  });
  afterAll(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("records each as a history_row_invalid warning with its row, line and reason, and counts them in the summary", async () => {
    const { summary, rows } = await compare();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ user_key: 2, severity: "warning", legacy_value: "9002" });
    expect(JSON.parse(String(rows[0]?.details_json))).toEqual({ rowId: "9002", line: 3, reason: "end_time 2026-11-04T06:00:00.000Z is before start_time 2026-11-04T07:00:00.000Z" });
    expect(String(rows[0]?.message)).toContain("timer history row 9002 (line 3) cannot be read");
    // A row whose user id cannot be read belongs to no user: recorded once for the run.
    expect(rows[1]).toMatchObject({ user_key: null, severity: "warning", legacy_value: "9003" });
    expect(JSON.parse(String(rows[1]?.details_json))).toMatchObject({ line: 4, reason: expect.stringContaining("user_id is not a positive integer") });
    expect(summary.historyRowsInvalid).toBe(2);
    expect(summary.findingsByKind.history_row_invalid).toEqual({ blocking: 0, warning: 2, info: 0, suppressed: 0 });
    expect(formatCompareSummary(summary)).toContain("History  2 timer-history rows could not be read (history_row_invalid)");
  }, 60_000);

  it("keeps a user's row with that user, and leaves rows of no selected user to an unfiltered run", async () => {
    const { rows } = await compare([2, 3]);
    expect(rows.map((r) => [r.user_key, r.legacy_value])).toEqual([[2, "9002"]]);
    expect((await compare([3])).rows).toEqual([]);
  }, 60_000);
});
