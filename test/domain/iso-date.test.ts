import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysInMonth, digitsAt, isIsoDate } from "../../src/domain/iso-date.js";

/** The check as it was: a Date round trip. */
function isIsoDateByRoundTrip(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

describe("isIsoDate", () => {
  it.each([
    ["2026-02-28", true],
    ["2026-02-29", false],
    ["2024-02-29", true],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2026-04-31", false],
    ["2026-12-31", true],
    ["2026-13-01", false],
    ["2026-00-10", false],
    ["2026-01-00", false],
    ["0099-01-01", false],
    ["0100-01-01", true],
    ["2026-1-01", false],
    [" 2026-01-01", false],
    ["2026-01-01 ", false],
    ["2026-01-01x", false],
    ["2026-01-011", false],
    ["2026/01/01", false],
    ["2026-01/01", false],
    ["20a6-01-01", false],
    ["2026-0a-01", false],
    ["2026-01-1a", false],
    ["2026--1-01", false],
    ["\uff12026-01-01", false],
  ] as const)("%s → %s", (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
    expect(isIsoDateByRoundTrip(value)).toBe(expected);
  });

  it("answers as the Date round trip for every year, month and day field", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        const value = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        expect(isIsoDate(value)).toBe(isIsoDateByRoundTrip(value));
      }),
      { numRuns: 20_000 },
    );
    for (let y = 1999; y <= 2101; y++) for (let m = 0; m <= 13; m++) for (let d = 0; d <= 32; d++) {
      const value = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
      if (isIsoDate(value) !== isIsoDateByRoundTrip(value)) throw new Error(value);
    }
  });

  it("answers as the Date round trip for any short text of digits, dashes and other characters", () => {
    const char = fc.constantFrom("0", "1", "2", "9", "-", "/", " ", "a", "\u0660");
    fc.assert(
      fc.property(fc.array(char, { minLength: 8, maxLength: 12 }), (chars) => {
        const value = chars.join("");
        expect(isIsoDate(value)).toBe(isIsoDateByRoundTrip(value));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("digitsAt", () => {
  it("reads the digits at the given place", () => {
    expect(digitsAt("2026-05-12", 0, 4)).toBe(2026);
    expect(digitsAt("2026-05-12", 5, 2)).toBe(5);
    expect(digitsAt("2026-05-12", 8, 2)).toBe(12);
    expect(digitsAt("T09:87", 1, 2)).toBe(9);
    expect(digitsAt("T09:87", 4, 2)).toBe(87);
    expect(digitsAt("0123456789", 0, 10)).toBe(123456789);
    expect(digitsAt("x7", 1, 1)).toBe(7);
  });

  it("is -1 when a digit is missing or past the end", () => {
    for (const [text, at, count] of [
      ["20x6", 0, 4],
      ["2026", 0, 5],
      ["12", 1, 2],
      ["12", 2, 1],
      ["/0", 0, 2],
      [":0", 0, 2],
      ["0/", 0, 2],
      ["9:", 0, 2],
      [" 1", 0, 2],
    ] as const) {
      expect(digitsAt(text, at, count), `${text} ${at} ${count}`).toBe(-1);
    }
  });

  it("takes every digit 0–9 and nothing next to them in ASCII", () => {
    for (let d = 0; d <= 9; d++) expect(digitsAt(String(d), 0, 1)).toBe(d);
    expect(digitsAt("/", 0, 1)).toBe(-1);
    expect(digitsAt(":", 0, 1)).toBe(-1);
  });
});

describe("daysInMonth", () => {
  it("knows every month's length and the leap rule", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect([2024, 2000, 1900, 2100, 0, -4, -100].map((y) => daysInMonth(y, 2))).toEqual([29, 29, 28, 28, 29, 29, 28]);
    expect(daysInMonth(2024, 3)).toBe(31);
  });
});
