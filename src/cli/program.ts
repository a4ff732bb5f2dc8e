import { Command } from "commander";
import { TOOL_VERSION } from "./tool-version.js";
import { commandDefinitions } from "./commands/index.js";
import { installConfigHooks } from "./config-hooks.js";

/**
 * Builds the `toki-parity` program: every command with its flags and help, none of their
 * implementations (each action imports its own from ../actions/ when it runs), so `--help` stays
 * as fast as commander itself.
 */
export function buildProgram(): Command {
  const program = new Command("toki-parity")
    .description("Cutover toolkit for Toki's move from Milltime to Kleer: parity checks, replay, reports, emulators.")
    .version(TOOL_VERSION, "-V, --version")
    .option("--config <file>", "config file (default: ./toki-parity.config.json when it exists)")
    .option("--profile <name>", "profile of the config file to use (its keys win over the top level's)")
    .exitOverride()
    .showHelpAfterError();
  for (const define of commandDefinitions) program.addCommand(define());
  applyExitOverride(program);
  installConfigHooks(program);
  return program;
}

/** commander does not pass exitOverride to added commands; without it a bad flag would process.exit. */
function applyExitOverride(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride();
    applyExitOverride(sub);
  }
}
