import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupRootCauses } from "../../src/report/report-root-causes.js";
import { describeValueChange, hoursDifferenceOf } from "../../src/report/report-values.js";
import type { FindingRecord } from "../../src/report/report-records.js";
import { buildFinding } from "./html/html-report-fixture.js";

const WEEKS = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"];
const endOf = (monday: string) => new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);

/** A user without a Kleer schedule: each week's scheduled difference, its flex consequence, and the user's drift. */
function noSchedule(userKey: number, weeks = WEEKS): FindingRecord[] {
  const out: FindingRecord[] = [];
  for (const date of weeks) {
    const scheduled = buildFinding({ kind: "timeinfo_scheduled_mismatch", severity: "warning", userKey, date, field: "scheduled", legacyValue: "40", kleerValue: "0", details: { periodEnd: endOf(date) }, message: `${date} scheduled 40 h vs 0 h` });
    out.push(scheduled);
    out.push(buildFinding({ kind: "flex_period_mismatch", severity: "info", userKey, date, field: "flex_period", legacyValue: "0", kleerValue: "40", details: { periodEnd: endOf(date) }, causedBy: scheduled.id, message: `${date} flex 0 h vs 40 h` }));
  }
  const drift = 40 * weeks.length;
  out.push(buildFinding({ kind: "flex_drift", severity: "warning", userKey, date: weeks[0]!, field: "flex_drift", legacyValue: "0", kleerValue: String(drift), details: { periods: weeks.length, periodEnd: endOf(weeks.at(-1)!) }, message: `drift +${drift} h` }));
  return out;
}

const ids = (fs: readonly FindingRecord[]) => fs.map((f) => f.id).sort((a, b) => a - b);
const everyId = (g: ReturnType<typeof groupRootCauses>) =>
  [...g.causes.flatMap((c) => [...c.items, ...c.explained].flatMap((i) => [i.finding, ...i.consequences])), ...g.standalone].map((f) => f.id).sort((a, b) => a - b);

