import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIsoDate } from "../../src/domain/iso-date.js";

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
});
