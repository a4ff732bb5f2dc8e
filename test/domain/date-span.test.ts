import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, eachDay } from "../../src/domain/calendar.js";
import { addMonthsClamped, daysIn, halveRange, splitBySpan } from "../../src/domain/date-span.js";

const dayArb = fc.integer({ min: 0, max: 3_650 }).map((n) => addDays("2020-01-01", n));
const rangeArb = fc.tuple(dayArb, fc.integer({ min: 0, max: 1_200 })).map(([from, len]) => ({ from, to: addDays(from, len) }));

describe("date spans", () => {
  it("counts the days of an inclusive range", () => {
    expect(daysIn({ from: "2026-03-01", to: "2026-03-01" })).toBe(1);
    expect(daysIn({ from: "2024-02-28", to: "2024-03-01" })).toBe(3);
    expect(daysIn({ from: "2024-11-01", to: "2026-10-31" })).toBe(730);
  });

  it("adds months clamping the day to the month's length", () => {
    expect(addMonthsClamped("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonthsClamped("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonthsClamped("2025-11-15", 12)).toBe("2026-11-15");
  });

  it("splits a range into spans of at most N months (and days) that hold every day exactly once, in order", () => {
    fc.assert(
      fc.property(rangeArb, fc.integer({ min: 1, max: 14 }), fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }), (range, months, days) => {
        const spans = splitBySpan(range, months, days);
        expect(spans.flatMap(eachDay)).toEqual(eachDay(range));
        for (const span of spans) {
          expect(span.to <= addDays(addMonthsClamped(span.from, months), -1)).toBe(true);
          if (days !== undefined) expect(daysIn(span)).toBeLessThanOrEqual(days);
        }
      }),
    );
  });

  it("reads two years plus the date-shift margin in three 12-month spans", () => {
    expect(splitBySpan({ from: "2024-10-31", to: "2026-11-01" }, 12)).toEqual([
      { from: "2024-10-31", to: "2025-10-30" },
      { from: "2025-10-31", to: "2026-10-30" },
      { from: "2026-10-31", to: "2026-11-01" },
    ]);
  });

  it("halves a range so that each day is in exactly one half; a single day cannot be halved", () => {
    fc.assert(
      fc.property(rangeArb, (range) => {
        const halves = halveRange(range);
        if (range.from === range.to) {
          expect(halves).toBeUndefined();
          return;
        }
        expect(halves).toBeDefined();
        const [first, second] = halves!;
        expect([...eachDay(first), ...eachDay(second)]).toEqual(eachDay(range));
        expect(daysIn(first)).toBeGreaterThan(0);
        expect(daysIn(second)).toBeGreaterThan(0);
        expect(Math.abs(daysIn(first) - daysIn(second))).toBeLessThanOrEqual(1);
      }),
    );
    expect(halveRange({ from: "2026-05-01", to: "2026-05-02" })).toEqual([
      { from: "2026-05-01", to: "2026-05-01" },
      { from: "2026-05-02", to: "2026-05-02" },
    ]);
  });

  it("refuses a span length that is no positive whole number, naming it", () => {
    const range = { from: "2026-01-01", to: "2026-03-31" };
    for (const months of [1.5, Number.NaN, 0, -1]) {
      expect(() => splitBySpan(range, months)).toThrow(new RangeError(`maxMonths must be a positive integer, got ${months}`));
    }
    for (const days of [2.5, Number.POSITIVE_INFINITY, 0, -3]) {
      expect(() => splitBySpan(range, 12, days)).toThrow(new RangeError(`maxDays must be a positive integer, got ${days}`));
    }
    expect(splitBySpan(range, 1, 1)).toHaveLength(90);
    expect(splitBySpan(range, 1)).toEqual([
      { from: "2026-01-01", to: "2026-01-31" },
      { from: "2026-02-01", to: "2026-02-28" },
      { from: "2026-03-01", to: "2026-03-31" },
    ]);
  });
});
