/**
 * Secrets registered here are replaced by `[redacted]` wherever the toolkit builds a message,
 * an excerpt or an export from text that came back from a provider or a user's file.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret (ignores values too short to redact without mangling text). */
  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("[redacted]");
    return out;
  }
}

/** Process-wide redactor fed by every credentials loader; used by the CLI's error printer too. */
export const globalRedactor = new SecretRedactor();

const BODY_EXCERPT_LIMIT = 256;

/** A body excerpt safe to put into an error: redacted, whitespace folded, at most 256 chars. */
export function excerptBody(body: string, redactor: SecretRedactor = globalRedactor): string {
  const folded = redactor.redact(body).replace(/[\r\n\t]+/g, " ").trim();
  return folded.length > BODY_EXCERPT_LIMIT ? `${folded.slice(0, BODY_EXCERPT_LIMIT - 1)}…` : folded;
}
