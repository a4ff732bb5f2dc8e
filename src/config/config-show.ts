import type { z } from "zod";
import { configFileSchema } from "./config-file-schema.js";
import type { LoadedConfigFile } from "./config-file.js";
import { CONFIG_SETTINGS, envValue, type ConfigFileValue, type ConfigSetting } from "./config-settings.js";

/** Where an effective value came from, in precedence order. */
export type ConfigOrigin = "flag" | "env" | "file" | "default" | "unset";

export interface EffectiveSetting {
  key: string;
  /** The value a command gets; a secret's is masked. */
  value: unknown;
  origin: ConfigOrigin;
  /** `flag --kleer-url`, `env TOKI_KLEER__TOKEN`, `file:sandbox toki-parity.config.json:4:12`, `default`. */
  originText: string;
  /** For file values: the profile that set it, if not the top level. */
  profile?: string | undefined;
  /** For file values: `file:line:column`. */
  where?: string | undefined;
  secret: boolean;
}

export interface EffectiveConfig {
  file: string | undefined;
  profile: string | undefined;
  settings: EffectiveSetting[];
}

/** What the command line gave: the flag text per setting key, when a flag set it. */
export type FlagValues = ReadonlyMap<string, string>;

const MASK = "********";

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema of a dotted key, its own wrappers (default, optional) kept. */
function leafSchema(key: string): z.ZodType | undefined {
  let current: z.ZodType | undefined = configFileSchema;
  for (const part of key.split(".")) {
    // An object schema has no innerType: unwrapping stops at it.
    while (current && defOf(current).innerType) current = defOf(current).innerType;
    current = current ? defOf(current).shape?.[part] : undefined;
  }
  return current;
}

/** The schema's `.describe()` of a key (a section or a leaf). */
export function describeKey(key: string): string {
  // zod keeps a description on the instance it was given to, so look through wrappers.
  for (let schema = leafSchema(key); schema; schema = defOf(schema).innerType) {
    const description = (schema as { description?: string }).description;
    if (description) return description;
  }
  return "";
}

/** The schema's `.default()` of a key, if it has one (the one place defaults are written down). */
export function defaultOf(key: string): unknown {
  const parsed = leafSchema(key)?.safeParse(undefined);
  return parsed?.success ? parsed.data : undefined;
}

/**
 * A URL's password, if it carries one, masked (a flag or env may give postgres://user:pw@…). The URL
 * parser alone decides, as for the config file: it also reads ` postgres://u:pw@db` and `https:u:pw@host`.
 */
function maskUrlPassword(value: unknown): unknown {
  try {
    const url = new URL(String(value));
    if (url.password === "") return value;
    url.password = MASK;
    return url.toString();
  } catch {
    return value;
  }
}

function fileOrigin(value: ConfigFileValue, via?: string): Pick<EffectiveSetting, "origin" | "originText" | "profile" | "where"> {
  const label = value.profile !== undefined ? `file:${value.profile}` : "file";
  return { origin: "file", originText: `${label} ${value.where}${via ? ` (${via})` : ""}`, profile: value.profile, where: value.where };
}

function resolveOne(setting: ConfigSetting, flags: FlagValues, env: NodeJS.ProcessEnv, loaded: LoadedConfigFile | undefined): EffectiveSetting {
  const secret = setting.secret === true;
  const shown = (v: unknown) => (secret ? MASK : maskUrlPassword(v));
  const base = { key: setting.key, secret };
  const flag = flags.get(setting.key);
  if (flag !== undefined) return { ...base, value: shown(flag), origin: "flag", originText: `flag ${setting.flag}` };
  const fromEnv = envValue(env, setting.env);
  if (fromEnv !== undefined) return { ...base, value: shown(fromEnv), origin: "env", originText: `env ${setting.env}` };
  const pointer =
    // Stryker disable next-line ConditionalExpression: a Map finds nothing under undefined; the check is there for the type
    setting.fileKey !== undefined
      ? loaded?.values.get(setting.fileKey)
      : undefined;
  if (pointer) return { ...base, value: MASK, ...fileOrigin(pointer, `read from ${String(pointer.value)}`) };
  const fromFile =
    // Stryker disable next-line ConditionalExpression: the loader refuses a secret in the file, so a setting read through a fileKey has no file value of its own
    setting.fileKey === undefined
      ? loaded?.values.get(setting.key)
      : undefined;
  if (fromFile) return { ...base, value: shown(fromFile.value), ...fileOrigin(fromFile) };
  const fallback = defaultOf(setting.key);
  if (fallback !== undefined) return { ...base, value: fallback, origin: "default", originText: "default" };
  return { ...base, value: null, origin: "unset", originText: "not set" };
}

/** Every setting's effective value and origin: flag > env > file (profile over top level) > default. */
export function resolveEffectiveConfig(flags: FlagValues, env: NodeJS.ProcessEnv, loaded: LoadedConfigFile | undefined): EffectiveConfig {
  const settings = CONFIG_SETTINGS.map((s) => resolveOne(s, flags, env, loaded));
  const tokenFile = loaded?.values.get("kleer.tokenFile");
  if (tokenFile) settings.splice(settings.findIndex((s) => s.key === "kleer.token") + 1, 0, { key: "kleer.tokenFile", value: tokenFile.value, secret: false, ...fileOrigin(tokenFile) });
  return { file: loaded?.file, profile: loaded?.profile, settings };
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "–";
  return Array.isArray(value) ? value.join(",") : String(value);
}

/** An aligned table: key, value, origin; secrets masked. */
export function formatEffectiveConfig(config: EffectiveConfig): string {
  const head = config.file === undefined ? "Config file: none (no --config, no toki-parity.config.json here)" : `Config file: ${config.file}${config.profile !== undefined ? ` (profile ${config.profile})` : ""}`;
  const rows = config.settings.map((s) => [s.key, text(s.value), s.originText]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), i === 0 ? 3 : 5));
  const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`;
  return `${head}\n\n${[line(["key", "value", "origin"]), ...rows.map(line)].join("\n")}\n\nPrecedence: flag > env > file (a profile over the top level) > default. Secrets are shown as ${MASK}.\n`;
}

/** The same as JSON: `{file, profile, settings: [{key, value, origin, originText, profile?, where?, secret}]}`. */
export function formatEffectiveConfigJson(config: EffectiveConfig): string {
  return `${JSON.stringify({ file: config.file ?? null, profile: config.profile ?? null, settings: config.settings }, null, 2)}\n`;
}
