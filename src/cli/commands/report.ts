import { Command, Option } from "commander";
import { addReportFileFlag, DEFAULT_REPORT_FILE, reportFileOf } from "../report-file-flag.js";
import { DIFF_FORMAT_NAMES, REPORT_FORMAT_NAMES } from "../../report/report-format-names.js";

export interface ReportFlags {
  format: string;
  run?: string;
  out?: string;
}

export interface ReportDiffFlags {
  base?: string;
  run?: string;
  format: string;
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
    .action(async (out: string, inputs: string[]) => {
      const { runReportMergeCommand } = await import("../actions/report.js");
      runReportMergeCommand(out, inputs, io);
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
    .action(async (file: string, other: string | undefined, flags: ReportDiffFlags) => {
      const { runReportDiffCommand } = await import("../actions/report.js");
      await runReportDiffCommand(file, other, flags, io);
    });
  const report = new Command("report")
    // `report diff … --format md` must reach diff's own --format, not the export's.
    .enablePositionalOptions()
    .addCommand(merge)
    .addCommand(diff)
    .description("Export one run of a report file as JSON, JUnit XML, Markdown or a self-contained HTML page (to stdout or --out); `report merge` combines shard reports; `report diff` compares two parity runs.")
    .argument("[file]", `SQLite report file (or --report; default ${DEFAULT_REPORT_FILE})`);
  return addReportFileFlag(report)
    .addOption(new Option("--format <format>", "output format").choices(REPORT_FORMAT_NAMES).default("md"))
    .option("--run <id>", "run to export (default: the latest parity run)")
    .option("--out <file>", "write to this file instead of stdout")
    .exitOverride()
    .action(async (file: string | undefined, flags: ReportFlags) => {
      const reportFile = reportFileOf(report, file);
      const { runReportCommand } = await import("../actions/report.js");
      await runReportCommand(reportFile, flags, io);
    });
}
