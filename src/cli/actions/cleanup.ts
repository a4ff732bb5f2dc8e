import { ConfigError } from "../../domain/errors.js";
import { cleanupReplayRun, formatCleanupResult, type CleanupOptions } from "../../replay/index.js";
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
  return {
    reportFile: flags.report,
    runId: flags.run,
    apply: flags.apply ?? false,
    allowProduction: flags.allowProduction ?? false,
    takeOverRunId: flags.takeOver,
    kleer: { baseUrl: flags.kleerUrl ?? (env.TOKI_KLEER__BASE_URL || undefined), token, companyId },
  };
}

/** The `cleanup` action, loaded only when the command runs. */
export async function runCleanupCommand(flags: CleanupFlags, io: CleanupCommandIo): Promise<void> {
  const result = await cleanupReplayRun(toCleanupOptions(flags));
  io.write(`${formatCleanupResult(result)}\n`);
  if (result.kept.length > 0) throw new CommandExit(ExitCode.GateFailed, `cleanup incomplete: ${result.kept.length} event(s) kept`);
}
