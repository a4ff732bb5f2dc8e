import { AUDIT_CATEGORIES, AUDIT_SEVERITIES, type AuditSeverity } from "./audit-rules-schema.js";
import type { AuditFinding, AuditResult } from "./audit-scan.js";

export type AuditFormat = "json" | "md";
/** The lowest severity that blocks: `error` (default) or `warning`. `info` never blocks. */
export type AuditFailOn = Exclude<AuditSeverity, "info">;

/** Whether a finding fails the audit at the given threshold. */
export function isBlockingFinding(finding: AuditFinding, failOn: AuditFailOn = "error"): boolean {
  if (finding.severity === "info") return false;
  return failOn === "warning" || finding.severity === "error";
}

/** `{"findings":[{rule, category, severity, file, line, text}]}`, pretty-printed, newline-terminated. */
export function formatAuditJson(result: AuditResult): string {
  const findings = result.findings.map(({ rule, category, severity, file, line, text }) => ({ rule, category, severity, file, line, text }));
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}

/** A Markdown report: counts by category and severity, then the findings grouped by file. */
export function formatAuditMarkdown(result: AuditResult, failOn: AuditFailOn = "error"): string {
  const { findings } = result;
  const blocking = findings.filter((f) => isBlockingFinding(f, failOn)).length;
  const out: string[] = ["# Milltime remnants audit", ""];
  const skipped = result.skipped.length > 0 ? `, ${result.skipped.length} skipped (binary, too large or unreadable)` : "";
  out.push(`${result.filesScanned} files scanned${skipped}. ${verdict(findings.length, blocking, failOn)}`);
  if (findings.length > 0) {
    out.push("", ...summaryTable(findings), "", "## Findings");
    let currentFile: string | undefined;
    for (const finding of findings) {
      if (finding.file !== currentFile) {
        currentFile = finding.file;
        out.push("", `### ${inlineCode(finding.file)}`, "");
      }
      const severity = finding.context === "code" ? finding.severity : `${finding.severity} (${finding.context})`;
      out.push(`- ${inlineCode(`${finding.file}:${finding.line}`)} **${severity}** ${finding.category} ${inlineCode(finding.rule)}: ${inlineCode(finding.text)}`);
    }
  }
  if (result.skipped.length > 0) {
    out.push("", "## Skipped files", "");
    for (const s of result.skipped) out.push(`- ${inlineCode(s.file)}: ${s.reason}`);
  }
  return `${out.join("\n")}\n`;
}

function summaryTable(findings: readonly AuditFinding[]): string[] {
  const rows = ["## Summary", "", `| category | ${AUDIT_SEVERITIES.join(" | ")} | total |`, `|---|${AUDIT_SEVERITIES.map(() => "---:").join("|")}|---:|`];
  for (const category of AUDIT_CATEGORIES) {
    const inCategory = findings.filter((f) => f.category === category);
    const counts = AUDIT_SEVERITIES.map((severity) => inCategory.filter((f) => f.severity === severity).length);
    rows.push(`| ${category} | ${counts.join(" | ")} | ${inCategory.length} |`);
  }
  const totals = AUDIT_SEVERITIES.map((severity) => findings.filter((f) => f.severity === severity).length);
  rows.push(`| **total** | ${totals.join(" | ")} | ${findings.length} |`);
  return rows;
}

function verdict(total: number, blocking: number, failOn: AuditFailOn): string {
  if (total === 0) return "No Milltime remnants found.";
  const threshold = failOn === "error" ? "severity error" : "severity error or warning";
  return `${total} findings, ${blocking} blocking (${threshold}).`;
}

/** Markdown inline code that survives backticks in the text. */
function inlineCode(text: string): string {
  if (text === "") return "``";
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}
