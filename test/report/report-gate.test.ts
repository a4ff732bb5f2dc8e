import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { defineGateCommand } from "../../src/cli/commands/gate.js";
import { defineReportCommand } from "../../src/cli/commands/report.js";
import { CommandExit, ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";
import { addReportFileFlag, reportFileOf } from "../../src/cli/report-file-flag.js";
import { evaluateGate, parseMatchRate, parseMaxBlocking } from "../../src/report/report-gate.js";
import { gateReportFile } from "./report-fixture.js";
import { parseXml } from "./xml-check.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const reportFile = () => gateReportFile(dirs);

async function gate(args: string[]): Promise<{ code: number; out: string; message: string }> {
  let out = "";
  try {
    await defineGateCommand({ write: (t) => void (out += t) }).parseAsync(args, { from: "user" });
    return { code: ExitCode.Ok, out, message: "" };
  } catch (error) {
    if (error instanceof CommanderError) return { code: ExitCode.UsageOrConfig, out, message: error.message };
    return { code: exitCodeFor(error), out, message: error instanceof Error ? error.message : String(error) };
  }
}

describe("gate", () => {
  it("fails the latest run on blocking findings, with a one-line reason and exit code 1", async () => {
    const { file, dirtyRun } = reportFile();
    const result = await gate([file]);
    expect(result).toEqual({ code: ExitCode.GateFailed, out: "", message: `gate failed: run ${dirtyRun}: 2 blocking findings (max 0); match rate 83.33 %; every user compared` });
  });

  it("passes when blocking findings are allowed, printing one line", async () => {
    const { file, dirtyRun } = reportFile();
    expect(await gate([file, "--max-blocking", "2"])).toEqual({ code: ExitCode.Ok, out: `gate passed: run ${dirtyRun}: 2 blocking (max 2), match rate 83.33 %; every user compared\n`, message: "" });
  });

  it("checks the match rate and a chosen run", async () => {
    const { file, cleanRun, dirtyRun } = reportFile();
    expect((await gate([file, "--max-blocking", "5", "--min-match-rate", "90%"])).message).toBe(`gate failed: run ${dirtyRun}: match rate 83.33 % is below 90.00 %; match rate 83.33 %; every user compared`);
    expect(await gate([file, "--run", cleanRun, "--min-match-rate", "0.99"])).toMatchObject({ code: ExitCode.Ok, out: `gate passed: run ${cleanRun}: 0 blocking (max 0), match rate 100.00 % (min 99.00 %); every user compared\n` });
    expect(await gate([file, "--run", "19990101T000000Z-0000"])).toMatchObject({ code: ExitCode.UsageOrConfig, message: "run 19990101T000000Z-0000 is not in the report file" });
  });

  it("refuses bad flags and a missing file as usage errors", async () => {
    const { file, dir } = reportFile();
    expect(await gate([file, "--max-blocking", "-1"])).toMatchObject({ code: ExitCode.UsageOrConfig, message: expect.stringContaining("whole number") });
    expect(await gate([file, "--min-match-rate", "99"])).toMatchObject({ code: ExitCode.UsageOrConfig, message: expect.stringContaining("percentage (99%)") });
    expect(await gate([join(dir, "missing.sqlite")])).toMatchObject({ code: ExitCode.UsageOrConfig, message: expect.stringContaining("cannot open report file") });
  });

  it("fails runs that did not complete", () => {
    const totals = { blocking: 0, matchRate: 1 } as never;
    const run = (status: "running" | "failed", errorMessage: string | null) => ({ run: { runId: "r", status, errorMessage } as never, totals });
    expect(evaluateGate(run("running", null)).reason).toBe("gate failed: run r: the run did not finish (still running, or killed)");
    expect(evaluateGate(run("failed", "Error: disk full")).reason).toBe("gate failed: run r: the run failed (Error: disk full)");
    const empty = { run: { runId: "r", status: "completed" } as never, totals: { blocking: 0, matchRate: null } as never };
    expect(evaluateGate(empty).passed).toBe(true);
    expect(evaluateGate(empty, { minMatchRate: 0.5 }).reason).toContain("no legacy entries were compared");
  });

  it("parses its thresholds", () => {
    expect(parseMaxBlocking("3")).toBe(3);
    expect(parseMatchRate("99.5%")).toBeCloseTo(0.995, 12);
    expect(parseMatchRate("0.9")).toBe(0.9);
    for (const bad of ["", "1.5", "abc", "-0.1", "101%"]) expect(() => parseMatchRate(bad)).toThrow(/--min-match-rate/);
    for (const bad of ["", "1.5", "x", "-2"]) expect(() => parseMaxBlocking(bad)).toThrow(/--max-blocking/);
  });

  it("throws CommandExit with GateFailed (main.ts prints it and exits 1)", async () => {
    const { file } = reportFile();
    await expect(defineGateCommand({ write() {} }).parseAsync([file], { from: "user" })).rejects.toBeInstanceOf(CommandExit);
  });
});

describe("report command", () => {
  it("prints the chosen format to stdout, or writes --out", async () => {
    const { file, dir, dirtyRun } = reportFile();
    let out = "";
    await defineReportCommand({ write: (t) => void (out += t) }).parseAsync([file, "--format", "junit"], { from: "user" });
    expect(parseXml(out).name).toBe("testsuites");
    out = "";
    const target = join(dir, "summary.md");
    await defineReportCommand({ write: (t) => void (out += t) }).parseAsync([file, "--out", target], { from: "user" });
    expect(out).toBe(`wrote md report of run ${dirtyRun} to ${target}\n`);
    expect(readFileSync(target, "utf8")).toContain("### Findings by kind");
  });

  it("refuses a format it does not know", async () => {
    const { file } = reportFile();
    await expect(defineReportCommand({ write() {} }).parseAsync([file, "--format", "pdf"], { from: "user" })).rejects.toBeInstanceOf(CommanderError);
  });
});

describe("gate and report take --report like every other command", () => {
  it("--report FILE judges the same file as FILE; FILE and a different --report is a usage error", async () => {
    const { file, cleanRun, dirtyRun, dir } = reportFile();
    const viaArgument = await gate([file, "--run", cleanRun]);
    const viaFlag = await gate(["--report", file, "--run", cleanRun]);
    expect(viaFlag).toEqual(viaArgument);
    expect(viaFlag.code).toBe(ExitCode.Ok);
    expect((await gate(["--report", file, "--run", dirtyRun])).code).toBe(ExitCode.GateFailed);
    expect((await gate([file, "--report", file, "--run", cleanRun])).code).toBe(ExitCode.Ok);
    const both = await gate([file, "--report", join(dir, "other.sqlite")]);
    expect(both.code).toBe(ExitCode.UsageOrConfig);
    expect(both.message).toContain(`FILE ${file} and --report ${join(dir, "other.sqlite")} name two report files: give one`);

    const exported = async (args: string[]) => {
      let out = "";
      await defineReportCommand({ write: (t) => void (out += t) }).parseAsync(args, { from: "user" });
      return out;
    };
    expect(await exported(["--report", file, "--format", "json", "--run", dirtyRun])).toBe(await exported([file, "--format", "json", "--run", dirtyRun]));
  });

  it("without either, the file every command defaults to", () => {
    const command = new Command("gate");
    addReportFileFlag(command).parse([], { from: "user" });
    expect(reportFileOf(command, undefined)).toBe("reports/parity.sqlite");
    command.parse(["--report", "r.sqlite"], { from: "user" });
    expect(reportFileOf(command, undefined)).toBe("r.sqlite");
  });
});
