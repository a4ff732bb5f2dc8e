import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../domain/errors.js";
import { parseJsonFileText } from "../config/json-file.js";
import { compileGlob, type GlobMatcher } from "./audit-glob.js";
import {
  auditRulesFileSchema,
  type AuditCategory,
  type AuditRuleDefinition,
  type AuditRulesFile,
  type AuditSeverity,
} from "./audit-rules-schema.js";

/**
 * The rules shipped with the package. `src/audit` and `dist/audit` sit at the same depth under
 * the package root and `fixtures/` is in the package's `files`, so one relative URL serves both.
 */
export const DEFAULT_AUDIT_RULES_FILE: string = fileURLToPath(new URL("../../fixtures/audit/milltime-rules.json", import.meta.url));

/** One rule ready to run. */
export interface AuditRule {
  id: string;
  category: AuditCategory;
  severity: AuditSeverity;
  description: string;
  catchAll: boolean;
  /** The rule's pattern with `g` added; reset `lastIndex` before use. */
  regex: RegExp;
  /** Whether the rule applies to a root-relative POSIX path (its `files` minus its `exclude`). */
  appliesTo: GlobMatcher;
}

/** A validated rules file: the rules in file order and the paths whose findings are info. */
export interface AuditRuleSet {
  /** Where the rules came from (a file path, or a label for in-memory rules). */
  source: string;
  rules: AuditRule[];
  isDocsPath: GlobMatcher;
  isHistoryPath: GlobMatcher;
}

/** Reads, validates and compiles a rules file (the shipped one by default); bad input is a `ConfigError`. */
export async function loadAuditRules(file: string = DEFAULT_AUDIT_RULES_FILE): Promise<AuditRuleSet> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "not readable";
    throw new ConfigError(`rules file ${file} is ${reason}`, [], { cause: error });
  }
  const json = parseJsonFileText(text, file, `rules file ${file} is not valid JSON`);
  return compileAuditRules(json, file);
}

/** Validates and compiles rules already parsed from JSON; `source` names them in error messages. */
export function compileAuditRules(input: unknown, source: string): AuditRuleSet {
  const parsed = auditRulesFileSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new ConfigError(`rules file ${source} is invalid`, issues);
  }
  const file = parsed.data;
  const issues: string[] = [];
  const seen = new Set<string>();
  const rules: AuditRule[] = [];
  file.rules.forEach((definition, index) => {
    const where = `rules[${index}]`;
    if (seen.has(definition.id)) issues.push(`${where}.id: duplicate rule id "${definition.id}"`);
    seen.add(definition.id);
    const rule = compileRule(definition, file, where, issues);
    if (rule) rules.push(rule);
  });
  const isDocsPath = compileGlobList(file.infoPaths.docs, file, "infoPaths.docs", issues);
  const isHistoryPath = compileGlobList(file.infoPaths.history, file, "infoPaths.history", issues);
  if (issues.length > 0) throw new ConfigError(`rules file ${source} is invalid`, issues);
  return { source, rules, isDocsPath, isHistoryPath };
}

function compileRule(definition: AuditRuleDefinition, file: AuditRulesFile, where: string, issues: string[]): AuditRule | undefined {
  let regex: RegExp | undefined;
  try {
    regex = new RegExp(definition.pattern, `${definition.flags}g`);
  } catch (error) {
    issues.push(`${where}.pattern: invalid regular expression (${(error as Error).message})`);
  }
  if (regex && regex.test("")) issues.push(`${where}.pattern: matches the empty string, so it would match every line`);
  const include = compileGlobList(definition.files, file, `${where}.files`, issues);
  const exclude = compileGlobList(definition.exclude, file, `${where}.exclude`, issues);
  if (!regex) return undefined;
  return {
    id: definition.id,
    category: definition.category,
    severity: definition.severity,
    description: definition.description,
    catchAll: definition.catchAll,
    regex,
    appliesTo: (path) => include(path) && !exclude(path),
  };
}

function compileGlobList(globs: readonly string[], file: AuditRulesFile, where: string, issues: string[]): GlobMatcher {
  const matchers: GlobMatcher[] = [];
  globs.forEach((entry, index) => {
    const expanded = entry.startsWith("@") ? file.fileSets[entry.slice(1)] : [entry];
    if (!expanded) {
      issues.push(`${where}[${index}]: unknown file set "${entry}"`);
      return;
    }
    for (const glob of expanded) {
      try {
        matchers.push(compileGlob(glob));
      } catch (error) {
        issues.push(`${where}[${index}]: ${(error as Error).message}`);
      }
    }
  });
  return (path) => matchers.some((match) => match(path));
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out || "(root)";
}
