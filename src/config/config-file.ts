import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { ConfigError } from "../domain/errors.js";
import { isPostgresUrl } from "../history/postgres-url.js";
import { globalRedactor } from "../http/redact.js";
import { CONFIG_FILE_NAME, configFileSchema, SECRET_REFUSED } from "./config-file-schema.js";
import { CONFIG_SETTINGS, describeFileValue, type ConfigFileValue } from "./config-settings.js";

export type { ConfigFileValue } from "./config-settings.js";
export { describeFileValue } from "./config-settings.js";
import { didYouMean } from "./did-you-mean.js";
import { formatPosition, parseJsonDocument, validateJsonDocument, type JsonDocument } from "./json-document.js";

export interface LoadedConfigFile {
  /** The file as shown in messages (relative to the working directory when inside it). */
  file: string;
  /** Absolute path. */
  path: string;
  /** The selected profile, if any. */
  profile?: string | undefined;
  /** Every profile the file defines. */
  profiles: string[];
  /** The effective file values (profile over top level), by dotted key. */
  values: Map<string, ConfigFileValue>;
}

export interface LoadConfigFileOptions {
  /** Folder a bare `toki-parity.config.json` is looked for in, and relative paths start from. */
  cwd: string;
  /** `--config FILE` (or TOKI_PARITY_CONFIG): this file, which must exist. */
  configFile?: string | undefined;
  /** How the file was named, for messages. @default "--config" */
  configFrom?: string | undefined;
  /** How the profile was named, for messages. @default "--profile" */
  profileFrom?: string | undefined;
  /** `--profile NAME`. */
  profile?: string | undefined;
}

const SECRET_LOOKING = /pass(word)?|secret|token|cookie|api[-_]?key|session/i;

/** The config file to read: `--config FILE`, else `toki-parity.config.json` in `cwd` if there is one. */
export function locateConfigFile(options: LoadConfigFileOptions): string | undefined {
  if (options.configFile !== undefined) {
    const path = resolve(options.cwd, options.configFile);
    if (!existsSync(path)) throw new ConfigError(`${options.configFrom ?? "--config"} ${options.configFile}: no such file`);
    return path;
  }
  const path = resolve(options.cwd, CONFIG_FILE_NAME);
  return existsSync(path) ? path : undefined;
}

function shownName(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** A value's leaves by dotted key under `prefix` (arrays are leaves). */
function leaves(value: unknown, prefix: string[]): Array<{ path: string[]; value: unknown }> {
  if (
    typeof value !== "object" ||
    // Stryker disable next-line ConditionalExpression: the schema takes null for no key
    value === null ||
    Array.isArray(value)
  )
    return [{ path: prefix, value }];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...prefix, k]));
}

/** A layer's settings by dotted key: a profile is a layer of its own, `$schema` and `$comment` are for editors. */
function settingsOf(layer: Record<string, unknown>): Array<{ path: string[]; value: unknown }> {
  return Object.entries(layer).flatMap(([k, v]) => (k === "profiles" || k.startsWith("$") ? [] : leaves(v, [k])));
}

const PATH_KEYS = new Map<string, "file" | "file-or-url">([
  ...CONFIG_SETTINGS.flatMap((s) => (s.path ? [[s.key, s.path] as const] : [])),
  ["kleer.tokenFile", "file"],
]);

/**
 * Commands open paths from the process's working directory: relative to it when inside it, else
 * absolute. A history that the history reader takes for a database URL stays as written.
 */
function resolvePath(kind: "file" | "file-or-url", text: string, fileDir: string): string {
  if (kind === "file-or-url" && isPostgresUrl(text)) return text;
  return shownName(process.cwd(), resolve(fileDir, text));
}

/**
 * Reads and validates the config file (JSON with comments allowed), selects the profile and
 * flattens the result. Every error names the key and its `file:line:column`; a secret in the
 * file is refused. Returns undefined when there is no file and none was asked for.
 */
