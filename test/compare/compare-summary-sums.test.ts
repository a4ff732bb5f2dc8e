import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCompareSummary, type CompareSummary } from "../../src/compare/index.js";
import { exportReport, migrateReport, REPORT_MIGRATIONS, openReportStore } from "../../src/report/index.js";
import { systemClock } from "../../src/domain/ports.js";
import { rehearseDemo } from "../report/demo-rehearsal.js";

/** Every "N … = a … + b … + …" in a text: the total and its parts. */
function sumsIn(text: string): Array<{ line: string; total: number; parts: number[] }> {
  const sums: Array<{ line: string; total: number; parts: number[] }> = [];
  for (const line of text.split("\n")) {
    const m = /(\d+)[^=\d]*=\s*(.+)$/.exec(line);
    if (!m) continue;
    const parts = [...(m[2] as string).matchAll(/(?:^|\+\s*)(\d+)\b/g)].map((p) => Number(p[1]));
    sums.push({ line, total: Number(m[1]), parts });
  }
  return sums;
}

describe("compare summary lines add up on the demo data", () => {
  const dir = mkdtempSync(join(tmpdir(), "toki-parity-sums-"));
  const reportFile = join(dir, "parity.sqlite");
  let summary: CompareSummary;
  beforeAll(async () => {
    summary = await rehearseDemo({ reportFile });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives every legacy entry exactly one outcome and counts Kleer-only events apart", () => {
    const s = summary;
    expect(s.legacyEntries).toBe(1040);
    expect(s.matches + s.mismatches + s.missing + s.unmapped + s.skipped).toBe(s.legacyEntries);
    expect(s.entriesCompared).toBe(s.legacyEntries - s.skipped);
    expect(s.users).toBe(s.usersCompared + s.usersUnmapped + s.usersWithSourceErrors);
    // The demo's projectless Kleer event is skipped by Toki's listing: a Kleer event, not a legacy entry
    // (it used to be counted among the legacy outcomes, which then summed to 1041).
    expect(s.kleerSkipped).toBe(1);
    expect(s.skipped).toBe(0);
  });

  it("prints sums whose parts add up to their totals and says what each counts", () => {
    const text = formatCompareSummary(summary);
    const sums = sumsIn(text);
    expect(sums.map((s) => s.line.split(/\s+/)[0])).toEqual(["Users", "Entries", "Kleer"]);
    for (const s of sums) expect(s.parts.reduce((a, b) => a + b, 0), s.line).toBe(s.total);
    expect(text).toContain(`Entries  1040 legacy = ${summary.matches} match + ${summary.mismatches} mismatch + 1 missing in Kleer + 98 unmapped + 0 not read (source error)`);
    expect(text).toContain(`Kleer    ${summary.extra + 1} Kleer-only events = ${summary.extra} extra in Kleer + 1 skipped by Toki's listing`);
    expect(text).toContain(`(${summary.matches} match of the 1040 legacy entries compared: all but those not read)`);
  });

  it("stores the same split per user, so the Markdown export adds up too", async () => {
    const store = openReportStore(reportFile, { clock: systemClock, mustExist: true });
    const users = store.readRunUsers(summary.runId);
    store.db.close();
    for (const u of users) expect(u.matches + u.mismatches + u.missing + u.unmapped + u.skipped, `user ${u.userKey}`).toBe(u.legacyEntries);
    expect(users.reduce((n, u) => n + u.kleerSkipped, 0)).toBe(1);
    const md = (await exportReport({ reportFile, format: "md" })).text;
    const line = md.split("\n").find((l) => l.startsWith("Match rate")) ?? "";
    const [sum] = sumsIn(line.replace(/^.*?\((\d+ legacy entries = [^;]+);.*$/, "$1"));
    expect(sum?.total).toBe(1040);
    expect(sum?.parts.reduce((a, b) => a + b, 0)).toBe(1040);
    expect(line).toContain("Kleer-only: ");
    expect(line).toContain("1 skipped by Toki's listing");
  });
});

describe("report schema 8", () => {
  it("splits an earlier run's skipped count into legacy entries and Kleer events Toki's listing skips", () => {
    const db = new Database(":memory:");
    migrateReport(db, "t", REPORT_MIGRATIONS.filter((m) => m.version < 8));
    db.prepare("INSERT INTO runs (run_id, command, status, started_at, tool_version) VALUES ('r', 'compare', 'completed', 't', '0')").run();
    db.prepare(
      `INSERT INTO run_users (run_id, user_key, status, legacy_entries, compared, kleer_events, matches, mismatches, missing, extra, unmapped, skipped, blocking, warnings, infos, suppressed)
       VALUES ('r', 1, 'compared', 3, 3, 4, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0), ('r', 2, 'source_error', 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0)`,
    ).run();
    const entry = db.prepare("INSERT INTO entries (run_id, user_key, date, legacy_id, kleer_id, outcome) VALUES ('r', ?, '2026-10-01', ?, ?, ?)");
    for (const id of ["a", "b", "c"]) entry.run(1, id, `k${id}`, "match");
    entry.run(1, null, "k9", "skipped");
    entry.run(2, "d", null, "skipped");
    entry.run(2, "e", null, "skipped");
    migrateReport(db, "t");
    const rows = db.prepare("SELECT user_key, skipped, kleer_skipped FROM run_users ORDER BY user_key").all();
    expect(rows).toEqual([
      { user_key: 1, skipped: 0, kleer_skipped: 1 },
      { user_key: 2, skipped: 2, kleer_skipped: 0 },
    ]);
    db.close();
  });
});
