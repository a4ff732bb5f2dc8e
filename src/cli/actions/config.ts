import type { Command } from "commander";
import { initConfigFile } from "../../config/config-init.js";
import { formatEffectiveConfig, formatEffectiveConfigJson, resolveEffectiveConfig } from "../../config/config-show.js";
import { settingForAttribute } from "../../config/config-settings.js";
import type { ConfigShowFlags, InitFlags } from "../commands/config.js";
import type { RunFlagInput } from "../run-flags.js";

/** The settings the command line gave (commander source "cli"), as flag text by setting key. */
function flagValues(command: Command, topName: string, attributeKey: (attribute: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const option of command.options) {
    const attribute = option.attributeName();
    const key = attributeKey(attribute) ?? settingForAttribute(attribute, topName)?.key;
    const value = command.getOptionValue(attribute);
    if (key !== undefined && command.getOptionValueSource(attribute) === "cli" && value !== undefined) out.set(key, String(value));
  }
  return out;
}

/** The `config show` action, loaded only when the command runs. */
export function runConfigShowCommand(flags: ConfigShowFlags, command: Command, env: NodeJS.ProcessEnv = process.env, write: (text: string) => void = (t) => void process.stdout.write(t)): void {
  const loaded = (flags as RunFlagInput).configFile?.loaded;
  const effective = resolveEffectiveConfig(flagValues(command, "config", () => undefined), env, loaded);
  write(flags.json ? formatEffectiveConfigJson(effective) : formatEffectiveConfig(effective));
}

/** The `init` action: the global --config names the file to write. */
export async function runInitCommand(flags: InitFlags, command: Command, env: NodeJS.ProcessEnv = process.env, write: (text: string) => void = (t) => void process.stdout.write(t)): Promise<void> {
  const { configSelection } = await import("../config-hooks.js");
  const outFile = command.parent ? configSelection(command.parent, env).configFile : undefined;
  const values = flagValues(command, "init", (attribute) => (attribute === "kleerTokenFile" ? "kleer.tokenFile" : undefined));
  const result = initConfigFile({ outFile, force: flags.force ?? false, cwd: process.cwd(), values });
  write(
    `Wrote ${result.file} (${result.written.length > 0 ? result.written.join(", ") : "no values given: every key commented out"}).\n` +
      `Secrets stay out of it: export TOKI_KLEER__TOKEN or name a token file in kleer.tokenFile.\n` +
      `Next: toki-parity config show${outFile !== undefined && outFile !== env.TOKI_PARITY_CONFIG ? ` --config ${outFile}` : ""}\n`,
  );
}
