import { Command, Option } from "commander";
import { exportReport } from "../../report/report-export.js";
import { REPORT_FORMAT_NAMES } from "../../report/report-formats.js";
import { mergeReports } from "../../report/report-merge.js";
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
  return new Command("report")
    .addCommand(merge)
    .description("Export one run of a report file as JSON, JUnit XML, Markdown or a self-contained HTML page (to stdout or --out); `report merge` combines shard reports.")
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
