import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TokiError } from "../../src/domain/errors.js";
import { exportReportDiff } from "../../src/report/report-diff-export.js";
import { loadReportDiff } from "../../src/report/report-diff-load.js";
import { openReportStore } from "../../src/report/report-store.js";
import { buildUserLink } from "../builders.js";
import { sampleResultUser1, sampleResultUser2, steppingClock } from "./report-fixture.js";
import { configError } from "../config-error.js";

// `report diff` picks the runs it compares: by default the latest parity run and the parity run
// before it in one file (a replay or probe run in between is no base), or the latest of each of
// two files; a run is never compared with itself.
const dir = mkdtempSync(join(tmpdir(), "toki-diff-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A report file with runs of the given commands, in order; parity runs hold users 1 (and 2 when `both`). */
function reportWith(commands: Array<{ command: string; both?: boolean }>): { file: string; runIds: string[] } {
  const file = join(dir, `r-${++n}.sqlite`);
  let suffix = 0;
  const store = openReportStore(file, { clock: steppingClock(`2026-11-2${n % 10}T10:00:00.000Z`), runSuffix: () => `${n}${suffix++}`.padStart(4, "0") });
  const runIds = commands.map(({ command, both }) => {
    const runId = store.startRun({ command, toolVersion: "0.1.0" });
    if (command === "compare") {
      store.writeUserBatch(runId, { user: buildUserLink(), result: sampleResultUser1() });
      if (both) store.writeUserBatch(runId, { user: buildUserLink({ tokiUserId: 2 }), result: sampleResultUser2() });
    }
    store.completeRun(runId);
    return runId;
  });
  store.db.close();
  return { file, runIds };
}
describe("loadReportDiff", () => {
  it("one file: the latest parity run against the parity run before it, skipping a replay run in between", () => {
    const { file, runIds } = reportWith([{ command: "compare", both: true }, { command: "replay" }, { command: "compare" }, { command: "probe" }]);
    const diff = loadReportDiff({ reportFile: file });
    expect([diff.base.run.runId, diff.run.run.runId]).toEqual([runIds[0], runIds[2]]);
    expect(diff.usersDroppedOut).toEqual([2]);
    expect(diff.counts.persisting.total).toBeGreaterThan(0);
    // --run picks the later run, and its base is the parity run before that one.
    expect(configError(() => loadReportDiff({ reportFile: file, runId: runIds[0] })).message).toBe(`${file} holds no parity run before run ${runIds[0]}`);
    expect(configError(() => loadReportDiff({ reportFile: file, runId: runIds[0] })).issues).toEqual(["pass --base RUN, or a second report file to compare against"]);
  });

  it("a replay run named as either side is refused; a run compared with itself too", () => {
    const { file, runIds } = reportWith([{ command: "compare" }, { command: "replay" }, { command: "compare" }]);
    expect(configError(() => loadReportDiff({ reportFile: file, runId: runIds[1] })).message).toBe(`run ${runIds[1]} of ${file} is a replay run, not a parity run: diff and baseline compare parity runs`);
    expect(configError(() => loadReportDiff({ reportFile: file, baseRunId: runIds[1] })).message).toBe(`run ${runIds[1]} of ${file} is a replay run, not a parity run: diff and baseline compare parity runs`);
    expect(configError(() => loadReportDiff({ reportFile: file, baseRunId: runIds[2] })).message).toBe(`the base and the later run are the same run (${runIds[2]})`);
    expect(loadReportDiff({ reportFile: file, baseRunId: runIds[0], runId: runIds[2] }).base.run.runId).toBe(runIds[0]);
  });

  it("two files: the base from the first, the later run from the second; a copy of one file is refused", () => {
    const a = reportWith([{ command: "compare", both: true }, { command: "replay" }]);
    const b = reportWith([{ command: "compare" }, { command: "compare", both: true }]);
    const diff = loadReportDiff({ reportFile: a.file, otherFile: b.file });
    expect([diff.base.file, diff.base.run.runId, diff.run.file, diff.run.run.runId]).toEqual([a.file, a.runIds[0], b.file, b.runIds[1]]);
    expect(loadReportDiff({ reportFile: a.file, otherFile: b.file, runId: b.runIds[0] }).run.run.runId).toBe(b.runIds[0]);
    const copy = join(dir, "copy.sqlite");
    copyFileSync(a.file, copy);
    const same = configError(() => loadReportDiff({ reportFile: a.file, otherFile: copy }));
    expect(same.message).toBe(`the base and the later run are the same run (${a.runIds[0]})`);
    expect(same.issues).toEqual(["pass --base RUN or --run RUN to pick two different runs"]);
  });

  it("a report file that does not exist is not created", () => {
    const missing = join(dir, "missing.sqlite");
    expect(() => loadReportDiff({ reportFile: missing })).toThrow(TokiError);
    expect(() => readFileSync(missing)).toThrow();
  });
});

describe("exportReportDiff", () => {
  it("text by default, json and md on request, written to --out; an unknown format is a usage error", async () => {
    const { file } = reportWith([{ command: "compare", both: true }, { command: "compare" }]);
    const text = await exportReportDiff({ reportFile: file });
    expect(text.text).toMatch(/^report diff: base run /);
    expect(text.outFile).toBeUndefined();
    const out = join(dir, "out", "diff.json");
    const json = await exportReportDiff({ reportFile: file, format: "json", outFile: out });
    expect(json.outFile).toBe(out);
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ usersDroppedOut: [2] });
    expect((await exportReportDiff({ reportFile: file, format: "md" })).text).toMatch(/^# Parity report diff\n/);
    await expect(exportReportDiff({ reportFile: file, format: "html" })).rejects.toMatchObject({ code: "USAGE", message: 'unknown diff format "html": use one of text, json, md' });
  });
});
