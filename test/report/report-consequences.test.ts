import { describe, expect, it } from "vitest";
import { parseParityRules } from "../../src/compare/compare-rules-schema.js";
import { loadRunReport } from "../../src/report/report-data.js";
import { evaluateGate } from "../../src/report/report-gate.js";
import { formatJsonReport } from "../../src/report/report-json.js";
import { formatJunitReport } from "../../src/report/report-junit.js";
import { formatMarkdownReport } from "../../src/report/report-markdown.js";
import type { ReportStore } from "../../src/report/report-store.js";
import { buildUserLink, buildWeeklyStats } from "../builders.js";
import { runUser, WEEK_20 } from "../parity/parity-fixture.js";
import { memoryStore } from "./report-fixture.js";
import { findAll, parseXml } from "./xml-check.js";

const BLOCKING_PERIODS = {
  timeinfo_worked_mismatch: "blocking",
  timeinfo_covered_mismatch: "blocking",
  timeinfo_remaining_mismatch: "blocking",
  flex_period_mismatch: "blocking",
} as const;

/** One user whose Kleer worked hours are 2 h short: worked is the root of covered, remaining and flex. */
function writeRun(store: ReportStore, rulesFile: Record<string, unknown>): string {
  const rules = parseParityRules(rulesFile);
  const runId = store.startRun({ command: "compare", range: WEEK_20, period: "week", toolVersion: "0.1.0", suppressions: rules.suppressions });
  store.writeUserBatch(runId, { user: buildUserLink(), result: runUser({ kleerStats: [buildWeeklyStats({ worked: 38 })] }, rules) });
  store.completeRun(runId);
  return runId;
}

describe("caused_by in the report", () => {
  it("stores each consequence with the id of its root finding", () => {
    const store = memoryStore();
    const runId = writeRun(store, {});
    const findings = store.readFindings(runId);
    const worked = findings.find((f) => f.kind === "timeinfo_worked_mismatch");
    expect(worked?.causedBy).toBeNull();
    const byKind = Object.fromEntries(findings.map((f) => [f.kind, f.causedBy]));
    expect(byKind).toEqual({
      timeinfo_worked_mismatch: null,
      timeinfo_covered_mismatch: worked?.id,
      timeinfo_remaining_mismatch: worked?.id,
      flex_period_mismatch: worked?.id,
      flex_balance_unavailable: null,
    });
    expect(store.countFindingsByKind(runId).find((k) => k.kind === "timeinfo_covered_mismatch")?.consequences).toEqual({ blocking: 0, warning: 1, info: 0 });
    // flex_period_mismatch is info, its root a warning: shown beside it.
    expect(store.countFindingsByKind(runId).find((k) => k.kind === "flex_period_mismatch")?.consequences).toEqual({ blocking: 0, warning: 0, info: 1 });
  });

  it("lets the gate count one problem once while --max-blocking still counts every finding", () => {
    const store = memoryStore();
    const report = loadRunReport(store, writeRun(store, { severities: BLOCKING_PERIODS }));
    expect(report.totals.blocking).toBe(4);
    expect(report.totals.consequences.blocking).toBe(3);
    const gate = evaluateGate(report, { maxBlocking: 3 });
    expect(gate.passed).toBe(false);
    expect(gate.reason).toContain("4 blocking findings: 1 problem and 3 of its consequences (max 3)");
    expect(evaluateGate(report, { maxBlocking: 4 }).passed).toBe(true);
  });

  it("stops folding a consequence whose root is suppressed or less severe: it stands alone", () => {
    const store = memoryStore();
    const suppressed = loadRunReport(store, writeRun(store, { severities: BLOCKING_PERIODS, suppressions: [{ kind: "timeinfo_worked_mismatch", reason: "payroll fixed it" }] }));
    expect(suppressed.totals).toMatchObject({ blocking: 3, consequences: { blocking: 0, warning: 0, info: 0 } });
    expect(evaluateGate(suppressed).reason).toContain("3 blocking findings (max 0)");
    const lower = loadRunReport(store, writeRun(store, { severities: { timeinfo_covered_mismatch: "blocking" } }));
    expect(lower.kinds.find((k) => k.kind === "timeinfo_covered_mismatch")?.consequences).toEqual({ blocking: 0, warning: 0, info: 0 });
    expect(findAll(parseXml(formatJunitReport(lower)), "failure")).toHaveLength(1);
  });

  it("shows consequences beside their root in Markdown, JUnit and JSON", () => {
    const store = memoryStore();
    const report = loadRunReport(store, writeRun(store, { severities: BLOCKING_PERIODS }));
    const root = report.findings.find((f) => f.kind === "timeinfo_worked_mismatch");
    const md = formatMarkdownReport(report);
    const top = md.slice(md.indexOf("### Top findings"), md.indexOf("###", md.indexOf("### Top findings") + 4));
    expect(top.split("\n").filter((l) => l.startsWith("| blocking"))).toHaveLength(1);
    expect(top).toContain(`#${root?.id} `);
    expect(top).toMatch(/\| timeinfo_covered_mismatch \(#\d+\), timeinfo_remaining_mismatch \(#\d+\), flex_period_mismatch \(#\d+\)/);
    expect(md).toContain("| **Total** | 4 | 0 | 1 | 0 | 3 |");
    expect(md).toContain("4 blocking findings: 1 problem and 3 of its consequences");

    const failures = findAll(parseXml(formatJunitReport(report)), "failure");
    expect(failures).toHaveLength(1);
    expect(failures[0]?.text).toContain("consequence #");
    expect(failures[0]?.text).toContain("timeinfo_remaining_mismatch");

    const json = JSON.parse(formatJsonReport(report)) as { findings: Array<{ kind: string; causedBy: number | null }>; totals: { consequences: unknown } };
    expect(json.findings.find((f) => f.kind === "flex_period_mismatch")?.causedBy).toBe(root?.id);
    expect(json.totals.consequences).toEqual({ blocking: 3, warning: 0, info: 0 });
  });
});
