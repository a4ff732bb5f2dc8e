import { CommanderError } from "commander";
import { globalRedactor } from "../http/redact.js";
import { TokiError, ConfigError } from "../domain/errors.js";
import { CommandExit, ExitCode, exitCodeFor } from "./exit-codes.js";
import { systemErrorCode } from "./system-error.js";
import { buildProgramFor } from "./lazy-program.js";

function describe(error: unknown): string {
  if (error instanceof ConfigError && error.issues.length > 0) return `${error.message}\n  - ${error.issues.join("\n  - ")}`;
  if (error instanceof TokiError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An emulator port that is taken is a usage error the user fixes with a flag, not a crash. */
function portInUseMessage(error: unknown): string | undefined {
  if (systemErrorCode(error) !== "EADDRINUSE") return undefined;
  const port = (error as { port?: unknown }).port;
  const where = typeof port === "number" ? `port ${port} on 127.0.0.1` : "the port";
  return `toki-parity: ${where} is already in use (another emulator or service holds it); choose another --port, or --port 0 for any free port`;
}

/** Runs the CLI and returns the exit code; the only place that catches errors and maps them. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await (await buildProgramFor(argv)).parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return ExitCode.Ok;
      return ExitCode.UsageOrConfig;
    }
    if (systemErrorCode(error) === "EPIPE") return ExitCode.Ok;
    const portInUse = portInUseMessage(error);
    if (portInUse) {
      process.stderr.write(`${portInUse}\n`);
      return ExitCode.UsageOrConfig;
    }
    const code = exitCodeFor(error);
    if (error instanceof CommandExit) {
      if (error.message) process.stderr.write(`${globalRedactor.redact(error.message)}\n`);
      return code;
    }
    process.stderr.write(`toki-parity: ${globalRedactor.redact(describe(error))}\n`);
    if (code === ExitCode.Internal && process.env.TOKI_PARITY_DEBUG && error instanceof Error && error.stack) {
      process.stderr.write(`${globalRedactor.redact(error.stack)}\n`);
    }
    return code;
  }
}
