import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CommandExit, ExitCode } from "../cli/exit-codes.js";
import { formatAuditJson, formatAuditMarkdown, isBlockingFinding, type AuditFailOn, type AuditFormat } from "./audit-format.js";
import { loadAuditRules } from "./audit-rules.js";
import { auditTokiCheckout, type AuditResult } from "./audit-scan.js";
import { DEFAULT_AUDIT_IGNORED_DIRS } from "./audit-walk.js";

/** What `toki-parity audit PATH` does, as options. */
export interface AuditRunOptions {
  /** The Toki checkout to scan. */
  root: string;
  /** Report format. @default "md" */
  format?: AuditFormat | undefined;
  /** Write the report to this file instead of `stdout`. */
  out?: string | undefined;
  /** Rules file. @default the shipped fixtures/audit/milltime-rules.json */
  rulesFile?: string | undefined;
  /** Files larger than this are skipped. @default 1048576 */
  maxFileBytes?: number | undefined;
  /** Folder names skipped in addition to node_modules, target, dist and .git. @default [] */
  extraIgnoredDirs?: readonly string[] | undefined;
  /** Lowest blocking severity. @default "error" */
  failOn?: AuditFailOn | undefined;
  /** Where the report (or, with `out`, a one-line note) is written. */
  stdout: { write(text: string): unknown };
}

/**
 * Runs the audit, writes the report and throws `CommandExit(GateFailed)` with a one-line
 * reason when blocking findings remain. A bad root or rules file surfaces as a `USAGE` or
 * `CONFIG` error (exit code 2).
 */
export async function runAudit(options: AuditRunOptions): Promise<AuditResult> {
  const rules = await loadAuditRules(options.rulesFile);
  const result = await auditTokiCheckout({
    root: options.root,
    rules,
    maxFileBytes: options.maxFileBytes,
    ignoredDirs: [...DEFAULT_AUDIT_IGNORED_DIRS, ...(options.extraIgnoredDirs ?? [])],
  });
  const failOn = options.failOn ?? "error";
  const report = options.format === "json" ? formatAuditJson(result) : formatAuditMarkdown(result, failOn);
  if (options.out) {
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, report, "utf8");
    options.stdout.write(`audit: ${result.findings.length} findings written to ${options.out}\n`);
  } else {
    options.stdout.write(report);
  }
  const blocking = result.findings.filter((finding) => isBlockingFinding(finding, failOn));
  if (blocking.length > 0) {
    const files = new Set(blocking.map((finding) => finding.file)).size;
    const first = blocking[0]!;
    throw new CommandExit(
      ExitCode.GateFailed,
      `audit failed: ${blocking.length} blocking Milltime remnant(s) in ${files} file(s), first at ${first.file}:${first.line} (${first.rule})`,
    );
  }
  return result;
}
