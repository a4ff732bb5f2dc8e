import { Command, InvalidArgumentError, Option } from "commander";
import { isIsoDate } from "../../domain/iso-date.js";
import { addHiddenAlias } from "../flag-aliases.js";
import { DEFAULT_MILLTIME_INSTANCE_ID, MILLTIME_EXPORT_CONCURRENCY } from "../../milltime/milltime-defaults.js";

function isoDate(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError("expected a real date in YYYY-MM-DD form");
  return value;
}

function concurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 32) throw new InvalidArgumentError("must be an integer from 1 to 32");
  return n;
}

export interface MilltimeExportFlags {
  from: string;
  to: string;
  milltimeCredentials: string;
  out: string;
  milltimeUrl?: string;
  instanceId: string;
  concurrency: number;
}

/** `milltime`: the legacy side's commands; `milltime export` writes an offline snapshot. */
export function defineMilltimeCommand(): Command {
  const exportCommand = new Command("export")
    .description("Read every user's Milltime data for a range (read-only) and write the raw replies plus a checksummed manifest to a directory.")
    .requiredOption("--from <date>", "first day (YYYY-MM-DD)", isoDate)
    .requiredOption("--to <date>", "last day (YYYY-MM-DD)", isoDate)
    .requiredOption("--milltime-credentials <file>", "Milltime credentials JSON (one row per Toki user)")
    .requiredOption("--out <dir>", "snapshot directory (created; must be empty)")
    .addOption(new Option("--milltime-url <url>", "Milltime CGI entry point, e.g. https://tenant.milltime.se/cgi/mt.cgi").env("TOKI_MILLTIME__URL"))
    .addOption(new Option("--instance-id <id>", "Milltime instance id sent at login").env("TOKI_MILLTIME__INSTANCE_ID").default(DEFAULT_MILLTIME_INSTANCE_ID))
    .option("--concurrency <n>", "users exported at once", concurrency, MILLTIME_EXPORT_CONCURRENCY)
    .action(async (flags: MilltimeExportFlags) => {
      const { runMilltimeExportCommand } = await import("../actions/milltime-export.js");
      await runMilltimeExportCommand(flags);
    });
  // Every other command calls it --milltime-credentials; the old name keeps scripts working.
  addHiddenAlias(exportCommand, "--credentials <file>", "--milltime-credentials");
  return new Command("milltime").description("The legacy Milltime side (read-only).").addCommand(exportCommand);
}
