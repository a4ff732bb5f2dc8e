import { loadRulesFile } from "../compare/index.js";
import type { RunConfig } from "../config/run-config.js";
import type { PeriodKind } from "../domain/calendar.js";
import type { CutoverMapping } from "../domain/cutover-mapping.js";
import { ConfigError } from "../domain/errors.js";
import { globalRedactor } from "../http/redact.js";
import { loadMappingFile } from "../mapping/index.js";
import { loadMilltimeCredentials, type MilltimeCredential } from "../milltime/index.js";
import { assertKnownTimeZone } from "./doctor-range.js";
import { fail, messageOf, pass, plural, warn, type CheckOutcome } from "./doctor-types.js";

/** What doctor is given: a validated configuration, or the reasons it did not validate. */
export interface DoctorOptions {
  /** The run configuration (flags + environment, validated); undefined when it did not validate. */
  config: RunConfig | undefined;
  /** Why the configuration did not validate, one line per bad option. */
  configErrors?: readonly string[] | undefined;
  /** Warnings of the configuration rules (e.g. Kleer's test API). */
  configWarnings?: readonly string[] | undefined;
  /** The range was not given and is the default (the last full calendar month). @default false */
  rangeDefaulted?: boolean | undefined;
}

/** The configuration with the files it names loaded: what every later check works from. */
export interface LoadedDoctorConfig {
  config: RunConfig;
  mapping: CutoverMapping;
  /** Live Milltime mode: the credential rows; snapshot mode: undefined. */
  credentials: MilltimeCredential[] | undefined;
  /** The TimeInfo period compare will use: --period, else the rules file's, else week. */
  period: PeriodKind;
  /**
   * Why the mapping file could not be loaded (then `mapping` is empty): the checks that need no
   * mapping still run, the ones that do are skipped with this reason.
   */
  mappingProblem?: string | undefined;
}

/** Quotes a command-line argument for a POSIX shell when it needs it. */
const shellArg = (value: string) => (/^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/**
 * The `map suggest` command that writes the missing mapping file from this configuration's own
 * sources (the token stays in the environment: it is never printed).
 */
export function mapSuggestCommand(config: RunConfig): string {
  const args = ["toki-parity", "map", "suggest", "--from", config.from, "--to", config.to, "--kleer-url", config.kleer.baseUrl, "--kleer-company", String(config.kleer.companyId)];
  if (config.milltime.snapshotDir) args.push("--milltime-snapshot", config.milltime.snapshotDir);
  else args.push("--milltime-url", config.milltime.url ?? "URL", "--milltime-credentials", config.milltime.credentialsFile ?? "FILE");
  if (config.history) args.push("--history", describeHistorySpec(config.history));
  args.push("--out", config.mappingFile);
  return args.map(shellArg).join(" ");
}

const CONFIG_HINT =
  "fix the options named above (flags, or the TOKI_KLEER__BASE_URL / TOKI_KLEER__TOKEN / TOKI_KLEER__COMPANY_ID / TOKI_MILLTIME__URL " +
  "environment variables) and the files they point at; `toki-parity doctor --help` lists every option";

function issuesOf(error: unknown): string[] {
  if (error instanceof ConfigError) return error.issues.length > 0 ? error.issues.map((i) => globalRedactor.redact(i)) : [messageOf(error)];
  return [messageOf(error)];
}

/** The history spec without a password (a postgres:// URL may carry one). */
export function describeHistorySpec(spec: string): string {
  return spec.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}

function describeConfig(loaded: LoadedDoctorConfig, rangeDefaulted: boolean): string {
  const { config, mapping, credentials } = loaded;
  const range = `range ${config.from}..${config.to}${rangeDefaulted ? " (the last full calendar month, the default)" : ""}`;
  const kleer = `Kleer ${new URL(config.kleer.baseUrl).host} company ${config.kleer.companyId}`;
  const milltime = config.milltime.snapshotDir
    ? `Milltime snapshot ${config.milltime.snapshotDir}`
    : `Milltime ${new URL(config.milltime.url ?? "http://invalid").host} (${plural(credentials?.length ?? 0, "credential row")})`;
  const history = config.history ? `history ${describeHistorySpec(config.history)}` : "no timer history";
  const withKleer = mapping.users.filter((u) => u.kleerUserId !== undefined).length;
  const map =
    `mapping ${config.mappingFile} (${plural(mapping.users.length, "user")}, ${withKleer} with a Kleer user; ` +
    `${plural(mapping.projects.length, "project")}; ${plural(mapping.activities.length, "activity", "activities")})`;
  return [range, kleer, milltime, history, map].join("; ");
}

/**
 * The `config` check: the options validate, the time zone is known, and the files the options
 * name (mapping, rules, Milltime credentials) load. A failure here is a usage error (exit 2).
 */
export async function checkConfig(options: DoctorOptions): Promise<{ outcome: CheckOutcome; loaded?: LoadedDoctorConfig }> {
  const issues: string[] = [...(options.configErrors ?? [])];
  const config = options.config;
  if (!config) {
    if (issues.length === 0) issues.push("no configuration was given");
    return { outcome: fail(`${plural(issues.length, "problem")}: ${issues.join("; ")}`, CONFIG_HINT) };
  }
  globalRedactor.add(config.kleer.token);
  try {
    assertKnownTimeZone(config.timeZone);
  } catch (error) {
    issues.push(...issuesOf(error));
  }
  const mappingIssues: string[] = [];
  const [mapping, rules, credentials] = await Promise.all([
    loadMappingFile(config.mappingFile).then(
      (loaded) => loaded.mapping,
      (error: unknown) => void mappingIssues.push(...issuesOf(error)),
    ),
    loadRulesFile(config.rulesFile).catch((error: unknown) => void issues.push(...issuesOf(error))),
    config.milltime.credentialsFile
      ? loadMilltimeCredentials(config.milltime.credentialsFile).catch((error: unknown) => void issues.push(...issuesOf(error)))
      : Promise.resolve(undefined),
  ]);
  if (issues.length > 0 || !rules || (config.milltime.credentialsFile && !credentials)) {
    const all = [...issues, ...mappingIssues];
    return { outcome: fail(`${plural(all.length, "problem")}: ${all.join("; ")}`, CONFIG_HINT) };
  }
  const period = config.period ?? rules.period ?? "week";
  if (!mapping) {
    // Only the mapping is missing or bad: Kleer, Milltime and the history can still be checked,
    // and the mapping is what `map suggest` writes from those very sources.
    const problem = mappingIssues.join("; ");
    const loaded: LoadedDoctorConfig = { config, mapping: { users: [], projects: [], activities: [] }, credentials: credentials ?? undefined, period, mappingProblem: problem };
    return {
      outcome: fail(
        `the mapping could not be loaded: ${problem}`,
        `write a reviewed mapping with \`${mapSuggestCommand(config)}\` (the Kleer token from TOKI_KLEER__TOKEN), review it, then run doctor again`,
      ),
      loaded,
    };
  }
  const loaded: LoadedDoctorConfig = { config, mapping, credentials: credentials ?? undefined, period };
  const detail = describeConfig(loaded, options.rangeDefaulted === true);
  const warnings = options.configWarnings ?? [];
  if (warnings.length > 0) {
    return {
      outcome: warn(`${detail}. Warning: ${warnings.join("; ")}`, "check that this is the Kleer host you mean: only production data is visible in my.kleer.se"),
      loaded,
    };
  }
  return { outcome: pass(detail), loaded };
}
