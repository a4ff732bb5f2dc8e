import { Command } from "commander";

export interface CleanupFlags {
  report: string;
  run?: string;
  duplicates?: boolean;
  history?: string;
  apply?: boolean;
  allowProduction?: boolean;
  takeOver?: string;
  kleerUrl?: string;
  kleerToken?: string;
  kleerCompany?: string;
}

/** Where the command prints (tests pass their own). */
export interface CleanupCommandIo {
  write(text: string): void;
}

/**
 * `toki-parity cleanup --report FILE --run RUN [--apply [--allow-production]]`: deletes the events a replay run created;
 * `cleanup --duplicates [--run RUN] [--history SRC] [--apply]`: only the extra copies of entries Kleer holds more than once.
 */
export function defineCleanupCommand(io: CleanupCommandIo = { write: (text) => void process.stdout.write(text) }): Command {
  return new Command("cleanup")
    .description(
      "Delete exactly the Kleer events a replay run created (each verified by GET: same user, foreign-id milltime:<legacy id>); dry run by default, idempotent.",
    )
    .option("--report <file>", "SQLite report file", "reports/parity.sqlite")
    .option("--run <id>", "the replay run whose events are deleted (required unless --duplicates; with it: only that run's range and users)")
    .option("--duplicates", "delete only the extra copies: per legacy entry Kleer holds more than once, the events this file's replays created beyond the one kept")
    .option("--history <source>", "with --duplicates: timer history (postgres:// URL or export); a copy a timer_history row points at is kept")
    .option("--apply", "delete (default: verify and list only)")
    .option("--allow-production", "allow --apply on a Kleer host other than loopback or test-api.kleer.se")
    .option("--take-over <run>", "take the Kleer company's write lease over from RUN, a run whose process is known to be gone")
    .option("--kleer-url <url>", "Kleer API base URL (env TOKI_KLEER__BASE_URL; default: the host the run wrote to)")
    .option("--kleer-token <token>", "Kleer integration token (env TOKI_KLEER__TOKEN; prefer the env)")
    .option("--kleer-company <id>", "Kleer company id (env TOKI_KLEER__COMPANY_ID; default: the run's)")
    .exitOverride()
    .action(async (flags: CleanupFlags) => {
      const { runCleanupCommand } = await import("../actions/cleanup.js");
      await runCleanupCommand(flags, io);
    });
}
