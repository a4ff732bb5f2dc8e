/**
 * Secrets registered here are replaced by `[redacted]` wherever the toolkit builds a message,
 * an excerpt or an export from text that came back from a provider or a user's file.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  /**
   * Every secret by a hash of its first four code units (each bucket longest first, so a secret
   * inside a longer one cannot leave a piece of it); rebuilt after `add`. A text is scanned once,
   * one table look-up per position, however many secrets are registered: a run registers a
   * session id and a CSRF token per user, and every report write is redacted.
   */
  private index: SecretIndex | null | undefined;

  /**
   * Registers a secret (ignores values too short to redact without mangling text), together with
   * the forms a server may echo it in: JSON-escaped, URL-encoded and HTML-escaped.
   */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    for (const form of echoedForms(secret)) this.secrets.add(form);
    this.index = undefined;
  }

  redact(text: string): string {
    if (this.index === undefined) this.index = indexSecrets(this.secrets);
    const index = this.index;
    if (index === null || text.length < MIN_SECRET_LENGTH) return text;
    let out = "";
    let copied = 0;
    let spanStart = -1;
    let spanEnd = -1;
    // Every position where a secret starts counts, even inside or across another secret's
    // occurrence; overlapping occurrences merge into one redacted span, so a shorter secret that
    // starts first cannot leave the tail of a longer one in the text.
    const last = text.length - MIN_SECRET_LENGTH;
    const { heads, buckets } = index;
    for (let start = 0; start <= last; start++) {
      if (heads[headHash(text, start)] === 0) continue;
      const bucket = buckets.get(prefixHash(text, start));
      if (bucket === undefined) continue;
      let end = -1;
      for (const secret of bucket) {
        if (text.startsWith(secret, start)) {
          end = start + secret.length;
          break;
        }
      }
      if (end < 0) continue;
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

/** Secrets shorter than this are not registered; it is also the hashed prefix's length. */
const MIN_SECRET_LENGTH = 4;

/** The registered secrets: which two leading code units occur at all, and the secrets by their first four. */
interface SecretIndex {
  /** 1 where some secret's first two code units hash to the slot: most positions of a text stop here. */
  heads: Uint8Array;
  /** Secrets by a hash of their first four code units, each bucket longest first. */
  buckets: Map<number, string[]>;
}

const HEAD_SLOTS = 1 << 16;

function headHash(text: string, at: number): number {
  return (text.charCodeAt(at) * 31 + text.charCodeAt(at + 1)) & (HEAD_SLOTS - 1);
}

/** A hash of the four UTF-16 code units at `at`, kept a small integer (collisions are resolved by comparing the secret). */
function prefixHash(text: string, at: number): number {
  let hash = text.charCodeAt(at);
  for (let i = 1; i < MIN_SECRET_LENGTH; i++) hash = (Math.imul(hash, 65_599) + text.charCodeAt(at + i)) & 0x3fffffff;
  return hash;
}

function indexSecrets(secrets: ReadonlySet<string>): SecretIndex | null {
  if (secrets.size === 0) return null;
  const heads = new Uint8Array(HEAD_SLOTS);
  const buckets = new Map<number, string[]>();
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    heads[headHash(secret, 0)] = 1;
    const key = prefixHash(secret, 0);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(secret);
    else buckets.set(key, [secret]);
  }
  return { heads, buckets };
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
  return new Set(forms.filter((form) => form.length >= MIN_SECRET_LENGTH));
}

/** Process-wide redactor fed by every credentials loader; used by the CLI's error printer too. */
export const globalRedactor = new SecretRedactor();

const BODY_EXCERPT_LIMIT = 256;

/** A body excerpt safe to put into an error: redacted, whitespace folded, at most 256 chars. */
export function excerptBody(body: string, redactor: SecretRedactor = globalRedactor): string {
  const folded = redactor.redact(body).replace(/[\r\n\t]+/g, " ").trim();
  return folded.length > BODY_EXCERPT_LIMIT ? `${folded.slice(0, BODY_EXCERPT_LIMIT - 1)}…` : folded;
}
