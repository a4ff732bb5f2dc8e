import { describe, expect, it } from "vitest";
import { DIFF_FORMATS, formatDiffJson, formatDiffMarkdown, formatDiffText } from "../../src/report/report-diff-format.js";
import { diffRuns, type DiffSide } from "../../src/report/report-diff.js";
import type { FindingRecord, RunRecord, RunUserRecord } from "../../src/report/report-records.js";

// What a rehearsal reader sees of a diff: the text a CI log shows, the Markdown of a pull-request
// comment and the JSON tools read. One small pair of runs exercises every status and note.
const run = (runId: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  runId, command: "compare", status: "completed", startedAt: "2026-11-25T10:00:00Z", finishedAt: null, fromDate: "2026-11-02", toDate: "2026-11-29",
  period: "week", options: {}, toolVersion: "0.1.0", errorMessage: null, summary: null, ...extra,
});
const user = (userKey: number, extra: Partial<RunUserRecord> = {}) => ({ userKey, status: "compared", name: null, email: null, ...extra }) as RunUserRecord;
let id = 0;
const finding = (extra: Partial<FindingRecord>): FindingRecord => ({
  id: ++id, kind: "hours_mismatch", severity: "blocking", userKey: 1, date: "2026-11-03", legacyId: "4001", kleerId: "7001", field: "hours",
  legacyValue: "1", kleerValue: "2", message: "m", details: null, suppressed: false, suppressionReason: null, causedBy: null, ...extra,
});
const side = (file: string, r: RunRecord, users: RunUserRecord[], findings: FindingRecord[]): DiffSide => ({ file, run: r, users, findings });

function sampleDiff() {
  const base = side("a.sqlite", run("a"), [user(1, { name: "Anna Lindqvist", email: "anna@example.se" }), user(2)], [
    finding({ message: "1 h in Milltime | 2 h in Kleer" }),
    finding({ kind: "note_mismatch", severity: "warning", field: "note", message: "note differs" }),
    finding({ userKey: 2, kind: "missing_in_kleer", legacyId: "4009", kleerId: null, field: "entry", message: "gone" }),
  ]);
  const later = side("b.sqlite", run("b", { status: "failed", errorMessage: "Kleer unreachable", toDate: "2026-11-22" }), [user(1, { name: "Anna Lindqvist", email: "anna@example.se" })], [
    finding({ severity: "warning", message: "1 h in Milltime | 2 h in Kleer" }),
    finding({ kind: "extra_in_kleer", severity: "info", legacyId: null, kleerId: "7005", field: "entry", suppressed: true, message: "extra\nline" }),
  ]);
  return diffRuns(base, later);
}

describe("diffRuns notes and counts", () => {
  it("names an incomplete run, the users that dropped out and differing ranges; counts suppressed findings apart", () => {
    const diff = sampleDiff();
    expect(diff.notes).toEqual([
      "run b (b.sqlite) did not complete: failed (Kleer unreachable)",
      "1 user compared in the base was not compared in the later run: 2",
      "the runs cover different ranges: base 2026-11-02..2026-11-29, later 2026-11-02..2026-11-22",
    ]);
    expect(diff.counts.new).toEqual({ total: 1, blocking: 0, warning: 0, info: 0, suppressed: 1 });
    expect(diff.counts.persisting).toEqual({ total: 1, blocking: 0, warning: 1, info: 0, suppressed: 0 });
    // The later run failed: nothing the base found can count as resolved.
    expect(diff.counts.resolved.total).toBe(0);
    expect(diff.counts.unverified.total).toBe(2);
    expect(diff.items.map((i) => i.user)).toEqual(["Anna Lindqvist <anna@example.se> · Toki 1", "Anna Lindqvist <anna@example.se> · Toki 1", "Toki user 2", "Anna Lindqvist <anna@example.se> · Toki 1"]);
  });

  it("a severity that did not change is not reported as changed; a clean pair of runs has no notes", () => {
    const base = side("a.sqlite", run("a"), [user(1), user(2)], [finding({}), finding({ userKey: 2, date: null, field: "kleer", kind: "source_error" })]);
    const later = side("a.sqlite", run("b"), [user(1), user(2)], [finding({})]);
    const diff = diffRuns(base, later);
    expect(diff.notes).toEqual([]);
    expect(diff.items).toEqual([
      expect.objectContaining({ status: "resolved", key: "source_error|user:2|legacy:4001|-|kleer" }),
      { key: "hours_mismatch|user:1|legacy:4001|2026-11-03|hours", status: "persisting", finding: later.findings[0], user: "Toki user 1" },
    ]);
    const two = diffRuns(side("a", run("a"), [user(1), user(2), user(3)], []), side("b", run("b"), [user(1)], []));
    expect(two.notes).toEqual(["2 users compared in the base were not compared in the later run: 2, 3"]);
    const open = diffRuns(side("a", run("a", { status: "running", fromDate: null }), [], []), side("b", run("b", { toDate: null }), [], []));
    expect(open.notes).toEqual(["run a (a) did not complete: running", "the runs cover different ranges: base …..2026-11-29, later 2026-11-02..…"]);
  });

  it("a finding outside an open-ended later range is still re-checked on the side that has a bound", () => {
    const base = side("a", run("a"), [user(1)], [finding({ date: "2026-12-05" }), finding({ date: "2026-10-01", legacyId: "4002" })]);
    const later = side("b", run("b", { fromDate: null, toDate: "2026-11-29" }), [user(1)], []);
    expect(diffRuns(base, later).items.map((i) => [i.finding.date, i.status, i.unverifiedReason])).toEqual([
      ["2026-10-01", "resolved", undefined],
      ["2026-12-05", "unverified", "2026-12-05 is outside run b's range …..2026-11-29"],
    ]);
    const fromOnly = diffRuns(base, side("b", run("b", { fromDate: "2026-11-02", toDate: null }), [user(1)], []));
    expect(fromOnly.items.map((i) => [i.finding.date, i.status])).toEqual([
      ["2026-12-05", "resolved"],
      ["2026-10-01", "unverified"],
    ]);
  });
});

