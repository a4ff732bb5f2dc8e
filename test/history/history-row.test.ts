import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { classifyHistoryRow, parseTimestamp, rangeBounds, toRowFilter } from "../../src/history/history-row.js";

const iso = (text: string) => {
  const ms = parseTimestamp(text);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe("parseTimestamp", () => {
  it.each([
    ["2026-05-12 07:30:00+00", "2026-05-12T07:30:00.000Z"],
    ["2026-05-12 09:30:00.123456+02", "2026-05-12T07:30:00.123Z"],
    ["2026-05-12 09:30:00.5+02", "2026-05-12T07:30:00.500Z"],
    ["2026-05-12T09:30:00+02:00", "2026-05-12T07:30:00.000Z"],
    ["2026-05-12T07:30:00Z", "2026-05-12T07:30:00.000Z"],
    ["2026-05-12T07:30:00.000Z", "2026-05-12T07:30:00.000Z"],
    ["2026-05-12 13:00:00+05:30", "2026-05-12T07:30:00.000Z"],
    ["2026-05-12 04:30:00-03", "2026-05-12T07:30:00.000Z"],
    ["1900-01-01 00:53:28+00:53:28", "1900-01-01T00:00:00.000Z"],
    ["2026-01-01 00:30:00+01", "2025-12-31T23:30:00.000Z"],
  ])("reads %s", (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each(["2026-05-12 07:30:00", "2026-02-30 07:30:00+00", "2026-05-12 24:00:00+00", "infinity", "", "12/05/2026 07:30", "2026-05-12 07:30+00"])(
    "rejects %j",
    (text) => {
      expect(parseTimestamp(text)).toBeUndefined();
    },
  );
});

describe("rangeBounds", () => {
  it("spans whole local days, 23 hours on the spring DST day", () => {
    expect(rangeBounds({ from: "2026-03-29", to: "2026-03-29" }, "Europe/Stockholm")).toEqual({
      from: "2026-03-28T23:00:00.000Z",
      toExclusive: "2026-03-29T22:00:00.000Z",
    });
    expect(rangeBounds({ from: "2026-10-25", to: "2026-10-25" }, "Europe/Stockholm")).toEqual({
      from: "2026-10-24T22:00:00.000Z",
      toExclusive: "2026-10-25T23:00:00.000Z",
    });
  });

  it("refuses reversed or invalid ranges", () => {
    expect(() => rangeBounds({ from: "2026-03-02", to: "2026-03-01" }, "UTC")).toThrow(ConfigError);
    expect(() => rangeBounds({ from: "2026-02-30", to: "2026-03-01" }, "UTC")).toThrow(/invalid range from/);
  });
});

describe("classifyHistoryRow", () => {
  const row = {
    id: 7, user_id: 3, start_time: "2026-05-12 07:30:00+00", end_time: "2026-05-12 08:00:00+00",
    project_id: "p", project_name: "P", activity_id: "a", activity_name: "A", note: "n", registration_id: "42",
  };

  it("counts a running timer as noEndTime even without a registration id", () => {
    expect(classifyHistoryRow({ ...row, end_time: null, registration_id: null }, {})).toEqual({ kind: "skipped", reason: "noEndTime" });
  });

  it("counts a blank registration id as noRegistrationId", () => {
    expect(classifyHistoryRow({ ...row, registration_id: "  " }, {})).toEqual({ kind: "skipped", reason: "noRegistrationId" });
  });

  it("accepts a zero-length timer and rejects one that ends before it starts", () => {
    expect(classifyHistoryRow({ ...row, end_time: row.start_time }, {}).kind).toBe("link");
    expect(classifyHistoryRow({ ...row, end_time: "2026-05-12 07:29:59+00" }, {})).toMatchObject({ kind: "bad" });
  });

  it("rejects non-integer ids and non-text fields", () => {
    expect(classifyHistoryRow({ ...row, user_id: 1.5 }, {})).toEqual({ kind: "bad", reason: "user_id is not a positive integer: 1.5" });
    expect(classifyHistoryRow({ ...row, id: "x" }, {})).toEqual({ kind: "bad", reason: 'id is not a positive integer: "x"', tokiUserId: 3 });
    expect(classifyHistoryRow({ ...row, note: { text: "n" } }, {})).toEqual({ kind: "bad", reason: 'note is not text: {"text":"n"}', tokiUserId: 3 });
  });

  it("filters on user and on the local day of the start", () => {
    const filter = toRowFilter({ tokiUserIds: [3], range: { from: "2026-05-12", to: "2026-05-12" } }, "Europe/Stockholm");
    expect(classifyHistoryRow(row, filter).kind).toBe("link");
    expect(classifyHistoryRow({ ...row, user_id: 4 }, filter).kind).toBe("filtered");
    expect(classifyHistoryRow({ ...row, start_time: "2026-05-12 22:00:00+00" }, filter).kind).toBe("filtered");
    expect(classifyHistoryRow({ ...row, start_time: "2026-05-11 22:00:00+00" }, filter).kind).toBe("link");
  });
});

describe("parseTimestamp's char-code reading of psql's forms", () => {
  // The regular-expression reading it short-cuts, as it stood: both must agree on every input.
  const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/;
  const byRegExp = (text: string): number | undefined => {
    const m = TIMESTAMP.exec(text.trim());
    if (!m) return undefined;
    const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
    const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
    const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    if (new Date(local).getUTCDate() !== day) return undefined;
    const offset = m[8] ?? "Z";
    if (offset === "Z" || offset === "z") return local;
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(/:/g, "");
    return local - sign * ((Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0")) * 60 + Number(digits.slice(4, 6) || "0")) * 1000;
  };
  const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0"));
  const timestamp = fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, "0")), fc.constantFrom("2026", "2024", "0099", "0100")),
      fc.oneof(two, fc.constantFrom("01", "02", "12", "13", "00")),
      fc.oneof(two, fc.constantFrom("01", "28", "29", "30", "31", "00")),
      fc.constantFrom(" ", "T", "  "),
      two,
      two,
      two,
      fc.oneof(fc.constant(""), fc.stringMatching(/^\.[0-9]{0,11}$/)),
      fc.constantFrom("", " "),
      fc.oneof(fc.constantFrom("+00", "-00", "+02", "-05", "+05:30", "+0530", "-03:30", "+00:53:28", "Z", "z", "", "+5", "+02:3", "+02:", "x"), fc.stringMatching(/^[+-][0-9]{2}(:?[0-9]{2}){0,2}$/)),
      fc.constantFrom("", " ", "\n", "0"),
    )
    .map((parts) => parts.join(""));
  it("agrees with the regular expression on psql-like and malformed timestamps", () => {
    fc.assert(fc.property(timestamp, (text) => Object.is(parseTimestamp(text), byRegExp(text))), { numRuns: 30_000 });
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => Object.is(parseTimestamp(text), byRegExp(text))), { numRuns: 5_000 });
    expect(parseTimestamp("2026-05-12 09:30:00.123456+02")).toBe(Date.UTC(2026, 4, 12, 7, 30, 0, 123));
    expect(parseTimestamp("2026-02-29 09:30:00+00")).toBeUndefined();
    expect(parseTimestamp("0050-05-12 09:30:00+00")).toBe(byRegExp("0050-05-12 09:30:00+00"));
  });
});
