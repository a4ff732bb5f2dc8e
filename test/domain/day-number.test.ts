import { describe, expect, it } from "vitest";
import { civilFromDays, dayNumberOf, daysFromCivil, isoDateOfDayNumber, isoWeekdayOf, isoWeekOfDayNumber } from "../../src/domain/day-number.js";

// The calendar helpers fall back to Date for what dayNumberOf refuses, so their answers alone do not
// show which dates take the arithmetic; these pin the day numbers themselves.
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

describe("day numbers", () => {
  it("are the days since 1970-01-01 of a real date of the years 0100–9999", () => {
    for (const date of ["1970-01-01", "1969-12-31", "2026-05-12", "2024-02-29", "2026-12-31", "2026-01-01", "0100-01-01", "9999-12-31", "2000-03-01", "1600-02-29"]) {
      expect(dayNumberOf(date), date).toBe(dayOf(date));
    }
    expect(dayNumberOf("1970-01-01")).toBe(0);
    expect(dayNumberOf("1970-01-02")).toBe(1);
  });

  it("are undefined for a date of another form", () => {
    for (const date of ["2026-05-1", "2026-05-123", "2026-05-12 ", "2026/05/12", "2026-05/12", "2026/05-12", "20260-5-12", "2026-0512-", "+2026-05-1", "2026-5-012"]) {
      expect(dayNumberOf(date), date).toBeUndefined();
    }
  });

  it("are undefined for a date that does not exist or a year before 0100", () => {
    for (const date of ["0099-12-31", "0000-01-01", "2026-00-10", "2026-13-01", "2026-01-00", "2026-02-29", "2026-04-31", "2026-01-32", "1900-02-29", "2x26-01-01", "2026-0x-01", "2026-01-0x"]) {
      expect(dayNumberOf(date), date).toBeUndefined();
    }
  });

  it("take every day of every month, the first and the last", () => {
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, "0");
      const last = new Date(Date.UTC(2024, m, 0)).getUTCDate();
      expect(dayNumberOf(`2024-${mm}-01`)).toBe(dayOf(`2024-${mm}-01`));
      expect(dayNumberOf(`2024-${mm}-${last}`)).toBe(dayOf(`2024-${mm}-${last}`));
      expect(dayNumberOf(`2024-${mm}-${last + 1}`)).toBeUndefined();
    }
    expect(dayNumberOf("0100-01-01")).toBe(daysFromCivil(100, 1, 1));
  });

  it("run both ways: civilFromDays and daysFromCivil agree with Date", () => {
    for (let days = dayOf("1599-12-25"); days <= dayOf("1600-03-05"); days++) {
      const d = new Date(days * 86_400_000);
      expect(civilFromDays(days)).toEqual({ y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() });
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(days);
    }
  });

  it("write a date of the years 1000–9999 and nothing else", () => {
    expect(isoDateOfDayNumber(0)).toBe("1970-01-01");
    expect(isoDateOfDayNumber(dayOf("2026-05-09"))).toBe("2026-05-09");
    expect(isoDateOfDayNumber(dayOf("2026-11-30"))).toBe("2026-11-30");
    expect(isoDateOfDayNumber(dayOf("1000-01-01"))).toBe("1000-01-01");
    expect(isoDateOfDayNumber(dayOf("9999-12-31"))).toBe("9999-12-31");
    expect(isoDateOfDayNumber(dayOf("1000-01-01") - 1)).toBeUndefined();
    expect(isoDateOfDayNumber(dayOf("9999-12-31") + 1)).toBeUndefined();
    expect(isoDateOfDayNumber(daysFromCivil(500, 6, 1))).toBeUndefined();
  });

  it("know the ISO weekday and week", () => {
    expect(isoWeekdayOf(0)).toBe(4);
    expect(isoWeekdayOf(dayOf("2026-05-11"))).toBe(1);
    expect(isoWeekdayOf(dayOf("2026-05-17"))).toBe(7);
    expect(isoWeekdayOf(dayOf("1969-12-29"))).toBe(1);
    expect(isoWeekOfDayNumber(dayOf("2027-01-01"))).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOfDayNumber(dayOf("2024-12-30"))).toEqual({ year: 2025, week: 1 });
  });
});
