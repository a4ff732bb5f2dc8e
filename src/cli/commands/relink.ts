import { Command, Option } from "commander";
import { formatRelinkResult, runRelink, type RelinkOptions } from "../../replay/index.js";

interface RelinkFlags {
  report: string;
  run: string;
  format: "sql" | "csv";
  out?: string;
  revert?: boolean;
  history?: string;
  apply?: boolean;
  takeOver?: string;
}

/** Where the command prints: the script/CSV to `write`, everything else to `info` (tests pass their own). */
export interface RelinkCommandIo {
  write(text: string): void;
  info(text: string): void;
}

const defaultIo: RelinkCommandIo = { write: (text) => void process.stdout.write(text), info: (text) => void process.stderr.write(text) };

export function toRelinkOptions(flags: RelinkFlags): RelinkOptions {
  return {
    reportFile: flags.report,
    runId: flags.run,
    format: flags.format,
    revert: flags.revert ?? false,
    outFile: flags.out,
    history: flags.history,
    apply: flags.apply ?? false,
    takeOverRunId: flags.takeOver,
  };
}

/**
 * `toki-parity relink --report FILE --run RUN [--format sql|csv] [--out F] [--revert] [--history SRC] [--apply]`:
 * re-points Toki's timer_history rows from Milltime registration ids to the Kleer events the run wrote.
 */
export function defineRelinkCommand(io: RelinkCommandIo = defaultIo): Command {
  return new Command("relink")
    .description(
      "Emit (or --apply) the timer_history updates of a replay run: Milltime registration id → Kleer event id per Toki user, in one transaction with a backup table for the revert.",
    )
    .option("--report <file>", "SQLite report file", "reports/parity.sqlite")
    .requiredOption("--run <id>", "the replay run whose events the history rows move to")
    .addOption(new Option("--format <format>", "output format").choices(["sql", "csv"]).default("sql"))
    .option("--out <file>", "write to this file (SQL: also <name>.revert.sql) instead of stdout")
    .option("--revert", "emit (or with --apply run) the revert of an applied relink")
    .option("--history <source>", "timer history (postgres:// URL or CSV/JSON export): lists the links left alone; with --apply, the database to change")
    .option("--apply", "run it on --history postgres://… in one transaction and print counts")
    .option("--take-over <run>", "take the history database's write lease over from RUN, a relink whose process is known to be gone (needs --apply)")
    .exitOverride()
    .action(async (flags: RelinkFlags) => {
      const result = await runRelink(toRelinkOptions(flags));
      if (result.text !== null) io.write(result.text);
      const summary = formatRelinkResult(result, flags.revert ?? false);
      (result.text !== null ? io.info : io.write)(`${summary}\n`);
    });
}
