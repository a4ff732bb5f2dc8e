import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHtmlReport } from "../../../src/report/html/html-report.js";
import { SAMPLE_USERS, SAMPLE_WEEKS } from "./html-report-fixture.js";
import { writeEngineReportFile } from "./html-report-run-fixture.js";

/** Debian's Chromium (apt-get install chromium); never a downloaded browser build. */
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";
const REPORTS_DIR = resolve(import.meta.dirname, "../../../reports");
const SKIP_REASON = `SKIPPED: ${CHROMIUM} not found (install Debian's package: apt-get install -y chromium); with CI=true this fails instead`;

if (!haveChromium && !inCi) process.stderr.write(`browser.test.ts ${SKIP_REASON}\n`);

it.runIf(!haveChromium && inCi)("has Debian's Chromium to drive in CI", () => {
  throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must install Debian's chromium package`);
});

describe.skipIf(!haveChromium && !inCi)(`HTML report in Chromium${haveChromium || inCi ? "" : ` — ${SKIP_REASON}`}`, () => {
  let dir: string;
  let browser: Browser;
  let reportUrl: string;
  let pagedUrl: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must install Debian's chromium package`);
    dir = mkdtempSync(join(tmpdir(), "toki-html-report-"));
    // Four users over eight weeks, compared by the parity engine and written by the report store.
    writeEngineReportFile(join(dir, "report.sqlite"));
    await writeHtmlReport({ reportFile: join(dir, "report.sqlite"), outFile: join(dir, "report.html"), clock: () => new Date("2026-03-02T07:00:00Z") });
    reportUrl = pathToFileURL(join(dir, "report.html")).href;

    // A second file where 250 of user 101's registrations never reached Kleer: more than one page of 100 rows.
    writeEngineReportFile(join(dir, "paged.sqlite"), { extraMissingFor101: 250 });
    await writeHtmlReport({ reportFile: join(dir, "paged.sqlite"), outFile: join(dir, "paged.html"), rowsPerPage: 100 });
    pagedUrl = pathToFileURL(join(dir, "paged.html")).href;

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(url: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(url, { waitUntil: "load" });
    return { page, requests, problems };
  }

  it("renders every chart with its series, opens a user's details, loads nothing else, prints", async () => {
    const { page, requests, problems } = await open(reportUrl);

    expect(await page.locator(".verdict .headline").innerText()).toContain("Not ready for cutover");
    // The inline script ran under the page's hash-pinned CSP.
    expect(await page.evaluate(() => document.documentElement.classList.contains("js"))).toBe(true);

    const charts = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((svg) => ({
        id: svg.id,
        declared: Number(svg.getAttribute("data-series-count")),
        series: svg.querySelectorAll("g.series").length,
        markers: Array.from(svg.querySelectorAll("g.series")).map((g) => g.querySelectorAll("circle, rect, path:not([fill='none'])").length),
        title: svg.querySelector("title")?.textContent ?? "",
      })),
    );
    expect(charts).toHaveLength(SAMPLE_USERS.length * 5);
    for (const chart of charts) {
      const drift = chart.id.endsWith("-chart-drift");
      expect(chart.series, chart.id).toBe(drift ? 1 : 2);
      expect(chart.declared, chart.id).toBe(chart.series);
      expect(chart.title).not.toBe("");
    }
    // One marker per week and series.
    for (const chart of charts) expect(chart.markers, chart.id).toEqual(chart.series === 2 ? [SAMPLE_WEEKS, SAMPLE_WEEKS] : [SAMPLE_WEEKS]);

    // Details start collapsed; following the user's link opens them.
    const details = page.locator("details#user-102");
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.locator("#user-102-findings").isVisible()).toBe(false);
    await page.locator('#users-table a[href="#user-102"]').click();
    await expect.poll(() => details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.locator("#user-102-findings").isVisible()).toBe(true);
    expect(await page.locator("#user-102-findings caption").innerText()).toContain("Findings for user102@example.se · Toki 102");
    const chart = page.locator("#user-102-chart-drift");
    expect(await chart.isVisible()).toBe(true);
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(250);
    expect(await chart.locator("g.series path").first().evaluate((p) => (p as SVGPathElement).getTotalLength())).toBeGreaterThan(100);

    // A summary click opens another user's details too.
    await page.locator("details#user-101 > summary").click();
    expect(await page.locator("#user-101-findings").isVisible()).toBe(true);
    // The note holding a <script> stayed text.
    expect(await page.locator("#user-101-findings del").first().innerText()).toContain("<script>");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();

    // The screenshot shows user 101 open: charts, hours and note differences side by side.
    mkdirSync(REPORTS_DIR, { recursive: true });
    await page.locator("details#user-102 > summary").click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(REPORTS_DIR, "html-report.png"), fullPage: true });

    // Printing expands every collapsed section and drops the navigation.
    expect(await page.locator("#user-103-findings").isVisible()).toBe(false);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#user-103-findings").isVisible()).toBe(true);
    expect(await page.locator("#user-104-data").isVisible()).toBe(true);
    expect(await page.locator("nav").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");

    expect(requests).toEqual([reportUrl]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows long tables a page at a time and reveals the rest on request", async () => {
    const { page, requests, problems } = await open(`${pagedUrl}#user-101`);
    const rows = page.locator("#user-101-findings tbody tr");
    expect(await page.locator("details#user-101").evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    const total = await rows.count();
    expect(total).toBeGreaterThan(250);
    expect(await page.locator("#user-101-findings tbody tr", { hasText: "missing_in_kleer" }).count()).toBe(250);
    const visible = (): Promise<number> => rows.evaluateAll((trs) => trs.filter((tr) => (tr as HTMLElement).offsetParent !== null).length);
    expect(await visible()).toBe(100);
    const more = page.locator("#user-101 .pager button").first();
    expect(await more.innerText()).toBe(`Show 100 more rows (${total - 100} hidden)`);
    await more.click();
    expect(await visible()).toBe(200);
    await page.locator("#user-101 .pager button", { hasText: "Show all rows" }).click();
    expect(await visible()).toBe(total);
    expect(await page.locator("#user-101 .pager").count()).toBe(0);
    expect(requests).toEqual([pagedUrl]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
