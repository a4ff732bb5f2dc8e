import { z } from "zod";
import { formatZodIssues, RUN_CONFIG_OPTION_NAMES, runConfigSchema } from "../config/run-config.js";
import { ConfigError } from "../domain/errors.js";
import type { DateRange } from "../domain/time-entry.js";

/** Flag values of `map suggest` and `map check` as commander hands them over (all strings). */
export interface MapFlagValues {
  from?: string;
  to?: string;
  users?: string;
  concurrency?: string;
  kleerUrl?: string;
  kleerToken?: string;
  kleerCompany?: string;
  milltimeUrl?: string;
  milltimeCredentials?: string;
  milltimeSnapshot?: string;
  instanceId?: string;
  history?: string;
  tokiUsers?: string;
  mapping?: string;
  out?: string;
  force?: boolean;
  minConfidence?: string;
  json?: boolean;
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

const sourceSchema = runConfigSchema
  .pick({ from: true, to: true, users: true, timeZone: true, concurrency: true, kleer: true, milltime: true, history: true })
  .extend({
    tokiUsersFile: z.string().min(1).optional().describe("JSON file [{tokiUserId, email}] listing Toki's users."),
  });

const suggestSchema = sourceSchema.extend({
  outFile: z.string({ error: "required" }).min(1).describe("Where the merged mapping is written."),
  mappingFile: z.string().min(1).optional().describe("The existing mapping; its entries are kept as they are."),
  force: z.boolean().default(false).describe("Overwrite an existing --out that is not --mapping."),
  minConfidence: z.number({ error: "expected a number from 0 to 1" }).min(0).max(1).default(0).describe("Suggestions below this confidence are not written."),
});

const checkSchema = sourceSchema.extend({
  mappingFile: z.string({ error: "required" }).min(1).describe("The mapping to check."),
  json: z.boolean().default(false).describe("Print the result as JSON."),
});

const OPTION_NAMES: Record<string, string> = {
  ...RUN_CONFIG_OPTION_NAMES,
  tokiUsersFile: "--toki-users",
  outFile: "--out",
  mappingFile: "--mapping",
  minConfidence: "--min-confidence",
};

function parseUsers(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((s) => !/^\d+$/.test(s));
  if (bad.length > 0) throw new ConfigError(`--users: not a Toki user id: ${bad.join(", ")}`);
  return ids.map(Number);
}

/** A numeric flag as a number when it is one, else the raw text (so zod names the flag). */
function numeric(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

function sourceInput(flags: MapFlagValues, env: NodeJS.ProcessEnv) {
  return {
    from: flags.from,
    to: flags.to,
    users: parseUsers(flags.users),
    concurrency: numeric(flags.concurrency),
    kleer: {
      baseUrl: flags.kleerUrl ?? env.TOKI_KLEER__BASE_URL ?? undefined,
      token: flags.kleerToken ?? env.TOKI_KLEER__TOKEN,
      companyId: flags.kleerCompany ?? env.TOKI_KLEER__COMPANY_ID,
    },
    milltime: {
      url: flags.milltimeUrl ?? env.TOKI_MILLTIME__URL ?? undefined,
      credentialsFile: flags.milltimeCredentials,
      snapshotDir: flags.milltimeSnapshot,
      instanceId: flags.instanceId,
    },
    history: flags.history,
    tokiUsersFile: flags.tokiUsers,
  };
}

type ParsedSource = z.output<typeof sourceSchema>;

/** The cross-field rules of both commands: a forward range and exactly one Milltime mode. */
function sourceRules(c: ParsedSource): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (c.from > c.to) errors.push(`--from ${c.from} is after --to ${c.to}`);
  const m = c.milltime;
  if (m.snapshotDir && (m.url || m.credentialsFile)) errors.push("give either --milltime-snapshot or --milltime-url with --milltime-credentials, not both");
  else if (!m.snapshotDir && !(m.url && m.credentialsFile))
    errors.push("the Milltime side needs --milltime-snapshot DIR, or --milltime-url URL with --milltime-credentials FILE");
  if (new URL(c.kleer.baseUrl).hostname === "test-api.kleer.se") warnings.push("Kleer's test API keeps its own storage: its users and projects may differ from production");
  return { errors, warnings };
}

function toSourceOptions(c: ParsedSource): MapSourceOptions {
  return {
    range: { from: c.from, to: c.to },
    timeZone: c.timeZone,
    concurrency: c.concurrency,
    kleer: { ...c.kleer, baseUrl: c.kleer.baseUrl.replace(/\/+$/, "") },
    milltime: c.milltime,
    history: c.history,
    tokiUsersFile: c.tokiUsersFile,
    users: c.users,
  };
}

function parse<S extends z.ZodType<ParsedSource>>(schema: S, input: unknown): { data: z.output<S>; warnings: string[] } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ConfigError("invalid options", formatZodIssues(parsed.error, OPTION_NAMES));
  const { errors, warnings } = sourceRules(parsed.data);
  if (errors.length > 0) throw new ConfigError("invalid options", errors);
  return { data: parsed.data, warnings };
}

/** `map suggest` flags and environment → validated options; a bad option is a ConfigError naming it (exit 2). */
export function mapSuggestOptionsFromFlags(flags: MapFlagValues, env: NodeJS.ProcessEnv = process.env): { options: MapSuggestOptions; warnings: string[] } {
  const input = { ...sourceInput(flags, env), outFile: flags.out, mappingFile: flags.mapping, force: flags.force ?? false, minConfidence: numeric(flags.minConfidence) };
  const { data, warnings } = parse(suggestSchema, input);
  return { options: { ...toSourceOptions(data), outFile: data.outFile, mappingFile: data.mappingFile, force: data.force, minConfidence: data.minConfidence }, warnings };
}

/** `map check` flags and environment → validated options; a bad option is a ConfigError naming it (exit 2). */
export function mapCheckOptionsFromFlags(flags: MapFlagValues, env: NodeJS.ProcessEnv = process.env): { options: MapCheckOptions; warnings: string[] } {
  const input = { ...sourceInput(flags, env), mappingFile: flags.mapping, json: flags.json ?? false };
  const { data, warnings } = parse(checkSchema, input);
  return { options: { ...toSourceOptions(data), mappingFile: data.mappingFile, json: data.json }, warnings };
}
