import { ConfigError } from "../domain/errors.js";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";

const MASK = "***";

/** True for the specs that name a PostgreSQL database rather than a file. */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(spec.trim());
}

function maskLoosely(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, `$1${MASK}@`).replace(/([?&]password=)[^&]*/i, `$1${MASK}`);
}

/**
 * The URL with its password (user-info part or `password=` query parameter) replaced by `***`.
 * Works on text that is not a valid URL too, so error messages can show what was given.
 */
export function maskPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskLoosely(url);
  }
  if (parsed.password) parsed.password = MASK;
  if (parsed.searchParams.has("password")) parsed.searchParams.set("password", MASK);
  return parsed.toString().replace(encodeURIComponent(MASK), MASK);
}

/**
 * Validates a `postgres://` / `postgresql://` URL, registers its password with the redactor
 * (raw and percent-decoded) and returns the masked form for display.
 */
export function registerPostgresUrl(url: string, redactor: SecretRedactor = globalRedactor): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ConfigError(`not a valid PostgreSQL URL: ${maskLoosely(url)}`, ["history: expected postgres://user[:password]@host[:port]/database"], { cause: error });
  }
  if (!isPostgresUrl(url)) {
    throw new ConfigError(`not a PostgreSQL URL: ${maskPostgresUrl(url)}`, ["history: expected a postgres:// or postgresql:// URL"]);
  }
  const passwords = [parsed.password, parsed.searchParams.get("password") ?? ""].filter((p) => p !== "");
  for (const password of passwords) {
    redactor.add(password);
    try {
      redactor.add(decodeURIComponent(password));
    } catch {
      // A malformed percent-escape: the raw form is registered already.
    }
  }
  return maskPostgresUrl(url);
}
