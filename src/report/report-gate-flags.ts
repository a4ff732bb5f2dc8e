import { TokiError } from "../domain/errors.js";

// The gate's flag parsers, apart from the gate so `gate --help` registers them without opening
// better-sqlite3.

/** Parses `--max-blocking`: a whole number ≥ 0. */
export function parseMaxBlocking(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(value) || value < 0) throw new TokiError("USAGE", `--max-blocking expects a whole number ≥ 0, got "${text}"`);
  return value;
}

/** Parses `--min-match-rate`: a fraction (`0.99`) or a percentage (`99%`). */
export function parseMatchRate(text: string): number {
  const trimmed = text.trim();
  const isPercent = trimmed.endsWith("%");
  const value = Number(isPercent ? trimmed.slice(0, -1).trim() : trimmed);
  const rate = isPercent ? value / 100 : value;
  if (trimmed === "" || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new TokiError("USAGE", `--min-match-rate expects a fraction between 0 and 1 (0.99) or a percentage (99%), got "${text}"`);
  }
  return rate;
}
