import { ConfigError } from "../domain/errors.js";
import { parseShard } from "../domain/shard.js";
import { parseRunConfig, RUN_CONFIG_OPTION_NAMES, type RunConfig } from "../config/run-config.js";
import { CONFIG_SETTINGS, describeFileValue, envValue } from "../config/config-settings.js";
import type { AppliedConfigFile } from "./config-apply.js";
import type { RunFlagValues } from "./run-flag-definitions.js";

export type { RunFlagValues } from "./run-flag-definitions.js";

/** Flag values as commands receive them: the config-file hook adds which of them came from the file. */
export type RunFlagInput = RunFlagValues & { configFile?: AppliedConfigFile | undefined };

/**
 * Where each run-config value came from, for messages: the flag, the environment variable or the
 * config-file key with its line; a value given nowhere keeps every way to give it.
 */
function originNames(flags: RunFlagInput, env: NodeJS.ProcessEnv): { names: Record<string, string>; configKeys: Record<string, string> } {
  const names: Record<string, string> = { ...RUN_CONFIG_OPTION_NAMES };
  const configKeys: Record<string, string> = {};
  for (const setting of CONFIG_SETTINGS) {
    const path = setting.runConfigPath;
    if (path === undefined) continue;
    configKeys[path] = setting.fileKey ?? setting.key;
    const attribute = setting.attributes.find((a) => (flags as Record<string, unknown>)[a] !== undefined);
    const fromFile = attribute === undefined ? undefined : flags.configFile?.valueFor(attribute);
    if (fromFile) names[path] = `the config file's ${describeFileValue(fromFile)}`;
    else if (attribute !== undefined) names[path] = setting.flag;
    else if (envValue(env, setting.env) !== undefined) names[path] = `the environment variable ${setting.env}`;
  }
  return { names, configKeys };
}

function parseUsers(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((s) => !/^\d+$/.test(s));
  if (bad.length > 0) throw new ConfigError(`--users: not a Toki user id: ${bad.join(", ")}`);
  return ids.map(Number);
}

/** Flags and environment → a validated RunConfig; a bad option is a ConfigError naming it (exit 2). */
export function runConfigFromFlags(flags: RunFlagInput, env: NodeJS.ProcessEnv = process.env, defaults: { from?: string; to?: string } = {}): { config: RunConfig; warnings: string[] } {
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  if (flags.shard !== undefined && !shard) throw new ConfigError(`--shard: expected i/n with 1 ≤ i ≤ n, got "${flags.shard}"`);
  const concurrency = Number(flags.concurrency ?? "4");
  const input = {
    from: flags.from ?? defaults.from,
    to: flags.to ?? defaults.to,
    period: flags.period,
    users: parseUsers(flags.users),
    timeZone: flags.timeZone,
    concurrency: Number.isFinite(concurrency) ? concurrency : flags.concurrency,
    shard,
    kleer: {
      baseUrl: flags.kleerUrl ?? env.TOKI_KLEER__BASE_URL ?? undefined,
      token: flags.kleerToken ?? env.TOKI_KLEER__TOKEN,
      companyId: flags.kleerCompany ?? env.TOKI_KLEER__COMPANY_ID,
      maxSpanMonths: flags.kleerMaxSpanMonths === undefined ? undefined : Number.isFinite(Number(flags.kleerMaxSpanMonths)) ? Number(flags.kleerMaxSpanMonths) : flags.kleerMaxSpanMonths,
    },
    milltime: {
      url: flags.milltimeUrl ?? env.TOKI_MILLTIME__URL ?? undefined,
      credentialsFile: flags.milltimeCredentials,
      snapshotDir: flags.milltimeSnapshot,
      instanceId: flags.instanceId ?? envValue(env, "TOKI_MILLTIME__INSTANCE_ID"),
    },
    history: flags.history,
    mappingFile: flags.mapping,
    rulesFile: flags.rules,
    reportFile: flags.report,
  };
  const { names, configKeys } = originNames(flags, env);
  const result = parseRunConfig(input, names, configKeys);
  if (!result.config) throw new ConfigError("invalid options", result.errors);
  return { config: result.config, warnings: result.warnings };
}
