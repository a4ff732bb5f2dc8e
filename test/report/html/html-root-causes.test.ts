import { describe, expect, it } from "vitest";
import { buildHtmlReportModel } from "../../../src/report/html/html-report-model.js";
import { renderHtmlReport } from "../../../src/report/html/html-report-render.js";
import { renderDifference } from "../../../src/report/html/html-findings.js";
import { MAX_CAUSE_ROWS, MAX_RENDERED_CAUSES } from "../../../src/report/html/html-root-causes.js";
import type { FindingRecord } from "../../../src/report/report-records.js";
import { buildFinding, buildSampleInput, SAMPLE_FIRST_MONDAY } from "./html-report-fixture.js";

const WEEKS = Array.from({ length: 8 }, (_, i) => new Date(Date.parse(`${SAMPLE_FIRST_MONDAY}T00:00:00Z`) + i * 7 * 86_400_000).toISOString().slice(0, 10));
const sunday = (monday: string) => new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);

/** User 103 has no Kleer schedule: 8 scheduled differences, each with its flex consequence. */
function noScheduleFindings(): FindingRecord[] {
  return WEEKS.flatMap((date) => {
    const root = buildFinding({ kind: "timeinfo_scheduled_mismatch", severity: "warning", userKey: 103, date, field: "scheduled", legacyValue: "40", kleerValue: "0", details: { periodEnd: sunday(date) }, message: `${date} scheduled 40 h in Milltime, 0 h in Kleer` });
    const flex = buildFinding({ kind: "flex_period_mismatch", severity: "info", userKey: 103, date, field: "flex_period", legacyValue: "0", kleerValue: "40", details: { periodEnd: sunday(date) }, causedBy: root.id, message: `${date} flex 0 h in Milltime, 40 h in Kleer` });
    return [root, flex];
  });
}

function render(findings: FindingRecord[], options: Parameters<typeof renderHtmlReport>[1] = {}): string {
  const input = buildSampleInput();
  input.findings = [...input.findings, ...findings];
  return renderHtmlReport(buildHtmlReportModel(input), options);
}

const section = (html: string, id: string) => new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? "";
const findingIds = (html: string) => [...html.matchAll(/data-finding="(\d+)"/g)].map((m) => Number(m[1]));

