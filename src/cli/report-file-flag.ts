import type { Command } from "commander";

/** The report file every command uses unless told otherwise (compare's `--report` default). */
export const DEFAULT_REPORT_FILE = "reports/parity.sqlite";

/** `--report <file>` for a command that also takes the report file as its FILE argument. */
export function addReportFileFlag(command: Command): Command {
  return command.option("--report <file>", `SQLite report file, as in every other command (instead of FILE; default ${DEFAULT_REPORT_FILE})`);
}

/**
 * The report file of `gate [FILE]` / `report [FILE]`: the FILE argument, else `--report` (or the
 * config file's `report`), else the default. FILE and a different `--report` flag on one command
 * line name two files, which is a usage error rather than a guess.
 */
export function reportFileOf(command: Command, file: string | undefined): string {
  const flag = command.getOptionValue("report") as string | undefined;
  if (file === undefined) return flag ?? DEFAULT_REPORT_FILE;
  if (flag !== undefined && flag !== file && command.getOptionValueSource("report") === "cli")
    command.error(`error: FILE ${file} and --report ${flag} name two report files: give one`, { code: "commander.conflictingOption" });
  return file;
}
