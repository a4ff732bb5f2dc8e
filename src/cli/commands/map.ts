import { Command } from "commander";
import type { MapFlagValues } from "../../map/index.js";

/** The source flags both subcommands take (defaults come from map-options). */
function addMapSourceFlags(command: Command): Command {
  return command
    .requiredOption("--from <date>", "first day of the range (YYYY-MM-DD, inclusive)")
    .requiredOption("--to <date>", "last day of the range (YYYY-MM-DD, inclusive)")
    .option("--kleer-url <url>", "Kleer API base URL (env TOKI_KLEER__BASE_URL; default production)")
    .option("--kleer-token <token>", "Kleer integration token (env TOKI_KLEER__TOKEN; prefer the env)")
    .option("--kleer-company <id>", "Kleer company id (env TOKI_KLEER__COMPANY_ID)")
    .option("--milltime-url <url>", "Milltime CGI entry point (env TOKI_MILLTIME__URL)")
    .option("--milltime-credentials <file>", "per-user Milltime credentials file (live reads)")
    .option("--milltime-snapshot <dir>", "offline Milltime snapshot written by `milltime export`")
    .option("--instance-id <id>", "Milltime instance id sent at login")
    .option("--history <source>", "timer history (postgres:// URL or CSV/JSON export): Toki users and emails")
    .option("--toki-users <file>", "JSON [{tokiUserId, email}] listing Toki's users (instead of --history)")
    .option("--users <ids>", "comma-separated Toki user ids whose Milltime accounts are read (default: all)")
    .option("--concurrency <n>", "Milltime accounts read at once", "4");
}

export function defineMapCommand(): Command {
  const map = new Command("map").description("Suggest and check the Milltime→Kleer id mapping file (read-only on both sides).");

  const suggest = addMapSourceFlags(
    new Command("suggest").description(
      "Match Toki users, Milltime projects and activities to Kleer by email, project number and name; merge into --mapping and write --out.",
    ),
  )
    .requiredOption("--out <file>", "where the merged mapping is written (an existing file only if it is --mapping, or with --force)")
    .option("--mapping <file>", "existing mapping: its entries are kept exactly as they are")
    .option("--min-confidence <x>", "write only suggestions at least this confident (0–1; 1 = identical, 0.9 = equal after normalising)", "0")
    .option("--force", "overwrite an existing --out")
    .exitOverride()
    .action(async (flags: MapFlagValues) => {
      const { runMapSuggestCommand } = await import("../actions/map.js");
      await runMapSuggestCommand(flags);
    });

  const check = addMapSourceFlags(
    new Command("check").description(
      "Report the users, projects and activities used in Milltime in the range that the mapping leaves unmapped or that Kleer would refuse. Exit 1 unless complete.",
    ),
  )
    .requiredOption("--mapping <file>", "the mapping file to check")
    .option("--json", "print the result as JSON")
    .exitOverride()
    .action(async (flags: MapFlagValues) => {
      const { runMapCheckCommand } = await import("../actions/map.js");
      await runMapCheckCommand(flags);
    });

  return map.addCommand(suggest).addCommand(check);
}
