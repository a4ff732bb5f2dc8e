import { describe, expect, it } from "vitest";
import { isoWeekOf, localDateOf, splitByMonth, splitByIsoWeek, instantAt, isIsoDate } from "../../src/domain/calendar.js";

describe("calendar", () => {
  it("gives the ISO week of a date", () => {
    expect(isoWeekOf("2026-05-12")).toBe(20);
    expect(isoWeekOf("2026-01-01")).toBe(1);
    expect(isoWeekOf("2027-01-01")).toBe(53);
  });

  it("gives the local registration day of a just-after-midnight summer start", () => {
    // Monday 2026-06-01 01:30 in Stockholm is 2026-05-31T23:30Z: UTC date and local day differ.
    const start = instantAt("2026-06-01", "01:30", "Europe/Stockholm");
    expect(start).toBe("2026-05-31T23:30:00.000Z");
    expect(localDateOf(start, "Europe/Stockholm")).toBe("2026-06-01");
    expect(localDateOf(start, "UTC")).toBe("2026-05-31");
  });

  it("splits ranges into months and ISO weeks", () => {
    expect(splitByMonth({ from: "2026-01-15", to: "2026-03-02" })).toEqual([
      { from: "2026-01-15", to: "2026-01-31" },
      { from: "2026-02-01", to: "2026-02-28" },
      { from: "2026-03-01", to: "2026-03-02" },
    ]);
    expect(splitByIsoWeek({ from: "2026-05-13", to: "2026-05-25" })).toEqual([
      { from: "2026-05-13", to: "2026-05-17" },
      { from: "2026-05-18", to: "2026-05-24" },
      { from: "2026-05-25", to: "2026-05-25" },
    ]);
  });

  it("rejects impossible dates", () => {
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-02-28")).toBe(true);
  });
});
