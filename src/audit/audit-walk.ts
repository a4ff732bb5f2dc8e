import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** Folder names never descended into: dependencies, build output, VCS data. */
export const DEFAULT_AUDIT_IGNORED_DIRS: readonly string[] = ["node_modules", "target", "dist", ".git"];

/** Files larger than this are skipped (generated bundles, dumps, data). @default 1 MiB */
export const DEFAULT_AUDIT_MAX_FILE_BYTES = 1024 * 1024;

/** Bytes inspected for a NUL to decide a file is binary (git's heuristic). */
const BINARY_SNIFF_BYTES = 8000;

export type AuditSkipReason = "binary" | "too-large" | "unreadable";

export interface AuditSkippedFile {
  file: string;
  reason: AuditSkipReason;
}

export interface WalkOptions {
  ignoredDirs: ReadonlySet<string>;
  /** Only files for which this returns true are listed (and later read). */
  wanted: (relativePath: string) => boolean;
}

export interface WalkResult {
  /** Root-relative POSIX paths, sorted. */
  files: string[];
  /** Sub-folders that could not be listed. */
  skipped: AuditSkippedFile[];
}

/**
 * Lists regular files under `root` as POSIX paths relative to it, sorted, without following
 * symbolic links (a checkout may link outside itself or into a loop). An unlistable root is an
 * error; an unlistable sub-folder is reported as skipped.
 */
export async function listAuditFiles(root: string, options: WalkOptions): Promise<WalkResult> {
  const files: string[] = [];
  const skipped: AuditSkippedFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (!prefix) throw error;
      skipped.push({ file: prefix, reason: "unreadable" });
      return;
    }
    entries.sort((a, b) => compareText(a.name, b.name));
    for (const entry of entries) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!options.ignoredDirs.has(entry.name)) await walk(join(dir, entry.name), relative);
      } else if (entry.isFile() && options.wanted(relative)) {
        files.push(relative);
      }
    }
  };
  await walk(root, "");
  return { files, skipped };
}

export type ReadAuditFileResult = { kind: "text"; text: string } | { kind: "skipped"; reason: AuditSkipReason };

/** Reads a file as UTF-8 text unless it is over `maxFileBytes` or looks binary. */
export async function readAuditFile(path: string, maxFileBytes: number): Promise<ReadAuditFileResult> {
  try {
    const info = await stat(path);
    if (info.size > maxFileBytes) return { kind: "skipped", reason: "too-large" };
    const handle = await open(path, "r");
    try {
      const buffer = await handle.readFile();
      if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: "skipped", reason: "binary" };
      const text = buffer.toString("utf8");
      return { kind: "text", text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    } finally {
      await handle.close();
    }
  } catch {
    return { kind: "skipped", reason: "unreadable" };
  }
}

/** Code-unit order, independent of locale, so reports are identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
