import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defineAuditCommand } from "../../src/cli/commands/audit.js";
import { CommandExit, ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";
import { CLEAN_TREE, DIRTY_TREE, writeTree } from "./audit-trees.js";

const roots: string[] = [];
async function tree(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await writeTree(files);
  roots.push(root);
  return root;
}
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

let stdout = "";
beforeEach(() => {
  stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

interface Run {
  code: number;
  /** The one-line reason of a failed gate, or the error message. */
  message: string;
}

/** Runs `toki-parity audit …` the way main.ts does: errors mapped to exit codes in one place. */
async function audit(...argv: string[]): Promise<Run> {
  const program = new Command("toki-parity").exitOverride();
  program.addCommand(defineAuditCommand());
  try {
    await program.parseAsync(["audit", ...argv], { from: "user" });
    return { code: ExitCode.Ok, message: "" };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? ExitCode.Ok : ExitCode.UsageOrConfig, message: error.message };
    return { code: exitCodeFor(error), message: (error as Error).message };
  }
}

describe("toki-parity audit", () => {
  it("fails the gate (1) on a Milltime-era checkout with a one-line reason and a Markdown report", async () => {
    const root = await tree(DIRTY_TREE);
    const run = await audit(root);
    expect(run.code).toBe(ExitCode.GateFailed);
    expect(run.message).toBe("audit failed: 19 blocking Milltime remnant(s) in 8 file(s), first at .env.example:2 (config/milltime-env)");
    expect(run.message).not.toContain("\n");
    expect(stdout).toContain("10 files scanned, 1 skipped (binary, too large or unreadable). 28 findings, 19 blocking (severity error).");
    expect(stdout).toContain("| category | error | warning | info | total |");
    expect(stdout).toContain("| auth | 5 | 2 | 0 | 7 |");
    expect(stdout).toContain("| **total** | 19 | 2 | 7 | 28 |");
    expect(stdout).toContain("### `toki-api/src/config.rs`");
    expect(stdout).toContain('- `toki-api/src/config.rs:8` **error** config `config/milltime-env`: `let milltime_url = env::var("MILLTIME_URL").expect("MILLTIME_URL must be set");`');
    expect(stdout).toContain("- `README.md:3` **info (docs)** docs `docs/milltime-mention`: `Time tracking used to go through Milltime.`");
    expect(stdout).toContain("- `app/public/logo.png`: binary");
  });

  it("passes (0) on a Kleer-era checkout", async () => {
    const run = await audit(await tree(CLEAN_TREE));
    expect(run).toEqual({ code: ExitCode.Ok, message: "" });
    expect(stdout).toBe(`# Milltime remnants audit\n\n${Object.keys(CLEAN_TREE).length} files scanned. No Milltime remnants found.\n`);
  });

  it("passes (0) when only docs, comments and migrations mention Milltime", async () => {
    const root = await tree({
      "README.md": "Toki used Milltime.\n",
      "toki-api/src/lib.rs": "// Milltime was replaced by Kleer in 2026.\npub fn f() {}\n",
      "toki-api/migrations/20241001_add_timer_type.sql": "ALTER TABLE timer_history ADD COLUMN timer_type TEXT DEFAULT 'milltime';\n",
    });
    expect((await audit(root, "--format", "json")).code).toBe(ExitCode.Ok);
    const { findings } = JSON.parse(stdout) as { findings: Array<{ severity: string }> };
    expect(findings.map((f) => f.severity)).toEqual(["info", "info", "info"]);
  });

  it("prints exactly the JSON shape with --format json", async () => {
    const run = await audit(await tree(DIRTY_TREE), "--format", "json");
    expect(run.code).toBe(ExitCode.GateFailed);
    const report = JSON.parse(stdout) as { findings: Array<Record<string, unknown>> };
    expect(Object.keys(report)).toEqual(["findings"]);
    expect(report.findings).toHaveLength(28);
    expect(report.findings.at(-1)).toEqual({
      rule: "auth/authentication-failed-code",
      category: "auth",
      severity: "warning",
      file: "toki-api/src/error.rs",
      line: 7,
      text: 'pub const AUTH_FAILED_CODE: &str = "TIME_TRACKING_AUTHENTICATION_FAILED";',
    });
  });

  it("writes the report to --out and says so on stdout", async () => {
    const root = await tree(CLEAN_TREE);
    const out = join(root, "reports", "audit.json");
    expect((await audit(root, "--format", "json", "--out", out)).code).toBe(ExitCode.Ok);
    expect(JSON.parse(await readFile(out, "utf8"))).toEqual({ findings: [] });
    expect(stdout).toBe(`audit: 0 findings written to ${out}\n`);
  });

  it("blocks on warnings only with --fail-on warning", async () => {
    const root = await tree({ "app/src/Login.tsx": '<input type="password" />\n' });
    expect((await audit(root)).code).toBe(ExitCode.Ok);
    const strict = await audit(root, "--fail-on", "warning");
    expect(strict.code).toBe(ExitCode.GateFailed);
    expect(strict.message).toContain("app/src/Login.tsx:1 (auth/password-input)");
  });

  it("uses another rules file with --rules", async () => {
    const root = await tree({ "src/a.ts": "callLegacy();\n", "src/b.ts": 'const x = "Milltime";\n' });
    const rules = join(root, "rules.json");
    await writeFile(rules, JSON.stringify({
      version: 1,
      rules: [{ id: "code/legacy-call", category: "code", severity: "error", description: "legacy", files: ["**/*.ts"], pattern: "callLegacy\\(" }],
    }));
    const run = await audit(root, "--rules", rules, "--format", "json");
    expect(run.code).toBe(ExitCode.GateFailed);
    expect((JSON.parse(stdout) as { findings: unknown[] }).findings).toEqual([
      { rule: "code/legacy-call", category: "code", severity: "error", file: "src/a.ts", line: 1, text: "callLegacy();" },
    ]);
  });

  it("honours --max-file-bytes and --ignore-dir", async () => {
    const root = await tree({ "big/a.ts": `const a = "Milltime"; // ${"x".repeat(100)}\n`, "vendor/b.ts": 'const b = "Milltime";\n' });
    expect((await audit(root, "--max-file-bytes", "50", "--ignore-dir", "vendor")).code).toBe(ExitCode.Ok);
    expect(stdout).toContain("- `big/a.ts`: too-large");
  });

  it.each([
    ["a missing PATH", (root: string) => [join(root, "missing")]],
    ["a PATH that is a file", (root: string) => [join(root, "a.ts")]],
    ["a missing rules file", (root: string) => [root, "--rules", join(root, "none.json")]],
    ["an invalid rules file", (root: string) => [root, "--rules", join(root, "a.ts")]],
    ["an unknown format", (root: string) => [root, "--format", "xml"]],
    ["a bad size limit", (root: string) => [root, "--max-file-bytes", "-3"]],
  ])("exits 2 for %s", async (_name, args) => {
    const root = await tree({ "a.ts": "export {};\n" });
    const run = await audit(...args(root));
    expect(run.code).toBe(ExitCode.UsageOrConfig);
  });

  it("throws CommandExit with GateFailed, not a TokiError, for blocking findings", async () => {
    const program = new Command("toki-parity").exitOverride();
    program.addCommand(defineAuditCommand());
    const root = await tree({ "app/src/a.ts": 'const a = "Milltime";\n' });
    await expect(program.parseAsync(["audit", root], { from: "user" })).rejects.toEqual(
      new CommandExit(ExitCode.GateFailed, "audit failed: 1 blocking Milltime remnant(s) in 1 file(s), first at app/src/a.ts:1 (ui-copy/milltime-text)"),
    );
  });
});
