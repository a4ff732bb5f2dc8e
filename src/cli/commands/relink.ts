import { Command, InvalidArgumentError, Option } from "commander";

export interface RelinkFlags {
  report: string;
  run: string;
  format: "sql" | "csv";
  out?: string;
  revert?: boolean;
  history?: string;
  apply?: boolean;
  takeOver?: string;
  show: number;
}

function parseShown(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number ≥ 0");
  return n;
}

/** Where the command prints: the script/CSV to `write`, everything else to `info` (tests pass their own). */
export interface RelinkCommandIo {
  write(text: string): void;
  info(text: string): void;
}

const defaultIo: RelinkCommandIo = { write: (text) => void process.stdout.write(text), info: (text) => void process.stderr.write(text) };

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
    .option("--show <n>", "links left alone listed (the rest are counted)", parseShown, 20) // DEFAULT_RELINK_SHOWN, not imported: --help loads no replay module
    .exitOverride()
    .action(async (flags: RelinkFlags) => {
      const { runRelinkCommand } = await import("../actions/relink.js");
      await runRelinkCommand(flags, io);
    });
}
