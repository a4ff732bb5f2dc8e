import { existsSync } from "node:fs";
import { z } from "zod";
import { runConfigFromFlags, type RunFlagInput, type RunFlagValues } from "../cli/run-flags.js";
import { formatZodIssues } from "../config/run-config.js";
import { ConfigError } from "../domain/errors.js";
import type { DateRange } from "../domain/time-entry.js";

/** Flag values of `map suggest` and `map check` as commander hands them over (all strings). */
export interface MapFlagValues
  extends Pick<
    RunFlagValues,
    "from" | "to" | "users" | "concurrency" | "kleerUrl" | "kleerToken" | "kleerCompany" | "milltimeUrl" | "milltimeCredentials" | "milltimeSnapshot" | "instanceId" | "history"
  > {
  tokiUsers?: string;
  mapping?: string;
  out?: string;
  force?: boolean;
  minConfidence?: string;
  json?: boolean;
  configFile?: RunFlagInput["configFile"];
}

/** Where the map commands read from: both providers, and optionally Toki's users. */
export interface MapSourceOptions {
  range: DateRange;
  /** Zone the timer-history reader and the Kleer side are opened with (no range filter depends on it here). @default "Europe/Stockholm" */
  timeZone: string;
  /** Milltime accounts read at once. @default 4 */
  concurrency: number;
  kleer: { baseUrl: string; token: string; companyId: number };
  /** Live (`url` + `credentialsFile`) or a snapshot (`snapshotDir`), never both. */
  milltime: { url?: string | undefined; credentialsFile?: string | undefined; snapshotDir?: string | undefined; instanceId?: string | undefined };
  /** Timer history (postgres:// URL or CSV/JSON export): Toki users and their emails. */
  history?: string | undefined;
  /** A JSON file `[{tokiUserId, email}]` listing Toki's users; replaces every other source of users. */
  tokiUsersFile?: string | undefined;
  /** Only these Toki users' Milltime accounts are read (check: and only these mapped users are considered). */
  users?: number[] | undefined;
}

export interface MapSuggestOptions extends MapSourceOptions {
  /** Where the merged mapping is written. */
  outFile: string;
  /** The existing mapping; its entries are never changed. */
  mappingFile?: string | undefined;
  /** Overwrite an existing `outFile` that is not `mappingFile`. @default false */
  force: boolean;
  /** Suggestions below this confidence are listed but not written. @default 0 */
  minConfidence: number;
}

export interface MapCheckOptions extends MapSourceOptions {
  mappingFile: string;
  /** Print the result as JSON instead of text. @default false */
  json: boolean;
}

const suggestSchema = z.object({
  outFile: z.string({ error: "required" }).min(1).describe("Where the merged mapping is written."),
  mappingFile: z.string().min(1).optional().describe("The existing mapping; its entries are kept as they are."),
  force: z.boolean().default(false).describe("Overwrite an existing --out that is not --mapping."),
  minConfidence: z.number({ error: "expected a number from 0 to 1" }).min(0).max(1).default(0).describe("Suggestions below this confidence are not written."),
});

const checkSchema = z.object({
  mappingFile: z.string({ error: "required" }).min(1).describe("The mapping to check."),
  json: z.boolean().default(false).describe("Print the result as JSON."),
});

const OPTION_NAMES: Record<string, string> = { outFile: "--out", mappingFile: "--mapping", minConfidence: "--min-confidence" };

/** A numeric flag as a number when it is one, else the raw text (so zod names the flag). */
function numeric(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/**
 * The source flags go through the run configuration's own schema and rules (dates, a forward
 * range, exactly one Milltime mode, env fallbacks, the test-API warning). The map commands have
 * no report or rules file; `-` stands in for the report file the run configuration requires.
 */
function sourceOptions(flags: MapFlagValues, env: NodeJS.ProcessEnv): { source: MapSourceOptions; warnings: string[] } {
  const runFlags: RunFlagInput = {
    configFile: flags.configFile,
    from: flags.from,
    to: flags.to,
    users: flags.users,
    concurrency: flags.concurrency,
    kleerUrl: flags.kleerUrl,
    kleerToken: flags.kleerToken,
    kleerCompany: flags.kleerCompany,
    milltimeUrl: flags.milltimeUrl,
    milltimeCredentials: flags.milltimeCredentials,
    milltimeSnapshot: flags.milltimeSnapshot,
    instanceId: flags.instanceId,
    history: flags.history,
    mapping: flags.mapping ?? "-",
    report: "-",
  };
  const { config, warnings } = runConfigFromFlags(runFlags, env);
  const source: MapSourceOptions = {
    range: { from: config.from, to: config.to },
    timeZone: config.timeZone,
    concurrency: config.concurrency,
    kleer: config.kleer,
    milltime: config.milltime,
    history: config.history,
    tokiUsersFile: flags.tokiUsers,
    users: config.users,
  };
  return { source, warnings };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ConfigError("invalid options", formatZodIssues(parsed.error, OPTION_NAMES));
  return parsed.data;
}

/** `map suggest` flags and environment → validated options; a bad option is a ConfigError naming it (exit 2). */
export function mapSuggestOptionsFromFlags(flags: MapFlagValues, env: NodeJS.ProcessEnv = process.env): { options: MapSuggestOptions; warnings: string[] } {
  const { source, warnings } = sourceOptions(flags, env);
  // A mapping the config file names may not exist before the first suggest writes it.
  const mappingFile = flags.mapping !== undefined && flags.configFile?.valueFor("mapping") && !existsSync(flags.mapping) ? undefined : flags.mapping;
  const own = parse(suggestSchema, { outFile: flags.out, mappingFile, force: flags.force ?? false, minConfidence: numeric(flags.minConfidence) });
  return { options: { ...source, ...own }, warnings };
}

/** `map check` flags and environment → validated options; a bad option is a ConfigError naming it (exit 2). */
export function mapCheckOptionsFromFlags(flags: MapFlagValues, env: NodeJS.ProcessEnv = process.env): { options: MapCheckOptions; warnings: string[] } {
  const { source, warnings } = sourceOptions(flags, env);
  const own = parse(checkSchema, { mappingFile: flags.mapping, json: flags.json ?? false });
  return { options: { ...source, ...own }, warnings };
}
