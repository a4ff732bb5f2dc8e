import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildHtmlReportModel } from "../../../src/report/html/html-report-model.js";
import { renderHtmlReport } from "../../../src/report/html/html-report-render.js";
import { renderNoteDiff } from "../../../src/report/html/html-note-diff.js";
import { renderTable } from "../../../src/report/html/html-table.js";
import { escapeHtml, formatSignedHours } from "../../../src/report/html/html-format.js";
import type { FindingRecord, HtmlReportInput } from "../../../src/report/html/html-report-input.js";
import { buildFinding, buildSampleInput, SCRIPT_NOTE } from "./html-report-fixture.js";

function render(input: HtmlReportInput = buildSampleInput(), options: Parameters<typeof renderHtmlReport>[1] = {}): string {
  return renderHtmlReport(buildHtmlReportModel(input), options);
}

function count(haystack: string, needle: RegExp): number {
  return [...haystack.matchAll(needle)].length;
}

function manyFindings(n: number, userKey: number): FindingRecord[] {
  return Array.from({ length: n }, (_, i) =>
    buildFinding({ kind: "hours_mismatch", severity: "blocking", userKey, date: "2026-01-05", legacyId: `L${String(i).padStart(5, "0")}`, kleerId: `K${i}`, field: "hours", legacyValue: "1", kleerValue: "2", message: `row ${i}` }),
  );
}

