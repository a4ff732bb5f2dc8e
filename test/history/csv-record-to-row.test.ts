// The history CSV is parsed without csv-parse's per-field cast callback; these tests pin that
// the rows are what the cast-based parse gave: quoted fields, NULL (empty unquoted) against ""
// (empty quoted), numbers as text, line breaks and escaped quotes inside quotes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseSync } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
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

function rowsWithoutCast(text: string): Array<Record<string, unknown>> {
  const items = parseSync(text, { bom: true, raw: true, skip_empty_lines: true, relax_column_count: true }) as unknown as Array<{ record: string[]; raw: string }>;
  const [header, ...rest] = items as [{ record: string[] }, ...Array<{ record: string[]; raw: string }>];
  return rest.map((item) => ({ ...csvRecordToRow(header.record, item.record, item.raw) }));
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

  it("equal the cast-based rows for quoted fields, empty values and numbers", () => {
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
    expect(rowsWithoutCast(text)).toEqual(expected);
    expect(expected[1]).toMatchObject({ end_time: null, project_id: null, project_name: "", note: "", registration_id: "", user_email: null });
    expect(expected[3]).toMatchObject({ project_id: "0042", activity_id: "1.5", registration_id: "00123", note: null });
  });

  it("equal the cast-based rows for any field values psql or a spreadsheet may write", () => {
    const field = fc.oneof(
      fc.constant(""),
      fc.string({ maxLength: 8 }),
      fc.constantFrom('"', '""', ",", "\n", "\r\n", " ", "0", "007", "-1", "1e3", "NULL"),
    );
    const cell = fc.record({ value: field, quote: fc.boolean() });
    const encode = ({ value, quote }: { value: string; quote: boolean }) =>
      quote || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 6 }), fc.constantFrom("\n", "\r\n"), (rows, eol) => {
        // A line of one empty unquoted field is an empty line, which both readings skip.
        const text = [header, ...rows.map((r) => r.map(encode).join(","))].join(eol) + eol;
        expect(rowsWithoutCast(text)).toEqual(rowsWithCast(text));
      }),
      { numRuns: 300 },
    );
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
