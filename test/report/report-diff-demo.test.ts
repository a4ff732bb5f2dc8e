import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommanderError } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateCommand } from "../../src/cli/commands/gate.js";
import { defineReportCommand } from "../../src/cli/commands/report.js";
import { exitCodeFor, ExitCode } from "../../src/cli/exit-codes.js";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { DEMO_FILES } from "../../src/demo/demo-fixtures.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { compareFromConfig } from "../../src/run/run-compare.js";

const fixtures = demoFixturesDir();
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(fixtures, name), "utf8")) as T;
const dir = mkdtempSync(join(tmpdir(), "toki-diff-demo-"));
const file = join(dir, "rehearsals.sqlite");
const token = "diff-demo-token";

interface SeedEvent { id: number; userId: number; hours: number; foreignId?: string | null }
const seed = readJson<{ events: SeedEvent[] } & Record<string, unknown>>(DEMO_FILES.kleerSeed);
// Toki user 3 (Kleer 5503) has no planted problem: one of its events gets an hour more in the
// second rehearsal (a new blocking hours_mismatch); the planted extra event 7000015 is deleted
// (its extra_in_kleer finding resolves).
const changed = seed.events.find((e) => e.userId === 5503 && typeof e.foreignId === "string" && e.foreignId.startsWith("milltime:")) as SeedEvent;
const changedLegacyId = (changed.foreignId as string).slice("milltime:".length);
const secondSeed = { ...seed, events: seed.events.filter((e) => e.id !== 7000015).map((e) => (e.id === changed.id ? { ...e, hours: e.hours + 1 } : e)) };

/** Users whose Milltime cannot be read (the planted wrong password): left out of the accepted rehearsals, since a source error cannot be suppressed. */
let unreadUsers: number[] = [];

async function rehearse(kleerSeed: unknown, rules: boolean, reportFile = file): Promise<string> {
  const kleer = await startKleerEmulator({ seed: kleerSeed as never, token, companyId: 4875 });
  const milltime = await startMilltimeEmulator({ seed: readJson(DEMO_FILES.milltimeSeed) });
  try {
    const expected = readJson<{ range: { from: string; to: string } }>(DEMO_FILES.expected);
    const parsed = parseRunConfig({
      from: expected.range.from,
      to: expected.range.to,
      period: "week",
      kleer: { baseUrl: `${kleer.url}/v1`, token, companyId: 4875 },
      milltime: { url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, DEMO_FILES.credentials) },
      history: join(fixtures, DEMO_FILES.history),
      mappingFile: join(fixtures, DEMO_FILES.mapping),
      reportFile,
      ...(rules
        ? {
            rulesFile: join(fixtures, DEMO_FILES.suppressions),
            users: readJson<{ users: Array<{ tokiUserId: number }> }>(DEMO_FILES.mapping).users.map((u) => u.tokiUserId).filter((id) => !unreadUsers.includes(id)),
          }
        : {}),
    });
    const summary = await compareFromConfig(parsed.config as RunConfig, { command: "compare" });
    if (!rules) unreadUsers = summary.sourceErrors.map((e) => e.tokiUserId);
    return summary.runId;
  } finally {
    await Promise.all([kleer.close(), milltime.close()]);
  }
}

async function cli(define: (io: { write(t: string): void }) => { parseAsync(a: string[], o: { from: "user" }): Promise<unknown> }, args: string[]) {
  let out = "";
  try {
    await define({ write: (t) => void (out += t) }).parseAsync(args, { from: "user" });
    return { code: ExitCode.Ok as number, out, message: "" };
  } catch (error) {
    if (error instanceof CommanderError) return { code: ExitCode.UsageOrConfig as number, out, message: error.message };
    return { code: exitCodeFor(error) as number, out, message: error instanceof Error ? error.message : String(error) };
  }
}

// Toki user 3 as every report names it: Kleer's display name, the mapping's email, the Toki id.
const kleerUser3 = (seed as unknown as { users: Array<{ id: number; name: string }> }).users.find((u) => u.id === 5503) as { name: string };
const email3 = readJson<{ users: Array<{ tokiUserId: number; email: string }> }>(DEMO_FILES.mapping).users.find((u) => u.tokiUserId === 3)?.email as string;
const person3 = `${kleerUser3.name} <${email3}> · Toki 3`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let raw: string;
let first: string;
let second: string;

