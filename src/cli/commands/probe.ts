import { Command } from "commander";
import type { ProbeDeps } from "../../probe/index.js";

export interface ProbeFlags {
  kleerUrl?: string;
  kleerToken?: string;
  kleerCompany?: string;
  mapping?: string;
  report?: string;
  timeZone?: string;
  user?: string;
  from?: string;
  to?: string;
  lockedDate?: string;
  apply?: boolean;
  allowProduction?: boolean;
  takeOver?: string;
  json?: boolean;
}

/** What tests inject; the CLI uses the real clock and environment. */
export interface ProbeCommandDeps extends ProbeDeps {
  env?: NodeJS.ProcessEnv | undefined;
}

export function defineProbeCommand(deps: ProbeCommandDeps = {}): Command {
  return new Command("probe")
    .description(
      "Contract round trip through the Kleer adapter for one mapped user: list projects and activities, then with --apply create, read back, edit, delete an event and check that a locked day refuses writes. Everything it creates is deleted again.",
    )
    .option("--kleer-url <url>", "Kleer API base URL (env TOKI_KLEER__BASE_URL; default production)")
    .option("--kleer-token <token>", "Kleer integration token (env TOKI_KLEER__TOKEN; prefer the env)")
    .option("--kleer-company <id>", "Kleer company id (env TOKI_KLEER__COMPANY_ID)")
    .option("--mapping <file>", "Milltime→Kleer id mapping file (names the Kleer user)", "mapping.json")
    .option("--report <file>", "SQLite report file the probe run is recorded in", "reports/parity.sqlite")
    .option("--time-zone <zone>", "zone of 'today' and of the registration day", "Europe/Stockholm")
    .option("--user <tokiUserId>", "mapped Toki user to probe as (default: the first mapped user with a Kleer user)")
    .option("--from <date>", "first day of the probe window (default: 61 days before --to)")
    .option("--to <date>", "last day of the probe window (default: today in --time-zone)")
    .option("--locked-date <date>", "day to try the locked-day create on (default: the latest approved/certified day in the window)")
    .option("--apply", "run the write steps (create, edit, delete, locked-day create); without it only the read steps run")
    .option("--allow-production", "allow --apply against a production Kleer host (anything but loopback and test-api.kleer.se)")
    .option("--take-over <run>", "take the Kleer company's write lease over from RUN, a run whose process is known to be gone (needs --apply)")
    .option("--json", "print the result as JSON")
    .action(async (flags: ProbeFlags) => {
      const { runProbeCommand } = await import("../actions/probe.js");
      await runProbeCommand(flags, deps);
    });
}
