import type { Command } from "commander";
import type { LoadedConfigFile } from "../config/config-file.js";

/** Commands that never read the config file (`init` writes it; a broken file must not stop it). */
const READS_NO_CONFIG = new Set(["init"]);

function topLevelName(command: Command): string {
  let c = command;
  while (c.parent?.parent) c = c.parent;
  return c.name();
}

/**
 * Installs the global `--config FILE` / `--profile NAME` handling: before a subcommand parses its
 * flags, the config file's values become its option values (a flag given still wins). The file is
 * read once, only for commands that take one of its settings and not for `--help`; the loader is
 * imported then, so `--version` and `--help` stay fast.
 */
/** The config file and profile asked for: the global flags, else TOKI_PARITY_CONFIG / TOKI_PARITY_PROFILE. */
export function configSelection(program: Command, env: NodeJS.ProcessEnv): { configFile?: string | undefined; configFrom: string; profile?: string | undefined; profileFrom: string } {
  const { config, profile } = program.opts<{ config?: string; profile?: string }>();
  const fromEnv = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
  return {
    configFile: config ?? fromEnv("TOKI_PARITY_CONFIG"),
    configFrom: config !== undefined ? "--config" : "TOKI_PARITY_CONFIG",
    profile: profile ?? fromEnv("TOKI_PARITY_PROFILE"),
    profileFrom: profile !== undefined ? "--profile" : "TOKI_PARITY_PROFILE",
  };
}

export function installConfigHooks(program: Command, env: NodeJS.ProcessEnv = process.env, cwd: () => string = () => process.cwd()): void {
  let loading: Promise<LoadedConfigFile | undefined> | undefined;
  const load = (): Promise<LoadedConfigFile | undefined> => {
    loading ??= import("../config/config-file.js").then((m) => m.loadConfigFile({ cwd: cwd(), ...configSelection(program, env) }));
    return loading;
  };
  const hook = async (_parent: Command, sub: Command): Promise<void> => {
    const top = topLevelName(sub);
    if (READS_NO_CONFIG.has(top) || program.args.some((a) => a === "--help" || a === "-h")) return;
    const { applyConfigFile, takesConfigSettings } = await import("./config-apply.js");
    if (!takesConfigSettings(sub, top)) return;
    const loaded = await load();
    if (loaded !== undefined) applyConfigFile(sub, top, loaded, env);
  };
  const install = (command: Command): void => {
    if (command.commands.length === 0) return;
    command.hook("preSubcommand", hook);
    for (const sub of command.commands) install(sub);
  };
  install(program);
}