describe("report diff and gate --baseline on two demo rehearsals with a planted change", () => {
  beforeAll(async () => {
    raw = await rehearse(seed, false);
    first = await rehearse(seed, true);
    second = await rehearse(secondSeed, true);
  }, 120_000);

  it("lists the planted change as new, the deleted extra event as resolved, everything else as persisting (JSON)", async () => {
    const result = await cli(defineReportCommand, ["diff", file, "--format", "json"]);
    expect(result.code).toBe(ExitCode.Ok);
    const diff = JSON.parse(result.out) as { base: { runId: string }; run: { runId: string }; findings: Array<{ status: string; kind: string; userKey: number; user: string; legacyId: string | null; kleerId: string | null; severity: string; suppressed: boolean; key: string }>; counts: Record<"new" | "resolved" | "persisting" | "unverified", { total: number; blocking: number }> };
    expect(diff.base.runId).toBe(first);
    expect(diff.run.runId).toBe(second);
    const newBlocking = diff.findings.filter((f) => f.status === "new" && f.severity === "blocking" && !f.suppressed);
    expect(newBlocking.map((f) => [f.kind, f.userKey, f.legacyId, f.user])).toEqual([["hours_mismatch", 3, changedLegacyId, person3]]);
    expect(diff.findings.find((f) => f.status === "resolved" && f.kind === "extra_in_kleer")).toMatchObject({ userKey: 1, kleerId: "7000015", key: expect.stringMatching(/^extra_in_kleer\|user:1\|kleer:7000015\|2026-10-02\|/) });
    expect(diff.counts.persisting.total).toBeGreaterThan(40);
    expect(diff.counts.unverified.total).toBe(0);
  });

  it("prints the same in text and Markdown, and diffs across two files", async () => {
    const text = await cli(defineReportCommand, ["diff", file, "--base", first, "--run", second]);
    expect(text.out).toMatch(/^new: \d+ \(1 blocking,/m);
    expect(text.out).toMatch(new RegExp(`^New \\(\\d+\\):\\n(?:  .*\\n)*  blocking · hours_mismatch · ${person3} · [0-9-]+ · legacy ${changedLegacyId}`, "m"));
    const md = await cli(defineReportCommand, ["diff", file, "--format", "md"]);
    expect(md.out).toContain("| new | ");
    expect(md.out).toMatch(/## Resolved \(\d+\)[\s\S]*\| extra_in_kleer \| [^|]*· Toki 1 \|/);
    expect((await cli(defineReportCommand, ["diff", file, file])).message).toContain("the base and the later run are the same run");
  });

  it("gate --baseline fails on exactly the new blocking finding and passes when it is allowed", async () => {
    const failed = await cli(defineGateCommand, [file, "--baseline", first]);
    expect(failed.code).toBe(ExitCode.GateFailed);
    expect(failed.message).toMatch(new RegExp(`^gate failed: run ${second}: 1 new blocking finding since baseline run ${first} \\(max 0\\); match rate [\\d.]+ %; users not compared: 10 \\(unmapped\\)$`));
    const passed = await cli(defineGateCommand, [file, "--baseline", first, "--max-new-blocking", "1"]);
    expect(passed).toMatchObject({ code: ExitCode.Ok });
    expect(passed.out).toContain(`1 new blocking (max 1)`);
    // Without a baseline the same run fails on all its blocking findings (the new one).
    expect((await cli(defineGateCommand, [file])).message).toContain("1 blocking finding (max 0)");
    expect((await cli(defineGateCommand, [file, "--max-new-blocking", "1"])).message).toContain("--max-new-blocking needs --baseline");
  });

  it("does not let a baseline accept a source that still cannot be read (baseline from another file)", async () => {
    const other = join(dir, "rehearsal-raw.sqlite");
    const rawAgain = await rehearse(secondSeed, false, other);
    // The planted Milltime source error is unread again: whatever the baseline, never a pass.
    const result = await cli(defineGateCommand, [other, "--baseline", file]);
    expect(result.code).toBe(ExitCode.GateFailed);
    expect(result.message).toMatch(new RegExp(`^gate failed: run ${rawAgain}: not \\(fully\\) read, so never ready: user ${unreadUsers[0]} \\(milltime\\);`));
    const sameRun = await cli(defineGateCommand, [file, "--run", raw, "--baseline", raw]);
    expect(sameRun).toMatchObject({ code: ExitCode.UsageOrConfig, message: expect.stringContaining("the base and the later run are the same run") });
  }, 60_000);
});

describe("names and emails in the exports of a demo rehearsal", () => {
  it("JSON, Markdown and HTML name user 3 by Kleer name and mapping email beside the Toki id", async () => {
    const json = JSON.parse((await cli(defineReportCommand, [file, "--format", "json"])).out) as { users: Array<{ userKey: number; name: string; email: string }>; findings: Array<{ userKey: number; userName: string | null; userEmail: string | null }> };
    expect(json.users.find((u) => u.userKey === 3)).toMatchObject({ name: kleerUser3.name, email: email3 });
    expect(json.findings.find((f) => f.userKey === 3)).toMatchObject({ userName: kleerUser3.name, userEmail: email3 });
    const md = (await cli(defineReportCommand, [file, "--format", "md"])).out;
    expect(md).toContain(`| ${person3.replace("<", "&lt;").replace(">", "&gt;")} (Kleer 5503) |`);
    const html = (await cli(defineReportCommand, [file, "--format", "html"])).out;
    expect(html).toContain(`<h3>${person3.replace("<", "&lt;").replace(">", "&gt;")}</h3>`);
  });
});
