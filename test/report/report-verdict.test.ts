import { describe, expect, it } from "vitest";
import { DEFAULT_PARITY_RULES, type ParityRules } from "../../src/parity/parity-rules.js";
import { buildHtmlReportModel } from "../../src/report/html/html-report-model.js";
import { loadRunReport } from "../../src/report/report-data.js";
import { evaluateGate } from "../../src/report/report-gate.js";
import { formatMarkdownReport } from "../../src/report/report-markdown.js";
import { buildUserLink } from "../builders.js";
import { runUser, WEEK_20 } from "../parity/parity-fixture.js";
import { memoryStore } from "./report-fixture.js";

/**
 * A report file as an older tool could write it: user 1's Milltime was not read and a rules file
 * suppressed the source error (today such a file is refused at load); user 2 is clean; user 3 unmapped.
 */
function silencedRun() {
  const store = memoryStore();
  const silencing: ParityRules = { ...DEFAULT_PARITY_RULES, suppressions: [{ kind: "source_error", reason: "password rotated" }, { kind: "unmapped_user", reason: "left" }] };
  const runId = store.startRun({ command: "compare", range: WEEK_20, period: "week", toolVersion: "0.1.0", suppressions: silencing.suppressions });
  const unread = runUser({ legacyEntries: null, legacyTimeInfo: null, failures: [{ system: "milltime", message: "AUTH_FAILED: login refused" }] }, silencing);
  store.writeUserBatch(runId, { user: buildUserLink(), result: unread });
  store.writeUserBatch(runId, { user: buildUserLink({ tokiUserId: 2 }), result: runUser({ user: buildUserLink({ tokiUserId: 2 }) }, silencing) });
  const unmapped = buildUserLink({ tokiUserId: 3, kleerUserId: undefined });
  store.writeUserBatch(runId, { user: unmapped, result: runUser({ user: unmapped, kleerListing: null, kleerStats: null }, silencing) });
  store.completeRun(runId);
  return { store, report: loadRunReport(store, runId) };
}

describe("nothing read → no verdict", () => {
  it("fails the gate for a user that was not read even when its source_error is suppressed", () => {
    const { report } = silencedRun();
    expect(report.totals.blocking).toBe(0);
    const gate = evaluateGate(report);
    expect(gate.passed).toBe(false);
    expect(gate.unreadUsers).toEqual([1]);
    expect(gate.reason).toContain("not (fully) read, so never ready: user 1 (milltime)");
    expect(gate.reason).toContain("match rate 50.00 %; users not compared: 1 (not read), 3 (unmapped)");
  });

  it("says in the HTML and Markdown verdict which users block it, with the match rate", () => {
    const { store, report } = silencedRun();
    const model = buildHtmlReportModel({
      run: report.run,
      otherRuns: [],
      users: report.users,
      entries: store.readEntries(report.run.runId),
      findings: report.findings,
      timeInfo: report.timeInfo,
      suppressions: report.suppressions,
      requests: report.requests,
    });
    expect(model.verdict.level).toBe("not_ready");
    expect(model.verdict.headline).toBe("Not ready for cutover");
    expect(model.verdict.detail).toContain("Not (fully) read, so never ready: user 1 (milltime)");
    expect(model.verdict.detail).toContain("Match rate 50.00 %; users not compared: 1 (not read), 3 (unmapped)");
    expect(formatMarkdownReport(report)).toContain("**Verdict: ❌ not ready**: not (fully) read, so never ready: user 1 (milltime)");
  });

  it("states the match rate and every user compared on a passing run", () => {
    const store = memoryStore();
    const runId = store.startRun({ command: "compare", range: WEEK_20, period: "week", toolVersion: "0.1.0" });
    store.writeUserBatch(runId, { user: buildUserLink(), result: runUser() });
    store.completeRun(runId);
    const gate = evaluateGate(loadRunReport(store, runId));
    expect(gate).toMatchObject({ passed: true, unreadUsers: [] });
    expect(gate.reason).toBe(`gate passed: run ${runId}: 0 blocking (max 0), match rate 100.00 %; every user compared`);
  });
});
