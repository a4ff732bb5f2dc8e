import { Command, Option } from "commander";
import { exportReport } from "../../report/report-export.js";
import { REPORT_FORMAT_NAMES } from "../../report/report-formats.js";
import { mergeReports } from "../../report/report-merge.js";
import { DIFF_FORMAT_NAMES } from "../../report/report-diff-format.js";
import { systemClock } from "../../domain/ports.js";
import { TOOL_VERSION } from "../tool-version.js";

interface ReportFlags {
  format: string;
  run?: string;
  out?: string;
}

/** Where the command prints (tests pass their own). */
export interface ReportCommandIo {
  write(text: string): void;
}

/** `toki-parity report FILE [--format json|junit|md] [--run ID] [--out F]`: exports one run. */
export function defineReportCommand(io: ReportCommandIo = { write: (text) => void process.stdout.write(text) }): Command {
  const merge = new Command("merge")
    .description("Combine the latest parity run of each shard report (compare --shard i/n) into one run of OUT.")
    .argument("<out>", "report file to write the merged run to")
    .argument("<inputs...>", "shard report files")
    .exitOverride()
    .action((out: string, inputs: string[]) => {
      const result = mergeReports({ outFile: out, inputs, clock: systemClock, toolVersion: TOOL_VERSION });
      io.write(
        `merged ${result.mergedRuns.map((r) => `${r.file} (run ${r.runId}, ${r.users} users)`).join(", ")}\n` +
          `into run ${result.runId} of ${out}: ${result.users} users, ${result.findings} findings\n`,
      );
    });
  const diff = new Command("diff")
    .description(
      "List findings new, resolved and persisting between two parity runs, by stable key (kind + user + legacy/Kleer id + period). " +
        "One file: --run (default latest parity run) against --base (default the parity run before it). " +
        "Two files: the latest (or --base) run of FILE against the latest (or --run) run of OTHER.",
    )
    .argument("<file>", "SQLite report file (the base, when OTHER is given)")
    .argument("[other]", "a second report file holding the later run")
    .option("--base <run>", "base run")
    .option("--run <run>", "later run")
    .addOption(new Option("--format <format>", "output format").choices(DIFF_FORMAT_NAMES).default("text"))
    .option("--out <file>", "write to this file instead of stdout")
    .exitOverride()
    .action(async (file: string, other: string | undefined, flags: { base?: string; run?: string; format: string; out?: string }) => {
      const { exportReportDiff } = await import("../../report/report-diff-export.js");
      const result = await exportReportDiff({ reportFile: file, otherFile: other, baseRunId: flags.base, runId: flags.run, format: flags.format, outFile: flags.out });
      if (result.outFile === undefined) io.write(result.text);
      else {
        const c = result.diff.counts;
        io.write(`wrote ${flags.format} diff of run ${result.diff.base.run.runId} → ${result.diff.run.run.runId} to ${result.outFile}: ${c.new.total} new, ${c.resolved.total} resolved, ${c.persisting.total} persisting, ${c.unverified.total} not re-checked\n`);
      }
    });
  return new Command("report")
    // `report diff … --format md` must reach diff's own --format, not the export's.
    .enablePositionalOptions()
    .addCommand(merge)
    .addCommand(diff)
    .description("Export one run of a report file as JSON, JUnit XML, Markdown or a self-contained HTML page (to stdout or --out); `report merge` combines shard reports; `report diff` compares two parity runs.")
    .argument("<file>", "SQLite report file")
    .addOption(new Option("--format <format>", "output format").choices(REPORT_FORMAT_NAMES).default("md"))
    .option("--run <id>", "run to export (default: the latest parity run)")
    .option("--out <file>", "write to this file instead of stdout")
    .exitOverride()
    .action(async (file: string, flags: ReportFlags) => {
      const result = await exportReport({ reportFile: file, format: flags.format, runId: flags.run, outFile: flags.out });
      if (result.outFile === undefined) io.write(result.text);
      else io.write(`wrote ${result.format} report of run ${result.runId} to ${result.outFile}\n`);
    });
}
