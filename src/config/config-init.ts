import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { ConfigError } from "../domain/errors.js";
import { isPostgresUrl } from "../history/postgres-url.js";
import { CONFIG_FILE_NAME, configFileSchema } from "./config-file-schema.js";
import { CONFIG_SETTINGS } from "./config-settings.js";
import { defaultOf, describeKey } from "./config-show.js";
import { valueAt } from "./json-document.js";
import { formatZodIssues } from "./run-config.js";

export interface InitConfigOptions {
  /** Where the file goes. @default ./toki-parity.config.json */
  outFile?: string | undefined;
  /** Replace an existing file. @default false */
  force: boolean;
  /** Working directory: relative paths given are relative to it. */
  cwd: string;
  /** Values by dotted key as given on the command line (texts; numbers are converted). */
  values: ReadonlyMap<string, string>;
}

export interface InitConfigResult {
  file: string;
  written: string[];
}

/** Placeholders shown (commented out) for keys the user did not give and that have no default. */
const EXAMPLES: Record<string, unknown> = {
  "kleer.companyId": 4875,
  "kleer.tokenFile": "secrets/kleer-token",
  "milltime.url": "https://tenant.milltime.se/cgi/mt.cgi",
  "milltime.credentials": "milltime-credentials.json",
  "milltime.snapshot": "snapshots/milltime",
  history: "postgres://toki@127.0.0.1:5432/toki",
  rules: "rules.json",
  "range.from": "2026-01-01",
  "range.to": "2026-03-31",
  period: "week",
  users: [1, 2, 3],
};

const LAYOUT: Array<string | [string, string[]]> = [
  ["kleer", ["url", "companyId", "tokenFile", "maxSpanMonths"]],
  ["milltime", ["url", "credentials", "snapshot", "instanceId"]],
  "mapping",
  "history",
  "report",
  "rules",
  ["range", ["from", "to"]],
  "period",
  "timeZone",
  "concurrency",
  "users",
];

const NUMERIC = new Set(["kleer.companyId", "kleer.maxSpanMonths", "concurrency"]);
const PATHS = new Set([...CONFIG_SETTINGS.filter((s) => s.path).map((s) => s.key), "kleer.tokenFile"]);
const FLAG_OF: Record<string, string> = {
  ...Object.fromEntries(CONFIG_SETTINGS.map((s) => [s.key, s.flag])),
  // Stryker disable next-line StringLiteral,ArrayDeclaration: no token file text is refused yet (any text resolves to a path), so no message names it
  "kleer.tokenFile": "--kleer-token-file",
};

function typed(key: string, text: string, fileDir: string, cwd: string): unknown {
  if (NUMERIC.has(key)) return /^\s*\d+\s*$/.test(text) ? Number(text) : text;
  if (key === "users") return text.split(",").map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : s.trim()));
  // A path given relative to the working directory, written relative to the file's folder (as the loader
  // reads it); a history the history reader takes for a database URL stays as given.
  if (PATHS.has(key) && !(key === "history" && isPostgresUrl(text)) && !isAbsolute(text)) return relative(fileDir, resolve(cwd, text)) || ".";
  return text;
}

/** The starter file's text: every key with its description as a comment; keys not given are commented out. */
export function renderStarterConfig(given: Record<string, unknown>): string {
  const out: string[] = [
    "// toki-parity configuration (JSON with comments). Everything but secrets lives here.",
    "// Precedence: a flag wins over an environment variable, which wins over this file (a --profile's",
    "// keys over the top level's), which wins over the defaults shown commented out below.",
    "// Secrets never go here: the Kleer token comes from TOKI_KLEER__TOKEN or the file kleer.tokenFile",
    "// names; Milltime passwords stay in the credentials file. Check the result: toki-parity config show",
    "{",
  ];
  const member = (indent: string, name: string, key: string, last: boolean): string[] => {
    const value = valueAt(given, key.split("."));
    const comment = `${indent}// ${describeKey(key)}`;
    if (value !== undefined) return [comment, `${indent}${JSON.stringify(name)}: ${JSON.stringify(value)}${last ? "" : ","}`];
    const example = defaultOf(key) ?? EXAMPLES[key];
    return [comment, `${indent}// ${JSON.stringify(name)}: ${JSON.stringify(example)},`];
  };
  const isGiven = (key: string) => valueAt(given, key.split(".")) !== undefined;
  const activeTop = LAYOUT.filter((e) => typeof e !== "string" || isGiven(e)).map((e) => (typeof e === "string" ? e : e[0]));
  for (const entry of LAYOUT) {
    if (typeof entry === "string") {
      out.push(...member("  ", entry, entry, activeTop[activeTop.length - 1] === entry));
      continue;
    }
    const [section, keys] = entry;
    out.push(`  // ${describeKey(section)}`, `  ${JSON.stringify(section)}: {`);
    const activeKeys = keys.filter((k) => isGiven(`${section}.${k}`));
    for (const k of keys) out.push(...member("    ", k, `${section}.${k}`, activeKeys[activeKeys.length - 1] === k));
    out.push(`  }${activeTop[activeTop.length - 1] === section ? "" : ","}`);
  }
  out.push(
    "  // Named profiles, chosen with --profile NAME; each may hold any key above, e.g.",
    '  // "profiles": { "sandbox": { "kleer": { "url": "https://test-api.kleer.se/v1", "companyId": 1 } } }',
    "}",
  );
  return `${out.join("\n")}\n`;
}

/** `toki-parity init`: validates the given values and writes the starter file; refuses to overwrite without `force`. */
export function initConfigFile(options: InitConfigOptions): InitConfigResult {
  const path = resolve(options.cwd, options.outFile ?? CONFIG_FILE_NAME);
  const shown = relative(options.cwd, path).startsWith("..") ? path : relative(options.cwd, path);
  if (existsSync(path) && !options.force) throw new ConfigError(`${shown} exists already; give --force to overwrite it`);
  const given: Record<string, unknown> = {};
  for (const [key, text] of options.values) {
    const parts = key.split(".");
    let at = given;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]!] = typed(key, text, dirname(path), options.cwd);
  }
  const parsed = configFileSchema.safeParse(given);
  // Named by flag, as the same value given to a command is.
  if (!parsed.success) throw new ConfigError("invalid options", formatZodIssues(parsed.error, FLAG_OF, { input: given }));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderStarterConfig(given));
  return { file: shown, written: [...options.values.keys()] };
}
