import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { DateRange } from "../domain/time-entry.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import type { HistoryBadRow, TimerHistorySource } from "./history-source.js";
import { HISTORY_INDEX_FORMAT, buildIndexFile } from "./history-index-build.js";
import { buildIndexFileInWorker } from "./history-index-thread.js";

export { HISTORY_INDEX_FORMAT } from "./history-index-build.js";

/** Where index files are shared between runs (shards) on one machine. */
export const DEFAULT_HISTORY_INDEX_DIR = join(tmpdir(), "toki-parity-history-index");

/** Index files and leftovers older than this are removed when a new index is built. */
const STALE_INDEX_MS = 24 * 3600 * 1000;

/** A file export read once into SQLite, queried per user. */
export interface HistoryFileIndex {
  linksOf(tokiUserId: number): TimerHistoryLink[];
  /** Every unreadable row of the export's read. */
  badRows: HistoryBadRow[];
  /** True when the index was built by another run (a shard) and read from the shared folder. */
  reused: boolean;
  close(): void;
}

export interface OpenHistoryFileIndexOptions {
  source: TimerHistorySource;
  /** The export the source reads (its content keys the shared index). */
  filePath: string;
  /** The range the source is read for. */
  range: DateRange;
  timeZone: string;
  /**
   * Folder of index files shared by runs of the same export (shards on one machine); false
   * builds a private index removed on close. @default DEFAULT_HISTORY_INDEX_DIR
   */
  indexDir?: string | false | undefined;
  /** Milliseconds between looks at an index another process is building. @default 100 */
  pollMs?: number | undefined;
  /**
   * Builds the index on a worker thread, reading `filePath` as a file export in `timeZone` (what
   * `source` must be then), so the parse does not hold up the run's own thread. @default false
   */
  worker?: boolean | undefined;
}

function buildFor(options: OpenHistoryFileIndexOptions, file: string, key: string): Promise<void> {
  if (!options.worker) return buildIndexFile(file, options.source, options.range, key);
  return buildIndexFileInWorker({ file, path: options.filePath, timeZone: options.timeZone, range: options.range, key }).then(() => undefined);
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

let readerFingerprint: string | undefined;

/**
 * A hash of the code that turns an export into links (this folder's modules, as loaded): a
 * changed reader never reuses an index an older one built.
 */
function historyReaderFingerprint(): string {
  if (readerFingerprint === undefined) {
    const self = fileURLToPath(import.meta.url);
    const hash = createHash("sha256");
    for (const name of readdirSync(dirname(self)).filter((n) => extname(n) === extname(self)).sort()) hash.update(name).update(readFileSync(join(dirname(self), name)));
    readerFingerprint = hash.digest("hex");
  }
  return readerFingerprint;
}

/** The key of an index: what was read (content, not name or time), how (range, zone) and by which reader. */
export async function historyIndexKey(filePath: string, range: DateRange, timeZone: string): Promise<string> {
  const { sha256, size } = await hashFile(filePath);
  const identity = { format: HISTORY_INDEX_FORMAT, reader: historyReaderFingerprint(), sha256, size, range, timeZone };
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 40);
}

/** The key a private index is built under (never looked up by another run). */
const PRIVATE_KEY = "private";

/**
 * Opens an index file, or undefined when it is not a complete index built for `key` by this
 * format (no meta row, another key, not SQLite at all): such a file is stale and is rebuilt,
 * never read.
 */
function openIndexFile(file: string, key: string, reused: boolean, onClose: () => void): HistoryFileIndex | undefined {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    const meta = db.prepare("SELECT key, format FROM meta").all() as Array<{ key: string; format: number }>;
    if (meta.length !== 1 || meta[0]?.key !== key || meta[0].format !== HISTORY_INDEX_FORMAT) throw new Error("stale index");
  } catch {
    db.close();
    return undefined;
  }
  // A user's rows in the order they were written, each a JSON array of links in file order.
  const select = db.prepare("SELECT links_json FROM links WHERE toki_user_id = ? ORDER BY rowid").pluck();
  const badRows = (db.prepare("SELECT row_json FROM bad_rows ORDER BY rowid").all() as Array<{ row_json: string }>).map((r) => JSON.parse(r.row_json) as HistoryBadRow);
  return {
    badRows,
    reused,
    linksOf: (tokiUserId) => (select.all(tokiUserId) as string[]).flatMap((json) => JSON.parse(json) as TimerHistoryLink[]),
    close() {
      db.close();
      onClose();
    },
  };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the build lock (a file holding our pid); false while a live process holds it. A dead holder's lock is taken over. */
function tryLock(lock: string): boolean {
  try {
    const fd = openSync(lock, "wx", 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  let holder = Number.NaN;
  try {
    holder = Number(readFileSync(lock, "utf8"));
  } catch {
    return false; // released meanwhile: look again
  }
  // A lock being written has no pid yet; only a lock naming a dead process is stale.
  if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) rmSync(lock, { force: true });
  return false;
}

function removeStaleFiles(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || name.endsWith(".lock")) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_INDEX_MS) rmSync(path, { force: true });
    } catch {
      // another run removed it first
    }
  }
}

/** The shared folder, when it is ours to use (created private; a folder another user owns is not used). */
function usableIndexDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    return stat.isDirectory() && (typeof process.getuid !== "function" || stat.uid === process.getuid());
  } catch {
    return false;
  }
}

/**
 * The export's index: read from the shared folder when a run of the same export, range and zone
 * built it already, else built once — concurrent runs (shards) take turns on a lock file, and an
 * index appears under its final name only complete (written aside, then renamed), so a run never
 * reads a half-built one.
 */
export async function openHistoryFileIndex(options: OpenHistoryFileIndexOptions): Promise<HistoryFileIndex> {
  const dir = options.indexDir ?? DEFAULT_HISTORY_INDEX_DIR;
  if (dir === false || !usableIndexDir(dir)) {
    const own = mkdtempSync(join(tmpdir(), "toki-parity-history-"));
    const file = join(own, "links.sqlite");
    const index = await (async () => {
      try {
        await buildFor(options, file, PRIVATE_KEY);
        return openIndexFile(file, PRIVATE_KEY, false, () => rmSync(own, { recursive: true, force: true }));
      } catch (error) {
        rmSync(own, { recursive: true, force: true });
        throw error;
      }
    })();
    if (!index) throw new Error(`the history index just built at ${file} cannot be read back`);
    return index;
  }
  const key = await historyIndexKey(options.filePath, options.range, options.timeZone);
  const file = join(dir, `${key}.sqlite`);
  const lock = `${file}.lock`;
  const pollMs = options.pollMs ?? 100;
  const reuse = () => (exists(file) ? openIndexFile(file, key, true, () => {}) : undefined);
  for (;;) {
    const found = reuse();
    if (found) return found;
    if (tryLock(lock)) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    // Another run may have finished between our look and our lock.
    const found = reuse();
    if (found) return found;
    // A stale file under the name is replaced by the rename below, never read.
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await buildFor(options, partial, key);
      renameSync(partial, file);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
  } finally {
    rmSync(lock, { force: true });
  }
  removeStaleFiles(dir, file);
  const built = openIndexFile(file, key, false, () => {});
  if (!built) throw new Error(`the history index just built at ${file} cannot be read back`);
  return built;
}

