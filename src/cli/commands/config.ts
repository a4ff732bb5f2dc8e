import { Command } from "commander";
import { addRunFlags, type RunFlagValues } from "../run-flag-definitions.js";

export type ConfigShowFlags = RunFlagValues & { json?: boolean };

/** `toki-parity config show [--json] [run flags]`: the effective configuration, each value's origin, secrets masked. */
export function defineConfigCommand(): Command {
  const show = addRunFlags(
    new Command("show").description(
      "Print the effective configuration a command gets from flags, environment, the config file (and --profile) and defaults, with each value's origin; secrets are masked.",
    ),
    { range: false },
  )
    .option("--from <date>", "first day of the range (YYYY-MM-DD)")
    .option("--to <date>", "last day of the range (YYYY-MM-DD)")
    .option("--json", "print {file, profile, settings: [{key, value, origin, originText, profile, where, secret}]}")
    .exitOverride()
    .action(async (flags: ConfigShowFlags, command: Command) => {
      const { runConfigShowCommand } = await import("../actions/config.js");
      runConfigShowCommand(flags, command);
    });
  return new Command("config").description("The config file toki-parity.config.json (see also `toki-parity init`).").addCommand(show);
}

export interface InitFlags {
  force?: boolean;
  kleerUrl?: string;
  kleerCompany?: string;
  kleerTokenFile?: string;
  milltimeUrl?: string;
  milltimeCredentials?: string;
  milltimeSnapshot?: string;
  instanceId?: string;
  mapping?: string;
  history?: string;
  report?: string;
  rules?: string;
  from?: string;
  to?: string;
  timeZone?: string;
}

/** `toki-parity init [flags]`: writes a commented starter config file from the locations `map suggest` reads. */
export function defineInitCommand(): Command {
  return new Command("init")
    .description(
      "Write a commented starter toki-parity.config.json (or the --config file) from the Kleer, Milltime, mapping and history locations given as flags; never overwrites without --force. Secrets stay out of it.",
    )
    .option("--kleer-url <url>", "Kleer API base URL")
    .option("--kleer-company <id>", "Kleer company id")
    .option("--kleer-token-file <file>", "a file holding only the Kleer token (the token itself never goes into the config)")
    .option("--milltime-url <url>", "Milltime CGI entry point")
    .option("--milltime-credentials <file>", "per-user Milltime credentials file")
    .option("--milltime-snapshot <dir>", "offline Milltime snapshot directory")
    .option("--instance-id <id>", "Milltime instance id sent at login")
    .option("--mapping <file>", "Milltime→Kleer id mapping file")
    .option("--history <source>", "timer history: postgres:// URL (no password) or a CSV/JSON export")
    .option("--report <file>", "SQLite report file")
    .option("--rules <file>", "rules file")
    .option("--from <date>", "first day of the range")
    .option("--to <date>", "last day of the range")
    .option("--time-zone <zone>", "zone of the local registration day")
    .option("--force", "overwrite an existing file")
    .exitOverride()
    .action(async (flags: InitFlags, command: Command) => {
      const { runInitCommand } = await import("../actions/config.js");
      await runInitCommand(flags, command);
    });
}
