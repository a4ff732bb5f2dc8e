import { globalRedactor, type SecretRedactor } from "../http/redact.js";

/** Longest `text` a finding carries; longer lines are cut around the match. */
export const AUDIT_TEXT_LIMIT = 200;

const REDACTED = "[redacted]";

/** `KEY=value`, `key: value`, `"key": "value"` lines whose key names a secret. */
const SECRET_ASSIGNMENT =
  /^(\s*(?:export\s+)?["']?[A-Za-z_][\w.-]*?(?:secret|token|passw(?:or)?d|pwd|crypto[_-]?key|api[_-]?key|private[_-]?key|session(?:[_-]?id)?|cookie|credentials?)[\w.-]*["']?\s*[=:]\s*)(.+?)(\s+#.*)?$/i;
/** `name=value` inside a cookie header or query string for Milltime's session cookies. */
const COOKIE_VALUE = /\b((?:mt_(?:CSRFToken|milltimeinstanceid|milltimesessionid|user|password)|milltimesessionid|CSRFToken)=)([^;\s"'`&,]+)/g;
/** A JWT such as Milltime's `milltimesessionid`. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;

/**
 * Removes secret values from a source line before it goes into a report: assignments to
 * secret-named keys (`MT_CRYPTO_KEY=…`), Milltime cookie values, JWTs, credentials in URLs, and
 * anything registered with the redactor.
 */
export function redactAuditLine(line: string, redactor: SecretRedactor = globalRedactor): string {
  let out = redactor.redact(line);
  out = out.replace(JWT, REDACTED);
  out = out.replace(COOKIE_VALUE, (_all, name: string) => `${name}${REDACTED}`);
  out = out.replace(URL_CREDENTIALS, (_all, scheme: string) => `${scheme}${REDACTED}@`);
  const assignment = SECRET_ASSIGNMENT.exec(out);
  if (assignment && isLiteralValue(assignment[2]!)) out = `${assignment[1]!}${REDACTED}${assignment[3] ?? ""}`;
  return out;
}

/** A value that is data (`abc`, `"abc"`), not code such as `std::env::var("X")?` or a type. */
function isLiteralValue(value: string): boolean {
  const trimmed = value.trim().replace(/[,;]$/, "");
  if (trimmed === REDACTED || trimmed === "") return false;
  if (/^(?:string|String|&str|str|Option<.*>|boolean|number|null|undefined|None)$/.test(trimmed)) return false;
  return !/[()]/.test(trimmed);
}

/**
 * The finding's `text`: the line trimmed and redacted, cut to {@link AUDIT_TEXT_LIMIT} characters
 * around the match (marked with `…`) when it is longer.
 */
export function excerptAuditLine(line: string, match: string, redactor: SecretRedactor = globalRedactor): string {
  const text = redactAuditLine(line, redactor).trim();
  if (text.length <= AUDIT_TEXT_LIMIT) return text;
  const at = Math.max(0, text.indexOf(match));
  const budget = AUDIT_TEXT_LIMIT - 2;
  const start = Math.min(Math.max(0, at - Math.floor(budget / 3)), text.length - budget);
  const head = start > 0 ? "…" : "";
  const body = text.slice(start, start + budget + (start > 0 ? 0 : 1));
  const tail = start + body.length < text.length ? "…" : "";
  return `${head}${body}${tail}`;
}
