// The history CSV is parsed by papaparse (src/history/csv-records.ts), not by csv-parse with a
// per-field cast callback; these tests pin that the rows are what the cast-based parse gave:
// quoted fields, NULL (empty unquoted) against "" (empty quoted), numbers as text, line breaks
// and escaped quotes inside quotes, and the line each record starts on.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseSync } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readCsvRecords, type CsvRecord } from "../../src/history/csv-records.js";
import { createFileHistorySource, csvRecordToRow, HISTORY_COLUMNS, quotedFieldsOf } from "../../src/history/file-history-source.js";
import { readAllTimerHistory } from "../../src/history/history-source.js";

const dir = mkdtempSync(join(tmpdir(), "toki-history-nocast-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The reading before: a cast callback per field (NULL for an empty unquoted field). */
function rowsWithCast(text: string): Array<Record<string, unknown>> {
  const records = parseSync(text, { bom: true, skip_empty_lines: true, relax_column_count: true, cast: (value: string, context: { quoting: boolean }) => (context.quoting || value !== "" ? value : null) }) as unknown[][];
  const [header, ...rest] = records as [string[], ...unknown[][]];
  return rest.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i]]).filter(([name]) => (HISTORY_COLUMNS as readonly string[]).includes(name as string))));
}

/** The line each record starts on, by csv-parse's count (it counts a CRLF inside quotes as two lines). */
function startLinesWithCsvParse(text: string): number[] {
  const items = parseSync(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  let overcount = 0;
  return items.map(({ record, info }) => {
    const all = record.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    overcount += record.reduce((n, f) => n + (f.match(/\r\n/g)?.length ?? 0), 0);
    return info.lines - overcount - all;
  });
}

let fileNumber = 0;

async function recordsOf(text: string): Promise<CsvRecord[]> {
  const path = join(dir, `records-${(fileNumber += 1)}.csv`);
  writeFileSync(path, text);
  const out: CsvRecord[] = [];
  for await (const batch of readCsvRecords(path)) out.push(...batch);
  return out;
}

async function rowsWithoutCast(text: string): Promise<Array<Record<string, unknown>>> {
  const [header, ...rest] = (await recordsOf(text)) as [CsvRecord, ...CsvRecord[]];
  return rest.map((record) => ({ ...csvRecordToRow(header.fields, record.fields, record.quoted) }));
}

describe("quotedFieldsOf", () => {
  it.each([
    ['a,"",,"x"', [false, true, false, true]],
    ['"a ""quoted"", still",b', [true, false]],
    ['"line\nbreak",,""\r\n', [true, false, true]],
    ['"",""', [true, true]],
    [",", [false, false]],
    ["\ufeff\"\",x", [true, false]],
    ['"a,b","c"",""d",', [true, true, false]],
  ] as const)("%j", (raw, expected) => {
    expect(quotedFieldsOf(raw)).toEqual(expected);
  });
});

describe("history rows without a cast callback", () => {
  const header = "id,user_id,start_time,end_time,project_id,project_name,activity_id,activity_name,note,created_at,registration_id,user_email";

  it("equal the cast-based rows for quoted fields, empty values and numbers", async () => {
    const text = [
      header,
      '1,7,2026-05-12 08:00:00+00,2026-05-12 09:00:00+00,300000000000241996,"Drift, förvaltning",201201111420550017,Möte,"say ""hi""",2026-05-12 09:00:00+00,400000000000123456,a@example.se',
      '2,7,2026-05-12 10:00:00+00,,,"",,,"",,"",',
      '3,"7","2026-05-12 11:00:00+00","2026-05-12 12:00:00+00","42","","","","multi\nline\r\nnote","","9",""',
      "4,7,2026-05-12 13:00:00+00,2026-05-12 14:00:00+00,0042,Project,1.5,Act,,,00123,",
      '"",,,,,,,,,,,',
      "",
      "5,7,2026-05-12 13:00:00+00,2026-05-12 14:00:00+00,1,P,2,A,note,,77,x@example.se",
    ].join("\n");
    const expected = rowsWithCast(text);
    expect(await rowsWithoutCast(text)).toEqual(expected);
    expect((await recordsOf(text)).map((r) => r.line)).toEqual([1, 2, 3, 4, 7, 8, 10]);
    expect(expected[1]).toMatchObject({ end_time: null, project_id: null, project_name: "", note: "", registration_id: "", user_email: null });
    expect(expected[3]).toMatchObject({ project_id: "0042", activity_id: "1.5", registration_id: "00123", note: null });
  });

  it("equal the cast-based rows, and start on csv-parse's lines, for any field values psql or a spreadsheet may write", async () => {
    const field = fc.oneof(
      fc.constant(""),
      fc.string({ maxLength: 8 }),
      fc.constantFrom('"', '""', ",", "\n", "\r\n", " ", "0", "007", "-1", "1e3", "NULL"),
    );
    const cell = fc.record({ value: field, quote: fc.boolean() });
    const encode = ({ value, quote }: { value: string; quote: boolean }) =>
      quote || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 6 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), async (rows, eol, bom) => {
        // A line of one empty unquoted field is an empty line, which both readings skip.
        const text = `${bom ? "\ufeff" : ""}${[header, ...rows.map((r) => r.map(encode).join(","))].join(eol)}${eol}`;
        expect(await rowsWithoutCast(text)).toEqual(rowsWithCast(text));
        expect((await recordsOf(text)).map((r) => r.line)).toEqual(startLinesWithCsvParse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("equal the cast-based rows and lines across the file's chunks, with a consumer slower than the file", async () => {
    // Large enough for many 64 KiB chunks and for the reader to pause the file: records (and
    // their quoted line breaks) straddle chunk ends, where the record's text is kept for quoting.
    const random = fc.sample(fc.array(fc.oneof(fc.constant(""), fc.constant('""'), fc.constant('"a\r\nb"'), fc.constant('"x,""y"""'), fc.string({ maxLength: 30 }).map((v) => `"${v.replace(/"/g, '""')}"`)), { minLength: 12, maxLength: 12 }), { numRuns: 12000, seed: 17 });
    const text = `${[header, ...random.map((cells, i) => [String(i + 1), ...cells.slice(1)].join(","))].join("\r\n")}\r\n`;
    expect(text.length).toBeGreaterThan(8 * 64 * 1024);
    const path = join(dir, "large.csv");
    writeFileSync(path, text);
    const records: CsvRecord[] = [];
    const batchSizes: number[] = [];
    for await (const batch of readCsvRecords(path)) {
      batchSizes.push(batch.length);
      records.push(...batch);
      // Long enough for the whole file to arrive, were it not paused.
      await new Promise((resolve) => setTimeout(resolve, batchSizes.length === 1 ? 50 : 1));
    }
    // Paused at 2,048 waiting records; the chunk being parsed then still adds its rest.
    expect(Math.max(...batchSizes)).toBeLessThan(4096);
    expect(records.map((r) => r.line)).toEqual(startLinesWithCsvParse(text));
    const [head, ...rest] = records as [CsvRecord, ...CsvRecord[]];
    expect(rest.map((r) => ({ ...csvRecordToRow(head.fields, r.fields, r.quoted) }))).toEqual(rowsWithCast(text));
  });

  it("stop at text after a closing quote, with the line of its record, after the records before it", async () => {
    const path = join(dir, "trailing.csv");
    writeFileSync(path, `${header}\n1,7,"a"b,,,,,,,,,\n`);
    const seen: number[] = [];
    const read = async () => {
      for await (const batch of readCsvRecords(path)) seen.push(...batch.map((r) => r.line));
    };
    await expect(read()).rejects.toMatchObject({ name: "CsvSyntaxError", line: 2, message: expect.stringContaining("Invalid Closing Quote") });
    expect(seen).toEqual([1]);
  });

  it("read through the file source: NULL end time is a running timer, an empty quoted one a bad row", async () => {
    const path = join(dir, "edge.csv");
    writeFileSync(
      path,
      [header, "1,7,2026-05-12 08:00:00+00,,1,P,2,A,,,9,", '2,7,2026-05-12 08:00:00+00,"",1,P,2,A,,,9,', '3,7,2026-05-12 08:00:00+00,2026-05-12 09:00:00+00,1,"",2,A,"",,9,""'].join("\n"),
    );
    const { links, summary } = await readAllTimerHistory(createFileHistorySource({ path }));
    expect(summary.skipped.noEndTime).toBe(1);
    expect(summary.badRows).toEqual([{ rowId: "2", line: 3, reason: 'end_time is not a timestamp with UTC offset: ""', tokiUserId: 7 }]);
    expect(links).toEqual([expect.objectContaining({ historyId: 3, projectName: "", note: "", userEmail: null, projectId: "1" })]);
  });
});
