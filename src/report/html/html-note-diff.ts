import { diffWords } from "diff";
import { escapeHtml } from "./html-format.js";

/**
 * A word-level diff from the Milltime note to the Kleer note: removed words in `<del>`, added
 * words in `<ins>`, each with a screen-reader prefix (strike-through and underline carry the
 * meaning in print and without colour). All text is escaped.
 */
export function renderNoteDiff(legacyNote: string | null, kleerNote: string | null): string {
  const parts = diffWords(legacyNote ?? "", kleerNote ?? "").map((change) => {
    const text = escapeHtml(change.value);
    if (change.removed) return `<del><span class="sr-only">removed: </span>${text}</del>`;
    if (change.added) return `<ins><span class="sr-only">added: </span>${text}</ins>`;
    return `<span>${text}</span>`;
  });
  return `<span class="note-diff">${parts.join("")}</span>`;
}
