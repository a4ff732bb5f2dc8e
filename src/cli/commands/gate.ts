import { Command, InvalidArgumentError } from "commander";
import { addReportFileFlag, DEFAULT_REPORT_FILE, reportFileOf } from "../report-file-flag.js";
import { parseMatchRate, parseMaxBlocking } from "../../report/report-gate-flags.js";

export interface GateFlags {
  run?: string;
  maxBlocking?: number;
  baseline?: string;
  maxNewBlocking?: number;
  minMatchRate?: number;
}

/** Where the command prints its one line (tests pass their own). */
export interface GateCommandIo {
  write(text: string): void;
}

const asArgument = <T>(parse: (text: string) => T) => (text: string): T => {
  try {
    return parse(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
};

/**
 * `toki-parity gate FILE [--run ID] [--max-blocking N] [--min-match-rate R] [--baseline RUN|FILE [--max-new-blocking N]]`: prints one line and
 * exits 0 when the run passes, 1 (GateFailed) when it does not.
 */
export function defineGateCommand(io: GateCommandIo = { write: (text) => void process.stdout.write(text) }): Command {
  const command = new Command("gate")
    .description("Pass or fail a run of a report file for CI: exit 0 when it passes, 1 when it does not.")
    .argument("[file]", `SQLite report file (or --report; default ${DEFAULT_REPORT_FILE})`);
  return addReportFileFlag(command)
    .option("--run <id>", "run to judge (default: the latest parity run)")
    .option("--max-blocking <n>", "unsuppressed blocking findings allowed (default: 0, or no limit with --baseline)", asArgument(parseMaxBlocking))
    .option("--baseline <run|file>", "judge only findings new since this run of FILE, or since the latest parity run of this other report file")
    .option("--max-new-blocking <n>", "with --baseline: new unsuppressed blocking findings allowed (default: 0)", asArgument(parseMaxBlocking))
    .option("--min-match-rate <rate>", "minimum matches ÷ compared legacy entries, e.g. 0.99 or 99% (default: none)", asArgument(parseMatchRate))
    .exitOverride()
    .action(async (file: string | undefined, flags: GateFlags) => {
      const reportFile = reportFileOf(command, file);
      const { runGateCommand } = await import("../actions/gate.js");
      runGateCommand(reportFile, flags, io);
    });
}