describe("renderHtmlReport", () => {
  const html = render();

  it("escapes every text: a note holding a script stays text", () => {
    expect(html).toContain(escapeHtml(SCRIPT_NOTE));
    expect(html).not.toContain("<script>window.__pwned");
    expect(count(html, /<script/g)).toBe(1);
    const input = buildSampleInput();
    input.findings = [...input.findings, buildFinding({ kind: `<img src=x onerror="alert(1)">`, severity: "info", userKey: 101, field: "</td>", message: "<b>bold</b>" })];
    input.run = { ...input.run, command: `compare"><b>`, errorMessage: "<i>x</i>" };
    input.suppressions = [{ ...input.suppressions[0]!, reason: "<u>reason</u>" }];
    const hostile = render(input);
    expect(hostile).not.toContain("<img src=x");
    expect(hostile).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(hostile).not.toContain(`compare"><b>`);
    for (const tag of ["<b>bold", "<i>x", "<u>reason", "</td></span>"]) expect(hostile).not.toContain(tag);
  });

  it("references nothing outside the file: no src, only in-page links, no CSS urls", () => {
    expect(html.match(/\ssrc\s*=/i)).toBeNull();
    expect(html.match(/<link\b/i)).toBeNull();
    expect(html.match(/@import|url\(/i)).toBeNull();
    const hrefs = [...html.matchAll(/\shref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(5);
    for (const href of hrefs) expect(href).toMatch(/^#[A-Za-z0-9_-]+$/);
    // The only absolute URL is the Kleer base URL, as plain text in the run options.
    const withoutOptions = html.replace(/<pre>[\s\S]*?<\/pre>/g, "");
    expect(withoutOptions.match(/https?:\/\//)).toBeNull();
  });

  it("pins its inline style and script in a Content-Security-Policy that forbids fetching", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = (t: string): string => createHash("sha256").update(t).digest("base64");
    expect(csp).toContain("default-src &#39;none&#39;");
    expect(csp).toContain(`script-src &#39;sha256-${hash(script)}&#39;`);
    expect(csp).toContain(`style-src &#39;sha256-${hash(style)}&#39;`);
  });

  it("shows the verdict, counts by kind, per-user rows linking to details, balances and regressions", () => {
    expect(html).toContain("Not ready for cutover");
    expect(html).toMatch(/<th scope="row"><code class="kind"[^>]*>editability_regression<\/code><\/th><td>[^<]*<\/td><td class="num">2<\/td>/);
    for (const user of ["101", "102", "103", "104"]) {
      expect(html).toContain(`<a href="#user-${user}">Toki user ${user}</a>`);
      expect(html).toContain(`<details class="user" id="user-${user}">`);
    }
    expect(html).toMatch(/id="opening-balances"[\s\S]*<strong>\+3\.25<\/strong>/);
    expect(html).toContain("20260302T060000Z-0001");
    expect(html).toContain("Editability regressions: 2 entries locked in Milltime but editable in Kleer");
    expect(html).toContain("Payroll closed February in Kleer first (agreed with HR)");
    expect(html).not.toContain("kleer-secret-token-123");
  });

  it("is accessible: captions, scoped headers, charts with title, desc and a data table", () => {
    const tables = count(html, /<table\b/g);
    expect(count(html, /<caption>/g)).toBe(tables);
    expect(html.match(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/)).toBeNull();
    const charts = [...html.matchAll(/<svg class="chart"[^>]*>[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(charts).toHaveLength(4 * 5);
    for (const svg of charts) {
      expect(svg).toMatch(/role="img" aria-labelledby="([^" ]+)-title \1-desc"/);
      expect(svg).toMatch(/<title id="[^"]+-title">[^<]+<\/title><desc id="[^"]+-desc">[^<]+<\/desc>/);
    }
    expect(count(html, /<details class="chart-data">/g)).toBe(4);
    expect(html).toContain("@media print");
  });

  it("collapses long tables into pages and caps the rendered rows with a note", () => {
    const input = buildSampleInput();
    input.findings = [...input.findings, ...manyFindings(2600, 101)];
    const big = render(input, { rowsPerPage: 100, maxRowsPerTable: 2000 });
    const table = /<table class="data findings" id="user-101-findings"[^>]*>[\s\S]*?<\/table>/.exec(big)![0];
    expect(table).toContain('data-paged="100" data-rows="2000"');
    expect(count(table, /<tr class="finding/g)).toBe(2000);
    expect(count(table, /<tbody class="more">/g)).toBe(19);
    expect(big).toContain("Showing the first 2,000 of 2,604 rows; 604 more are not rendered");
    expect(count(render(), /data-paged=/g)).toBe(0);
  });

  it("renders detail sections for the users needing attention first when there are too many", () => {
    const input = buildSampleInput();
    const limited = render(input, { maxUserDetails: 2 });
    expect(count(limited, /<details class="user"/g)).toBe(2);
    expect(limited).toContain("Details are rendered for 2 of 4 users");
    // 102 and 103 have two blocking findings each; 101 and 104 one.
    expect(limited).toContain('<details class="user" id="user-102">');
    expect(limited).toContain('<details class="user" id="user-103">');
    expect(limited).not.toContain('href="#user-101"');
  });
});

describe("renderNoteDiff", () => {
  it("marks removed and added words and escapes them", () => {
    const out = renderNoteDiff("fix <b> bug", "fix the bug");
    expect(out).toContain('<del><span class="sr-only">removed: </span>&lt;b&gt;</del>');
    expect(out).toContain('<ins><span class="sr-only">added: </span>the</ins>');
    expect(out).toContain("<span>fix </span>");
    expect(renderNoteDiff(null, "new note")).toBe('<span class="note-diff"><ins><span class="sr-only">added: </span>new note</ins></span>');
  });
});

describe("renderTable", () => {
  const spec = {
    id: "t",
    caption: "Things",
    columns: [{ label: "Name" }, { label: "n", numeric: true }],
    items: Array.from({ length: 250 }, (_, i) => i),
    renderRow: (i: number) => [`item ${i}`, String(i)],
    rowHeader: true,
    emptyText: "none",
  };

  it("splits rows into pages of rowsPerPage, each its own tbody", () => {
    const out = renderTable(spec, { rowsPerPage: 100, maxRowsPerTable: 2000 });
    expect(count(out, /<tbody>/g)).toBe(1);
    expect(count(out, /<tbody class="more">/g)).toBe(2);
    expect(count(out, /<tr>/g)).toBe(250 + 1);
    expect(out).toContain('<th scope="row">item 0</th><td class="num">0</td>');
    expect(out).not.toContain("table-note");
  });

  it("renders at most maxRowsPerTable rows and says so", () => {
    const out = renderTable({ ...spec, fullListHint: "See the JSON export." }, { rowsPerPage: 50, maxRowsPerTable: 120 });
    expect(count(out, /<tr>/g)).toBe(120 + 1);
    expect(out).toContain("Showing the first 120 of 250 rows; 130 more are not rendered to keep this page usable. See the JSON export.");
  });

  it("shows the empty text instead of an empty table", () => {
    expect(renderTable({ ...spec, items: [] })).toBe('<p class="empty" id="t">none</p>');
  });
});

describe("formatSignedHours", () => {
  it.each([
    [1.5, "+1.5"],
    [-0.25, "−0.25"],
    [0.0000001, "0"],
    [null, "—"],
    [1234.5, "+1,234.5"],
  ])("%s → %s", (value, expected) => {
    expect(formatSignedHours(value)).toBe(expected);
  });
});
