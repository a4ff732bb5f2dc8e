import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { ConfigError } from "../domain/errors.js";
import { parseJsonFileText } from "../config/json-file.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";
import { assertTimeZone, classifyHistoryRow, toRowFilter, type HistoryRowFilter, type RawHistoryRow } from "./history-row.js";
import {
  DEFAULT_HISTORY_TIME_ZONE,
  copySummary,
  emptySummary,
  type HistoryBadRow,
  type HistoryQuery,
  type HistoryReadSummary,
  type HistorySourceOptions,
  type TimerHistorySource,
} from "./history-source.js";
import { rowIdOf, tallyHistoryRow } from "./history-tally.js";
import { CsvSyntaxError, readCsvRecords, type CsvRecord } from "./csv-records.js";

export { quotedFieldsOf } from "./csv-quoting.js";

export type HistoryFileFormat = "csv" | "json";

export interface FileHistorySourceOptions extends HistorySourceOptions {
  path: string;
  /** @default from the extension: `.csv` or `.json` */
  format?: HistoryFileFormat | undefined;
}

/** Columns a timer-history export must have; the others read as NULL when absent. */
export const REQUIRED_HISTORY_COLUMNS = ["id", "user_id", "start_time", "end_time", "registration_id"] as const;

/** Columns the reader uses (psql's `select *` order, plus the optional `user_email`). */
export const HISTORY_COLUMNS = [
  "id", "user_id", "start_time", "end_time", "project_id", "project_name", "activity_id", "activity_name",
  "note", "created_at", "registration_id", "user_email",
] as const;

const KNOWN_COLUMNS = new Set<string>(HISTORY_COLUMNS);

/** The format a path implies, or undefined for an unknown extension. */
export function historyFormatOf(path: string): HistoryFileFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === ".csv" ? "csv" : ext === ".json" ? "json" : undefined;
}

function checkHeader(path: string, header: unknown[]): string[] {
  const names = header.map((h) => (typeof h === "string" ? h.trim() : ""));
  const issues: string[] = [];
  const missing = REQUIRED_HISTORY_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) issues.push(`missing column(s) ${missing.join(", ")} (found: ${names.join(", ") || "nothing"})`);
  const seen = new Set<string>();
  for (const name of names) {
    if (KNOWN_COLUMNS.has(name) && seen.has(name)) issues.push(`column ${name} appears twice`);
    seen.add(name);
  }
  if (issues.length > 0) throw new ConfigError(`${path} is not a timer_history export`, issues.map((i) => `${path}: ${i}`));
  return names;
}

/**
 * The one place CSV text becomes row values: fields stay strings, except that an empty unquoted
 * field is NULL (psql's CSV) and an empty quoted one the empty string. `quoted` says which fields
 * were quoted; it must be given when a field is empty.
 */
export function csvRecordToRow(names: readonly string[], record: readonly string[], quoted: readonly boolean[] | undefined): RawHistoryRow {
  const row: Record<string, string | null> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (!KNOWN_COLUMNS.has(name)) continue;
    const value = record[i] as string;
    if (value === "") {
      if (quoted === undefined) throw new Error("csvRecordToRow: an empty field needs the record's quoting");
      row[name] = quoted[i] === true ? "" : null;
    } else {
      row[name] = value;
    }
  }
  return row as RawHistoryRow;
}

function cannotRead(path: string, error: unknown): ConfigError {
  const where = error instanceof CsvSyntaxError ? ` at line ${error.line}` : "";
  return new ConfigError(`cannot read ${path}${where}: ${error instanceof Error ? error.message : String(error)}`, [], { cause: error });
}

