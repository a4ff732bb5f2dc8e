import { Command } from "commander";
import { ConfigError } from "../../domain/errors.js";
import { cleanupReplayRun, formatCleanupResult, type CleanupOptions } from "../../replay/index.js";
import { CommandExit, ExitCode } from "../exit-codes.js";

interface CleanupFlags {
  report: string;
  run: string;
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

/** Flags and environment → the library's options; a bad value is a ConfigError naming the flag. */
export function toCleanupOptions(flags: CleanupFlags, env: NodeJS.ProcessEnv = process.env): CleanupOptions {
  // An empty environment variable counts as unset.
  const token = flags.kleerToken ?? (env.TOKI_KLEER__TOKEN || undefined);
  if (!token) throw new ConfigError("invalid options", ["--kleer-token / TOKI_KLEER__TOKEN: the Kleer token is required"]);
  const companyText = flags.kleerCompany ?? (env.TOKI_KLEER__COMPANY_ID || undefined);
  const companyId = companyText === undefined ? undefined : Number(companyText);
  if (companyId !== undefined && (!Number.isInteger(companyId) || companyId <= 0))
    throw new ConfigError("invalid options", [`--kleer-company / TOKI_KLEER__COMPANY_ID: expected a positive integer, got "${companyText}"`]);
  return {
    reportFile: flags.report,
    runId: flags.run,
    apply: flags.apply ?? false,
    allowProduction: flags.allowProduction ?? false,
    takeOverRunId: flags.takeOver,
    kleer: { baseUrl: flags.kleerUrl ?? (env.TOKI_KLEER__BASE_URL || undefined), token, companyId },
  };
}

/** `toki-parity cleanup --report FILE --run RUN [--apply [--allow-production]]`: deletes the events a replay run created. */
export function defineCleanupCommand(io: CleanupCommandIo = { write: (text) => void process.stdout.write(text) }): Command {
  return new Command("cleanup")
    .description(
      "Delete exactly the Kleer events a replay run created (each verified by GET: same user, foreign-id milltime:<legacy id>); dry run by default, idempotent.",
    )
    .option("--report <file>", "SQLite report file", "reports/parity.sqlite")
    .requiredOption("--run <id>", "the replay run whose events are deleted")
    .option("--apply", "delete (default: verify and list only)")
    .option("--allow-production", "allow --apply on a Kleer host other than loopback or test-api.kleer.se")
    .option("--take-over <run>", "take the Kleer company's write lease over from RUN, a run whose process is known to be gone")
    .option("--kleer-url <url>", "Kleer API base URL (env TOKI_KLEER__BASE_URL; default: the host the run wrote to)")
    .option("--kleer-token <token>", "Kleer integration token (env TOKI_KLEER__TOKEN; prefer the env)")
    .option("--kleer-company <id>", "Kleer company id (env TOKI_KLEER__COMPANY_ID; default: the run's)")
    .exitOverride()
    .action(async (flags: CleanupFlags) => {
      const result = await cleanupReplayRun(toCleanupOptions(flags));
      io.write(`${formatCleanupResult(result)}\n`);
      if (result.kept.length > 0) throw new CommandExit(ExitCode.GateFailed, `cleanup incomplete: ${result.kept.length} event(s) kept`);
    });
}
