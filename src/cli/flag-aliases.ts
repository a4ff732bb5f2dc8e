import { InvalidArgumentError, Option, type Command } from "commander";

/**
 * Keeps a renamed flag working: `oldFlags` (e.g. `--credentials <file>`) becomes a hidden alias of
 * the option `newLong` already on `command`. The alias is parsed like the new flag and stores its
 * value under the new flag's name (before commander's required-option check, so a required new
 * flag is satisfied by the old name); it is not listed in `--help`. Both given with different
 * values is a usage error rather than one silently winning.
 */
export function addHiddenAlias(command: Command, oldFlags: string, newLong: string): Command {
  const target = command.options.find((o) => o.long === newLong);
  if (!target) throw new Error(`${command.name()}: ${newLong} is not an option to alias`);
  const key = target.attributeName();
  const alias = new Option(oldFlags, `old name of ${newLong}`).hideHelp();
  const parse = (value: string, previous: unknown): unknown => (target.parseArg ? target.parseArg(value, previous) : value);
  alias.argParser((value: string) => {
    const parsed = parse(value, undefined);
    if (command.getOptionValueSource(key) === "cli" && command.getOptionValue(key) !== parsed) throw new InvalidArgumentError(`${alias.long} is the old name of ${newLong}, given too with another value: give ${newLong} once`);
    command.setOptionValueWithSource(key, parsed, "cli");
    return parsed;
  });
  command.addOption(alias);
  // The new flag after the old one overwrote the value the alias stored.
  command.hook("preAction", (_hooked, actionCommand) => {
    if (actionCommand !== command) return;
    const old = command.getOptionValue(alias.attributeName());
    if (old !== undefined && command.getOptionValue(key) !== old) command.error(`error: ${alias.long} is the old name of ${newLong}, given too with another value: give ${newLong} once`, { code: "commander.conflictingOption" });
  });
  return command;
}
