import type { TimerHistoryLink } from "../domain/timer-history.js";
import type { HistoryRowOutcome } from "./history-row.js";
import type { HistoryBadRow, HistoryReadSummary } from "./history-source.js";

/** Where a row sits in its source, for bad-row reports. */
export interface HistoryRowRef {
  rowId: string;
  line?: number | undefined;
}

/** Adds one classified row to the summary; returns the link to yield, if any. */
export function tallyHistoryRow(
  summary: HistoryReadSummary,
  outcome: HistoryRowOutcome,
  ref: HistoryRowRef,
  onBadRow?: ((row: HistoryBadRow) => void) | undefined,
): TimerHistoryLink | undefined {
  if (outcome.kind === "filtered") return undefined;
  summary.rowsRead += 1;
  switch (outcome.kind) {
    case "skipped":
      summary.skipped[outcome.reason] += 1;
      return undefined;
    case "bad": {
      const row: HistoryBadRow = { rowId: ref.rowId, reason: outcome.reason };
      if (ref.line !== undefined) row.line = ref.line;
      if (outcome.tokiUserId !== undefined) row.tokiUserId = outcome.tokiUserId;
      summary.badRows.push(row);
      onBadRow?.({ ...row });
      return undefined;
    }
    case "link":
      summary.links += 1;
      return outcome.link;
  }
}

/** The id a bad-row report shows: the row's `id` as written, else `#<record number>`. */
export function rowIdOf(id: unknown, recordNumber: number): string {
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  if (typeof id === "string" && id.trim() !== "") return id.trim();
  return `#${recordNumber}`;
}
