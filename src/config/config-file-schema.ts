import { z } from "zod";
import { isIsoDate } from "../domain/calendar.js";
import { DEFAULT_MILLTIME_INSTANCE_ID } from "../milltime/milltime-http.js";
import { KLEER_PRODUCTION_BASE_URL } from "./run-config.js";

/** The file `toki-parity` reads from the working directory when no `--config` is given. */
export const CONFIG_FILE_NAME = "toki-parity.config.json";

/** Why a secret is refused in the config file (the file is shared, committed and printed). */
export const SECRET_REFUSED = "secrets do not belong in the config file (it is shared and committed)";

const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });

/**
 * A URL whose user-info carries a password is a secret in plain sight. The URL parser alone
 * decides: it also reads ` postgres://u:pw@db` (leading blanks dropped) and `https:u:pw@host`.
 */
function hasPassword(text: string): boolean {
  return URL.canParse(text) && new URL(text).password !== "";
}

function refuseSecret(instead: string) {
  return z.never({ error: `${SECRET_REFUSED}: ${instead}` }).optional();
}

/** The message names the key, never the value (which holds the password). */
function passwordFree<S extends z.ZodType<string>>(schema: S, what: string, instead: string): S {
  return schema.refine((text) => !hasPassword(text), { message: `${SECRET_REFUSED}: ${what} holds a password; leave it out and ${instead}` });
}

const kleerSection = z
  .strictObject({
    url: passwordFree(z.url(), "the URL", "give the token by TOKI_KLEER__TOKEN or kleer.tokenFile")
      .default(KLEER_PRODUCTION_BASE_URL)
      .describe("Kleer API base URL ending in /v1 (flag --kleer-url, env TOKI_KLEER__BASE_URL)."),
    companyId: z.number().int().positive().optional().describe("Kleer company id (flag --kleer-company, env TOKI_KLEER__COMPANY_ID)."),
    tokenFile: z
      .string()
      .min(1)
      .optional()
      .describe("A file holding only the Kleer integration token, e.g. outside the repository (the flag --kleer-token and env TOKI_KLEER__TOKEN win over it)."),
    token: refuseSecret("set TOKI_KLEER__TOKEN, or write the token to a file of its own and name that file in kleer.tokenFile").describe(
      "Never here: the token comes from TOKI_KLEER__TOKEN or kleer.tokenFile.",
    ),
    maxSpanMonths: z
      .number()
      .int()
      .min(1)
      .max(120)
      .default(12)
      .describe("Longest date span one per-user Kleer read asks for, in months; a refused span is retried as two halves (flag --kleer-max-span-months)."),
  })
  .describe("The Kleer side.");

const milltimeSection = z
  .strictObject({
    url: passwordFree(z.url(), "the URL", "keep the passwords in the credentials file")
      .optional()
      .describe("Milltime CGI entry point, e.g. https://tenant.milltime.se/cgi/mt.cgi (flag --milltime-url, env TOKI_MILLTIME__URL)."),
    credentials: z.string().min(1).optional().describe("Per-user Milltime credentials JSON file for live reads; the passwords stay in that file (flag --milltime-credentials)."),
    snapshot: z.string().min(1).optional().describe("Offline snapshot directory written by `milltime export`, instead of url + credentials (flag --milltime-snapshot)."),
    instanceId: z.string().min(1).default(DEFAULT_MILLTIME_INSTANCE_ID).describe("Milltime tenant instance id sent at login (flag --instance-id, env TOKI_MILLTIME__INSTANCE_ID)."),
  })
  .describe("The legacy Milltime side: live (url + credentials) or a snapshot.");

const rangeSection = z
  .strictObject({
    from: isoDate.optional().describe("First day of the range, inclusive (flag --from)."),
    to: isoDate.optional().describe("Last day of the range, inclusive (flag --to)."),
  })
  .describe("The date range compare, replay, doctor and map read.");

/** Everything a profile may set: the whole file but `profiles` itself. */
export const configLayerShape = {
  kleer: kleerSection.optional(),
  milltime: milltimeSection.optional(),
  mapping: z.string().min(1).default("mapping.json").describe("Milltime→Kleer id mapping file (flag --mapping)."),
  history: passwordFree(z.string().min(1), "the history URL", "set PGPASSWORD or use ~/.pgpass")
    .optional()
    .describe("Timer history: a postgres:// URL (no password) or a CSV/JSON export (flag --history)."),
  report: z.string().min(1).default("reports/parity.sqlite").describe("SQLite report file, created when missing (flag --report)."),
  rules: z.string().min(1).optional().describe("Rules file: severities, tolerances, suppressions (flag --rules)."),
  range: rangeSection.optional(),
  period: z.enum(["week", "month"]).optional().describe("TimeInfo period to compare; the rules file's, else week, when absent (flag --period)."),
  timeZone: z.string().min(1).default("Europe/Stockholm").describe("Zone of the local registration day (flag --time-zone)."),
  concurrency: z.number().int().min(1).max(64).default(4).describe("Users whose Kleer and Milltime data are read at once (flag --concurrency)."),
  users: z.array(z.number().int().positive()).optional().describe("Toki user ids to process; every mapped user when absent (flag --users)."),
};

export const configLayerSchema = z.strictObject(configLayerShape).describe("One layer of settings: the file's top level or one profile.");

const profileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a profile name is letters, digits, _ . -");

/** `toki-parity.config.json`: every setting but secrets, plus named profiles over the top level. */
export const configFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Editors' JSON-schema hint; ignored."),
    $comment: z.string().optional().describe("Free text; ignored."),
    ...configLayerShape,
    profiles: z
      .record(profileName, configLayerSchema)
      .optional()
      .describe("Named layers (e.g. sandbox, production) selected with --profile NAME; a profile's keys win over the top level's."),
  })
  .describe("toki-parity configuration file");

export type ConfigFile = z.infer<typeof configFileSchema>;