describe("root causes in the HTML report", () => {
  it("shows a user without a Kleer schedule as one item with count, span and hours, the rows behind it in a <details>", () => {
    const findings = noScheduleFindings();
    const html = render(findings);
    const causes = section(html, "root-causes");
    const item = /<details class="cause" id="cause-\d+" data-cause="period:103:timeinfo_scheduled_mismatch" data-count="16">[\s\S]*?<\/details><\/li>/.exec(causes)?.[0];
    expect(item).toBeDefined();
    expect(item).toContain("No Kleer schedule: Kleer schedules 0 h in 8 weeks that Milltime schedules");
    expect(item).toContain("16 findings (8 warning, 8 info)");
    expect(item).toContain(`${WEEKS[0]} – ${sunday(WEEKS[7]!)}`);
    expect(item).toContain("Kleer − Milltime −320 h");
    // Closed by default; its rows are the 8 roots, each flex difference nested under its week.
    expect(item).not.toMatch(/<details class="cause"[^>]* open/);
    expect(item!.match(/<tr class="finding/g)).toHaveLength(8);
    expect(item!.match(/<li class="consequence/g)).toHaveLength(8);
    expect(new Set(findingIds(item!))).toEqual(new Set(findings.map((f) => f.id)));
    expect(html).toContain('<li><a href="#root-causes">Root causes</a></li>');
  });

  it("nests consequences under their root in the user's findings and lists every finding exactly once", () => {
    const findings = noScheduleFindings();
    const html = render(findings);
    const details = section(html, "user-details");
    const table = /<table class="data findings" id="user-103-findings"[\s\S]*?<\/table>/.exec(details)![0];
    const roots = findings.filter((f) => f.causedBy === null);
    for (const root of roots) {
      const row = new RegExp(`<tr class="finding[^"]*" data-finding="${root.id}"[\\s\\S]*?</tr>`).exec(table)![0];
      const flex = findings.find((f) => f.causedBy === root.id)!;
      expect(row).toContain(`<details class="consequences"><summary>↳ 1 consequence of this finding (1 info)</summary>`);
      expect(row).toContain(`data-finding="${flex.id}"`);
    }
    expect(table).toContain("8 consequences listed under their roots");
    const all = buildSampleInput().findings.length + findings.length;
    const ids = findingIds(details);
    expect(ids).toHaveLength(all);
    expect(new Set(ids).size).toBe(all);
  });

  it("keeps the verdict's blocking count whatever the grouping shows", () => {
    const unmapped = [1, 2, 3].map((n) =>
      buildFinding({ kind: "unmapped_project", severity: "blocking", userKey: 101, date: WEEKS[1]!, legacyId: `4000000000001900${n}`, field: "project", legacyValue: "3000009", details: { milltimeProjectName: "Intern" }, message: "unmapped" }),
    );
    const input = buildSampleInput();
    const before = buildHtmlReportModel(input).totals.findings.blocking;
    input.findings = [...input.findings, ...unmapped];
    const model = buildHtmlReportModel(input);
    expect(model.totals.findings.blocking).toBe(before + 3);
    expect(model.rootCauses.find((c) => c.key === "unmapped_project:3000009")).toMatchObject({ count: 3, counts: { blocking: 3, warning: 0, info: 0 } });
    const html = renderHtmlReport(model);
    expect(section(html, "verdict")).toContain(`${before + 3} blocking`);
    expect(section(html, "root-causes")).toContain("Milltime project 3000009 &quot;Intern&quot; has no Kleer project in the mapping (3 entries)");
  });
});

describe("root causes of a large run", () => {
  it("renders the rows of causes up to a budget, so a large run does not carry its findings twice", () => {
    const many = Array.from({ length: 220 }, (_, u) =>
      noScheduleFindings().map((f) => ({ ...f, id: 100_000 + u * 100 + f.id % 100, userKey: 1000 + u, causedBy: f.causedBy === null ? null : 100_000 + u * 100 + f.causedBy % 100 })),
    ).flat();
    // Plain (not packed) so the rendered rows can be counted; packing only wraps what is rendered.
    const html = render(many, { maxInlineDetailBytes: Number.POSITIVE_INFINITY });
    const causes = section(html, "root-causes");
    expect(causes.match(/<details class="cause"/g)).toHaveLength(MAX_RENDERED_CAUSES);
    expect(causes).toContain(`Showing the ${MAX_RENDERED_CAUSES} largest of 220 causes`);
    const rendered = findingIds(causes).length;
    expect(rendered).toBeLessThanOrEqual(MAX_CAUSE_ROWS);
    expect(rendered).toBe(Math.floor(MAX_CAUSE_ROWS / 16) * 16);
    expect(causes).toContain("this cause's findings are listed in <a href=\"#user-1199\">the user's details</a>");
  });
});

describe("the Difference cell", () => {
  it("shows a project or activity mismatch as Milltime X → Kleer Y with names, never the difference of two ids", () => {
    const project = buildFinding({
      kind: "project_mismatch",
      severity: "blocking",
      field: "project",
      legacyValue: "902",
      kleerValue: "901",
      details: { milltimeProjectId: "300000000000241983", milltimeProjectName: "Kundportal Västra Götaland", kleerProjectName: "Intranät förnyelse" },
      message: "project",
    });
    const cell = renderDifference(project);
    expect(cell).toBe('<span class="change">Milltime 300000000000241983 &quot;Kundportal Västra Götaland&quot; (mapped to Kleer 902) → Kleer 901 &quot;Intranät förnyelse&quot;</span>');
    expect(cell).not.toMatch(/[−-]1\b/);
    const activity = buildFinding({ kind: "activity_mismatch", severity: "blocking", field: "activity", legacyValue: "22432", kleerValue: "22428", message: "activity" });
    expect(renderDifference(activity)).toBe('<span class="change">Milltime (mapped to Kleer 22432) → Kleer 22428</span>');
    expect(renderDifference(buildFinding({ kind: "hours_mismatch", severity: "blocking", field: "hours", legacyValue: "2", kleerValue: "2.25", message: "h" }))).toBe('<span class="delta">+0.25 h</span>');
    expect(renderDifference(buildFinding({ kind: "editability_regression", severity: "blocking", field: "editability", legacyValue: "week", kleerValue: "open", message: "e" }))).toContain("Milltime attest level week → Kleer open");
  });
});
