import { Command, Option } from "commander";
import { exportReport } from "../../report/report-export.js";
import { REPORT_FORMAT_NAMES } from "../../report/report-formats.js";

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
  return new Command("report")
    .description("Export one run of a report file as JSON, JUnit XML or Markdown (to stdout or --out).")
    .argument("<file>", "SQLite report file")
    .addOption(new Option("--format <format>", "output format").choices(REPORT_FORMAT_NAMES).default("md"))
    .option("--run <id>", "run to export (default: the latest run)")
    .option("--out <file>", "write to this file instead of stdout")
    .exitOverride()
    .action(async (file: string, flags: ReportFlags) => {
      const result = await exportReport({ reportFile: file, format: flags.format, runId: flags.run, outFile: flags.out });
      if (result.outFile === undefined) io.write(result.text);
      else io.write(`wrote ${result.format} report of run ${result.runId} to ${result.outFile}\n`);
    });
}
