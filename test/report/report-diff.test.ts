import { describe, expect, it } from "vitest";
import { formatDiffMarkdown, formatDiffText } from "../../src/report/report-diff-format.js";
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

  it("a finding without ids or user keeps a key of its own: it persists, it is not new once and resolved once", () => {
    const period = finding({ kind: "time_info_mismatch", userKey: null as unknown as number, legacyId: null, kleerId: null, date: "2026-11-02", field: "flex" });
    expect(findingKey(period)).toBe("time_info_mismatch|user:-|-|2026-11-02|flex");
    const diff = diffRuns(side(run("a"), [user(1)], [period]), side(run("b"), [user(1)], [{ ...period, id: ++id }]));
    expect(diff.items.map((i) => [i.status, i.key, i.user])).toEqual([["persisting", "time_info_mismatch|user:-|-|2026-11-02|flex", null]]);
    // Without a user there is no user to re-check: gone from a completed later run means resolved.
    expect(diffRuns(side(run("a"), [], [period]), side(run("b"), [], [])).items.map((i) => i.status)).toEqual(["resolved"]);
  });

  it("two findings with one key: the second is told apart by #2, so one going away resolves one and keeps the other", () => {
    const twin = () => finding({ kind: "missing_in_kleer", legacyId: "4002", kleerId: null, field: "entry" });
    const diff = diffRuns(side(run("a"), [user(1)], [twin(), twin()]), side(run("b"), [user(1)], [twin()]));
    expect(diff.items.map((i) => [i.status, i.key])).toEqual([
      ["resolved", "missing_in_kleer|user:1|legacy:4002|2026-11-03|entry#2"],
      ["persisting", "missing_in_kleer|user:1|legacy:4002|2026-11-03|entry"],
    ]);
  });

  it("a finding on the later run's first or last day was re-checked: gone means resolved", () => {
    const base = side(run("a"), [user(1)], [finding({ date: "2026-11-02" }), finding({ date: "2026-11-29" }), finding({ date: null as unknown as string, legacyId: "4003" })]);
    const diff = diffRuns(base, side(run("b"), [user(1)], []));
    expect(diff.items.map((i) => [i.finding.date, i.status])).toEqual([
      ["2026-11-02", "resolved"],
      ["2026-11-29", "resolved"],
      [null, "resolved"],
    ]);
  });

  it("an open-ended later range names its open side in the reason", () => {
    const base = side(run("a"), [user(1)], [finding({ date: "2026-12-05" }), finding({ date: "2026-10-05", legacyId: "4002" })]);
    expect(diffRuns(base, side(run("b", { fromDate: null }), [user(1)], [])).items.map((i) => [i.status, i.unverifiedReason])).toEqual([
      ["resolved", undefined],
      ["unverified", "2026-12-05 is outside run b's range …..2026-11-29"],
    ]);
    expect(diffRuns(base, side(run("b", { toDate: null }), [user(1)], [])).items.map((i) => [i.status, i.unverifiedReason])).toEqual([
      ["resolved", undefined],
      ["unverified", "2026-10-05 is outside run b's range 2026-11-02..…"],
    ]);
  });

  it("names a finding's user as the later run knows them, else as the base knew them", () => {
    const named = (userKey: number, name: string, status: RunUserRecord["status"] = "compared") => ({ userKey, status, name, email: null }) as RunUserRecord;
    const base = side(run("a"), [named(1, "Anna (old)"), named(2, "Bo")], [finding({}), finding({ userKey: 2, legacyId: "4009" })]);
    const later = side(run("b"), [named(1, "Anna Lindqvist")], [finding({})]);
    expect(diffRuns(base, later).items.map((i) => [i.status, i.user])).toEqual([
      ["persisting", "Anna Lindqvist · Toki 1"],
      ["unverified", "Bo · Toki 2"],
    ]);
  });

  it("orders each status's findings by key whatever order the runs listed them in (exports and diffs of exports depend on it)", () => {
    const rows = ["4003", "4001", "4002"].map((legacyId) => finding({ kind: "missing_in_kleer", legacyId, kleerId: null, field: "entry" }));
    const keys = (findings: FindingRecord[]) => diffRuns(side(run("a"), [user(1)], []), side(run("b"), [user(1)], findings)).items.map((i) => i.finding.legacyId);
    expect(keys(rows)).toEqual(["4001", "4002", "4003"]);
    expect(keys([...rows].reverse())).toEqual(["4001", "4002", "4003"]);
    expect(keys([rows[1]!, rows[0]!, rows[2]!])).toEqual(["4001", "4002", "4003"]);
  });

  it("a user the base did not compare either has not dropped out", () => {
    const base = side(run("a"), [user(1), user(2, "source_error")], []);
    const diff = diffRuns(base, side(run("b"), [user(1)], []));
    expect(diff.usersDroppedOut).toEqual([]);
    expect(diff.notes).toEqual([]);
  });

  it("runs over different ranges say so, an open end shown as …; the same range says nothing", () => {
    const notes = (a: Partial<RunRecord>, b: Partial<RunRecord>) => diffRuns(side(run("a", a), [], []), side(run("b", b), [], [])).notes;
    expect(notes({}, {})).toEqual([]);
    expect(notes({}, { fromDate: "2026-11-09" })).toEqual(["the runs cover different ranges: base 2026-11-02..2026-11-29, later 2026-11-09..2026-11-29"]);
    expect(notes({ toDate: null }, { fromDate: null })).toEqual(["the runs cover different ranges: base 2026-11-02..…, later …..2026-11-29"]);
  });

  it("text and Markdown title the resolved findings; Markdown without notes has no note block", () => {
    const diff = diffRuns(side(run("a"), [user(1)], [finding({})]), side(run("b"), [user(1)], []));
    expect(formatDiffText(diff)).toContain("\nResolved (1):\n");
    const md = formatDiffMarkdown(diff);
    expect(md).toContain("\n## Resolved (1)\n");
    expect(md).not.toContain("Note:");
    expect(md.split("\n").slice(6, 13)).toEqual([
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      "| new | 0 | 0 | 0 | 0 | 0 |",
      "| resolved | 1 | 1 | 0 | 0 | 0 |",
      "| persisting | 0 | 0 | 0 | 0 | 0 |",
      "| unverified | 0 | 0 | 0 | 0 | 0 |",
      "",
      "## Resolved (1)",
    ]);
  });
});
