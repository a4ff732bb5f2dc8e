import { ConfigError } from "../../domain/errors.js";
import { cleanupDuplicates, cleanupReplayRun, formatCleanupDuplicatesResult, formatCleanupResult, type CleanupDuplicatesOptions, type CleanupOptions } from "../../replay/index.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import type { CleanupCommandIo, CleanupFlags } from "../commands/cleanup.js";

/** Flags and environment → the library's options; a bad value is a ConfigError naming the flag. */
export function toCleanupOptions(flags: CleanupFlags, env: NodeJS.ProcessEnv = process.env): CleanupOptions {
  // An empty environment variable counts as unset.
  const token = flags.kleerToken ?? (env.TOKI_KLEER__TOKEN || undefined);
  if (!token) throw new ConfigError("invalid options", ["--kleer-token / TOKI_KLEER__TOKEN: the Kleer token is required"]);
  const companyText = flags.kleerCompany ?? (env.TOKI_KLEER__COMPANY_ID || undefined);
  const companyId = companyText === undefined ? undefined : Number(companyText);
  if (companyId !== undefined && (!Number.isInteger(companyId) || companyId <= 0))
    throw new ConfigError("invalid options", [`--kleer-company / TOKI_KLEER__COMPANY_ID: expected a positive integer, got "${companyText}"`]);
  if (flags.run === undefined) throw new ConfigError("invalid options", ["--run RUN: the replay run whose events are deleted is required (or --duplicates)"]);
  return {
    reportFile: flags.report,
    runId: flags.run,
    apply: flags.apply ?? false,
    allowProduction: flags.allowProduction ?? false,
    takeOverRunId: flags.takeOver,
    kleer: { baseUrl: flags.kleerUrl ?? (env.TOKI_KLEER__BASE_URL || undefined), token, companyId },
  };
}

/** Flags and environment → the options of `cleanup --duplicates` (`--run` narrows it to one run). */
export function toCleanupDuplicatesOptions(flags: CleanupFlags, env: NodeJS.ProcessEnv = process.env): CleanupDuplicatesOptions {
  const { runId: _runId, ...base } = toCleanupOptions({ ...flags, run: flags.run ?? "" }, env);
  return { ...base, runId: flags.run, history: flags.history };
}

/** The `cleanup` action, loaded only when the command runs. */
export async function runCleanupCommand(flags: CleanupFlags, io: CleanupCommandIo): Promise<void> {
  if (flags.duplicates) {
    const result = await cleanupDuplicates(toCleanupDuplicatesOptions(flags));
    io.write(`${formatCleanupDuplicatesResult(result)}\n`);
    if (result.mode === "apply" && result.remaining.length > 0)
      throw new CommandExit(
        ExitCode.GateFailed,
        `cleanup --duplicates incomplete: ${result.remaining.length} legacy entr${result.remaining.length === 1 ? "y still has" : "ies still have"} more than one Kleer event (not all of them this report file's to delete)`,
      );
    return;
  }
  // --history matters to --duplicates only (a config file's `history` reaches every command).
  const result = await cleanupReplayRun(toCleanupOptions(flags));
  io.write(`${formatCleanupResult(result)}\n`);
  if (result.kept.length > 0) throw new CommandExit(ExitCode.GateFailed, `cleanup incomplete: ${result.kept.length} event(s) kept`);
}
