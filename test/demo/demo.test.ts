import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDemo, type RunDemoResult } from "../../src/demo/run-demo.js";
import { createProgressReporter } from "../../src/cli/progress.js";
import { reportReplayProgress } from "../../src/cli/replay-progress.js";
import { generateDemoCompany } from "../../src/demo/demo-fixtures.js";
import { credentialsOf, toKleerSeed, toMilltimeSeed } from "../../src/demo/company-seeds.js";
import { parseKleerEmulatorSeed } from "../../src/emulator/kleer/index.js";
import { parseMilltimeSeed } from "../../src/emulator/milltime/milltime-emulator-seed.js";

const outDir = mkdtempSync(join(tmpdir(), "toki-parity-demo-"));
let result: RunDemoResult;
let printed = "";
let progressLines = "";

describe("the demo", () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("runs compare end to end against both emulators and finds exactly the seeded discrepancies", async () => {
    const reporter = createProgressReporter({ stream: { isTTY: false, write: (t: string) => void (progressLines += t) } });
    result = await runDemo({
      outDir,
      kleerToken: "demo-secret-token-4711",
      write: (t) => void (printed += t),
      progress: { compare: (step, p) => reporter.update(step, "users", { done: p.done, total: p.total }), replay: (step, p) => reportReplayProgress(reporter, p), stop: () => reporter.stop() },
    });
    expect(result.findingsMatchSeeded).toBe(true);
    expect(result.actual).toEqual(result.expected);
    expect(result.compare.users).toBe(10);
    expect(result.compare.usersUnmapped).toBe(1);
    expect(result.compare.usersWithSourceErrors).toBe(1);
    expect(result.compare.matches).toBeGreaterThan(800);
  }, 120_000);

  it("reports the replay's apply by tenths of its entries, apart from the results (no silent replay)", () => {
    const lines = progressLines.split("\n").filter(Boolean);
    const apply = lines.filter((l) => l.startsWith("replay apply: "));
    // The first replay writes 942 events: a line at the start and at every tenth, not one per entry.
    expect(apply.length).toBeGreaterThanOrEqual(11);
    expect(apply.length).toBeLessThanOrEqual(2 * 12);
    expect(apply.some((l) => l.includes("/942 entries (50 %)"))).toBe(true);
    expect(lines.filter((l) => l.startsWith("compare: "))).toHaveLength(10);
    expect(printed).not.toMatch(/\(\d+ %\)/);
  });

  it("writes the report files and prints their paths", () => {
    for (const f of [result.files.sqlite, result.files.junit, result.files.md, result.files.json, result.files.accepted]) {
      expect(existsSync(f)).toBe(true);
      expect(printed).toContain(f);
    }
    const junit = readFileSync(result.files.junit, "utf8");
    expect(junit).toMatch(/^<\?xml/);
    expect(junit).toContain("<failure");
    const md = readFileSync(result.files.md, "utf8");
    expect(md).toContain("missing_in_kleer");
  });

  it("pictures the HTML report's overview under the out folder with Debian's Chromium, or says in one line why not", () => {
    const shot = result.screenshot;
    expect(result.files.screenshot).toBe(join(outDir, "demo-report-overview.png"));
    if (existsSync("/usr/bin/chromium")) {
      expect(shot).toMatchObject({ written: true, outFile: result.files.screenshot });
      expect(readFileSync(result.files.screenshot).subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(printed).toContain(`Screenshot of the HTML report's overview: ${result.files.screenshot}\n`);
    } else {
      expect(shot.written).toBe(false);
      expect(existsSync(result.files.screenshot)).toBe(false);
      expect(printed).toContain("Screenshot of the HTML report's overview skipped: /usr/bin/chromium not found (install Debian's package: apt-get install -y chromium).\n");
    }
  });

  it("fails the gate on the raw run and passes it with the reviewed suppressions", () => {
    expect(result.gate.passed).toBe(false);
    expect(result.gate.blocking).toBeGreaterThan(0);
    expect(result.acceptedGate.passed).toBe(true);
    expect(result.acceptedGate.blocking).toBe(0);
  });

  it("runs doctor green for the healthy users, red naming the planted problems for everyone, and a green probe", () => {
    expect(result.doctor.ok).toBe(true);
    expect(result.doctorAll.ok).toBe(false);
    const failed = result.doctorAll.checks.filter((c) => c.status === "fail").map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(["milltime", "mapping-coverage"]));
    expect(result.probe.ok).toBe(true);
    expect(result.probe.steps.map((s) => s.verdict)).not.toContain("fail");
    expect(result.probe.steps.find((s) => s.step === "locked-create")?.verdict).toBe("pass");
  });

  it("replays into an empty sandbox exactly once, relinks and plans a cleanup of only that run's events", () => {
    const { summary, rerun, cleanup, relinks, compare } = result.replay;
    expect(summary.created).toBe(summary.plannedCreate);
    expect(summary.created).toBeGreaterThan(900);
    expect(summary.failed + summary.unsettled).toBe(0);
    expect(rerun.created).toBe(0);
    expect(rerun.writeRequests).toBe(0);
    expect(relinks).toBe(summary.created);
    expect(cleanup.wouldDelete).toBe(summary.created);
    expect(compare?.missing).toBe(0);
  });

  it("never prints or stores the Kleer token or a Milltime password", () => {
    const passwords = credentialsOf(generateDemoCompany()).map((c) => c.password);
    const outputs = [printed, ...[result.files.junit, result.files.md, result.files.json].map((f) => readFileSync(f, "utf8")), readFileSync(result.files.sqlite).toString("latin1")];
    for (const text of outputs) {
      expect(text).not.toContain("demo-secret-token-4711");
      for (const p of passwords) expect(text).not.toContain(p);
    }
  });
});

describe("the demo fixtures", () => {
  it("are what the generator produces (regenerate with `npx tsx scripts/make-demo-fixtures.ts`)", () => {
    const company = generateDemoCompany();
    const dir = join(import.meta.dirname, "../../fixtures/demo");
    expect(JSON.parse(readFileSync(join(dir, "kleer-seed.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(toKleerSeed(company))));
    expect(JSON.parse(readFileSync(join(dir, "milltime-seed.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(toMilltimeSeed(company))));
  });

  it("parse with both emulators' seed schemas", () => {
    const dir = join(import.meta.dirname, "../../fixtures/demo");
    expect(() => parseKleerEmulatorSeed(JSON.parse(readFileSync(join(dir, "kleer-seed.json"), "utf8")))).not.toThrow();
    expect(() => parseMilltimeSeed(JSON.parse(readFileSync(join(dir, "milltime-seed.json"), "utf8")))).not.toThrow();
  });
});
