import { runAudit } from "../../audit/index.js";
import type { AuditFlags } from "../commands/audit.js";

/** The `audit` action, loaded only when the command runs. */
export async function runAuditCommand(path: string, flags: AuditFlags): Promise<void> {
  await runAudit({
    root: path,
    format: flags.format,
    out: flags.out,
    rulesFile: flags.rules,
    maxFileBytes: flags.maxFileBytes,
    extraIgnoredDirs: flags.ignoreDir,
    failOn: flags.failOn,
    stdout: process.stdout,
  });
}
