import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inRange } from "../../src/domain/calendar.js";
import type { DateRange } from "../../src/domain/time-entry.js";
import { computeWeeklyStats, type WeeklyStats } from "../../src/domain/time-info.js";
import { isAbsence } from "../../src/kleer/kleer-mapping.js";
import type { KleerEvent, KleerPayrollEvent, KleerPayrollSchedule } from "../../src/kleer/kleer-schema.js";
import { computeStatsForPeriods } from "../../src/kleer/kleer-stats.js";
import { buildEvent, buildPayrollEvent, buildSchedule } from "./kleer-builders.js";

/** The reference: one scan of every row per period, the rule as Toki states it (the adapter's reading before the binary search). */
function computeStatsForRange(range: DateRange, events: readonly KleerEvent[], schedule: readonly KleerPayrollSchedule[], payrollEvents: readonly KleerPayrollEvent[]): WeeklyStats {
  let worked = 0;
  for (const e of events) if (e["client-project"] !== null && inRange(e.date, range)) worked += e.hours;
  let scheduled = 0;
  for (const s of schedule) if (inRange(s.date, range)) scheduled += s["actual-hours"];
  let absence = 0;
  for (const p of payrollEvents) if (isAbsence(p.type) && inRange(p.date, range)) absence += p.hours;
  return computeWeeklyStats(worked, scheduled, absence);
}

const day = (n: number) => `2026-05-${String(n).padStart(2, "0")}`;

describe("weekly stats of many periods", () => {
  it("adds each period's rows in the rows' own order, so the sums equal a scan per period to the last bit", () => {
    // 0.1 + 0.2 + 0.3 is 0.6000000000000001; in date order (0.3 + 0.2 + 0.1) it would be 0.6.
    const events = [buildEvent({ date: day(6), hours: 0.1 }), buildEvent({ date: day(5), hours: 0.2 }), buildEvent({ date: day(4), hours: 0.3 })];
    const [stats] = computeStatsForPeriods([{ from: day(4), to: day(10) }], events, [], []);
    expect(stats?.workedHours).toBe(0.1 + 0.2 + 0.3);
    expect(stats).toStrictEqual(computeStatsForRange({ from: day(4), to: day(10) }, events, [], []));
  });

  it("equals computeStatsForRange of each period, whatever the rows, their order and the periods (overlapping, empty, unordered)", () => {
    const date = fc.integer({ min: 1, max: 31 }).map(day);
    const hours = fc.oneof(fc.integer({ min: 0, max: 36_000 }).map((s) => s / 3600), fc.double({ min: -10, max: 24, noNaN: true }));
    const period = fc.tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 9 })).map(([from, length]) => ({ from: day(from), to: day(Math.min(31, from + length)) }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(date, hours, fc.boolean()), { maxLength: 40 }),
        fc.array(fc.tuple(date, hours), { maxLength: 20 }),
        fc.array(fc.tuple(date, hours, fc.constantFrom("VACATION", "WorkHour", "Overtime", "LeaveOfAbsence")), { maxLength: 20 }),
        fc.array(period, { maxLength: 8 }),
        (eventRows, scheduleRows, payrollRows, periods) => {
          const events = eventRows.map(([d, h, withProject]) => buildEvent({ date: d, hours: h, ...(withProject ? {} : { "client-project": undefined }) }));
          const schedule = scheduleRows.map(([d, h]) => buildSchedule(d, h));
          const payroll = payrollRows.map(([d, h, type]) => buildPayrollEvent(d, h, type));
          expect(computeStatsForPeriods(periods, events, schedule, payroll)).toStrictEqual(periods.map((p) => computeStatsForRange(p, events, schedule, payroll)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