describe("groupRootCauses", () => {
  it("makes a user without a Kleer schedule one cause: count, span, hours, the weeks under it and the drift it explains", () => {
    const findings = noSchedule(3);
    const { causes, standalone } = groupRootCauses(findings, { period: "week" });
    expect(standalone).toEqual([]);
    expect(causes).toHaveLength(1);
    const cause = causes[0]!;
    expect(cause).toMatchObject({
      key: "period:3:timeinfo_scheduled_mismatch",
      pattern: "no_kleer_schedule",
      severity: "warning",
      userKeys: [3],
      count: 17,
      counts: { blocking: 0, warning: 9, info: 8 },
      firstDate: "2026-01-05",
      lastDate: "2026-03-01",
      hours: -320,
      hoursMeaning: "kleer_minus_milltime",
    });
    expect(cause.title).toBe("No Kleer schedule: Kleer schedules 0 h in 8 weeks that Milltime schedules");
    expect(cause.items.map((i) => i.finding.date)).toEqual(WEEKS);
    expect(cause.items.every((i) => i.consequences.length === 1 && i.consequences[0]!.kind === "flex_period_mismatch")).toBe(true);
    expect(cause.explained.map((i) => i.finding.kind)).toEqual(["flex_drift"]);
  });

  it("leaves a drift the schedule does not account for on its own", () => {
    const findings = noSchedule(3).map((f) => (f.kind === "flex_drift" ? { ...f, kleerValue: "400" } : f));
    const { causes, standalone } = groupRootCauses(findings);
    expect(causes[0]!.explained).toEqual([]);
    expect(standalone.map((f) => f.kind)).toEqual(["flex_drift"]);
  });

  it("names an employment rate that differs when Kleer schedules the same share every week", () => {
    const findings = WEEKS.slice(0, 6).map((date, i) =>
      buildFinding({ kind: "timeinfo_scheduled_mismatch", severity: "warning", userKey: 4, date, field: "scheduled", legacyValue: i === 2 ? "32" : "40", kleerValue: i === 2 ? "25.6" : "32", message: "scheduled" }),
    );
    const [cause] = groupRootCauses(findings, { period: "week" }).causes;
    expect(cause).toMatchObject({ pattern: "schedule_rate", count: 6, hours: -46.4, firstDate: "2026-01-05", lastDate: "2026-02-09" });
    expect(cause!.title).toBe("Kleer schedules 80 % of Milltime's hours in 6 weeks: the employment rate differs");
  });

  it("groups an unmapped Milltime project over every entry and user, with the missing entries it explains and their hours", () => {
    const findings: FindingRecord[] = [];
    const hours = new Map<string, number>();
    for (const [userKey, legacyId, h] of [[1, "401", 2], [1, "402", 1.5], [2, "501", 4]] as const) {
      hours.set(`${userKey}:${legacyId}`, h);
      findings.push(buildFinding({ kind: "unmapped_project", severity: "blocking", userKey, date: "2026-01-07", legacyId, field: "project", legacyValue: "3000048", details: { milltimeProjectName: "Intern tid" }, message: "unmapped" }));
      findings.push(buildFinding({ kind: "missing_in_kleer", severity: "blocking", userKey, date: "2026-01-07", legacyId, field: "entry", legacyValue: String(h), message: "missing" }));
    }
    // A missing entry of another project stays a problem of its own.
    const other = buildFinding({ kind: "missing_in_kleer", severity: "blocking", userKey: 1, date: "2026-01-08", legacyId: "403", field: "entry", legacyValue: "1", message: "missing" });
    findings.push(other);
    const { causes, standalone } = groupRootCauses(findings, { entryHours: (u, l) => hours.get(`${u}:${l}`) ?? null });
    expect(standalone).toEqual([other]);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ key: "unmapped_project:3000048", pattern: "unmapped", userKeys: [1, 2], count: 6, counts: { blocking: 6, warning: 0, info: 0 }, hours: 7.5, hoursMeaning: "legacy_entries" });
    expect(causes[0]!.title).toBe('Milltime project 3000048 "Intern tid" has no Kleer project in the mapping (3 entries)');
    // Without the run's entries the missing findings' own hours still give the total.
    expect(groupRootCauses(findings).causes[0]!.hours).toBe(7.5);
  });

  it("groups a project mapped wrong on many entries, company-wide, by the pair of ids", () => {
    const pm = (userKey: number, legacyId: string, kleerValue: string) =>
      buildFinding({ kind: "project_mismatch", severity: "blocking", userKey, date: "2026-01-07", legacyId, kleerId: `7${legacyId}`, field: "project", legacyValue: "902", kleerValue, details: { milltimeProjectId: "3001", milltimeProjectName: "Kundportal", kleerProjectName: "Intranät" }, message: "project" });
    const { causes, standalone } = groupRootCauses([pm(1, "401", "901"), pm(2, "501", "901"), pm(2, "502", "903")]);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ key: "project_mismatch:project:902→901", userKeys: [1, 2], count: 2 });
    expect(causes[0]!.title).toBe('project mismatch on 2 entries: Milltime 3001 "Kundportal" (mapped to Kleer 902) → Kleer 901 "Intranät"');
    expect(standalone.map((f) => f.kleerValue)).toEqual(["903"]);
  });

  it("keeps a root with its consequences as one cause and never groups suppressed findings", () => {
    const worked = buildFinding({ kind: "timeinfo_worked_mismatch", severity: "warning", userKey: 5, date: WEEKS[0]!, field: "worked", legacyValue: "40", kleerValue: "38", message: "worked" });
    const covered = buildFinding({ kind: "timeinfo_covered_mismatch", severity: "warning", userKey: 5, date: WEEKS[0]!, field: "covered", legacyValue: "40", kleerValue: "38", causedBy: worked.id, message: "covered" });
    const hidden = WEEKS.slice(1, 3).map((date) => buildFinding({ kind: "timeinfo_worked_mismatch", severity: "warning", userKey: 5, date, field: "worked", legacyValue: "40", kleerValue: "39", suppressed: true, suppressionReason: "known", message: "worked" }));
    const { causes, standalone } = groupRootCauses([worked, covered, ...hidden]);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ pattern: "period_difference", count: 2, hours: -2 });
    expect(causes[0]!.items).toEqual([{ finding: worked, consequences: [covered] }]);
    expect(ids(standalone)).toEqual(ids(hidden));
  });

  it("does not fold a blocking consequence under a warning root: it stands alone", () => {
    const worked = buildFinding({ kind: "timeinfo_worked_mismatch", severity: "warning", userKey: 6, date: WEEKS[0]!, field: "worked", legacyValue: "40", kleerValue: "38", message: "worked" });
    const flex = buildFinding({ kind: "flex_period_mismatch", severity: "blocking", userKey: 6, date: WEEKS[0]!, field: "flex_period", legacyValue: "0", kleerValue: "-2", causedBy: worked.id, message: "flex" });
    const { causes, standalone } = groupRootCauses([worked, flex]);
    expect(causes).toEqual([]);
    expect(ids(standalone)).toEqual(ids([worked, flex]));
  });

  it("orders causes blocking first, then by size", () => {
    const unmapped = [1, 2].flatMap((n) => [buildFinding({ kind: "unmapped_activity", severity: "blocking", userKey: 1, date: "2026-01-07", legacyId: `40${n}`, field: "activity", legacyValue: "77", message: "unmapped" })]);
    const { causes } = groupRootCauses([...noSchedule(3), ...unmapped]);
    expect(causes.map((c) => c.key)).toEqual(["unmapped_activity:77", "period:3:timeinfo_scheduled_mismatch"]);
  });

  const KINDS = ["timeinfo_scheduled_mismatch", "flex_period_mismatch", "flex_drift", "unmapped_project", "missing_in_kleer", "project_mismatch", "hours_mismatch", "editability_regression"] as const;
  const SEVERITIES = ["blocking", "warning", "info"] as const;

  it("hides nothing: every finding is in exactly one cause or standalone, and the severity counts add up", () => {
    const arbFinding = fc.record({
      kind: fc.constantFrom(...KINDS),
      severity: fc.constantFrom(...SEVERITIES),
      userKey: fc.integer({ min: 1, max: 3 }),
      week: fc.integer({ min: 0, max: 3 }),
      legacyId: fc.constantFrom("401", "402", "403"),
      legacyValue: fc.constantFrom("40", "0", "902", "3000"),
      kleerValue: fc.constantFrom("0", "32", "901", null),
      suppressed: fc.boolean(),
      causedBy: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 40 }), (drafts) => {
        const findings = drafts.map((d, i) =>
          buildFinding({
            id: i + 1,
            kind: d.kind,
            severity: d.severity,
            userKey: d.userKey,
            date: WEEKS[d.week]!,
            legacyId: d.legacyId,
            field: d.kind === "flex_drift" ? "flex_drift" : "scheduled",
            legacyValue: d.legacyValue,
            kleerValue: d.kleerValue,
            suppressed: d.suppressed,
            causedBy: d.causedBy !== null && d.causedBy < i + 1 ? d.causedBy : null,
            message: d.kind,
          }),
        );
        const groups = groupRootCauses(findings);
        expect(everyId(groups)).toEqual(ids(findings));
        const blocking = findings.filter((f) => f.severity === "blocking").length;
        expect(groups.causes.reduce((n, c) => n + c.counts.blocking, 0) + groups.standalone.filter((f) => f.severity === "blocking").length).toBe(blocking);
        expect(groups.causes.every((c) => c.count >= 2 && c.count === c.counts.blocking + c.counts.warning + c.counts.info)).toBe(true);
        // A suppressed finding never joins a group of other findings.
        for (const c of groups.causes) for (const i of [...c.items, ...c.explained]) expect(i.finding.suppressed && c.items.length + c.explained.length > 1).toBe(false);
      }),
    );
  });
});

