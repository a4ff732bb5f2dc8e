import { randomBytes } from "node:crypto";

/** Four hex characters: tells apart runs started in the same second. */
export function randomRunSuffix(): string {
  return randomBytes(2).toString("hex");
}

/**
 * A sortable run id from the start time: `20261125T134501Z-ab12` (UTC, to the second, plus a
 * suffix). Ids sort by start time; the suffix only makes same-second runs unique.
 */
export function formatRunId(startedAt: Date, suffix: string): string {
  const stamp = startedAt.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  return `${stamp}-${suffix}`;
}
