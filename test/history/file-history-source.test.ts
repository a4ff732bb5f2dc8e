import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { createFileHistorySource } from "../../src/history/file-history-source.js";
import { readAllTimerHistory } from "../../src/history/history-source.js";
import { openTimerHistorySource } from "../../src/history/open-history-source.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/history/${name}`, import.meta.url));
const CSV = fixture("timer-history.csv");
const CSV_NO_EMAIL = fixture("timer-history-no-email.csv");
const JSON_FILE = fixture("timer-history.json");

const dir = mkdtempSync(join(tmpdir(), "toki-history-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTemp(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEADER = "id,user_id,start_time,end_time,project_id,project_name,activity_id,activity_name,note,created_at,registration_id";

describe("CSV timer-history export (psql \\copy … csv header)", () => {
  it("reads links and reports skipped and bad rows with their ids, lines and reasons", async () => {
    const { links, summary } = await readAllTimerHistory(createFileHistorySource({ path: CSV }));
    expect(links.map((l) => l.historyId)).toEqual([1, 2, 8, 9, 10]);
    expect(summary).toMatchObject({ rowsRead: 11, links: 5, skipped: { noEndTime: 1, noRegistrationId: 1 }, complete: true });
    expect(summary.badRows).toEqual([
      { rowId: "5", line: 7, reason: "end_time 2026-05-14T09:00:00.000Z is before start_time 2026-05-14T10:00:00.000Z", tokiUserId: 2 },
      { rowId: "6", line: 8, reason: 'user_id is not a positive integer: "abc"' },
      { rowId: "7", line: 9, reason: 'start_time is not a timestamp with UTC offset: "2026-05-32 08:00:00+00"', tokiUserId: 2 },
      { rowId: "11", line: 13, reason: "expected 12 fields, found 3" },
    ]);
  });

  it("honours UTC offsets, keeps milliseconds and reads quoted notes with commas and newlines", async () => {
    const { links } = await readAllTimerHistory(createFileHistorySource({ path: CSV }));
    expect(links[0]).toEqual({
      historyId: 1,
      tokiUserId: 1,
      userEmail: "anna@example.com",
      registrationId: "400000000000123456",
      startTime: "2026-05-12T07:30:00.000Z",
      endTime: "2026-05-12T09:30:00.000Z",
      projectId: "300000000000241970",
      projectName: "Intranät",
      activityId: "201201111420550010",
      activityName: "Utveckling",
      note: "Sprint planning",
    });
    expect(links[1]).toMatchObject({
      startTime: "2026-05-12T07:30:00.123Z",
      endTime: "2026-05-12T08:15:00.999Z",
      note: "Review, part 1\ncontinued on a second line",
    });
  });

  it("tells NULL (empty field) from the empty string (\"\")", async () => {
    const { links } = await readAllTimerHistory(createFileHistorySource({ path: CSV }));
    const quotedEmpty = links.find((l) => l.historyId === 9);
    const nulls = links.find((l) => l.historyId === 10);
    expect(quotedEmpty?.note).toBe("");
    expect(quotedEmpty?.projectName).toBe('Kund "Ö" AB');
    expect(nulls).toMatchObject({ note: null, projectId: null, projectName: null, activityId: null, activityName: null, userEmail: null });
  });

  it("reads exports without the user_email column (emails are null)", async () => {
    const { links, summary } = await readAllTimerHistory(createFileHistorySource({ path: CSV_NO_EMAIL }));
    expect(links.map((l) => l.historyId)).toEqual([1, 2, 8, 9, 10]);
    expect(links.every((l) => l.userEmail === null)).toBe(true);
    expect(summary.badRows.map((b) => b.rowId)).toEqual(["5", "6", "7"]);
  });

  it("filters by local day in Europe/Stockholm (default) and by user", async () => {
    const source = createFileHistorySource({ path: CSV });
    // Row 8 starts 2026-03-28 23:30Z = 2026-03-29 00:30 CET; row 9 starts 22:30Z = 2026-03-30 00:30 CEST.
    const dstDay = await readAllTimerHistory(source, { range: { from: "2026-03-29", to: "2026-03-29" } });
    expect(dstDay.links.map((l) => l.historyId)).toEqual([8]);
    // Rows the filter needs but cannot read are reported whatever the filter.
    expect(dstDay.summary.badRows.map((b) => b.rowId)).toEqual(["6", "7", "11"]);

    const utc = await readAllTimerHistory(createFileHistorySource({ path: CSV, timeZone: "UTC" }), { range: { from: "2026-03-29", to: "2026-03-29" } });
    expect(utc.links.map((l) => l.historyId)).toEqual([9]);

    const anna = await readAllTimerHistory(source, { tokiUserIds: [1] });
    expect(anna.links.map((l) => l.historyId)).toEqual([1, 2]);
    expect(anna.summary.skipped).toEqual({ noEndTime: 1, noRegistrationId: 0 });

    const may = await readAllTimerHistory(source, { tokiUserIds: [2, 3], range: { from: "2026-05-01", to: "2026-05-31" } });
    expect(may.links.map((l) => l.historyId)).toEqual([10]);
    expect(may.summary.skipped).toEqual({ noEndTime: 0, noRegistrationId: 1 });
  });

  it("ignores columns it does not know (an export from before timer_type was dropped)", async () => {
    const path = writeTemp("old.csv", `${HEADER},timer_type\n1,4,2024-11-04 08:00:00+01,2024-11-04 09:00:00+01,p,P,a,A,,2024-11-04 09:00:00+01,42,standalone\n`);
    const { links } = await readAllTimerHistory(createFileHistorySource({ path }));
    expect(links).toEqual([expect.objectContaining({ historyId: 1, tokiUserId: 4, registrationId: "42", startTime: "2024-11-04T07:00:00.000Z" })]);
  });

  it("reads a Windows export with BOM and CRLF line ends", async () => {
    const path = writeTemp("windows.csv", `\ufeff${HEADER}\r\n1,4,2026-01-05 08:00:00+01,2026-01-05 09:00:00+01,p,P,a,A,"two\r\nlines",2026-01-05 09:00:00+01,42\r\n` +
      `2,x,2026-01-05 10:00:00+01,2026-01-05 11:00:00+01,p,P,a,A,,2026-01-05 11:00:00+01,43\r\n`);
    const { links, summary } = await readAllTimerHistory(createFileHistorySource({ path }));
    expect(links).toEqual([expect.objectContaining({ historyId: 1, note: "two\r\nlines" })]);
    expect(summary.badRows).toEqual([{ rowId: "2", line: 4, reason: 'user_id is not a positive integer: "x"' }]);
  });

  it("refuses a file that is not a timer_history export, naming the missing columns", async () => {
    const path = writeTemp("wrong.csv", "id,user,start\n1,2,3\n");
    const error = await readAllTimerHistory(createFileHistorySource({ path })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toContain("missing column(s) user_id, start_time, end_time, registration_id");
  });

  it("stops with the line of a CSV syntax error psql would never write", async () => {
    const path = writeTemp("broken.csv", `${HEADER}\n1,4,2026-01-05 08:00:00+01,2026-01-05 09:00:00+01,p,P,a,A,"never closed,x,42\n`);
    await expect(readAllTimerHistory(createFileHistorySource({ path }))).rejects.toThrow(/cannot read .*broken\.csv at line \d+: Quote Not Closed/);
  });

  it("reports an empty file and a missing file as configuration errors", async () => {
    await expect(readAllTimerHistory(createFileHistorySource({ path: writeTemp("empty.csv", "") }))).rejects.toThrow(/is empty/);
    await expect(readAllTimerHistory(createFileHistorySource({ path: join(dir, "nope.csv") }))).rejects.toThrow(/history file not found/);
  });

  it("marks a read the consumer stopped early as incomplete", async () => {
    const source = createFileHistorySource({ path: CSV });
    for await (const link of source.read()) {
      expect(link.historyId).toBe(1);
      break;
    }
    expect(source.summary()).toMatchObject({ links: 1, complete: false });
  });
});

describe("JSON timer-history export", () => {
  it("applies the same accounting to an array of row objects", async () => {
    const { links, summary } = await readAllTimerHistory(createFileHistorySource({ path: JSON_FILE }));
    expect(links.map((l) => l.historyId)).toEqual([1, 2, 8, 9, 10]);
    expect(summary).toMatchObject({ rowsRead: 11, skipped: { noEndTime: 1, noRegistrationId: 1 }, complete: true });
    expect(summary.badRows).toEqual([
      { rowId: "5", reason: "end_time 2026-05-14T09:00:00.000Z is before start_time 2026-05-14T10:00:00.000Z", tokiUserId: 2 },
      { rowId: "6", reason: 'user_id is not a positive integer: "abc"' },
      { rowId: "7", reason: 'start_time is not a timestamp with UTC offset: "2026-05-32T08:00:00Z"', tokiUserId: 2 },
      { rowId: "#11", reason: "element [10] is not an object" },
    ]);
  });

  it("yields the same links as the CSV export of the same rows", async () => {
    const fromJson = await readAllTimerHistory(createFileHistorySource({ path: JSON_FILE }));
    const fromCsv = await readAllTimerHistory(createFileHistorySource({ path: CSV }));
    expect(fromJson.links).toEqual(fromCsv.links);
  });

  it("filters like the other sources", async () => {
    const { links } = await readAllTimerHistory(createFileHistorySource({ path: JSON_FILE }), { range: { from: "2026-03-29", to: "2026-03-29" } });
    expect(links.map((l) => l.historyId)).toEqual([8]);
  });

  it("rejects a document that is not an array, or not JSON", async () => {
    await expect(readAllTimerHistory(createFileHistorySource({ path: writeTemp("obj.json", '{"rows":[]}') }))).rejects.toThrow(/must hold a JSON array/);
    await expect(readAllTimerHistory(createFileHistorySource({ path: writeTemp("bad.json", "[{") }))).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("openTimerHistorySource", () => {
  it("picks the file format by extension and refuses anything else", () => {
    expect(openTimerHistorySource(CSV).describe()).toBe(`CSV file ${CSV} (days in Europe/Stockholm)`);
    expect(openTimerHistorySource(JSON_FILE, { timeZone: "UTC" }).describe()).toBe(`JSON file ${JSON_FILE} (days in UTC)`);
    expect(openTimerHistorySource("export.CSV").describe()).toMatch(/^CSV file/);
    expect(() => openTimerHistorySource("history.xlsx")).toThrow(ConfigError);
    expect(openTimerHistorySource("history.txt", { format: "csv" }).describe()).toMatch(/^CSV file history\.txt/);
  });
});
