import { describe, expect, it } from "vitest";
import { addDays, compareDates, eachDay, inRange, instantAt, isoWeekStart, isoWeekYearOf, lastDayOfMonth, localDateOf, splitByPeriod } from "../../src/domain/calendar.js";

// The calendar the periods, the range filter and the date-shift hint rest on.
describe("calendar rules", () => {
  it("adds days across month and year ends, both ways", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-05-12", 0)).toBe("2026-05-12");
  });

  it("a week starts on Monday; its ISO year can differ from the calendar year", () => {
    expect(isoWeekStart("2026-05-17")).toBe("2026-05-11"); // Sunday
    expect(isoWeekStart("2026-05-11")).toBe("2026-05-11"); // Monday
    expect(isoWeekStart("2026-05-13")).toBe("2026-05-11");
    expect(isoWeekYearOf("2027-01-01")).toBe(2026);
    expect(isoWeekYearOf("2026-05-12")).toBe(2026);
  });

  it("a range holds both its ends and nothing outside", () => {
    const range = { from: "2026-05-11", to: "2026-05-17" };
    expect([inRange("2026-05-10", range), inRange("2026-05-11", range), inRange("2026-05-17", range), inRange("2026-05-18", range)]).toEqual([false, true, true, false]);
    expect(eachDay({ from: "2026-02-27", to: "2026-03-02" })).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(eachDay({ from: "2026-05-12", to: "2026-05-11" })).toEqual([]);
    expect([compareDates("2026-05-11", "2026-05-12"), compareDates("2026-05-12", "2026-05-11"), compareDates("2026-05-12", "2026-05-12")]).toEqual([-1, 1, 0]);
  });

  it("months end on their last day (leap years included); a period split follows the rules' period", () => {
    expect(lastDayOfMonth("2028-02-10")).toBe("2028-02-29");
    expect(lastDayOfMonth("2026-12-01")).toBe("2026-12-31");
    expect(splitByPeriod({ from: "2026-05-30", to: "2026-06-02" }, "month")).toEqual([
      { from: "2026-05-30", to: "2026-05-31" },
      { from: "2026-06-01", to: "2026-06-02" },
    ]);
    expect(splitByPeriod({ from: "2026-05-30", to: "2026-06-02" }, "week")).toEqual([
      { from: "2026-05-30", to: "2026-05-31" },
      { from: "2026-06-01", to: "2026-06-02" },
    ]);
    expect(splitByPeriod({ from: "2026-05-11", to: "2026-05-24" }, "week")).toEqual([
      { from: "2026-05-11", to: "2026-05-17" },
      { from: "2026-05-18", to: "2026-05-24" },
    ]);
  });

  it("local days and instants in the user's time zone, seconds included", () => {
    expect(instantAt("2026-01-15", "08:00:30", "Europe/Stockholm")).toBe("2026-01-15T07:00:30.000Z");
    expect(localDateOf("2026-01-15T23:30:00.000Z", "Europe/Stockholm")).toBe("2026-01-16");
    expect(localDateOf("2026-10-09T05:00:00.000Z", "Europe/Stockholm")).toBe("2026-10-09");
  });
});