async function* readCsv(path: string, filter: HistoryRowFilter, summary: HistoryReadSummary, onBadRow?: (row: HistoryBadRow) => void): AsyncGenerator<TimerHistoryLink> {
  let names: string[] | undefined;
  let idIndex = -1;
  let recordNumber = 0;
  const records = readCsvRecords(path);
  try {
    for (;;) {
      let next: IteratorResult<CsvRecord[]>;
      try {
        next = await records.next();
      } catch (error) {
        throw cannotRead(path, error);
      }
      if (next.done) break;
      for (const record of next.value) {
        if (names === undefined) {
          names = checkHeader(path, record.fields);
          idIndex = names.indexOf("id");
          continue;
        }
        recordNumber += 1;
        const ref = { rowId: rowIdOf(record.fields[idIndex], recordNumber), line: record.line };
        if (record.fields.length !== names.length) {
          tallyHistoryRow(summary, { kind: "bad", reason: `expected ${names.length} fields, found ${record.fields.length}` }, ref, onBadRow);
          continue;
        }
        const link = tallyHistoryRow(summary, classifyHistoryRow(csvRecordToRow(names, record.fields, record.quoted), filter), ref, onBadRow);
        if (link) yield link;
      }
    }
  } finally {
    await records.return(undefined);
  }
  if (names === undefined) throw new ConfigError(`${path} is empty: expected a header line`, [`${path}: no header`]);
}

async function* readJson(path: string, filter: HistoryRowFilter, summary: HistoryReadSummary, onBadRow?: (row: HistoryBadRow) => void): AsyncGenerator<TimerHistoryLink> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, [], { cause: error });
  }
  const document = parseJsonFileText(text, path, `${path} is not valid JSON`);
  if (!Array.isArray(document)) throw new ConfigError(`${path} must hold a JSON array of timer_history rows`, [`${path}: expected an array`]);
  for (const [index, item] of document.entries()) {
    const isObject = typeof item === "object" && item !== null && !Array.isArray(item);
    const ref = { rowId: rowIdOf(isObject ? (item as { id?: unknown }).id : undefined, index + 1) };
    if (!isObject) {
      tallyHistoryRow(summary, { kind: "bad", reason: `element [${index}] is not an object` }, ref, onBadRow);
      continue;
    }
    const link = tallyHistoryRow(summary, classifyHistoryRow(item as RawHistoryRow, filter), ref, onBadRow);
    if (link) yield link;
  }
}

/**
 * Checks what a run needs before it starts reading users: the file exists and, for CSV, its
 * header names the required columns (a JSON export is checked as it is read).
 */
export async function checkHistoryFileStart(path: string, format: HistoryFileFormat | undefined = historyFormatOf(path)): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new Error("not a file");
  } catch (error) {
    throw new ConfigError(`history file not found: ${path}`, [`history: ${path} does not exist or is not a file`], { cause: error });
  }
  if (format !== "csv") return;
  const records = readCsvRecords(path);
  try {
    const first = await records.next();
    const header = first.done ? undefined : first.value[0];
    if (header === undefined) throw new ConfigError(`${path} is empty: expected a header line`, [`${path}: no header`]);
    checkHeader(path, header.fields);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw cannotRead(path, error);
  } finally {
    await records.return(undefined);
  }
}

/** A `timer_history` export: CSV as psql's `\copy … csv header` writes it, or a JSON array. */
export function createFileHistorySource(options: FileHistorySourceOptions): TimerHistorySource {
  const format = options.format ?? historyFormatOf(options.path);
  if (format === undefined) {
    throw new ConfigError(`cannot tell the format of ${options.path}`, [`history: expected a .csv or .json file, or a postgres:// URL`]);
  }
  const timeZone = options.timeZone ?? DEFAULT_HISTORY_TIME_ZONE;
  assertTimeZone(timeZone);
  const description = `${format.toUpperCase()} file ${options.path} (days in ${timeZone})`;
  let current: HistoryReadSummary = emptySummary(description);

  async function* read(query: HistoryQuery = {}): AsyncGenerator<TimerHistoryLink> {
    const summary = emptySummary(description);
    current = summary;
    const filter = toRowFilter(query, timeZone);
    try {
      if (!(await stat(options.path)).isFile()) throw new Error("not a file");
    } catch (error) {
      throw new ConfigError(`history file not found: ${options.path}`, [`history: ${options.path} does not exist or is not a file`], { cause: error });
    }
    yield* format === "csv" ? readCsv(options.path, filter, summary, query.onBadRow) : readJson(options.path, filter, summary, query.onBadRow);
    summary.complete = true;
  }

  return { describe: () => description, read, summary: () => copySummary(current) };
}
