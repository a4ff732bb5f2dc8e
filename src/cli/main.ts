#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { globalRedactor } from "../http/redact.js";
import { TokiError, ConfigError } from "../domain/errors.js";
import { CommandExit, ExitCode, exitCodeFor } from "./exit-codes.js";
import { TOOL_VERSION } from "./tool-version.js";
import { commandDefinitions } from "./commands/index.js";

/** Builds the `toki-parity` program; exported so tests can run it in-process. */
export function buildProgram(): Command {
  const program = new Command("toki-parity")
    .description("Cutover toolkit for Toki's move from Milltime to Kleer: parity checks, replay, reports, emulators.")
    .version(TOOL_VERSION, "-V, --version")
    .exitOverride()
    .showHelpAfterError();
  for (const define of commandDefinitions) program.addCommand(define());
  applyExitOverride(program);
  return program;
}

/** commander does not pass exitOverride to added commands; without it a bad flag would process.exit. */
function applyExitOverride(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride();
    applyExitOverride(sub);
  }
}

function describe(error: unknown): string {
  if (error instanceof ConfigError && error.issues.length > 0) return `${error.message}\n  - ${error.issues.join("\n  - ")}`;
  if (error instanceof TokiError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A Node system error's `code` (`EADDRINUSE`, `EPIPE`, …), if the value is one. */
function systemErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z_]+$/.test(code) ? code : undefined;
}

/** An emulator port that is taken is a usage error the user fixes with a flag, not a crash. */
function portInUseMessage(error: unknown): string | undefined {
  if (systemErrorCode(error) !== "EADDRINUSE") return undefined;
  const port = (error as { port?: unknown }).port;
  const where = typeof port === "number" ? `port ${port} on 127.0.0.1` : "the port";
  return `toki-parity: ${where} is already in use (another emulator or service holds it); choose another --port, or --port 0 for any free port`;
}

/**
 * A reader that closes stdout early (`report … | head`) is done reading, not a failure: end
 * quietly with exit 0 instead of an EPIPE stack trace.
 */
export function endQuietlyOnClosedStdout(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on("error", (error) => {
    if (systemErrorCode(error) === "EPIPE" || systemErrorCode(error) === "ERR_STREAM_DESTROYED") exit(ExitCode.Ok);
    else throw error;
  });
}

/** Runs the CLI and returns the exit code; the only place that catches errors and maps them. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
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

const invokedDirectly = (() => {
  const entry = process.argv[1] ?? "";
  return /(?:^|[\\/])(main\.(?:ts|js)|toki-parity(?:\.js)?)$/.test(entry);
})();

if (invokedDirectly) {
  endQuietlyOnClosedStdout();
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
