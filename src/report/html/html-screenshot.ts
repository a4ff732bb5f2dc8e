import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Debian's Chromium (`apt-get install chromium`); the tool never downloads a browser build. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags that keep the headless browser off the network: the page is a local file that fetches nothing. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export interface ScreenshotOverviewOptions {
  /** The HTML report page (written by `writeHtmlReport`). */
  htmlFile: string;
  /** Where the PNG goes (parent folders are created). */
  outFile: string;
  /** @default DEFAULT_CHROMIUM_PATH */
  chromiumPath?: string;
  /** Viewport width in CSS pixels; the picture is as tall as the overview. @default 1400 */
  width?: number;
}

export type ScreenshotOverviewResult =
  | { written: true; outFile: string; bytes: number }
  /** `reason` is one sentence a person can act on (what is missing, what failed). */
  | { written: false; reason: string };

/**
 * A PNG of the report's company overview (`#overview`), taken in headless Chromium through
 * playwright-core (loaded only here, at call time). A missing browser or a browser that fails is
 * a result, never an exception: the picture is a convenience and must not change what a run
 * reports or how it exits.
 */
export async function screenshotHtmlOverview(options: ScreenshotOverviewOptions): Promise<ScreenshotOverviewResult> {
  const chromiumPath = options.chromiumPath ?? DEFAULT_CHROMIUM_PATH;
  if (!existsSync(chromiumPath)) return { written: false, reason: `${chromiumPath} not found (install Debian's package: apt-get install -y chromium)` };
  let chromium: typeof import("playwright-core").chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (error) {
    return { written: false, reason: `playwright-core could not be loaded (${firstLine(error)}); run npm install` };
  }
  const outFile = resolve(options.outFile);
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
    const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: 1000 } });
    await page.goto(pathToFileURL(resolve(options.htmlFile)).href, { waitUntil: "load" });
    const overview = page.locator("#overview");
    if ((await overview.count()) === 0) return { written: false, reason: `${options.htmlFile} has no company overview (#overview) to picture` };
    mkdirSync(dirname(outFile), { recursive: true });
    await overview.screenshot({ path: outFile });
    return { written: true, outFile, bytes: statSync(outFile).size };
  } catch (error) {
    return { written: false, reason: `Chromium (${chromiumPath}) failed: ${firstLine(error)}` };
  } finally {
    await browser?.close().catch(() => undefined);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.slice(0, 300);
}
