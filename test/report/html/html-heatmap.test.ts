import { describe, expect, it } from "vitest";
import { buildHtmlReportModel } from "../../../src/report/html/html-report-model.js";
import { renderHtmlReport } from "../../../src/report/html/html-report-render.js";
import { periodAnchors } from "../../../src/report/html/html-period-anchor.js";
import type { HtmlReportInput } from "../../../src/report/html/html-report-input.js";
import { buildSampleInput, SAMPLE_FIRST_MONDAY, SAMPLE_USERS, SAMPLE_WEEKS } from "./html-report-fixture.js";
import { addDays } from "../../../src/domain/calendar.js";

function render(input: HtmlReportInput = buildSampleInput(), options: Parameters<typeof renderHtmlReport>[1] = {}): string {
  return renderHtmlReport(buildHtmlReportModel(input), options);
}

function heatmapOf(html: string): string {
  const m = /<table class="heatmap" id="overview-heatmap">[\s\S]*?<\/table>/.exec(html);
  if (!m) throw new Error("no heatmap in the page");
  return m[0];
}

const idsOf = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
const hrefsOf = (html: string) => [...html.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]!);

describe("overview heatmap links", () => {
  it("links every user × period cell to an element id of the page: that user's row for that period", () => {
    const html = render();
    const heat = heatmapOf(html);
    const hrefs = hrefsOf(heat);
    expect(hrefs).toHaveLength(SAMPLE_USERS.length * SAMPLE_WEEKS);
    const ids = idsOf(html);
    for (const href of hrefs) expect(ids.has(href), `#${href} resolves`).toBe(true);
    // Each target is a period row of the user's chart-data table, inside the user's section.
    const week3 = addDays(SAMPLE_FIRST_MONDAY, 14);
    expect(hrefs).toContain(`user-102-p${week3}`);
    const row = new RegExp(`<details class="user" id="user-102">(?:(?!<details class="user").)*<tr id="user-102-p${week3}"><th scope="row">W\\d+ <small>${week3}</small><td>`, "s");
    expect(html).toMatch(row);
    expect(new Set(hrefs).size).toBe(hrefs.length);
  });

  it("has no link for a user without a detail section, and still resolves every other link", () => {
    const html = render(buildSampleInput(), { maxUserDetails: 1 });
    const hrefs = hrefsOf(heatmapOf(html));
    expect(hrefs.length).toBe(SAMPLE_WEEKS);
    const ids = idsOf(html);
    for (const href of hrefs) expect(ids.has(href)).toBe(true);
  });

  it("keeps a user read for fewer periods in the right columns", () => {
    const input = buildSampleInput();
    const late = addDays(SAMPLE_FIRST_MONDAY, 7 * (SAMPLE_WEEKS - 2));
    // User 103 was only read for the last two weeks.
    input.timeInfo = input.timeInfo.filter((t) => t.userKey !== 103 || t.periodStart >= late);
    const heat = heatmapOf(render(input));
    const row = /<tr><th scope="row">[^<]*Toki (?:user )?103<\/th>(.*?)<\/tr>/.exec(heat)?.[1] ?? "";
    const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);
    expect(cells).toHaveLength(SAMPLE_WEEKS);
    expect(cells.slice(0, SAMPLE_WEEKS - 2).every((c) => c === "–")).toBe(true);
    expect(cells[SAMPLE_WEEKS - 2]).toContain(`href="#user-103-p${late}"`);
  });

  it("derives stable ids from the user and the period's first day, adding the last day only when two periods share it", () => {
    const p = (periodStart: string, periodEnd: string) => ({ periodStart, periodEnd }) as Parameters<typeof periodAnchors>[1][number];
    expect(periodAnchors("user-3", [p("2026-03-02", "2026-03-08"), p("2026-03-09", "2026-03-15")])).toEqual(["user-3-p2026-03-02", "user-3-p2026-03-09"]);
    expect(periodAnchors("user-3", [p("2026-03-01", "2026-03-07"), p("2026-03-01", "2026-03-31")])).toEqual(["user-3-p2026-03-01-2026-03-07", "user-3-p2026-03-01-2026-03-31"]);
  });
});
