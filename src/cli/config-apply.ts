import { InvalidArgumentError, type Command } from "commander";
import { describeFileValue, readSecretFile, type ConfigFileValue, type LoadedConfigFile } from "../config/config-file.js";
import { envValue, settingForAttribute } from "../config/config-settings.js";
import { ConfigError } from "../domain/errors.js";

/** The hidden option value through which a command learns which of its values came from the file. */
export const APPLIED_CONFIG_KEY = "configFile";

/** What a command holds about the config file after its values were applied. */
export interface AppliedConfigFile {
  loaded: LoadedConfigFile;
  /** The file value behind option `attribute`, while no flag has overridden it. */
  valueFor(attribute: string): ConfigFileValue | undefined;
}

function asFlagText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(",") : String(value);
}

/**
 * Gives `command` the file's values as commander "config" values: a flag on the command line
 * still wins (commander's own precedence), and a setting whose environment variable is set is
 * left alone, so the command's env fallback wins over the file. Each value goes through the
 * option's own parser, so the file is checked exactly as the flag would be.
 */
export function applyConfigFile(command: Command, topName: string, loaded: LoadedConfigFile, env: NodeJS.ProcessEnv): void {
  const applied = new Map<string, ConfigFileValue>();
  for (const option of command.options) {
    const attribute = option.attributeName();
    const setting = settingForAttribute(attribute, topName);
    if (setting === undefined || envValue(env, setting.env) !== undefined) continue;
    const fileValue = setting.fileKey !== undefined ? loaded.values.get(setting.fileKey) : loaded.values.get(setting.key);
    if (fileValue === undefined) continue;
    const text = setting.fileKey !== undefined ? readSecretFile(fileValue) : asFlagText(fileValue.value);
    let value: unknown = text;
    if (option.parseArg) {
      try {
        value = option.parseArg(text, undefined);
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        throw new ConfigError(`${describeFileValue(fileValue)}: ${error.message} (for ${commandPath(command)} ${option.long ?? setting.flag})`, [], { cause: error });
      }
    }
    if (option.argChoices && !option.argChoices.includes(text))
      throw new ConfigError(`${describeFileValue(fileValue)}: "${text}" is not one of ${option.argChoices.join(", ")} (for ${commandPath(command)})`);
    command.setOptionValueWithSource(attribute, value, "config");
    applied.set(attribute, fileValue);
  }
  const carrier: AppliedConfigFile = {
    loaded,
    valueFor: (attribute) => (command.getOptionValueSource(attribute) === "config" ? applied.get(attribute) : undefined),
  };
  command.setOptionValueWithSource(APPLIED_CONFIG_KEY, carrier, "config");
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Whether any option of `command` or its subcommands takes a config-file setting. */
export function takesConfigSettings(command: Command, topName: string): boolean {
  return command.options.some((o) => settingForAttribute(o.attributeName(), topName) !== undefined) || command.commands.some((c) => takesConfigSettings(c, topName));
}
