import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineReportCommand } from "../../../src/cli/commands/report.js";
import { writeEngineReportFile } from "./html-report-run-fixture.js";

let dir: string;
let reportFile: string;
let runId: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "toki-html-cli-"));
  reportFile = join(dir, "report.sqlite");
  runId = writeEngineReportFile(reportFile);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(args: string[]): Promise<string> {
  let out = "";
  await defineReportCommand({ write: (text) => void (out += text) }).parseAsync(args, { from: "user" });
  return out;
}

describe("toki-parity report --format html", () => {
  it("writes the page to --out and says so", async () => {
    const outFile = join(dir, "review", "report.html");
    const said = await report([reportFile, "--format", "html", "--run", runId, "--out", outFile]);
    expect(said).toBe(`wrote html report of run ${runId} to ${outFile}\n`);
    const html = readFileSync(outFile, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("Not ready for cutover");
    expect(html).toContain(`<code>${runId}</code>`);
  });

  it("prints the page to stdout without --out", async () => {
    const html = await report([reportFile, "--format", "html"]);
    expect(html).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
  });
});
