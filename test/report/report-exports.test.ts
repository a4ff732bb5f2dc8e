import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { draftFinding } from "../../src/parity/finding.js";
import { loadRunReport } from "../../src/report/report-data.js";
import { exportReport } from "../../src/report/report-export.js";
import { REPORT_FORMAT_NAMES } from "../../src/report/report-formats.js";
import { escapeXml, formatJunitReport, isoWeekLabel } from "../../src/report/report-junit.js";
import { formatMarkdownReport, mdCell } from "../../src/report/report-markdown.js";
import { openReportStore, type ReportStore } from "../../src/report/report-store.js";
import { buildUserLink } from "../builders.js";
import { memoryStore, SAMPLE_RANGE, SAMPLE_RULES, sampleResultUser1, sampleResultUser2, steppingClock } from "./report-fixture.js";
import { findAll, parseXml } from "./xml-check.js";

const NASTY = `Kleer said <error code="x"> & 'quoted'\u0001 on\nline two`;

/** Two users in week 20; user 1 also has a blocking finding whose text needs escaping. */
function writeSampleRun(store: ReportStore): string {
  const runId = store.startRun({ command: "compare", range: SAMPLE_RANGE, period: "week", toolVersion: "0.1.0", suppressions: SAMPLE_RULES.suppressions });
  const one = sampleResultUser1();
  one.findings.push({
    ...draftFinding({ kind: "source_error", userKey: 1, date: SAMPLE_RANGE.from, field: "history", message: NASTY }),
    severity: "blocking",
    suppressed: false,
    suppressionReason: null,
  });
  store.writeUserBatch(runId, { user: buildUserLink(), result: one });
  store.writeUserBatch(runId, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
  store.completeRun(runId);
  return runId;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function reportFile(): { file: string; runId: string } {
  const dir = mkdtempSync(join(tmpdir(), "toki-export-"));
  dirs.push(dir);
  const file = join(dir, "report.sqlite");
  const store = openReportStore(file, { clock: steppingClock() });
  const runId = writeSampleRun(store);
  store.db.close();
  return { file, runId };
}

describe("JSON export", () => {
  it("holds the run, counts by kind and severity, findings and time info", async () => {
    const { file, runId } = reportFile();
    const json = JSON.parse((await exportReport({ reportFile: file, format: "json" })).text);
    expect(json.run).toMatchObject({ runId, status: "completed", fromDate: "2026-05-11" });
    expect(json.verdict.passed).toBe(false);
    expect(json.counts.bySeverity).toEqual({ blocking: 3, warning: 1, info: 2, suppressed: 2 });
    expect(json.counts.byKind).toContainEqual({ kind: "hours_mismatch", blocking: 1, warning: 0, info: 0, suppressed: 0, consequences: { blocking: 0, warning: 0, info: 0 } });
    expect(json.counts.byKind).toContainEqual({ kind: "note_mismatch", blocking: 0, warning: 0, info: 0, suppressed: 1, consequences: { blocking: 0, warning: 0, info: 0 } });
    expect(json.totals).toMatchObject({ users: 2, compared: 6, matches: 5, matchRate: 5 / 6 });
    expect(json.findings).toHaveLength(8);
    expect(json.timeInfo).toHaveLength(2);
    expect(json.suppressions.map((s: { matchedFindings: number }) => s.matchedFindings)).toEqual([1, 1]);
  });
});

describe("JUnit export", () => {
  it("is well-formed XML with one testcase per user-week and a failure per blocking unsuppressed finding", () => {
    const store = memoryStore();
    writeSampleRun(store);
    const xml = formatJunitReport(loadRunReport(store));
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    expect(root.attributes).toMatchObject({ tests: "2", failures: "1" });
    expect(findAll(root, "testsuite").map((s) => [s.attributes.name, s.attributes.failures])).toEqual([["user 1", "1"], ["user 2", "0"]]);
    const cases = findAll(root, "testcase");
    expect(cases.map((c) => [c.attributes.classname, c.attributes.name])).toEqual([["user 1", "2026-W20"], ["user 2", "2026-W20"]]);
    const failures = findAll(cases[0]!, "failure");
    expect(failures.map((f) => f.attributes.type)).toEqual(["hours_mismatch", "extra_in_kleer", "source_error"]);
    // Escaped and decoded back intact; the control character is dropped, the line break kept.
    expect(failures[2]!.attributes.message).toBe(`source_error: ${NASTY.replace("\u0001", "")}`);
    expect(failures[2]!.text).toContain("Kleer said <error code=\"x\"> & 'quoted' on\nline two");
    expect(findAll(cases[1]!, "failure")).toEqual([]);
    expect(findAll(cases[1]!, "system-out")[0]?.text).toContain("warning timeinfo_worked_mismatch: 2026-05-11–2026-05-17 worked");
  });

  it("has a testcase for every ISO week of the range, even clean ones", () => {
    const store = memoryStore();
    const runId = store.startRun({ command: "compare", range: { from: "2026-05-06", to: "2026-05-19" }, toolVersion: "0.1.0" });
    store.writeUserBatch(runId, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
    store.completeRun(runId);
    const cases = findAll(parseXml(formatJunitReport(loadRunReport(store))), "testcase");
    expect(cases.map((c) => c.attributes.name)).toEqual(["2026-W19", "2026-W20", "2026-W21"]);
  });

  it("labels weeks by ISO week-numbering year and escapes all five characters", () => {
    expect(isoWeekLabel("2027-01-01")).toBe("2026-W53");
    expect(isoWeekLabel("2026-05-12")).toBe("2026-W20");
    expect(escapeXml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  });

  it("the checker rejects what is not well-formed", () => {
    for (const bad of ["<a><b></a></b>", "<a x=1/>", "<a>&nbsp;</a>", "<a></a><b/>", '<a x="1" x="2"/>', "<a>\u0001</a>", "<a>"]) {
      expect(() => parseXml(bad)).toThrow(/not well-formed/);
    }
  });
});

describe("Markdown export", () => {
  it("has the verdict, the counts table, top findings, users, flex balances and suppressions", () => {
    const store = memoryStore();
    const runId = writeSampleRun(store);
    const md = formatMarkdownReport(loadRunReport(store));
    expect(md).toContain(`## toki-parity compare: run \`${runId}\``);
    // User 1's history was not read: named as blocking the verdict, with the match rate and coverage.
    expect(md).toContain("**Verdict: ❌ not ready**: not (fully) read, so never ready: user 1 (history); 3 blocking findings · match rate 83.33 % · users not compared: 1 (not read)");
    expect(md).toContain("Match rate **83.33 %**: 5 of 6 legacy entries match");
    expect(md).toContain("| `hours_mismatch` | 1 | 0 | 0 | 0 |");
    expect(md).toContain("| `note_mismatch` | 0 | 0 | 0 | 1 |");
    expect(md).toContain("| **Total** | 3 | 1 | 2 | 2 |");
    expect(md).toContain("### Top findings");
    expect(md).toContain("Kleer said &lt;error code=\"x\"&gt; & 'quoted'\u0001 on line two");
    expect(md).toContain("| user1@example.se · Toki 1 (Kleer 5501) | compared | 3 | 2 | 1 | 0 | 1 | 3 | 0 |");
    expect(md).toContain("| user2@example.se · Toki 2 (Kleer 5502) | compared | 3 | 3 | 0 | 0 | 0 | 0 | 1 |");
    expect(md).toContain("| user2@example.se · Toki 2 (Kleer 5502) | 3.5 h (3:30) |");
    expect(md).toContain("| `note_mismatch` | user 1 | Notes were edited in Kleer on purpose | 1 |");
    expect(md).toContain("| `link_orphan` | everywhere | Deleted registrations keep their history rows | 1 |");
  });

  it("says ready for a clean run and flags failed runs", () => {
    const store = memoryStore();
    const clean = store.startRun({ command: "compare", range: SAMPLE_RANGE, toolVersion: "0.1.0" });
    store.completeRun(clean);
    expect(formatMarkdownReport(loadRunReport(store))).toContain("**Verdict: ✅ ready**");
    const failed = store.startRun({ command: "compare", range: SAMPLE_RANGE, toolVersion: "0.1.0" });
    store.failRun(failed, "Error: disk full");
    expect(formatMarkdownReport(loadRunReport(store))).toContain("**Verdict: 💥 run failed**: Error: disk full");
  });

  it("keeps table cells on one line and pipes escaped", () => {
    expect(mdCell("a|b\nc")).toBe("a\\|b c");
    expect(mdCell(null)).toBe("–");
  });
});

describe("exportReport", () => {
  it("writes --out atomically and picks --run", async () => {
    const { file, runId } = reportFile();
    const out = join(dirs[0]!, "nested", "report.md");
    const result = await exportReport({ reportFile: file, format: "md", runId, outFile: out });
    expect(result).toMatchObject({ runId, format: "md", outFile: out });
    expect(readFileSync(out, "utf8")).toBe(result.text);
    await expect(exportReport({ reportFile: file, format: "md", runId: "20000101T000000Z-dead" })).rejects.toThrow(/is not in the report file/);
  });

  it("refuses unknown formats and missing files", async () => {
    const { file } = reportFile();
    expect(REPORT_FORMAT_NAMES).toEqual(["json", "junit", "md", "html"]);
    await expect(exportReport({ reportFile: file, format: "pdf" })).rejects.toThrow(/unknown report format "pdf"/);
    await expect(exportReport({ reportFile: join(dirs[0]!, "nope.sqlite"), format: "md" })).rejects.toThrow(/cannot open report file/);
  });
});
