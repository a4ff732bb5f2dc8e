import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { TokiError } from "../domain/errors.js";
import { findCommentSpans, isInComment, type CommentSpan } from "./audit-comments.js";
import { excerptAuditLine } from "./audit-excerpt.js";
import { loadAuditRules, type AuditRule, type AuditRuleSet } from "./audit-rules.js";
import type { AuditCategory, AuditSeverity } from "./audit-rules-schema.js";
import {
  compareText,
  DEFAULT_AUDIT_IGNORED_DIRS,
  DEFAULT_AUDIT_MAX_FILE_BYTES,
  listAuditFiles,
  readAuditFile,
  type AuditSkippedFile,
} from "./audit-walk.js";

/**
 * Where a match sits. Anything but `code` is reported as `info`: documentation, applied
 * history (migrations) and comments describe the past; they are not behaviour to remove.
 */
export type AuditContext = "code" | "comment" | "docs" | "history";

/** One Milltime remnant: a rule matching one line of one file. */
export interface AuditFinding {
  rule: string;
  category: AuditCategory;
  severity: AuditSeverity;
  /** Relative to the audited root, POSIX separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** The line trimmed, secrets redacted, at most ~200 characters. */
  text: string;
  context: AuditContext;
}

export interface AuditOptions {
  /** The Toki checkout to scan. */
  root: string;
  /** Compiled rules; the rules shipped with the package when absent. */
  rules?: AuditRuleSet | undefined;
  /** Files larger than this are skipped. @default 1048576 (1 MiB) */
  maxFileBytes?: number | undefined;
  /** Folder names never entered. @default ["node_modules", "target", "dist", ".git"] */
  ignoredDirs?: readonly string[] | undefined;
}

export interface AuditResult {
  /** Sorted by file, line, rule. */
  findings: AuditFinding[];
  /** Files read and matched against at least one rule. */
  filesScanned: number;
  /** Files a rule applied to but that were not read, and folders that could not be listed; sorted. */
  skipped: AuditSkippedFile[];
}

/**
 * Scans a Toki checkout for Milltime remnants. Throws a `USAGE` error when `root` is not a
 * readable folder and a `ConfigError` when the default rules file is unusable.
 */
export async function auditTokiCheckout(options: AuditOptions): Promise<AuditResult> {
  const root = resolve(options.root);
  await assertDirectory(root, options.root);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_AUDIT_MAX_FILE_BYTES;
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes <= 0) {
    throw new TokiError("USAGE", `the file size limit must be a positive whole number of bytes, got ${maxFileBytes}`);
  }
  const ruleSet = options.rules ?? (await loadAuditRules());
  const ignoredDirs = new Set(options.ignoredDirs ?? DEFAULT_AUDIT_IGNORED_DIRS);
  const listing = await listAuditFiles(root, {
    ignoredDirs,
    wanted: (file) => ruleSet.rules.some((rule) => rule.appliesTo(file)),
  }).catch((error: unknown) => {
    throw new TokiError("USAGE", `cannot audit ${options.root}: the folder is not readable`, { cause: error });
  });

  const findings: AuditFinding[] = [];
  const skipped: AuditSkippedFile[] = [...listing.skipped];
  let filesScanned = 0;
  for (const file of listing.files) {
    const read = await readAuditFile(join(root, ...file.split("/")), maxFileBytes);
    if (read.kind === "skipped") {
      skipped.push({ file, reason: read.reason });
      continue;
    }
    filesScanned += 1;
    for (const finding of auditText(file, read.text, ruleSet)) findings.push(finding);
  }
  findings.sort(compareFindings);
  skipped.sort((a, b) => compareText(a.file, b.file));
  return { findings, filesScanned, skipped };
}

/** Orders findings by file, then line, then rule id. */
export function compareFindings(a: AuditFinding, b: AuditFinding): number {
  return compareText(a.file, b.file) || a.line - b.line || compareText(a.rule, b.rule);
}

interface Occurrence {
  match: string;
  inComment: boolean;
}

/**
 * Audits one file's text: the rules applying to `file` (a root-relative POSIX path) are matched
 * against each line; findings come in line order.
 */
export function auditText(file: string, text: string, ruleSet: AuditRuleSet): AuditFinding[] {
  const rules = ruleSet.rules.filter((rule) => rule.appliesTo(file));
  const fileContext = ruleSet.isHistoryPath(file) ? "history" : ruleSet.isDocsPath(file) ? "docs" : undefined;
  return rules.length === 0 ? [] : scanLines(file, text, rules, fileContext);
}

function scanLines(file: string, text: string, rules: readonly AuditRule[], fileContext: "docs" | "history" | undefined): AuditFinding[] {
  const findings: AuditFinding[] = [];
  let spans: CommentSpan[] | undefined;
  const commentSpans = (): CommentSpan[] => (spans ??= fileContext ? [] : findCommentSpans(file, text));
  const regular = rules.filter((rule) => !rule.catchAll);
  const catchAll = rules.filter((rule) => rule.catchAll);

  let offset = 0;
  const lines = text.split("\n");
  lines.forEach((rawLine, index) => {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    let reported = false;
    for (const pass of [regular, catchAll]) {
      if (pass === catchAll && reported) break;
      for (const rule of pass) {
        const occurrences = matchLine(rule.regex, line, lineStart, commentSpans);
        if (occurrences.length === 0) continue;
        reported = true;
        const inCode = occurrences.find((o) => !o.inComment);
        const shown = inCode ?? occurrences[0]!;
        const context: AuditContext = fileContext ?? (inCode ? "code" : "comment");
        findings.push({
          rule: rule.id,
          category: rule.category,
          severity: context === "code" ? rule.severity : "info",
          file,
          line: index + 1,
          text: excerptAuditLine(line, shown.match),
          context,
        });
      }
    }
  });
  return findings;
}

function matchLine(regex: RegExp, line: string, lineStart: number, commentSpans: () => CommentSpan[]): Occurrence[] {
  const occurrences: Occurrence[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(line); m !== null; m = regex.exec(line)) {
    if (m[0].length === 0) {
      regex.lastIndex += 1;
      continue;
    }
    occurrences.push({ match: m[0], inComment: isInComment(commentSpans(), lineStart + m.index) });
  }
  return occurrences;
}

async function assertDirectory(root: string, given: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch (error) {
    throw new TokiError("USAGE", `cannot audit ${given}: no such folder`, { cause: error });
  }
  if (!isDirectory) throw new TokiError("USAGE", `cannot audit ${given}: not a folder`);
}
