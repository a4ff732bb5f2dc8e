import { TZDate } from "@date-fns/tz";
import { getISOWeek, getISOWeekYear } from "date-fns";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, isoWeekOf, isoWeekStart, isoWeekYearOf, localDateOf, splitByMonth, splitByPeriod } from "../../src/domain/calendar.js";

// The date helpers compute by day-number arithmetic and a per-hour offset cache; these pin them
// to the Date / date-fns / TZDate readings they replace, day by day and instant by instant.
const byDate = {
  addDays(date: string, days: number): string {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  },
  isoWeek(date: string): number {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    return getISOWeek(new Date(y, m - 1, d));
  },
  isoWeekYear(date: string): number {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    return getISOWeekYear(new Date(y, m - 1, d));
  },
  weekStart(date: string): string {
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return byDate.addDays(date, -((dow + 6) % 7));
  },
  localDate(instant: string, timeZone: string): string {
    const d = new TZDate(new Date(instant).getTime(), timeZone);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  },
};

const DAY_MS = 86_400_000;
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("date helpers by arithmetic", () => {
  it("equal the Date and date-fns readings on every day from 1895 to 2045", () => {
    const mismatches: string[] = [];
    for (let ms = Date.UTC(1895, 0, 1); ms <= Date.UTC(2045, 11, 31); ms += DAY_MS) {
      const date = isoOf(ms);
      for (const n of [1, -1, -7, 400]) if (addDays(date, n) !== byDate.addDays(date, n)) mismatches.push(`addDays ${date} ${n}`);
      if (isoWeekOf(date) !== byDate.isoWeek(date)) mismatches.push(`isoWeekOf ${date}`);
      if (isoWeekYearOf(date) !== byDate.isoWeekYear(date)) mismatches.push(`isoWeekYearOf ${date}`);
      if (isoWeekStart(date) !== byDate.weekStart(date)) mismatches.push(`isoWeekStart ${date}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it("equal them on dates of any year, and on what is no real date", () => {
    const date = fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(
      ([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
    );
    fc.assert(
      fc.property(date, fc.integer({ min: -4000, max: 4000 }), (d, n) => {
        const sum = (() => {
          try {
            return addDays(d, n);
          } catch (error) {
            return String(error);
          }
        })();
        const expected = (() => {
          try {
            return byDate.addDays(d, n);
          } catch (error) {
            return String(error);
          }
        })();
        return sum === expected && isoWeekOf(d) === byDate.isoWeek(d) && isoWeekYearOf(d) === byDate.isoWeekYear(d);
      }),
      { numRuns: 20_000 },
    );
    expect(addDays("2026-02-30", 1)).toBe("2026-03-03");
    expect(addDays("0500-01-01", 1)).toBe("0500-01-02");
    expect(isoWeekOf("0050-01-01")).toBe(byDate.isoWeek("0050-01-01"));
    expect(addDays("2026-05-12", 0.5)).toBe(byDate.addDays("2026-05-12", 0.5));
  });

  it("localDateOf equals TZDate's reading around every offset change and in zones with odd offsets", () => {
    const zones = ["Europe/Stockholm", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "UTC", "Pacific/Kiritimati"];
    const mismatches: string[] = [];
    for (const zone of zones) {
      // Every 67 minutes and 13 seconds of 2025–2026 lands at every minute of the hour in turn.
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 4_033_000) {
        const instant = new Date(ms).toISOString();
        if (localDateOf(instant, zone) !== byDate.localDate(instant, zone)) mismatches.push(`${zone} ${instant}`);
      }
    }
    // Every 29 s of the hours around 2026's changes in Stockholm, Lord Howe (a half-hour change) and
    // St John's (a change at half past a UTC hour), whose local midnights are near; and the milliseconds either side of each change and midnight.
    const dense: Array<[number, string]> = [
      [Date.UTC(2026, 2, 29, 1), "Europe/Stockholm"],
      [Date.UTC(2026, 9, 25, 1), "Europe/Stockholm"],
      [Date.UTC(2026, 3, 4, 15), "Australia/Lord_Howe"],
      [Date.UTC(2026, 9, 3, 15, 30), "Australia/Lord_Howe"],
      [Date.UTC(2026, 2, 8, 5, 30), "America/St_Johns"],
      [Date.UTC(2026, 10, 1, 4, 30), "America/St_Johns"],
      // Tehran's clocks went back at local midnight, at half past a UTC hour: the day changes twice.
      [Date.UTC(2021, 8, 21, 19, 30), "Asia/Tehran"],
      [Date.UTC(2021, 2, 21, 20, 30), "Asia/Tehran"],
    ];
    for (const [change, zone] of dense) {
      for (let ms = change - 3 * 3_600_000; ms <= change + 3 * 3_600_000; ms += 29_000) {
        const instant = new Date(ms).toISOString();
        if (localDateOf(instant, zone) !== byDate.localDate(instant, zone)) mismatches.push(`${zone} ${instant}`);
      }
    }
    for (const edge of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1), Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 2, 29, 22), Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 25, 23)]) {
      for (const ms of [edge - 1, edge, edge + 1]) {
        const instant = new Date(ms).toISOString();
        if (localDateOf(instant, "Europe/Stockholm") !== byDate.localDate(instant, "Europe/Stockholm")) mismatches.push(`edge ${instant}`);
      }
    }
    // Local mean time (offsets with seconds) and far dates, an offset string and bad input.
    for (const [instant, zone] of [
      ["1890-06-01T23:50:00Z", "Europe/Stockholm"],
      ["1919-03-01T00:30:00Z", "Africa/Monrovia"],
      ["1937-06-30T23:50:00Z", "Europe/Amsterdam"],
      ["0500-06-01T12:00:00Z", "Europe/Stockholm"],
      ["9999-12-31T23:30:00Z", "Asia/Tokyo"],
      ["2026-05-12T23:30:00Z", "+02:00"],
      ["not a date", "Europe/Stockholm"],
      ["2026-05-12T10:00:00Z", "No/Such_Zone"],
    ] as const) {
      if (localDateOf(instant, zone) !== byDate.localDate(instant, zone)) mismatches.push(`${zone} ${instant}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it("isoWeekStart of what the arithmetic does not take reads Date's week", () => {
    // An impossible date rolls over (2026-02-31 is Tuesday 2026-03-03); years before 1000 are not written by it.
    expect(isoWeekStart("2026-02-31")).toBe("2026-03-02");
    expect(isoWeekStart("2026-02-30")).toBe("2026-03-02");
    for (const date of ["2026-02-31", "2026-04-31", "0500-06-17", "0050-01-01", "0999-12-31", "0100-01-03"]) {
      expect(isoWeekStart(date), date).toBe(byDate.weekStart(date));
    }
  });
});

describe("range splits", () => {
  it("a one-day range is one month and one week; a month split is by calendar month", () => {
    expect(splitByMonth({ from: "2026-05-31", to: "2026-05-31" })).toEqual([{ from: "2026-05-31", to: "2026-05-31" }]);
    expect(splitByPeriod({ from: "2026-05-31", to: "2026-05-31" }, "week")).toEqual([{ from: "2026-05-31", to: "2026-05-31" }]);
    expect(splitByPeriod({ from: "2026-05-25", to: "2026-06-02" }, "month")).toEqual([
      { from: "2026-05-25", to: "2026-05-31" },
      { from: "2026-06-01", to: "2026-06-02" },
    ]);
    expect(splitByPeriod({ from: "2026-05-25", to: "2026-06-02" }, "week")).toEqual([
      { from: "2026-05-25", to: "2026-05-31" },
      { from: "2026-06-01", to: "2026-06-02" },
    ]);
    expect(splitByPeriod({ from: "2026-05-20", to: "2026-06-02" }, "month")).toEqual([
      { from: "2026-05-20", to: "2026-05-31" },
      { from: "2026-06-01", to: "2026-06-02" },
    ]);
  });
});
