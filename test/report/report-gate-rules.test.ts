import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ReportDiff } from "../../src/report/report-diff.js";
import { DEFAULT_MAX_BLOCKING, evaluateGate, runGate } from "../../src/report/report-gate.js";
import { openReportStore } from "../../src/report/report-store.js";
import { buildUserLink } from "../builders.js";
import { buildRunRecord, buildRunTotals, gateReportFile, SAMPLE_RANGE, sampleResultUser1, sampleResultUser2, steppingClock } from "./report-fixture.js";

// The verdict's rules beyond the plain counts: a baseline, several problems at once, the rounding
// of the match rate, and the file-level entry point CI calls.
const run = buildRunRecord;
const totals = buildRunTotals;
const counts = (blocking: number, total = blocking) => ({ total, blocking, warning: 0, info: 0 });
function diff(newBlocking: number, persistingBlocking = 0, resolved = 0): ReportDiff {
  return {
    base: { file: "a.sqlite", run: run({ runId: "R0" }) },
    run: { file: "a.sqlite", run: run() },
    items: [],
    counts: { new: counts(newBlocking), resolved: counts(0, resolved), persisting: counts(persistingBlocking) } as ReportDiff["counts"],
    notes: [],
    usersDroppedOut: [],
  };
}

describe("evaluateGate with a baseline", () => {
  it("judges by new blocking findings only: old ones do not fail it unless a limit is asked for", () => {
    expect(DEFAULT_MAX_BLOCKING).toBe(0);
    expect(evaluateGate({ run: run(), totals: totals({ blocking: 5 }) }, { baseline: { diff: diff(0, 5, 2) } })).toMatchObject({
      passed: true,
      reason: "gate passed: run R1: 5 blocking, 0 new blocking (max 0), 2 resolved, 5 persisting blocking since baseline run R0, match rate 66.66 %",
    });
    expect(evaluateGate({ run: run(), totals: totals({ blocking: 5 }) }, { baseline: { diff: diff(0, 5) }, maxBlocking: 4 })).toMatchObject({
      passed: false,
      reason: "gate failed: run R1: 5 blocking findings (max 4); match rate 66.66 %",
    });
  });

  it("a new blocking finding fails it", () => {
    expect(evaluateGate({ run: run(), totals: totals({ blocking: 1 }) }, { baseline: { diff: diff(1) } })).toMatchObject({
      passed: false,
      reason: "gate failed: run R1: 1 new blocking finding since baseline run R0 (max 0); match rate 66.66 %",
    });
  });
});

describe("evaluateGate: every problem is named", () => {
  it("lists all problems of a run in one line, without coverage for a run that did not complete", () => {
    expect(evaluateGate({ run: run({ status: "failed", errorMessage: "Kleer unreachable" }), totals: totals({ blocking: 2, matchRate: 0.5 }) }, { minMatchRate: 0.9 }).reason).toBe(
      "gate failed: run R1: the run failed (Kleer unreachable); 2 blocking findings (max 0); match rate 50.00 % is below 90.00 %",
    );
  });

  it("rounds the match rate down, so a pass never shows more than was reached", () => {
    expect(evaluateGate({ run: run(), totals: totals({ matchRate: 0.99999 }) }).reason).toBe("gate passed: run R1: 0 blocking (max 0), match rate 99.99 %");
  });

  it("says every user was compared when the report lists them all", () => {
    const result = evaluateGate({ run: run(), totals: totals(), users: [{ userKey: 1, status: "compared" }] as never, findings: [] });
    expect(result.reason).toBe("gate passed: run R1: 0 blocking (max 0), match rate 66.66 %; every user compared");
  });
});

describe("runGate on a report file", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const reportFile = () => gateReportFile(dirs);

  it("judges the latest run by default and a chosen run when asked, and leaves the file closed", () => {
    const { file, cleanRun, dirtyRun } = reportFile();
    const latest = runGate({ reportFile: file, clock: steppingClock() });
    expect(latest).toMatchObject({ passed: false, runId: dirtyRun });
    expect(latest.blocking).toBeGreaterThan(0);
    const chosen = runGate({ reportFile: file, runId: cleanRun, clock: steppingClock() });
    expect(chosen).toMatchObject({ passed: true, runId: cleanRun, blocking: 0 });
    rmSync(file);
    expect(() => runGate({ reportFile: file })).toThrow();
  });

  it("a baseline run of the same file, or the latest run of another file, makes old findings not new", () => {
    const { dir, file, dirtyRun, clock } = reportFile();
    const copy = join(dir, "copy.sqlite");
    const store = openReportStore(file, { clock });
    store.db.exec(`VACUUM INTO '${copy}'`);
    const again = store.startRun({ command: "compare", range: SAMPLE_RANGE, toolVersion: "0.1.0" });
    store.writeUserBatch(again, { user: buildUserLink(), result: sampleResultUser1() });
    store.writeUserBatch(again, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
    store.completeRun(again);
    store.db.close();

    const sameFile = runGate({ reportFile: file, baseline: dirtyRun, clock: steppingClock() });
    expect(sameFile).toMatchObject({ passed: true, runId: again });
    expect(sameFile.reason).toContain(`0 new blocking (max 0)`);
    expect(sameFile.reason).toContain(`since baseline run ${dirtyRun}`);

    const otherFile = runGate({ reportFile: file, baseline: copy, clock: steppingClock() });
    expect(otherFile).toMatchObject({ passed: true, runId: again });
    expect(otherFile.reason).toContain(`since baseline run ${dirtyRun}`);
  });

  it("against the clean run the new blocking findings fail it, within --max-new-blocking they pass", () => {
    const { file, cleanRun, dirtyRun } = reportFile();
    const failed = runGate({ reportFile: file, baseline: cleanRun, clock: steppingClock() });
    expect(failed.passed).toBe(false);
    expect(failed.reason).toMatch(new RegExp(`^gate failed: run ${dirtyRun}: \\d+ new blocking findings? since baseline run ${cleanRun} \\(max 0\\)`));
    const allowed = runGate({ reportFile: file, baseline: cleanRun, maxNewBlocking: 99, clock: steppingClock() });
    expect(allowed.passed).toBe(true);
    expect(allowed.reason).toContain("(max 99)");
  });
});
