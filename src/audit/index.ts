export { auditText, auditTokiCheckout, compareFindings, type AuditContext, type AuditFinding, type AuditOptions, type AuditResult } from "./audit-scan.js";
export { compileAuditRules, loadAuditRules, DEFAULT_AUDIT_RULES_FILE, type AuditRule, type AuditRuleSet } from "./audit-rules.js";
export { AUDIT_CATEGORIES, AUDIT_SEVERITIES, type AuditCategory, type AuditSeverity, type AuditRulesFileInput } from "./audit-rules-schema.js";
export { formatAuditJson, formatAuditMarkdown, isBlockingFinding, type AuditFailOn, type AuditFormat } from "./audit-format.js";
export { runAudit, type AuditRunOptions } from "./audit-run.js";
export { DEFAULT_AUDIT_IGNORED_DIRS, DEFAULT_AUDIT_MAX_FILE_BYTES, type AuditSkippedFile, type AuditSkipReason } from "./audit-walk.js";
