import type { Command } from "commander";
import { commandDefinitions } from "./commands/index.js";
import { createRootCommand, finishProgram } from "./program-setup.js";

/**
 * Builds the `toki-parity` program with every command's definition (flags and help; each action
 * imports its implementation from ../actions/ when it runs). The CLI itself starts with
 * `buildProgramFor` (lazy-program.ts), which loads only the definition of the command it runs.
 */
export function buildProgram(): Command {
  const program = createRootCommand();
  for (const define of commandDefinitions) program.addCommand(define());
  return finishProgram(program);
}
