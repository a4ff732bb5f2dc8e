import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FILES } from "../../../src/demo/demo-fixtures.js";
import { readFileSync, writeFileSync } from "node:fs";
import { writeHtmlReport } from "../../../src/report/html/html-report.js";
import { runGate } from "../../../src/report/report-gate.js";
import { findingKey } from "../../../src/report/report-diff.js";
import { openReportStore } from "../../../src/report/report-store.js";
import { systemClock } from "../../../src/domain/ports.js";
import { readDemoJson, rehearseDemo } from "../demo-rehearsal.js";

/** Debian's Chromium, as in browser.test.ts. */
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";
const REPORTS_DIR = resolve(import.meta.dirname, "../../../reports");
const DOCS_DIR = resolve(import.meta.dirname, "../../../docs");

if (!haveChromium && !inCi) process.stderr.write(`overview-browser.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium)\n`);

describe.skipIf(!haveChromium && !inCi)("the demo report's company overview in Chromium", () => {
  let dir: string;
  let browser: Browser;
  let url: string;
  let secondRun: string;
  let firstRun: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "toki-overview-"));
    const reportFile = join(dir, "demo.sqlite");
    firstRun = (await rehearseDemo({ reportFile })).runId;
    // The second rehearsal: the planted extra Kleer event 7000015 was deleted (its finding resolves).
    const seed = readDemoJson<{ events: Array<{ id: number }> } & Record<string, unknown>>(DEMO_FILES.kleerSeed);
    secondRun = (await rehearseDemo({ reportFile, kleerSeed: { ...seed, events: seed.events.filter((e) => e.id !== 7000015) } })).runId;
    await writeHtmlReport({ reportFile, outFile: join(dir, "demo.html") });
    url = pathToFileURL(join(dir, "demo.html")).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<{ page: Page; requests: string[]; problems: string[]; openMs: number }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
    await page.goto(url, { waitUntil: "load" });
    const openMs = await page.evaluate(() => performance.getEntriesByType("navigation").map((e) => (e as PerformanceNavigationTiming).loadEventEnd)[0] ?? -1);
    return { page, requests, problems, openMs };
  }

  it("opens on the overview: drift chart sorted by magnitude with the threshold, the +320 h user marked, since-previous-run counts", async () => {
    const { page, requests, problems, openMs } = await open();
    process.stdout.write(`demo report: ${statSync(new URL(url)).size} bytes, opened in ${openMs.toFixed(0)} ms (load event) in Chromium\n`);
    expect(problems).toEqual([]);
    expect(requests.filter((r) => !r.startsWith("file:"))).toEqual([]);
    // The overview is the first section.
    expect(await page.$eval("main > section", (s) => s.id)).toBe("overview");
    const rows = await page.$$eval("#overview-drift-chart g.drift-row", (gs) =>
      gs.map((g) => ({ text: g.textContent ?? "", value: g.querySelector("text:last-of-type")?.textContent ?? "", over: g.classList.contains("over") })),
    );
    const drifts = rows.map((r) => Math.abs(Number(/^([+−-]?[\d.]+) h/.exec(r.value)?.[1]?.replace("−", "-"))));
    expect(drifts).toEqual([...drifts].sort((a, b) => b - a));
    expect(rows[0]).toMatchObject({ over: true, text: expect.stringMatching(/Maria Ström <maria\.strom@example\.se> · Toki 3.*\+320 h ▲ over threshold/) });
    expect(rows.filter((r) => r.over).length).toBe(2);
    expect(await page.locator("#overview-drift-chart line.threshold").count()).toBe(2);
    expect(await page.locator("#overview-drift-chart desc").textContent()).toContain("2 over the threshold");
    expect(await page.locator("#since-previous-run").innerText()).toMatch(new RegExp(`Since the previous run \\(${firstRun}\\): 0 new \\(0 blocking\\), 1 resolved, \\d+ persisting`));
    expect(secondRun).not.toBe(firstRun);
    await page.locator("#overview").screenshot({ path: join(REPORTS_DIR, "demo-report-overview.png") });
    // The docs' picture is refreshed on request only, so a test run never changes a tracked file.
    if (process.env.UPDATE_DOCS_SCREENSHOTS === "1") {
      mkdirSync(DOCS_DIR, { recursive: true });
      copyFileSync(join(REPORTS_DIR, "demo-report-overview.png"), join(DOCS_DIR, "report-overview.png"));
    }
    await page.close();
  });

  it("shows a users × weeks heatmap with values in every cell, each linking to the user's row for that week", async () => {
    const { page } = await open();
    const heat = await page.$$eval("#overview-heatmap tbody tr", (trs) => trs.map((tr) => ({ user: tr.querySelector("th")?.textContent ?? "", cells: Array.from(tr.querySelectorAll("td")).map((td) => ({ text: td.textContent ?? "", href: td.querySelector("a")?.getAttribute("href") ?? null })) })));
    expect(heat).toHaveLength(10);
    for (const row of heat) expect(row.cells).toHaveLength(8);
    const maria = heat.find((r) => r.user.includes("Toki 3"));
    expect(maria?.cells.every((c) => c.text.startsWith("+40") && /^#user-3-p\d{4}-\d{2}-\d{2}$/.test(c.href ?? ""))).toBe(true);
    // Every cell's link target exists in the page.
    const hrefs = heat.flatMap((r) => r.cells.map((c) => c.href)).filter((h): h is string => h !== null);
    expect(hrefs.length).toBeGreaterThan(0);
    const missing = await page.evaluate((list) => list.filter((h) => document.getElementById(h.slice(1)) === null), hrefs);
    expect(missing).toEqual([]);
    // Following a cell opens the user's collapsed details and its period table, on that week's row.
    const third = maria!.cells[2]!.href!;
    await page.locator(`#overview-heatmap a[href="${third}"]`).click();
    expect(await page.locator("details#user-3").getAttribute("open")).not.toBeNull();
    const row = page.locator(third);
    expect(await row.isVisible()).toBe(true);
    expect(await row.evaluate((tr) => tr.matches(":target"))).toBe(true);
    expect(await row.locator("th").innerText()).toMatch(/^W\d+ \d{4}-\d{2}-\d{2}$/);
    // Collapsed again, the same link opens it again (the hash does not change).
    await page.evaluate(() => void ((document.getElementById("user-3") as HTMLDetailsElement).open = false));
    await page.locator(`#overview-heatmap a[href="${third}"]`).click();
    expect(await row.isVisible()).toBe(true);
    await page.close();
  });

  it("sorts and filters a findings table in the page", async () => {
    const { page } = await open();
    // User 1 (the planted problems) has blocking, warning and info findings.
    await page.evaluate(() => void ((document.getElementById("user-1") as HTMLDetailsElement).open = true));
    const table = page.locator("#user-1-findings");
    const severityHeader = table.locator("thead th", { hasText: "Severity" }).first();
    const column = async () => table.locator("tbody tr:not([hidden]) > :first-child").allInnerTexts();
    await severityHeader.click();
    const ascending = await column();
    const rank = (s: string) => ["blocking", "warning", "info"].findIndex((x) => s.toLowerCase().includes(x));
    expect(ascending.map(rank)).toEqual([...ascending.map(rank)].sort((a, b) => a - b));
    // User 1 has findings of all three severities, so the order is a real one.
    expect(new Set(ascending.map(rank))).toEqual(new Set([0, 1, 2]));
    await severityHeader.click();
    expect(await severityHeader.getAttribute("aria-sort")).toBe("descending");
    const descending = await column();
    expect(descending.map(rank)).toEqual([...descending.map(rank)].sort((a, b) => b - a));
    const filter = table.locator("xpath=preceding-sibling::input[1]");
    const visibleRows = () => table.locator("tbody tr:not([hidden])").allInnerTexts();
    const all = (await visibleRows()).length;
    await filter.fill("missing_in_kleer");
    const filtered = await visibleRows();
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(all);
    expect(filtered.every((row) => row.includes("missing_in_kleer"))).toBe(true);
    await page.close();
  });

  it("triage round trip: accepted findings become a rules file that compare accepts, and the gate passes for exactly those", async () => {
    // The planted unreadable user is left out: a source error cannot be accepted.
    const users = readDemoJson<{ users: Array<{ tokiUserId: number }> }>(DEMO_FILES.mapping).users.map((u) => u.tokiUserId).filter((id) => id !== 9);
    const raw = join(dir, "triage.sqlite");
    await rehearseDemo({ reportFile: raw, users });
    await writeHtmlReport({ reportFile: raw, outFile: join(dir, "triage.html") });
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(pathToFileURL(join(dir, "triage.html")).href);
    expect(await page.locator("#triage").isVisible()).toBe(true);
    // Accept every blocking finding the page offers.
    const selected = await page.$$eval("tr[data-suppression]", (trs) =>
      trs
        .filter((tr) => ((tr as HTMLTableRowElement).cells[0]?.textContent ?? "").toLowerCase().includes("blocking"))
        .map((tr) => {
          const box = tr.querySelector("input.triage-pick") as HTMLInputElement;
          box.checked = true;
          box.dispatchEvent(new Event("change"));
          return tr.getAttribute("data-suppression") as string;
        }),
    );
    expect(selected.length).toBeGreaterThan(5);
    expect(await page.locator("#triage-count").innerText()).toContain("write a reason");
    expect(await page.locator("#triage-json").inputValue()).toBe("");
    await page.locator("#triage-reason").fill("Accepted in the rehearsal review (ticket CUT-200)");
    expect(await page.locator("#triage-count").innerText()).toBe(`${new Set(selected).size} findings selected`);
    const text = await page.locator("#triage-json").inputValue();
    const rules = JSON.parse(text) as { version: number; suppressions: Array<Record<string, unknown>> };
    // Download gives the same file.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#triage-download").click()]);
    expect(download.suggestedFilename()).toBe("toki-parity-suppressions.json");
    expect(readFileSync(await download.path(), "utf8")).toBe(text);
    await page.close();
    expect(rules.suppressions.every((e) => e.reason === "Accepted in the rehearsal review (ticket CUT-200)")).toBe(true);

    const blockingKeys = (file: string, suppressed: boolean) => {
      const store = openReportStore(file, { clock: systemClock, mustExist: true });
      try {
        return store.readFindings(store.getRun().runId).filter((f) => f.severity === "blocking" && f.suppressed === suppressed).map((f) => findingKey(f)).sort();
      } finally {
        store.db.close();
      }
    };
    const before = blockingKeys(raw, false);
    expect(runGate({ reportFile: raw }).passed).toBe(false);

    const rulesFile = join(dir, "triage-rules.json");
    writeFileSync(rulesFile, JSON.stringify(rules));
    const accepted = join(dir, "triage-accepted.sqlite");
    await rehearseDemo({ reportFile: accepted, users, rulesFile });
    const gate = runGate({ reportFile: accepted });
    expect(gate.reason).toMatch(/^gate passed: /);
    // Exactly the accepted findings are suppressed: the ones that were blocking, no more.
    expect(blockingKeys(accepted, true)).toEqual(before);
    expect(blockingKeys(accepted, false)).toEqual([]);

    // Without one of the entries, exactly that finding fails the gate again.
    writeFileSync(rulesFile, JSON.stringify({ ...rules, suppressions: rules.suppressions.slice(1) }));
    const partial = join(dir, "triage-partial.sqlite");
    await rehearseDemo({ reportFile: partial, users, rulesFile });
    expect(blockingKeys(partial, false)).toHaveLength(1);
    expect(runGate({ reportFile: partial }).passed).toBe(false);
  }, 120_000);
});
