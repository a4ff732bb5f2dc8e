// Building one history index file: the pass over the export that the run's users are then read from.
import Database from "better-sqlite3";
import type { DateRange } from "../domain/time-entry.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import type { HistoryBadRow, TimerHistorySource } from "./history-source.js";

/** Bumped whenever the index's tables or the reading of a file change, so old index files are not reused. */
export const HISTORY_INDEX_FORMAT = 4;

/**
 * Links read before they are written: one transaction, and one row per user of them (a JSON
 * array in file order). A row per link cost a SQLite insert and an index entry each, and as
 * many JSON.parse calls when the user is read back: most of the build once the CSV parse got
 * cheap (docs/scale.md). The links of one batch are all the memory the build holds.
 */
const INSERT_BATCH = 5000;

/** Reads the whole source into a new index file at `file`; its meta row, written last, names the key it was built for. */
export async function buildIndexFile(file: string, source: TimerHistorySource, range: DateRange, key: string): Promise<void> {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.exec("CREATE TABLE links (toki_user_id INTEGER NOT NULL, links_json TEXT NOT NULL); CREATE TABLE bad_rows (row_json TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO links (toki_user_id, links_json) VALUES (?, ?)");
    const insertBatch = db.transaction((batch: TimerHistoryLink[]) => {
      const byUser = new Map<number, TimerHistoryLink[]>();
      for (const link of batch) {
        const links = byUser.get(link.tokiUserId);
        if (links) links.push(link);
        else byUser.set(link.tokiUserId, [link]);
      }
      for (const [tokiUserId, links] of byUser) insert.run(tokiUserId, JSON.stringify(links));
    });
    const badRows: HistoryBadRow[] = [];
    let batch: TimerHistoryLink[] = [];
    for await (const link of source.read({ range, onBadRow: (row) => badRows.push(row) })) {
      batch.push(link);
      if (batch.length >= INSERT_BATCH) {
        insertBatch(batch);
        batch = [];
      }
    }
    insertBatch(batch);
    const insertBad = db.prepare("INSERT INTO bad_rows (row_json) VALUES (?)");
    db.transaction(() => badRows.forEach((row) => insertBad.run(JSON.stringify(row))))();
    db.exec("CREATE INDEX links_by_user ON links (toki_user_id)");
    db.exec("CREATE TABLE meta (key TEXT NOT NULL, format INTEGER NOT NULL)");
    db.prepare("INSERT INTO meta (key, format) VALUES (?, ?)").run(key, HISTORY_INDEX_FORMAT);
  } finally {
    db.close();
  }
}