describe("the difference of an id-valued field", () => {
  it("is Milltime X → Kleer Y with the names the finding carries, never a number", () => {
    const project = buildFinding({ kind: "project_mismatch", severity: "blocking", field: "project", legacyValue: "902", kleerValue: "901", details: { milltimeProjectId: "300000000000241983", milltimeProjectName: "Kundportal Västra Götaland", kleerProjectName: "Intranät förnyelse" }, message: "p" });
    expect(describeValueChange(project)).toBe('Milltime 300000000000241983 "Kundportal Västra Götaland" (mapped to Kleer 902) → Kleer 901 "Intranät förnyelse"');
    expect(hoursDifferenceOf(project)).toBeNull();
    // A file written before the names were recorded still reads as a change of ids.
    expect(describeValueChange({ ...project, details: null })).toBe("Milltime (mapped to Kleer 902) → Kleer 901");
    const activity = buildFinding({ kind: "activity_mismatch", severity: "blocking", field: "activity", legacyValue: "22432", kleerValue: "22428", details: { milltimeActivityId: "2012", milltimeActivityName: "Support", kleerActivityName: "Möte" }, message: "a" });
    expect(describeValueChange(activity)).toBe('Milltime 2012 "Support" (mapped to Kleer 22432) → Kleer 22428 "Möte"');
    expect(describeValueChange(buildFinding({ kind: "date_mismatch", severity: "blocking", field: "date", legacyValue: "2026-10-13", kleerValue: "2026-10-12", message: "d" }))).toBe("Milltime 2026-10-13 → Kleer 2026-10-12 (1 day earlier in Kleer)");
    expect(describeValueChange(buildFinding({ kind: "editability_regression", severity: "blocking", field: "editability", legacyValue: "week", kleerValue: "open", message: "e" }))).toBe("Milltime attest level week → Kleer open");
  });

  it("is a number only for hours fields", () => {
    const hours = buildFinding({ kind: "hours_mismatch", severity: "blocking", field: "hours", legacyValue: "2", kleerValue: "2.25", message: "h" });
    expect(hoursDifferenceOf(hours)).toBe(0.25);
    expect(describeValueChange(hours)).toBeNull();
    expect(hoursDifferenceOf(buildFinding({ kind: "unmapped_user", severity: "blocking", field: "kleer_user_id", legacyValue: "210", kleerValue: "209", message: "u" }))).toBeNull();
  });
});
