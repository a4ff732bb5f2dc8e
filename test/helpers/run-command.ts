import { Command, CommanderError } from "commander";
import { vi } from "vitest";
import { CommandExit, ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";

/** What a command run in-process printed and the exit code main.ts would give it. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The CommandExit reason or error message. */
  message: string;
}

/**
 * Runs one top-level command in-process (with injected dependencies main.ts cannot pass),
 * capturing stdout/stderr and mapping errors to exit codes as main.ts does.
 */
export async function runCommandInProcess(command: Command, argv: string[]): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command("toki-parity").exitOverride();
  program.addCommand(command.exitOverride());
  try {
    await program.parseAsync([command.name(), ...argv], { from: "user" });
    return { code: ExitCode.Ok, stdout, stderr, message: "" };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? ExitCode.Ok : ExitCode.UsageOrConfig, stdout, stderr, message: error.message };
    if (error instanceof CommandExit) return { code: error.exitCode, stdout, stderr, message: error.message };
    return { code: exitCodeFor(error), stdout, stderr, message: (error as Error).message };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