export function loadConfigFile(options: LoadConfigFileOptions): LoadedConfigFile | undefined {
  const path = locateConfigFile(options);
  if (path === undefined) {
    if (options.profile !== undefined)
      throw new ConfigError(`${options.profileFrom ?? "--profile"} ${options.profile} needs a config file: give --config FILE or create ${CONFIG_FILE_NAME} here (toki-parity init)`);
    return undefined;
  }
  const file = shownName(options.cwd, path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${file}: ${(error as Error).message}`, [], { cause: error });
  }
  const doc = parseJsonDocument(text, file, { comments: true });
  const parsed = validateJsonDocument(doc, configFileSchema, "the config file", {
    unknownKey: (_, key) => (SECRET_LOOKING.test(key) ? `unknown key; ${SECRET_REFUSED}: give secrets by the environment or a file the config names` : undefined),
  });
  const profiles = Object.keys(parsed.profiles ?? {});
  if (options.profile !== undefined && !profiles.includes(options.profile)) {
    const known = profiles.length > 0 ? `; it has ${profiles.join(", ")}` : "; it has no profiles";
    throw new ConfigError(`${options.profileFrom ?? "--profile"} ${options.profile}: no such profile in ${file}${known}${didYouMean(options.profile, profiles)}`);
  }
  const raw = doc.value as Record<string, unknown>;
  const values = new Map<string, ConfigFileValue>();
  const fileDir = dirname(path);
  const add = (layer: Record<string, unknown>, at: string[], profile: string | undefined) => {
    for (const leaf of settingsOf(layer)) {
      const key = leaf.path.join(".");
      const kind = PATH_KEYS.get(key);
      const value =
        kind &&
        // Stryker disable next-line ConditionalExpression: the schema takes only texts for the path keys
        typeof leaf.value === "string"
          ? resolvePath(kind, leaf.value, fileDir)
          : leaf.value;
      values.set(key, { key, value, profile, where: formatPosition(file, doc.locate([...at, ...leaf.path])) });
    }
  };
  add(raw, [], undefined);
  if (options.profile !== undefined) {
    // The profile is one the schema validated as a layer.
    const layer = (raw.profiles as Record<string, Record<string, unknown>>)[options.profile]!;
    // A profile that picks one Milltime mode replaces the top level's other mode instead of conflicting with it.
    const milltime = (layer.milltime ?? {}) as Record<string, unknown>;
    if (milltime.snapshot !== undefined) for (const key of ["milltime.url", "milltime.credentials"]) values.delete(key);
    if (milltime.url !== undefined || milltime.credentials !== undefined) values.delete("milltime.snapshot");
    add(layer, ["profiles", options.profile], options.profile);
  }
  checkRange(values, doc);
  return { file, path, profile: options.profile, profiles, values };
}

function checkRange(values: Map<string, ConfigFileValue>, doc: JsonDocument): void {
  const from = values.get("range.from");
  const to = values.get("range.to");
  if (from && to && String(from.value) > String(to.value))
    throw new ConfigError(`the config file ${doc.file} is not valid`, [`${to.where}: range.to: ${String(to.value)} is before range.from ${String(from.value)} (${from.where})`]);
}

/**
 * Reads the secret a `…File` key points at (the Kleer token): the whole file, trimmed, which must
 * not be empty. The secret is registered with the redactor before anything else can print it.
 */
export function readSecretFile(pointer: ConfigFileValue): string {
  let text: string;
  try {
    text = readFileSync(String(pointer.value), "utf8");
  } catch (error) {
    throw new ConfigError(`${describeFileValue(pointer)}: cannot read ${String(pointer.value)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, [], { cause: error });
  }
  const secret = text.trim();
  if (secret === "") throw new ConfigError(`${describeFileValue(pointer)}: ${String(pointer.value)} is empty`);
  globalRedactor.add(secret);
  return secret;
}
