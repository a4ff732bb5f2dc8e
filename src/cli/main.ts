#!/usr/bin/env node
import { ExitCode } from "./exit-codes.js";
import { systemErrorCode } from "./system-error.js";
import { TOOL_VERSION } from "./tool-version.js";

// The entry point loads nothing but this file until it knows what to run: `--version` answers
// without commander, everything else loads the program (command definitions only) and each
// command's action imports its implementation when it runs. A start costs little more than Node's.

/** Runs the CLI and returns the exit code (tests run it in-process). */
export async function runCli(argv: string[]): Promise<number> {
  const { runCli: run } = await import("./run-cli.js");
  return run(argv);
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

const invokedDirectly = (() => {
  const entry = process.argv[1] ?? "";
  return /(?:^|[\\/])(main\.(?:ts|js)|toki-parity(?:\.js)?)$/.test(entry);
})();

if (invokedDirectly) {
  endQuietlyOnClosedStdout();
  const argv = process.argv.slice(2);
  // The same line commander prints for -V/--version, without loading commander.
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) process.stdout.write(`${TOOL_VERSION}\n`);
  else process.exitCode = await runCli(argv);
}
