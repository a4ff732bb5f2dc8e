import { Command } from "commander";
import { TOOL_VERSION } from "./tool-version.js";
import { installConfigHooks } from "./config-hooks.js";

/** The `toki-parity` root command with its global options, before any command is added. */
export function createRootCommand(): Command {
  return new Command("toki-parity")
    .description("Cutover toolkit for Toki's move from Milltime to Kleer: parity checks, replay, reports, emulators.")
    .version(TOOL_VERSION, "-V, --version")
    .option("--config <file>", "config file (env TOKI_PARITY_CONFIG; default: ./toki-parity.config.json when it exists)")
    .option("--profile <name>", "profile of the config file to use, its keys over the top level's (env TOKI_PARITY_PROFILE)")
    .exitOverride();
}

/** What every program gets once its commands are added: exit override, config hooks, required flags last. */
export function finishProgram(program: Command): Command {
  applyExitOverride(program);
  installConfigHooks(program);
  checkRequiredOptionsLast(program);
  return program;
}

/**
 * commander checks required options before unknown ones, so a typo such as `--form 2026-01-01`
 * would say "required option '--from <date>' not specified" and never "(Did you mean --from?)".
 * Each command's required options are checked in a preAction hook instead, which runs after the
 * unknown-option check (same message, same usage exit).
 */
function checkRequiredOptionsLast(command: Command): void {
  const required = command.options.filter((o) => o.mandatory);
  if (required.length > 0) {
    for (const option of required) option.mandatory = false;
    command.hook("preAction", (_hooked, actionCommand) => {
      if (actionCommand !== command) return;
      const missing = required.find((o) => command.getOptionValue(o.attributeName()) === undefined);
      if (missing) command.error(`error: required option '${missing.flags}' not specified`, { code: "commander.missingMandatoryOptionValue" });
    });
  }
  for (const sub of command.commands) checkRequiredOptionsLast(sub);
}

/**
 * commander does not pass settings to added commands: without exitOverride a bad flag would
 * process.exit; a usage error ends with where to look (commander's "Did you mean" comes first).
 */
function applyExitOverride(command: Command, path = command.name()): void {
  command.showHelpAfterError(`(${path} --help lists ${command.commands.length > 0 ? "the commands" : "the flags"})`);
  for (const sub of command.commands) {
    sub.exitOverride();
    applyExitOverride(sub, `${path} ${sub.name()}`);
  }
}
