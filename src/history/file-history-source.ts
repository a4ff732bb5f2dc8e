import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { parse } from "csv-parse";
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

/**
 * Which fields of one CSV record were quoted, read from the record's raw text. Only asked for
 * records with an empty field: psql's CSV writes NULL as an empty unquoted field and the empty
 * string as "" (quoted), and the parsed values alone cannot tell them apart.
 */
export function quotedFieldsOf(raw: string, delimiter = ",", quote = '"'): boolean[] {
  const quoted: boolean[] = [];
  let i = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    if (raw[i] === quote) {
      quoted.push(true);
      i += 1;
      // To the closing quote; a doubled quote is an escaped one.
      for (;;) {
        const q = raw.indexOf(quote, i);
        if (q < 0) {
          i = raw.length;
          break;
        }
        if (raw[q + 1] === quote) {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
    } else {
      quoted.push(false);
    }
    while (i < raw.length && raw[i] !== delimiter && raw[i] !== "\n" && raw[i] !== "\r") i += 1;
    if (raw[i] !== delimiter) return quoted;
    i += 1;
  }
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
 * field is NULL (psql's CSV) and an empty quoted one the empty string.
 */
export function csvRecordToRow(names: readonly string[], record: readonly string[], raw: string): RawHistoryRow {
  const row: Record<string, string | null> = {};
  let quoted: boolean[] | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (!KNOWN_COLUMNS.has(name)) continue;
    const value = record[i] as string;
    if (value === "") {
      quoted ??= quotedFieldsOf(raw);
      row[name] = quoted[i] === true ? "" : null;
    } else {
      row[name] = value;
    }
  }
  return row as RawHistoryRow;
}

function countLineBreaks(record: readonly string[]): { all: number; crlf: number } {
  let all = 0;
  let crlf = 0;
  for (const field of record) {
    // Most fields hold no line break: skip the regular expressions for them.
    if (field.indexOf("\n") < 0 && field.indexOf("\r") < 0) continue;
    all += field.match(/\r\n|\r|\n/g)?.length ?? 0;
    crlf += field.match(/\r\n/g)?.length ?? 0;
  }
  return { all, crlf };
}

async function* readCsv(path: string, filter: HistoryRowFilter, summary: HistoryReadSummary, onBadRow?: (row: HistoryBadRow) => void): AsyncGenerator<TimerHistoryLink> {
  // No cast callback: csv-parse builds a context object per field for one (most of the parse's
  // time); fields arrive as strings and csvRecordToRow converts them in one pass.
  const parser = parse({ bom: true, info: true, raw: true, skip_empty_lines: true, relax_column_count: true });
  const input = createReadStream(path);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  let names: string[] | undefined;
  let idIndex = -1;
  let recordNumber = 0;
  let overcount = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      if (names === undefined) {
        names = checkHeader(path, item.record);
        idIndex = names.indexOf("id");
        continue;
      }
      recordNumber += 1;
      // info.lines is the line the record ends on; csv-parse counts a CRLF inside quotes as two lines.
      const breaks = countLineBreaks(item.record);
      overcount += breaks.crlf;
      const line = item.info.lines - overcount - breaks.all;
      const ref = { rowId: rowIdOf(item.record[idIndex], recordNumber), line };
      if (item.record.length !== names.length) {
        tallyHistoryRow(summary, { kind: "bad", reason: `expected ${names.length} fields, found ${item.record.length}` }, ref, onBadRow);
        continue;
      }
      const link = tallyHistoryRow(summary, classifyHistoryRow(csvRecordToRow(names, item.record, item.raw), filter), ref, onBadRow);
      if (link) yield link;
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const lines = (error as { lines?: unknown }).lines;
    const where = typeof lines === "number" ? ` at line ${lines}` : "";
    throw new ConfigError(`cannot read ${path}${where}: ${error instanceof Error ? error.message : String(error)}`, [], { cause: error });
  } finally {
    input.destroy();
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
  const parser = parse({ bom: true, to: 1, relax_column_count: true });
  const input = createReadStream(path);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      checkHeader(path, record);
      return;
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, [], { cause: error });
  } finally {
    input.destroy();
  }
  throw new ConfigError(`${path} is empty: expected a header line`, [`${path}: no header`]);
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
