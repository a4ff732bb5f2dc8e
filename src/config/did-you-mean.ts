import { distance } from "fastest-levenshtein";

/**
 * The known name closest to `word`, if it is close enough to be what the user meant: a case slip
 * (`kleerUserID` for `kleerUserId`) always qualifies (letters are compared without case, so it is
 * no distance at all), otherwise at most a third of the word's letters may differ (so `url` does
 * not "mean" `users`). Of names equally close, the first.
 */
export function closestName(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(lower, name.toLowerCase());
    if (d <= limit && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** ` (did you mean "x"?)` when a known name is close to `word`, else an empty string. */
export function didYouMean(word: string, known: readonly string[]): string {
  const name = closestName(word, known);
  return name === undefined ? "" : ` (did you mean "${name}"?)`;
}
