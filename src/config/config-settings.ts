/**
 * Every setting the config file, the environment and the flags share: its key in the file, the
 * flags that set it (commander attribute names, so renamed flags keep working), the environment
 * variable and whether it is a secret. Precedence is flag > env > file (profile over top level) >
 * default. Kept free of zod so the CLI can consult it without loading schemas.
 */
export interface ConfigSetting {
  /** Dotted key in the config file (`kleer.url`, `range.from`). */
  key: string;
  /** The flag as users type it. */
  flag: string;
  /** commander attribute names of the options that take this setting (`kleerUrl`, `milltimeCredentials`, …). */
  attributes: readonly string[];
  /** The environment variable the commands read, if any. */
  env?: string;
  /** A secret: never in the file, masked when shown. */
  secret?: boolean;
  /** A file path: written relative to the config file, resolved against its folder. */
  path?: "file" | "file-or-url";
  /** Commands (top-level name) whose option of the same name means something else. */
  notFor?: readonly string[];
  /** The key in the file that points at the secret's file (`kleer.tokenFile`). */
  fileKey?: string;
  /** The RunConfig path the value ends up in (for messages naming where it came from). */
  runConfigPath?: string;
}

export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  { key: "kleer.url", flag: "--kleer-url", attributes: ["kleerUrl"], env: "TOKI_KLEER__BASE_URL", runConfigPath: "kleer.baseUrl" },
  { key: "kleer.token", flag: "--kleer-token", attributes: ["kleerToken"], env: "TOKI_KLEER__TOKEN", secret: true, fileKey: "kleer.tokenFile", runConfigPath: "kleer.token" },
  { key: "kleer.companyId", flag: "--kleer-company", attributes: ["kleerCompany"], env: "TOKI_KLEER__COMPANY_ID", runConfigPath: "kleer.companyId" },
  { key: "kleer.maxSpanMonths", flag: "--kleer-max-span-months", attributes: ["kleerMaxSpanMonths"], runConfigPath: "kleer.maxSpanMonths" },
  { key: "milltime.url", flag: "--milltime-url", attributes: ["milltimeUrl"], env: "TOKI_MILLTIME__URL", runConfigPath: "milltime.url" },
  { key: "milltime.credentials", flag: "--milltime-credentials", attributes: ["milltimeCredentials", "credentials"], path: "file", runConfigPath: "milltime.credentialsFile" },
  { key: "milltime.snapshot", flag: "--milltime-snapshot", attributes: ["milltimeSnapshot"], path: "file", runConfigPath: "milltime.snapshotDir" },
  { key: "milltime.instanceId", flag: "--instance-id", attributes: ["instanceId"], env: "TOKI_MILLTIME__INSTANCE_ID", runConfigPath: "milltime.instanceId" },
  { key: "mapping", flag: "--mapping", attributes: ["mapping"], path: "file", runConfigPath: "mappingFile" },
  { key: "history", flag: "--history", attributes: ["history"], path: "file-or-url", runConfigPath: "history" },
  { key: "report", flag: "--report", attributes: ["report"], path: "file", runConfigPath: "reportFile" },
  // audit's --rules is its own rules file (remnant patterns), not the parity rules.
  { key: "rules", flag: "--rules", attributes: ["rules"], path: "file", notFor: ["audit"], runConfigPath: "rulesFile" },
  // probe's --from/--to are its own probe window, not the run's range.
  { key: "range.from", flag: "--from", attributes: ["from"], notFor: ["probe"], runConfigPath: "from" },
  { key: "range.to", flag: "--to", attributes: ["to"], notFor: ["probe"], runConfigPath: "to" },
  { key: "period", flag: "--period", attributes: ["period"], runConfigPath: "period" },
  { key: "timeZone", flag: "--time-zone", attributes: ["timeZone"], runConfigPath: "timeZone" },
  { key: "concurrency", flag: "--concurrency", attributes: ["concurrency"], runConfigPath: "concurrency" },
  { key: "users", flag: "--users", attributes: ["users"], runConfigPath: "users" },
];

/** The setting a commander option attribute takes in command `command`, if any. */
export function settingForAttribute(attribute: string, command: string): ConfigSetting | undefined {
  return CONFIG_SETTINGS.find((s) => s.attributes.includes(attribute) && !s.notFor?.includes(command));
}

/** An environment variable counts as given when it is set and not empty. */
export function envValue(env: NodeJS.ProcessEnv, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const value = env[name];
  return value === "" ? undefined : value;
}

/** One value the config file sets, with where it is written. */
export interface ConfigFileValue {
  /** Dotted key (`kleer.url`). */
  key: string;
  /** The value as written, except that relative paths are resolved against the file's folder. */
  value: unknown;
  /** The profile that set it; absent for the top level. */
  profile?: string | undefined;
  /** `file:line:column` of the value. */
  where: string;
}

/** How a value from the file is named in messages: `kleer.url (toki-parity.config.json:3:12, profile sandbox)`. */
export function describeFileValue(value: ConfigFileValue): string {
  return `${value.key} (${value.where}${value.profile !== undefined ? `, profile ${value.profile}` : ""})`;
}

