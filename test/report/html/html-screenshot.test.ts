import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHtmlReport } from "../../../src/report/html/html-report.js";
import { DEFAULT_CHROMIUM_PATH, screenshotHtmlOverview } from "../../../src/report/html/html-screenshot.js";
import { writeEngineReportFile } from "./html-report-run-fixture.js";

const haveChromium = existsSync(DEFAULT_CHROMIUM_PATH);
const inCi = process.env.CI === "true";
if (!haveChromium && !inCi) process.stderr.write(`html-screenshot.test.ts: Chromium cases SKIPPED: ${DEFAULT_CHROMIUM_PATH} not found (apt-get install -y chromium)\n`);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("screenshotHtmlOverview", () => {
  let dir: string;
  let html: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "toki-screenshot-"));
    writeEngineReportFile(join(dir, "report.sqlite"));
    html = join(dir, "report.html");
    await writeHtmlReport({ reportFile: join(dir, "report.sqlite"), outFile: html });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("without Chromium writes nothing and says why in one sentence", async () => {
    const out = join(dir, "none.png");
    const result = await screenshotHtmlOverview({ htmlFile: html, outFile: out, chromiumPath: join(dir, "no-such-chromium") });
    expect(result).toEqual({ written: false, reason: `${join(dir, "no-such-chromium")} not found (install Debian's package: apt-get install -y chromium)` });
    expect(existsSync(out)).toBe(false);
  });

  it("with a browser that cannot start, returns the failure instead of throwing", async () => {
    const fake = join(dir, "fake-chromium");
    writeFileSync(fake, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    const result = await screenshotHtmlOverview({ htmlFile: html, outFile: join(dir, "fake.png"), chromiumPath: fake });
    expect(result.written).toBe(false);
    expect(result.written === false && result.reason).toMatch(new RegExp(`^Chromium \\(${fake}\\) failed: `));
    expect(existsSync(join(dir, "fake.png"))).toBe(false);
  }, 60_000);

  describe.skipIf(!haveChromium && !inCi)("in Debian's Chromium", () => {
    it("writes a PNG of the overview section, in new folders if needed", async () => {
      const out = join(dir, "pictures", "overview.png");
      const result = await screenshotHtmlOverview({ htmlFile: html, outFile: out });
      expect(result).toEqual({ written: true, outFile: out, bytes: readFileSync(out).length });
      const size = pngSize(out);
      // The overview of four users: as wide as the page's main column, taller than its heading.
      expect(size.width).toBeGreaterThan(800);
      expect(size.width).toBeLessThanOrEqual(1400);
      expect(size.height).toBeGreaterThan(300);
    }, 60_000);

    it("refuses a page without an overview", async () => {
      const other = join(dir, "other.html");
      writeFileSync(other, "<!doctype html><title>x</title><p>no overview</p>");
      const result = await screenshotHtmlOverview({ htmlFile: other, outFile: join(dir, "other.png") });
      expect(result).toEqual({ written: false, reason: `${other} has no company overview (#overview) to picture` });
      expect(existsSync(join(dir, "other.png"))).toBe(false);
    }, 60_000);
  });
});
