import { describe, expect, it } from "vitest";
import { groupRootCauses } from "../../src/report/report-root-causes.js";
import { selectTopCauses, type TopCausesOptions } from "../../src/report/report-top-causes.js";
import type { FindingRecord } from "../../src/report/report-records.js";
import { buildFinding } from "./html/html-report-fixture.js";

const WEEKS = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"];
const endOf = (monday: string) => new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
const OPTIONS: TopCausesOptions = { labelOf: (k) => `Person ${k} · Toki ${k}`, fromDate: "2026-01-05", toDate: "2026-03-01", period: "week" };

/** A user without a Kleer schedule in the given weeks: a warning each week, its flex consequence, and the drift. */
function noSchedule(userKey: number, weeks = WEEKS): FindingRecord[] {
  const out: FindingRecord[] = [];
  for (const date of weeks) {
    const scheduled = buildFinding({ kind: "timeinfo_scheduled_mismatch", severity: "warning", userKey, date, field: "scheduled", legacyValue: "40", kleerValue: "0", details: { periodEnd: endOf(date) }, message: `${date} scheduled 40 h vs 0 h` });
    out.push(scheduled, buildFinding({ kind: "flex_period_mismatch", severity: "info", userKey, date, field: "flex_period", legacyValue: "0", kleerValue: "40", details: { periodEnd: endOf(date) }, causedBy: scheduled.id, message: `${date} flex` }));
  }
  const drift = 40 * weeks.length;
  out.push(buildFinding({ kind: "flex_drift", severity: "warning", userKey, date: weeks[0]!, field: "flex_drift", legacyValue: "0", kleerValue: String(drift), details: { periods: weeks.length, periodEnd: endOf(weeks.at(-1)!) }, message: `drift +${drift} h` }));
  return out;
}

function unmappedProject(userKey: number, legacyId: string): FindingRecord[] {
  const root = buildFinding({ kind: "unmapped_project", severity: "blocking", userKey, date: "2026-02-10", legacyId, legacyValue: "3000", message: "project 3000 unmapped" });
  return [root, buildFinding({ kind: "missing_in_kleer", severity: "blocking", userKey, date: "2026-02-10", legacyId, legacyValue: "0.5", message: "no Kleer event" })];
}

describe("selectTopCauses", () => {
  it("ranks by the problems a cause explains: the user without a Kleer schedule before a single unmapped entry, stated in words", () => {
    const findings = [...unmappedProject(1, "9001"), ...noSchedule(3)];
    const top = selectTopCauses(groupRootCauses(findings, { period: "week" }), OPTIONS);
    expect(top.map((c) => c.key)).toEqual(["period:3:timeinfo_scheduled_mismatch", "unmapped_project:3000"]);
    expect(top[0]).toMatchObject({ severity: "warning", causeIndex: 2 });
    expect(top[0]!.text).toBe(
      "Person 3 · Toki 3: No Kleer schedule: Kleer schedules 0 h in 8 weeks that Milltime schedules; the whole range (2026-01-05 – 2026-03-01), " +
        "17 findings (9 warning, 8 info), Kleer − Milltime −320 h, flex drift +320 h.",
    );
    expect(top[1]).toMatchObject({ severity: "blocking", causeIndex: 1 });
    expect(top[1]!.text).toContain("Person 1 · Toki 1: Milltime project 3000 has no Kleer project in the mapping (1 entry); on 2026-02-10, 2 findings (2 blocking)");
  });

  it("claims the whole range only when every period of it has a finding", () => {
    const some = noSchedule(3, [WEEKS[0]!, WEEKS[7]!]);
    const [top] = selectTopCauses(groupRootCauses(some, { period: "week" }), OPTIONS);
    expect(top!.text).toContain("; 2026-01-05 – 2026-03-01, ");
    expect(top!.text).not.toContain("whole range");
  });

  it("ranks blocking before warnings among causes explaining as many problems, takes three, and leaves out suppressed and info-only ones", () => {
    const info = buildFinding({ kind: "note_mismatch", severity: "info", userKey: 5, date: "2026-01-07", message: "note differs" });
    const suppressed = { ...buildFinding({ kind: "hours_mismatch", severity: "blocking", userKey: 6, date: "2026-01-08", message: "hours differ" }), suppressed: true };
    const warning = buildFinding({ kind: "hours_mismatch", severity: "warning", userKey: 7, date: "2026-01-09", message: "a warning alone" });
    const blocking = buildFinding({ kind: "missing_in_kleer", severity: "blocking", userKey: 8, date: "2026-01-10", legacyId: "42", message: "a blocking alone" });
    const findings = [info, suppressed, warning, blocking, ...noSchedule(3), ...unmappedProject(1, "9001")];
    const top = selectTopCauses(groupRootCauses(findings, { period: "week" }), OPTIONS);
    expect(top.map((c) => c.key)).toEqual(["period:3:timeinfo_scheduled_mismatch", "unmapped_project:3000", `finding:${blocking.id}`]);
    expect(top[2]!.text).toBe("Person 8 · Toki 8: a blocking alone (missing_in_kleer, on 2026-01-10).");
    expect(selectTopCauses(groupRootCauses(findings, { period: "week" }), { ...OPTIONS, limit: 10 }).map((c) => c.key)).toEqual([
      "period:3:timeinfo_scheduled_mismatch",
      "unmapped_project:3000",
      `finding:${blocking.id}`,
      `finding:${warning.id}`,
    ]);
    expect(selectTopCauses(groupRootCauses([info, suppressed], {}), OPTIONS)).toEqual([]);
  });
});
