import { z } from "zod";
import { isIsoDate } from "../domain/calendar.js";
import { valueAt } from "./json-document.js";

/** Kleer's production API; the default base URL, as in Toki. */
export const KLEER_PRODUCTION_BASE_URL = "https://api.kleer.se/v1";
/** Kleer's test API: its own storage, invisible in the admin UI. */
export const KLEER_TEST_BASE_URL = "https://test-api.kleer.se/v1";

const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });

/** Everything a parity, replay or readiness run needs; each key documented and defaulted. */
export const runConfigSchema = z
  .object({
    from: isoDate.describe("First day of the range (inclusive)."),
    to: isoDate.describe("Last day of the range (inclusive)."),
    period: z.enum(["week", "month"]).optional().describe("Period for TimeInfo/weekly-stats comparison; the rules file's period, else week, when absent."),
    users: z.array(z.number().int().positive()).optional().describe("Toki user ids to process; all mapped users when absent."),
    timeZone: z.string().default("Europe/Stockholm").describe("Zone of the local registration day."),
    concurrency: z.number().int().min(1).max(64).default(4).describe("Users whose Kleer and Milltime data are read at once."),
    shard: z
      .object({ index: z.number().int().min(1), count: z.number().int().min(1) })
      .refine((s) => s.index <= s.count, { message: "shard index must be between 1 and the shard count" })
      .optional()
      .describe("Process only the users of shard index/count (stable hash of the Toki user id)."),
    kleer: z
      .object({
        baseUrl: z.url().default(KLEER_PRODUCTION_BASE_URL).describe("Kleer API base URL (TOKI_KLEER__BASE_URL)."),
        token: z.string().min(1, "the Kleer token is empty").describe("Integration token sent as X-Token (TOKI_KLEER__TOKEN)."),
        companyId: z.coerce.number().int().positive().describe("Kleer company id (TOKI_KLEER__COMPANY_ID)."),
        maxSpanMonths: z
          .number()
          .int()
          .min(1)
          .max(120)
          .optional()
          .describe("Longest date span one per-user Kleer read asks for, in months (12 when absent); a refused span is retried as two halves."),
      })
      .describe("The Kleer side."),
    milltime: z
      .object({
        url: z.url().optional().describe("Milltime CGI entry point, e.g. https://tenant.milltime.se/cgi/mt.cgi (TOKI_MILLTIME__URL)."),
        credentialsFile: z.string().optional().describe("Per-user credentials JSON file for live reads."),
        snapshotDir: z.string().optional().describe("Offline snapshot directory written by `milltime export`."),
        instanceId: z.string().optional().describe("Milltime tenant instance id sent at login."),
      })
      .describe("The legacy Milltime side: live (url + credentials) or a snapshot."),
    history: z.string().optional().describe("Timer history: a postgres:// URL or a CSV/JSON export."),
    mappingFile: z.string().describe("Milltime→Kleer id mapping file."),
    rulesFile: z.string().optional().describe("Rules file: severities, tolerances, suppressions."),
    reportFile: z.string().describe("SQLite report file (created when missing)."),
  })
  .describe("toki-parity run configuration");

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

export interface RunConfigResult {
  config: RunConfig | undefined;
  errors: string[];
  warnings: string[];
}

export interface FormatZodIssuesOptions {
  /** The input that was parsed: a text given for a number is then named as such. */
  input?: unknown;
  /** Config-file keys per path, offered when a required value is missing. */
  configKeys?: Record<string, string>;
}