describe("diff formats", () => {
  it("text: a header per side, one count line per status, notes, then each status's findings", () => {
    expect(formatDiffText(sampleDiff())).toBe(
      [
        "report diff: base run a of a.sqlite (compare, 2026-11-25T10:00:00Z, completed)",
        "          → later run b of b.sqlite (compare, 2026-11-25T10:00:00Z, failed)",
        "new: 1 (0 blocking, 0 warning, 0 info, 1 suppressed)",
        "resolved: 0 (0 blocking, 0 warning, 0 info, 0 suppressed)",
        "persisting: 1 (0 blocking, 1 warning, 0 info, 0 suppressed)",
        "unverified: 2 (1 blocking, 1 warning, 0 info, 0 suppressed)",
        "note: run b (b.sqlite) did not complete: failed (Kleer unreachable)",
        "note: 1 user compared in the base was not compared in the later run: 2",
        "note: the runs cover different ranges: base 2026-11-02..2026-11-29, later 2026-11-02..2026-11-22",
        "",
        "New (1):",
        "  info (suppressed) · extra_in_kleer · Anna Lindqvist <anna@example.se> · Toki 1 · 2026-11-03 · kleer 7005 · extra\nline",
        "",
        "Persisting (1):",
        "  warning [was blocking] · hours_mismatch · Anna Lindqvist <anna@example.se> · Toki 1 · 2026-11-03 · legacy 4001, kleer 7001 · 1 h in Milltime | 2 h in Kleer",
        "",
        "Not re-checked (base findings the later run did not compare) (2):",
        "  blocking · missing_in_kleer · Toki user 2 · 2026-11-03 · legacy 4009 · gone [not re-checked: user 2 is not in run b]",
        "  warning · note_mismatch · Anna Lindqvist <anna@example.se> · Toki 1 · 2026-11-03 · legacy 4001, kleer 7001 · note differs [not re-checked: run b did not complete (failed)]",
        "",
      ].join("\n"),
    );
    const noIds = diffRuns(side("a", run("a"), [], []), side("b", run("b"), [], [finding({ userKey: null as unknown as number, date: null, legacyId: null, kleerId: null })]));
    expect(formatDiffText(noIds).split("\n").at(-2)).toBe("  blocking · hours_mismatch · no user · - · m");
  });

  it("Markdown: pipes and line breaks in messages cannot break the tables", () => {
    expect(formatDiffMarkdown(sampleDiff())).toBe(
      [
        "# Parity report diff",
        "",
        "- Base: run a of a.sqlite (compare, 2026-11-25T10:00:00Z, completed)",
        "- Later: run b of b.sqlite (compare, 2026-11-25T10:00:00Z, failed)",
        "",
        "| Status | Total | Blocking | Warning | Info | Suppressed |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        "| new | 1 | 0 | 0 | 0 | 1 |",
        "| resolved | 0 | 0 | 0 | 0 | 0 |",
        "| persisting | 1 | 0 | 1 | 0 | 0 |",
        "| unverified | 2 | 1 | 1 | 0 | 0 |",
        "",
        "> **Note:** run b (b.sqlite) did not complete: failed (Kleer unreachable)",
        "> **Note:** 1 user compared in the base was not compared in the later run: 2",
        "> **Note:** the runs cover different ranges: base 2026-11-02..2026-11-29, later 2026-11-02..2026-11-22",
        "",
        "## New (1)",
        "",
        "| Severity | Kind | User | Date | Legacy id | Kleer id | Message |",
        "| --- | --- | ---: | --- | --- | --- | --- |",
        "| info (suppressed) | extra_in_kleer | Anna Lindqvist <anna@example.se> · Toki 1 | 2026-11-03 |  | 7005 | extra line |",
        "",
        "## Persisting (1)",
        "",
        "| Severity | Kind | User | Date | Legacy id | Kleer id | Message |",
        "| --- | --- | ---: | --- | --- | --- | --- |",
        "| warning | hours_mismatch | Anna Lindqvist <anna@example.se> · Toki 1 | 2026-11-03 | 4001 | 7001 | 1 h in Milltime \\| 2 h in Kleer (was blocking) |",
        "",
        "## Not re-checked (base findings the later run did not compare) (2)",
        "",
        "| Severity | Kind | User | Date | Legacy id | Kleer id | Message |",
        "| --- | --- | ---: | --- | --- | --- | --- |",
        "| blocking | missing_in_kleer | Toki user 2 | 2026-11-03 | 4009 |  | gone (user 2 is not in run b) |",
        "| warning | note_mismatch | Anna Lindqvist <anna@example.se> · Toki 1 | 2026-11-03 | 4001 | 7001 | note differs (run b did not complete (failed)) |",
        "",
      ].join("\n"),
    );
    const clean = diffRuns(side("a", run("a"), [], []), side("b", run("b"), [], [finding({ userKey: null as unknown as number, date: null, kleerId: null, message: "a\r\nb" })]));
    expect(formatDiffMarkdown(clean)).not.toContain("**Note:**");
    expect(formatDiffMarkdown(clean).split("\n").at(-2)).toBe("| blocking | hours_mismatch |  |  | 4001 |  | a b |");
  });

  it("JSON: both runs, counts, notes and every finding with its key; optional fields only when set", () => {
    const diff = sampleDiff();
    const json = JSON.parse(formatDiffJson(diff)) as Record<string, unknown> & { findings: Array<Record<string, unknown>> };
    expect(json.base).toEqual({ file: "a.sqlite", runId: "a", command: "compare", status: "completed", startedAt: "2026-11-25T10:00:00Z", fromDate: "2026-11-02", toDate: "2026-11-29" });
    expect(json.run).toMatchObject({ file: "b.sqlite", runId: "b", status: "failed", toDate: "2026-11-22" });
    expect(json.counts).toEqual(diff.counts);
    expect(json.notes).toEqual(diff.notes);
    expect(json.usersDroppedOut).toEqual([2]);
    expect(json.findings[0]).toEqual({
      key: "extra_in_kleer|user:1|kleer:7005|2026-11-03|entry", status: "new", kind: "extra_in_kleer", severity: "info", suppressed: true, userKey: 1,
      user: "Anna Lindqvist <anna@example.se> · Toki 1", date: "2026-11-03", legacyId: null, kleerId: "7005", field: "entry", message: "extra\nline",
    });
    expect(json.findings[1]).toMatchObject({ status: "persisting", baseSeverity: "blocking" });
    expect(json.findings[3]).toMatchObject({ status: "unverified", unverifiedReason: "run b did not complete (failed)" });
    expect(json.findings[0]).not.toHaveProperty("unverifiedReason");
    expect(formatDiffJson(diff).endsWith("}\n")).toBe(true);
    expect(formatDiffJson(diff)).toContain('\n  "base": {');
  });

  it("every format name selects its formatter", () => {
    const diff = sampleDiff();
    expect(DIFF_FORMATS.text(diff)).toBe(formatDiffText(diff));
    expect(DIFF_FORMATS.json(diff)).toBe(formatDiffJson(diff));
    expect(DIFF_FORMATS.md(diff)).toBe(formatDiffMarkdown(diff));
  });
});
