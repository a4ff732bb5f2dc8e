import { describe, expect, it } from "vitest";
import { diffRuns, findingKey, type DiffSide } from "../../src/report/report-diff.js";
import type { FindingRecord, RunRecord, RunUserRecord } from "../../src/report/report-records.js";

const run = (runId: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  runId, command: "compare", status: "completed", startedAt: "2026-11-25T10:00:00Z", finishedAt: null, fromDate: "2026-11-02", toDate: "2026-11-29",
  period: "week", options: {}, toolVersion: "0.1.0", errorMessage: null, summary: null, ...extra,
});
const user = (userKey: number, status: RunUserRecord["status"] = "compared") => ({ userKey, status }) as RunUserRecord;
let id = 0;
const finding = (extra: Partial<FindingRecord>): FindingRecord => ({
  id: ++id, kind: "hours_mismatch", severity: "blocking", userKey: 1, date: "2026-11-03", legacyId: "4001", kleerId: "7001", field: "hours",
  legacyValue: "1", kleerValue: "2", message: "m", details: null, suppressed: false, suppressionReason: null, causedBy: null, ...extra,
});
const side = (r: RunRecord, users: RunUserRecord[], findings: FindingRecord[]): DiffSide => ({ file: "r.sqlite", run: r, users, findings });

describe("diffRuns", () => {
  it("keys findings on kind, user, legacy id (else Kleer id), period and field, so a relinked Kleer event keeps its key", () => {
    expect(findingKey(finding({}))).toBe("hours_mismatch|user:1|legacy:4001|2026-11-03|hours");
    expect(findingKey(finding({ kleerId: "7999" }))).toBe(findingKey(finding({})));
    expect(findingKey(finding({ kind: "extra_in_kleer", legacyId: null, field: null }))).toBe("extra_in_kleer|user:1|kleer:7001|2026-11-03|-");
  });

  it("sorts findings into new, resolved and persisting, counting two findings with one key twice", () => {
    const base = side(run("a"), [user(1)], [finding({}), finding({ kind: "note_mismatch", severity: "warning", field: "note" })]);
    const later = side(run("b"), [user(1)], [finding({ severity: "warning" }), finding({ kind: "missing_in_kleer", legacyId: "4002", kleerId: null }), finding({ kind: "missing_in_kleer", legacyId: "4002", kleerId: null })]);
    const diff = diffRuns(base, later);
    expect(diff.items.map((i) => [i.status, i.finding.kind])).toEqual([
      ["new", "missing_in_kleer"],
      ["new", "missing_in_kleer"],
      ["resolved", "note_mismatch"],
      ["persisting", "hours_mismatch"],
    ]);
    expect(diff.items.find((i) => i.status === "persisting")?.baseSeverity).toBe("blocking");
    expect(diff.counts.new).toEqual({ total: 2, blocking: 2, warning: 0, info: 0, suppressed: 0 });
  });

  it("never calls a finding resolved when the later run did not compare its user or date", () => {
    const base = side(run("a"), [user(1), user(2), user(3)], [finding({ userKey: 2 }), finding({ userKey: 3 }), finding({ date: "2026-10-05" })]);
    const later = side(run("b"), [user(1), user(3, "source_error")], []);
    const diff = diffRuns(base, later);
    expect(diff.counts.resolved.total).toBe(0);
    expect(diff.items.map((i) => i.unverifiedReason)).toEqual([
      "2026-10-05 is outside run b's range 2026-11-02..2026-11-29",
      "user 2 is not in run b",
      "user 3 was not compared in run b (source_error)",
    ]);
    expect(diff.usersDroppedOut).toEqual([2, 3]);
    expect(diffRuns(base, side(run("c", { status: "failed" }), [user(1), user(2), user(3)], [])).items.every((i) => i.status === "unverified")).toBe(true);
  });
});
