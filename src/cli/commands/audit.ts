import { Command, InvalidArgumentError, Option } from "commander";
import type { AuditFailOn, AuditFormat } from "../../audit/index.js";
import { DEFAULT_AUDIT_MAX_FILE_BYTES } from "../../audit/audit-walk.js";

export interface AuditFlags {
  format: AuditFormat;
  out?: string;
  rules?: string;
  maxFileBytes: number;
  ignoreDir?: string[];
  failOn: AuditFailOn;
}

function parseByteCount(value: string): number {
  const bytes = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new InvalidArgumentError("expected a positive whole number of bytes");
  }
  return bytes;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `toki-parity audit PATH`: scans a Toki checkout for Milltime remnants. */
export function defineAuditCommand(): Command {
  return new Command("audit")
    .description("Scan a Toki checkout (Rust backend + React front end) for Milltime remnants; exit 1 when blocking ones remain.")
    .argument("<path>", "root of the Toki checkout")
    .addOption(new Option("--format <format>", "report format").choices(["md", "json"]).default("md"))
    .option("--out <file>", "write the report to this file instead of stdout")
    .option("--rules <file>", "rules file to use instead of the shipped one")
    .option("--max-file-bytes <n>", "skip files larger than this", parseByteCount, DEFAULT_AUDIT_MAX_FILE_BYTES)
    .option("--ignore-dir <name>", "also skip folders with this name (repeatable)", collect)
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the audit").choices(["error", "warning"]).default("error"))
    .exitOverride()
    .action(async (path: string, flags: AuditFlags) => {
      const { runAuditCommand } = await import("../actions/audit.js");
      await runAuditCommand(path, flags);
    });
}
