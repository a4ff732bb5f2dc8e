import { describe, expect, it } from "vitest";
import { describeBlocking, evaluateGate } from "../../src/report/report-gate.js";
import { buildRunRecord, buildRunTotals } from "./report-fixture.js";

// The CI verdict as one line, from a run's totals alone: what fails it, and what a pass states.
const run = buildRunRecord;
const totals = buildRunTotals;

describe("evaluateGate", () => {
  it("passes a completed run without blocking findings, stating the match rate rounded down", () => {
    expect(evaluateGate({ run: run(), totals: totals() })).toEqual({ passed: true, reason: "gate passed: run R1: 0 blocking (max 0), match rate 66.66 %", runId: "R1", blocking: 0, matchRate: 2 / 3, unreadUsers: [] });
  });

  it("fails one blocking finding over the limit, and passes at the limit", () => {
    expect(evaluateGate({ run: run(), totals: totals({ blocking: 1 }) }).reason).toBe("gate failed: run R1: 1 blocking finding (max 0); match rate 66.66 %");
    expect(evaluateGate({ run: run(), totals: totals({ blocking: 1 }) }, { maxBlocking: 1 })).toMatchObject({ passed: true, reason: "gate passed: run R1: 1 blocking (max 1), match rate 66.66 %" });
  });

  it("a failed or unfinished run never passes, whatever its findings", () => {
    expect(evaluateGate({ run: run({ status: "failed", errorMessage: "Kleer unreachable" }), totals: totals() })).toMatchObject({ passed: false, reason: "gate failed: run R1: the run failed (Kleer unreachable)" });
    expect(evaluateGate({ run: run({ status: "failed" }), totals: totals() }).reason).toBe("gate failed: run R1: the run failed");
    expect(evaluateGate({ run: run({ status: "running" }), totals: totals() }).reason).toBe("gate failed: run R1: the run did not finish (still running, or killed)");
  });

  it("a minimum match rate: met at exactly the rate, missed below it, unreachable when nothing was compared", () => {
    expect(evaluateGate({ run: run(), totals: totals({ matchRate: 0.95 }) }, { minMatchRate: 0.95 })).toMatchObject({ passed: true, reason: "gate passed: run R1: 0 blocking (max 0), match rate 95.00 % (min 95.00 %)" });
    expect(evaluateGate({ run: run(), totals: totals({ matchRate: 0.9499 }) }, { minMatchRate: 0.95 }).reason).toBe("gate failed: run R1: match rate 94.99 % is below 95.00 %; match rate 94.99 %");
    expect(evaluateGate({ run: run(), totals: totals({ matchRate: null, compared: 0 }) }, { minMatchRate: 0.5 }).reason).toBe(
      "gate failed: run R1: no legacy entries were compared, so the match rate cannot reach 50.00 %; no entries compared",
    );
    expect(evaluateGate({ run: run(), totals: totals({ matchRate: null, compared: 0 }) }).reason).toBe("gate passed: run R1: 0 blocking (max 0), no entries compared");
  });

  it("a user that was not read fails the verdict even with no blocking finding left", () => {
    const result = evaluateGate({
      run: run(), totals: totals(),
      users: [{ userKey: 2, status: "compared" }, { userKey: 9, status: "source_error" }, { userKey: 4, status: "unmapped" }] as never,
      findings: [{ kind: "source_error", userKey: 9, field: "milltime" }] as never,
    });
    expect(result).toMatchObject({ passed: false, unreadUsers: [9] });
    expect(result.reason).toBe("gate failed: run R1: not (fully) read, so never ready: user 9 (milltime); match rate 66.66 %; users not compared: 4 (unmapped), 9 (not read)");
  });
});

describe("describeBlocking", () => {
  it("names consequences apart from the problems they follow from", () => {
    expect(describeBlocking({ blocking: 0, consequences: { blocking: 0, warning: 0, info: 0 } })).toBe("0 blocking findings");
    expect(describeBlocking({ blocking: 1, consequences: { blocking: 0, warning: 3, info: 0 } })).toBe("1 blocking finding");
    expect(describeBlocking({ blocking: 5, consequences: { blocking: 2, warning: 0, info: 0 } })).toBe("5 blocking findings: 3 problems and 2 of their consequences");
    expect(describeBlocking({ blocking: 2, consequences: { blocking: 1, warning: 0, info: 0 } })).toBe("2 blocking findings: 1 problem and 1 of its consequences");
  });
});
