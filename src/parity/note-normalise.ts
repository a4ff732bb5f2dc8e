import { diffChars } from "diff";

/**
 * The comment Toki writes to Kleer when a note is empty or whitespace (Kleer requires one).
 * A legacy note that literally read "missing note" is indistinguishable from it.
 */
export const KLEER_MISSING_NOTE = "missing note";

/**
 * Legacy note as compared: trimmed (Milltime null was already turned into ""); a legacy note
 * reading exactly `missing note` became that same placeholder in Kleer, so it counts as empty too.
 */
export function normaliseLegacyNote(note: string | null): string {
  const trimmed = (note ?? "").trim();
  return trimmed === KLEER_MISSING_NOTE ? "" : trimmed;
}

/** Kleer note as compared: trimmed; null and the `missing note` placeholder become "". */
export function normaliseKleerNote(note: string | null): string {
  const trimmed = (note ?? "").trim();
  return trimmed === KLEER_MISSING_NOTE ? "" : trimmed;
}

/**
 * Similarity of two normalised notes in [0, 1]: 2 × common characters ÷ total length, from a
 * character diff (1 for equal notes, 0 when exactly one is empty).
 */
export function noteSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  // Stryker disable next-line all: a shortcut only; with one note empty the diff has no common part and the formula gives 0 too.
  if (a === "" || b === "") return 0;
  let common = 0;
  for (const change of diffChars(a.toLowerCase(), b.toLowerCase())) {
    if (!change.added && !change.removed) common += change.value.length;
  }
  return (2 * common) / (a.length + b.length);
}
