import { Option, type Command } from "commander";

// Flag definitions only: main.ts registers every command from these without loading zod or the
// run implementation (`runConfigFromFlags` in run-flags.ts turns the values into a RunConfig).

/** The flags every command that reads both providers takes (compare, replay, doctor, probe). */
export function addRunFlags(command: Command, options: { range?: boolean } = {}): Command {
  if (options.range !== false) {
    command
      .requiredOption("--from <date>", "first day of the range (YYYY-MM-DD, inclusive)")
      .requiredOption("--to <date>", "last day of the range (YYYY-MM-DD, inclusive)");
  }
  return command
    .option("--users <ids>", "comma-separated Toki user ids (default: every mapped user)")
    .addOption(new Option("--period <kind>", "TimeInfo period (default: the rules file's, else week)").choices(["week", "month"]))
    .option("--report <file>", "SQLite report file", "reports/parity.sqlite")
    .option("--rules <file>", "rules file: severities, tolerances, suppressions")
    .option("--mapping <file>", "Milltime→Kleer id mapping file", "mapping.json")
    .option("--kleer-url <url>", "Kleer API base URL (env TOKI_KLEER__BASE_URL; default production)")
    .option("--kleer-token <token>", "Kleer integration token (env TOKI_KLEER__TOKEN; prefer the env)")
    .option("--kleer-company <id>", "Kleer company id (env TOKI_KLEER__COMPANY_ID)")
    .option("--kleer-max-span-months <n>", "longest span one per-user Kleer read asks for, default 12 (a refused span is split in halves)")
    .option("--milltime-url <url>", "Milltime CGI entry point (env TOKI_MILLTIME__URL)")
    .option("--milltime-credentials <file>", "per-user Milltime credentials file (live reads)")
    .option("--milltime-snapshot <dir>", "offline Milltime snapshot written by `milltime export`")
    .option("--instance-id <id>", "Milltime instance id sent at login")
    .option("--history <source>", "timer history: postgres:// URL or a CSV/JSON export")
    .option("--time-zone <zone>", "zone of the local registration day", "Europe/Stockholm")
    .option("--concurrency <n>", "users whose Kleer and Milltime data are read at once", "4")
    .option("--shard <i/n>", "process only shard i of n (stable hash of the Toki user id)");
}

export interface RunFlagValues {
  from?: string;
  to?: string;
  users?: string;
  period?: string;
  report?: string;
  rules?: string;
  mapping?: string;
  kleerUrl?: string;
  kleerToken?: string;
  kleerCompany?: string;
  kleerMaxSpanMonths?: string;
  milltimeUrl?: string;
  milltimeCredentials?: string;
  milltimeSnapshot?: string;
  instanceId?: string;
  history?: string;
  timeZone?: string;
  concurrency?: string;
  shard?: string;
}
