import { exportReport } from "../../report/report-export.js";
import { mergeReports } from "../../report/report-merge.js";
import { exportReportDiff } from "../../report/report-diff-export.js";
import { systemClock } from "../../domain/ports.js";
import { TOOL_VERSION } from "../tool-version.js";
import type { ReportCommandIo, ReportDiffFlags, ReportFlags } from "../commands/report.js";

/** The `report FILE` action, loaded only when the command runs. */
export async function runReportCommand(file: string, flags: ReportFlags, io: ReportCommandIo): Promise<void> {
  const result = await exportReport({ reportFile: file, format: flags.format, runId: flags.run, outFile: flags.out });
  if (result.outFile === undefined) io.write(result.text);
  else io.write(`wrote ${result.format} report of run ${result.runId} to ${result.outFile}\n`);
}

/** The `report merge` action. */
export function runReportMergeCommand(out: string, inputs: string[], io: ReportCommandIo): void {
  const result = mergeReports({ outFile: out, inputs, clock: systemClock, toolVersion: TOOL_VERSION });
  io.write(
    `merged ${result.mergedRuns.map((r) => `${r.file} (run ${r.runId}, ${r.users} users)`).join(", ")}\n` +
      `into run ${result.runId} of ${out}: ${result.users} users, ${result.findings} findings\n`,
  );
}

/** The `report diff` action. */
export async function runReportDiffCommand(file: string, other: string | undefined, flags: ReportDiffFlags, io: ReportCommandIo): Promise<void> {
  const result = await exportReportDiff({ reportFile: file, otherFile: other, baseRunId: flags.base, runId: flags.run, format: flags.format, outFile: flags.out });
  if (result.outFile === undefined) io.write(result.text);
  else {
    const c = result.diff.counts;
    io.write(
      `wrote ${flags.format} diff of run ${result.diff.base.run.runId} → ${result.diff.run.run.runId} to ${result.outFile}: ${c.new.total} new, ${c.resolved.total} resolved, ${c.persisting.total} persisting, ${c.unverified.total} not re-checked\n`,
    );
  }
}
