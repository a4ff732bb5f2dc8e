/**
 * Secrets registered here are replaced by `[redacted]` wherever the toolkit builds a message,
 * an excerpt or an export from text that came back from a provider or a user's file.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  /**
   * One pattern of every secret, longest first (so a secret inside a longer one cannot leave a
   * piece of it); rebuilt after `add`. One pass per text instead of one per secret: a run
   * registers a session id and a CSRF token per user, and every report write is redacted.
   */
  private pattern: RegExp | null | undefined;

  /**
   * Registers a secret (ignores values too short to redact without mangling text), together with
   * the forms a server may echo it in: JSON-escaped, URL-encoded and HTML-escaped.
   */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 4) return;
    for (const form of echoedForms(secret)) this.secrets.add(form);
    this.pattern = undefined;
  }

  redact(text: string): string {
    if (this.pattern === undefined) {
      const ordered = [...this.secrets].sort((a, b) => b.length - a.length);
      // A lookahead finds every position where a secret starts, even inside or across another
      // secret's occurrence; overlapping occurrences merge into one redacted span, so a shorter
      // secret that starts first cannot leave the tail of a longer one in the text.
      this.pattern = ordered.length === 0 ? null : new RegExp(`(?=(${ordered.map(escapeRegExp).join("|")}))`, "g");
    }
    if (this.pattern === null) return text;
    let out = "";
    let copied = 0;
    let spanStart = -1;
    let spanEnd = -1;
    for (const match of text.matchAll(this.pattern)) {
      const start = match.index;
      const end = start + (match[1]?.length ?? 0);
      if (spanStart >= 0 && start < spanEnd) {
        spanEnd = Math.max(spanEnd, end);
        continue;
      }
      if (spanStart >= 0) {
        out += `${text.slice(copied, spanStart)}[redacted]`;
        copied = spanEnd;
      }
      spanStart = start;
      spanEnd = end;
    }
    if (spanStart < 0) return text;
    return `${out}${text.slice(copied, spanStart)}[redacted]${text.slice(spanEnd)}`;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A secret as written, and as a JSON string (`\u00f6` or `\u00F6` for non-ASCII too), a URL or form value, or HTML text shows it. */
function echoedForms(secret: string): Set<string> {
  const json = JSON.stringify(secret).slice(1, -1);
  const unicode = (upper: boolean) =>
    json.replace(/[\u0080-\uffff]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  let uri = secret;
  try {
    uri = encodeURIComponent(secret);
  } catch {
    // A lone surrogate has no URL form; the other forms still apply.
  }
  const forms = [secret, json, unicode(false), unicode(true), uri, uri.replace(/%20/g, "+"), secret.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c)];
  return new Set(forms.filter((form) => form.length >= 4));
}

/** Process-wide redactor fed by every credentials loader; used by the CLI's error printer too. */
export const globalRedactor = new SecretRedactor();

const BODY_EXCERPT_LIMIT = 256;

/** A body excerpt safe to put into an error: redacted, whitespace folded, at most 256 chars. */
export function excerptBody(body: string, redactor: SecretRedactor = globalRedactor): string {
  const folded = redactor.redact(body).replace(/[\r\n\t]+/g, " ").trim();
  return folded.length > BODY_EXCERPT_LIMIT ? `${folded.slice(0, BODY_EXCERPT_LIMIT - 1)}…` : folded;
}
