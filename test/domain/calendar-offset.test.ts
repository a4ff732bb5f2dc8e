import { describe, expect, it, vi } from "vitest";

// Zones of a known offset, read through the same tzOffset as the real ones (and NaN for an invalid
// date, as tzOffset gives): TZDate knows none of them, so a date here comes from the per-hour offset
// alone, and the count of readings shows what the cache keeps.
const STEP = Date.parse("2026-06-01T00:00:00Z");
const readings = { count: 0 };
vi.mock("@date-fns/tz", async (importOriginal) => {
  const real = await importOriginal<typeof import("@date-fns/tz")>();
  const fake = (zone: string, ms: number): number | undefined => {
    if (zone === "Fake/Step") return ms < STEP ? 60 : 120;
    if (zone === "Fake/Count") {
      readings.count += 1;
      return 60;
    }
    return undefined;
  };
  return {
    ...real,
    tzOffset: (zone: string, date: Date) => {
      const ms = date.getTime();
      const offset = fake(zone, ms);
      if (offset === undefined) return real.tzOffset(zone, date);
      return Number.isNaN(ms) ? Number.NaN : offset;
    },
  };
});

const { localDateOf } = await import("../../src/domain/calendar.js");
const HOUR_MS = 3_600_000;
const at = (hour: number, minute = 0) => new Date(hour * HOUR_MS + minute * 60_000).toISOString();

describe("the local date from the zone's offset of each UTC hour", () => {
  it("reads the offset of the instant's own hour, at its first and last millisecond", () => {
    expect(localDateOf("2026-05-12T12:00:00Z", "Fake/Step")).toBe("2026-05-12");
    // The hour before the step holds +01:00 all through, though the next hour's first instant does not.
    expect(localDateOf("2026-05-31T23:30:00Z", "Fake/Step")).toBe("2026-06-01");
    expect(localDateOf("2026-05-31T22:59:59.999Z", "Fake/Step")).toBe("2026-05-31");
    // After the step +02:00, which the zone did not have in 1970.
    expect(localDateOf("2026-06-01T22:30:00Z", "Fake/Step")).toBe("2026-06-02");
    expect(localDateOf("2026-06-01T21:59:59.999Z", "Fake/Step")).toBe("2026-06-01");
  });

  it("reads each hour's offset once and keeps at most 200,000 hours per zone", () => {
    readings.count = 0;
    expect(localDateOf(at(0, 10), "Fake/Count")).toBe("1970-01-01");
    expect(readings.count).toBe(2);
    expect(localDateOf(at(0, 50), "Fake/Count")).toBe("1970-01-01");
    expect(readings.count).toBe(2);
    for (let hour = 1; hour < 200_000; hour++) localDateOf(at(hour), "Fake/Count");
    expect(readings.count).toBe(400_000);
    // Full, the cache still holds its first hour…
    localDateOf(at(0, 30), "Fake/Count");
    expect(readings.count).toBe(400_000);
    // …and a new hour starts it afresh.
    localDateOf(at(200_000), "Fake/Count");
    expect(readings.count).toBe(400_002);
    localDateOf(at(1), "Fake/Count");
    expect(readings.count).toBe(400_004);
    localDateOf(at(200_000, 5), "Fake/Count");
    expect(readings.count).toBe(400_004);
  });
});
