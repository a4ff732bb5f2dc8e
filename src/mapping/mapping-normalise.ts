/**
 * Keys the suggestion engine compares. Each function states exactly what it folds so that a
 * reviewer can predict a match: nothing else is folded (in particular å/ä/ö stay distinct
 * from a/o — "Övrigt" never matches "Ovrigt").
 */

/** Toki's own rule for emails: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Compatibility-normalised (NFKC), lower-cased, every run of non-letters/digits → one space, trimmed. */
export function normaliseName(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** Like a name, but punctuation and whitespace are removed entirely: "P-1042", "p 1042" → "p1042". */
export function normaliseProjectNumber(code: string): string {
  return code.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * Deterministic order for ids: numeric strings by value (18-digit Milltime ids exceed
 * Number precision, so by length then digits), everything else by code point.
 */
export function compareIds(a: string | number, b: string | number): number {
  const x = String(a);
  const y = String(b);
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
    const xs = x.replace(/^0+(?=\d)/, "");
    const ys = y.replace(/^0+(?=\d)/, "");
    if (xs.length !== ys.length) return xs.length - ys.length;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}