/** Formats zod issues as `path: message` lines naming the bad option. */
export function formatZodIssues(error: z.ZodError, optionNames: Record<string, string> = {}, options: FormatZodIssuesOptions = {}): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join(".");
    const name = optionNames[path] ?? (path || "(root)");
    const raw = valueAt(options.input, issue.path);
    // A text where a number belongs reaches zod as a string, or as NaN once coerced.
    if (
      typeof raw === "string" &&
      // Stryker disable next-line ConditionalExpression: only an invalid_type issue carries `expected` (zod 4); the check is there for the type
      issue.code === "invalid_type" &&
      issue.expected === "number" &&
      raw.trim() !== ""
    )
      return `${name}: "${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}" is not a number`;
    // A missing option reaches zod as undefined (or NaN once coerced to a number).
    const missing =
      // Stryker disable next-line Regex: zod 4 writes "received <type>" at the end of its message
      /received (undefined|NaN)$/.test(issue.message) &&
      // Stryker disable next-line ConditionalExpression: zod 4 writes "received <type>" only in an invalid_type message
      issue.code === "invalid_type";
    const key = options.configKeys?.[path];
    return `${name}: ${missing ? `is required but was not given${key ? ` (or set ${key} in the config file)` : ""}` : issue.message}`;
  });
}

type Rule = (config: RunConfig, names: Record<string, string>) => { errors?: string[]; warnings?: string[] };

const rules: Rule[] = [
  (c) => (c.from > c.to ? { errors: [`--from ${c.from} is after --to ${c.to}`] } : {}),
  (c, names) => {
    const m = c.milltime;
    if (m.snapshotDir && (m.url || m.credentialsFile)) {
      // Name where each side came from: an exported TOKI_MILLTIME__URL is easy to forget.
      const live = [m.url ? `the Milltime URL from ${names["milltime.url"]}` : "", m.credentialsFile ? `the credentials from ${names["milltime.credentialsFile"]}` : ""];
      return {
        errors: [
          `give either --milltime-snapshot or --milltime-url with --milltime-credentials, not both: the snapshot comes from ${names["milltime.snapshotDir"]}, ${live.filter(Boolean).join(" and ")}`,
        ],
      };
    }
    if (!m.snapshotDir && !(m.url && m.credentialsFile))
      return { errors: ["the Milltime side needs --milltime-snapshot DIR, or --milltime-url URL with --milltime-credentials FILE"] };
    return {};
  },
  (c) => (new URL(c.kleer.baseUrl).hostname === new URL(KLEER_TEST_BASE_URL).hostname
    ? { warnings: ["Kleer's test API keeps its own storage: what it holds is invisible in my.kleer.se"] }
    : {}),
];

/** Option names as the user typed them, so a zod message names the flag. */
export const RUN_CONFIG_OPTION_NAMES: Record<string, string> = {
  from: "--from",
  to: "--to",
  period: "--period",
  users: "--users",
  timeZone: "--time-zone",
  concurrency: "--concurrency",
  shard: "--shard",
  "kleer.baseUrl": "--kleer-url / TOKI_KLEER__BASE_URL",
  "kleer.token": "--kleer-token / TOKI_KLEER__TOKEN",
  "kleer.companyId": "--kleer-company / TOKI_KLEER__COMPANY_ID",
  "kleer.maxSpanMonths": "--kleer-max-span-months",
  "milltime.url": "--milltime-url / TOKI_MILLTIME__URL",
  "milltime.credentialsFile": "--milltime-credentials",
  "milltime.snapshotDir": "--milltime-snapshot",
  history: "--history",
  mappingFile: "--mapping",
  rulesFile: "--rules",
  reportFile: "--report",
};

/**
 * schema → normalise → cross-field rules. Only the CLI prints and exits. `names` say where each
 * value came from (a flag, an environment variable, a config-file key).
 */
export function parseRunConfig(input: unknown, names: Record<string, string> = RUN_CONFIG_OPTION_NAMES, configKeys: Record<string, string> = {}): RunConfigResult {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) return { config: undefined, errors: formatZodIssues(parsed.error, names, { input, configKeys }), warnings: [] };
  const config: RunConfig = { ...parsed.data, kleer: { ...parsed.data.kleer, baseUrl: parsed.data.kleer.baseUrl.replace(/\/+$/, "") } };
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const rule of rules) {
    const out = rule(config, names);
    errors.push(...(out.errors ?? []));
    warnings.push(...(out.warnings ?? []));
  }
  return { config: errors.length === 0 ? config : undefined, errors, warnings };
}
