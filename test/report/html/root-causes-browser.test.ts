import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHtmlReport } from "../../../src/report/html/html-report.js";
import { rehearseDemo } from "../demo-rehearsal.js";

/** Debian's Chromium, as in browser.test.ts. */
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";
const REPORTS_DIR = resolve(import.meta.dirname, "../../../reports");

if (!haveChromium && !inCi) process.stderr.write(`root-causes-browser.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium)\n`);

describe.skipIf(!haveChromium && !inCi)("the demo report's root causes in Chromium", () => {
  let dir: string;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "toki-root-causes-page-"));
    const reportFile = join(dir, "demo.sqlite");
    await rehearseDemo({ reportFile });
    await writeHtmlReport({ reportFile, outFile: join(dir, "demo.html") });
    url = pathToFileURL(join(dir, "demo.html")).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows the user without a Kleer schedule as one item with count, span and hours; its rows open on demand, consequences under each week", async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(url, { waitUntil: "load" });
    const cause = page.locator('details.cause[data-cause="period:3:timeinfo_scheduled_mismatch"]');
    const summary = await cause.locator(":scope > summary").innerText();
    expect(summary).toContain("No Kleer schedule: Kleer schedules 0 h in 8 weeks that Milltime schedules");
    expect(summary).toContain("Maria Ström <maria.strom@example.se> · Toki 3");
    expect(summary).toContain("18 findings (10 warning, 8 info)");
    expect(summary).toContain("2026-09-28 – 2026-11-22");
    expect(summary).toContain("Kleer − Milltime −320 h");
    // The rows are behind the summary until a reviewer opens it (no script needed: native <details>).
    const rows = cause.locator("table.findings > tbody > tr");
    expect(await rows.first().isVisible()).toBe(false);
    await cause.locator(":scope > summary").click();
    expect(await rows.count()).toBe(9);
    expect(await rows.last().innerText()).toContain("flex_drift");
    const week1 = rows.first();
    await week1.locator("details.consequences > summary").click();
    const consequences = week1.locator("li.consequence");
    expect(await consequences.allInnerTexts()).toEqual([expect.stringContaining("timeinfo_remaining_mismatch"), expect.stringContaining("flex_period_mismatch")]);
    // A consequence can be accepted in the triage panel like any row, and a whole cause at once.
    expect(await consequences.first().locator("input.triage-pick").count()).toBe(1);
    const all = cause.locator("label.triage-cause-label");
    expect((await all.innerText()).trim()).toBe("accept all 18 findings of this cause");
    await all.locator("input").check();
    expect(await cause.locator("input.triage-pick:checked").count()).toBe(18);
    await page.locator("#triage-reason").fill("Maria Ström's Kleer schedule is set up after the cutover (ticket CUT-31)");
    const rules = JSON.parse(await page.locator("#triage-json").inputValue()) as { suppressions: Array<{ kind: string; user_key: number }> };
    expect(rules.suppressions).toHaveLength(18);
    expect(rules.suppressions.every((e) => e.user_key === 3)).toBe(true);
    expect(new Set(rules.suppressions.map((e) => e.kind))).toEqual(new Set(["timeinfo_scheduled_mismatch", "flex_period_mismatch", "timeinfo_remaining_mismatch", "flex_drift"]));
    await all.locator("input").uncheck();
    expect(await page.locator("#triage-count").innerText()).toBe("0 findings selected");
    // The unmapped project and the missing entry it explains are one item.
    const unmapped = page.locator('details.cause[data-cause^="unmapped_project:"]');
    expect(await unmapped.locator(":scope > summary").innerText()).toMatch(/Milltime project \d+ "Tidrapportering Toki" has no Kleer project in the mapping \(1 entry\)[\s\S]*2 findings \(2 blocking\)[\s\S]*0\.5 h of Milltime entries/);
    mkdirSync(REPORTS_DIR, { recursive: true });
    await page.locator("#root-causes").screenshot({ path: join(REPORTS_DIR, "demo-root-causes.png") });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("unpacks a packed cause when it opens, with its rows, consequences and 'accept all'", async () => {
    const packed = join(dir, "demo-packed.html");
    await writeHtmlReport({ reportFile: join(dir, "demo.sqlite"), outFile: packed, maxInlineDetailBytes: 0 });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(pathToFileURL(packed).href, { waitUntil: "load" });
    const cause = page.locator('details.cause[data-cause="period:3:timeinfo_scheduled_mismatch"]');
    expect(await cause.locator("[data-pack]").count()).toBe(1);
    await cause.locator(":scope > summary").click();
    await cause.locator("label.triage-cause-label").waitFor();
    expect(await cause.locator("table.findings > tbody > tr").count()).toBe(9);
    expect(await cause.locator("li.consequence").count()).toBe(9);
    await cause.locator("label.triage-cause-label input").check();
    expect(await page.locator("#triage-count").innerText()).toContain("18 findings selected");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a project mismatch as Milltime → Kleer with the projects' names, not a difference of ids", async () => {
    const page = await browser.newPage();
    await page.goto(`${url}#user-1`, { waitUntil: "load" });
    const row = page.locator("#user-1-findings tbody tr", { hasText: "project_mismatch" });
    const difference = (await row.locator("td").last().innerText()).trim();
    expect(difference).toBe('Milltime 300000000000241983 "Kundportal Västra Götaland" (mapped to Kleer 902) → Kleer 901 "Intranät förnyelse"');
    const activity = page.locator("#user-1-findings tbody tr", { hasText: "activity_mismatch" });
    expect((await activity.locator("td").last().innerText()).trim()).toMatch(/^Milltime \d+ "Support" \(mapped to Kleer 22432\) → Kleer 22428 "Möte"$/);
    const hours = page.locator("#user-1-findings tbody tr", { hasText: "hours_mismatch" });
    expect((await hours.locator("td").last().innerText()).trim()).toBe("+0.25 h");
    await page.close();
  });
});
