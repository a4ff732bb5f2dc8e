import { z } from "zod";

/** What a finding is about; fixed order used by reports. */
export const AUDIT_CATEGORIES = ["ui-copy", "auth", "config", "code", "docs"] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

/** Most severe first. `info` never blocks. */
export const AUDIT_SEVERITIES = ["error", "warning", "info"] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

const ruleId = z
  .string()
  .regex(/^[a-z0-9]+(?:[-/][a-z0-9]+)*$/, "expected lower-case words joined by '-' or '/', e.g. config/milltime-env");

/** A glob, or `@name` naming one of the file's `fileSets`. */
const globOrSetRef = z.string().min(1, "empty glob");

export const auditRuleSchema = z
  .object({
    id: ruleId.describe("Stable rule id reported with each finding."),
    category: z.enum(AUDIT_CATEGORIES).describe("What the finding is about."),
    severity: z.enum(AUDIT_SEVERITIES).describe("Severity of a match in code; docs, comments and migrations are reported as info."),
    description: z.string().min(1).describe("One line telling the reader what the rule finds and why it matters."),
    files: z.array(globOrSetRef).min(1).describe("Globs (or @fileSet names) of the files the rule applies to, relative to the audited root."),
    exclude: z.array(globOrSetRef).default([]).describe("Globs (or @fileSet names) of files the rule skips even when `files` matches."),
    pattern: z.string().min(1).describe("JavaScript regular expression matched against each line."),
    flags: z
      .string()
      .regex(/^(?!.*(.).*\1)[imsu]*$/, "expected distinct flags among i, m, s, u")
      .default("")
      .describe("Regular expression flags; `g` is implied."),
    catchAll: z
      .boolean()
      .default(false)
      .describe("Report a line only when no regular (non-catch-all) rule reported that line."),
  })
  .strict();

export const auditRulesFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).describe("Rules file format version."),
    fileSets: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, "expected a lower-case set name"), z.array(z.string().min(1)).min(1))
      .default({})
      .describe("Named glob lists that rules refer to as @name."),
    infoPaths: z
      .object({
        docs: z.array(globOrSetRef).default([]).describe("Documentation files: every finding in them is info."),
        history: z.array(globOrSetRef).default([]).describe("Applied history such as database migrations: every finding in them is info."),
      })
      .strict()
      .default({ docs: [], history: [] })
      .describe("Paths whose findings are downgraded to info whatever the rule's severity."),
    rules: z.array(auditRuleSchema).min(1).describe("The rules, applied in this order."),
  })
  .strict();

export type AuditRuleInput = z.input<typeof auditRuleSchema>;
export type AuditRuleDefinition = z.infer<typeof auditRuleSchema>;
export type AuditRulesFile = z.infer<typeof auditRulesFileSchema>;
export type AuditRulesFileInput = z.input<typeof auditRulesFileSchema>;
