import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Command } from "commander";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { buildProgram } from "../../src/cli/program.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-show-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stdout = "";
let stderr = "";
const saved = { ...process.env };
beforeEach(() => {
  stdout = "";
  stderr = "";
  for (const k of Object.keys(process.env)) if (k.startsWith("TOKI_")) delete process.env[k];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
});

interface Shown {
  file: string | null;
  profile: string | null;
  settings: Array<{ key: string; value: unknown; origin: string; originText: string; profile?: string; where?: string; secret: boolean }>;
}
async function show(args: string[], flags: string[] = []): Promise<Shown> {
  stdout = "";
  expect(await runCli([...args, "config", "show", "--json", ...flags]), stderr).toBe(0);
  return JSON.parse(stdout) as Shown;
}
const byKey = (s: Shown) => Object.fromEntries(s.settings.map((x) => [x.key, x]));

describe("toki-parity init → config show", () => {
  it("init writes a commented starter file from the flags that config show then reads back, every value from the file", async () => {
    const file = join(dir, "init", "toki-parity.config.json");
    const code = await runCli([
      "--config", file, "init",
      "--kleer-url", "http://127.0.0.1:8787/v1", "--kleer-company", "4875",
      "--milltime-url", "http://127.0.0.1:8788/cgi/mt.cgi", "--milltime-credentials", "fixtures/demo/milltime-credentials.json",
      "--mapping", "fixtures/demo/mapping.json", "--history", "fixtures/demo/timer-history.json",
      "--from", "2026-09-28", "--to", "2026-11-22",
    ]);
    expect(code, stderr).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^\/\/ toki-parity configuration/);
    expect(text).toContain("// Kleer company id (flag --kleer-company, env TOKI_KLEER__COMPANY_ID).");
    // Paths given relative to the working directory are written relative to the file's folder.
    expect(text).toContain(`"mapping": ${JSON.stringify(relative(join(dir, "init"), "fixtures/demo/mapping.json"))}`);
    expect(text).toContain('// "report": "reports/parity.sqlite",');

    const s = byKey(await show(["--config", file]));
    expect(s["kleer.url"]).toMatchObject({ value: "http://127.0.0.1:8787/v1", origin: "file" });
    expect(s["kleer.companyId"]).toMatchObject({ value: 4875, origin: "file" });
    expect(s["kleer.companyId"]!.where).toMatch(/toki-parity\.config\.json:\d+:\d+$/);
    // Resolved against the file's folder, shown from the working directory: the path the user gave.
    expect(s.mapping).toMatchObject({ value: "fixtures/demo/mapping.json", origin: "file" });
    expect(s["milltime.credentials"]).toMatchObject({ value: "fixtures/demo/milltime-credentials.json", origin: "file" });
    expect(s["range.from"]).toMatchObject({ value: "2026-09-28", origin: "file" });
    expect(s.report).toMatchObject({ value: "reports/parity.sqlite", origin: "default" });
    expect(s["kleer.token"]).toMatchObject({ value: null, origin: "unset" });
  });

  it("init never overwrites without --force; a bad value writes nothing", async () => {
    const file = join(dir, "force", "toki-parity.config.json");
    expect(await runCli(["--config", file, "init", "--kleer-company", "1"])).toBe(0);
    const before = readFileSync(file, "utf8");
    expect(await runCli(["--config", file, "init", "--kleer-company", "2"])).toBe(2);
    expect(stderr).toContain("exists already; give --force to overwrite it");
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(await runCli(["--config", file, "init", "--kleer-company", "2", "--force"])).toBe(0);
    expect(byKey(await show(["--config", file]))["kleer.companyId"]!.value).toBe(2);

    const bad = join(dir, "bad", "toki-parity.config.json");
    expect(await runCli(["--config", bad, "init", "--kleer-company", "abc"])).toBe(2);
    expect(stderr).toContain('--kleer-company: "abc" is not a number');
    expect(existsSync(bad)).toBe(false);
  });
});

describe("config show: origins and masking", () => {
  const folder = join(dir, "origins");
  const file = join(folder, "toki-parity.config.json");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "kleer-token"), "file-token-31415\n");
  writeFileSync(
    file,
    JSON.stringify({
      kleer: { url: "http://127.0.0.1:9001/v1", companyId: 11, tokenFile: "kleer-token" },
      concurrency: 6,
      timeZone: "Europe/Helsinki",
      profiles: { sandbox: { kleer: { companyId: 22 } } },
    }),
  );

  it("flag > env > file:profile > file > default, each named", async () => {
    process.env.TOKI_KLEER__BASE_URL = "http://127.0.0.1:9002/v1";
    const s = byKey(await show(["--config", file, "--profile", "sandbox"], ["--concurrency", "9"]));
    expect(s.concurrency).toMatchObject({ value: "9", origin: "flag", originText: "flag --concurrency" });
    expect(s["kleer.url"]).toMatchObject({ value: "http://127.0.0.1:9002/v1", origin: "env", originText: "env TOKI_KLEER__BASE_URL" });
    expect(s["kleer.companyId"]).toMatchObject({ value: 22, origin: "file", profile: "sandbox" });
    expect(s["kleer.companyId"]!.originText).toMatch(/^file:sandbox .*toki-parity\.config\.json:1:\d+$/);
    expect(s.timeZone).toMatchObject({ value: "Europe/Helsinki", origin: "file" });
    expect(s.timeZone!.originText).toMatch(/^file .*:1:\d+$/);
    expect(s.mapping).toMatchObject({ value: "mapping.json", origin: "default" });
  });

  it("a token from kleer.tokenFile, the environment or a flag is never printed (text or JSON)", async () => {
    const fromFile = byKey(await show(["--config", file]));
    expect(fromFile["kleer.token"]).toMatchObject({ value: "********", origin: "file", secret: true });
    expect(fromFile["kleer.tokenFile"]).toMatchObject({ origin: "file" });
    expect(stdout).not.toContain("file-token-31415");

    process.env.TOKI_KLEER__TOKEN = "env-token-27182";
    expect(byKey(await show(["--config", file]))["kleer.token"]).toMatchObject({ value: "********", origin: "env" });
    expect(stdout).not.toContain("env-token-27182");

    stdout = "";
    expect(await runCli(["--config", file, "config", "show", "--kleer-token", "flag-token-16180", "--history", "postgres://toki:pg-pass-4242@127.0.0.1/toki"])).toBe(0);
    expect(stdout).toMatch(/kleer\.token\s+\*{8}\s+flag --kleer-token/);
    expect(stdout).toContain("postgres://toki:********@127.0.0.1/toki");
    for (const secret of ["file-token-31415", "env-token-27182", "flag-token-16180", "pg-pass-4242"]) expect(stdout + stderr).not.toContain(secret);
  });

  it("a broken config file: config show exits 2 with the position; --help still answers", async () => {
    const broken = join(folder, "broken.json");
    writeFileSync(broken, '{\n  "kleer": { "compnyId": 1 }\n}\n');
    expect(await runCli(["--config", broken, "config", "show"])).toBe(2);
    expect(stderr).toContain('broken.json:2:14: kleer.compnyId: unknown key (did you mean "companyId"?)');
    expect(await runCli(["--config", broken, "compare", "--help"])).toBe(0);
  });
});

describe("every command that takes the settings gets them from the file", () => {
  const folder = join(dir, "commands");
  const file = join(folder, "toki-parity.config.json");
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      kleer: { url: "http://127.0.0.1:9001/v1", companyId: 11 },
      milltime: { url: "http://127.0.0.1:9005/cgi/mt.cgi", credentials: "creds.json", instanceId: "000999.1" },
      mapping: "m.json",
      history: "postgres://127.0.0.1/toki",
      report: "r.sqlite",
      range: { from: "2026-03-01", to: "2026-03-31" },
      concurrency: 3,
    }),
  );
  // Outside the working directory, the file's relative paths become absolute.
  const path = (name: string) => join(folder, name);

  async function flagsOf(argv: string[]): Promise<Record<string, unknown>> {
    const program = buildProgram();
    let leaf: Command = program;
    for (const name of argv.filter((a) => !a.startsWith("-") && /^[a-z]+$/.test(a))) {
      const next = leaf.commands.find((c) => c.name() === name);
      if (!next) break;
      leaf = next;
    }
    let seen: Record<string, unknown> | undefined;
    leaf.action((flags: Record<string, unknown>) => {
      seen = flags;
    });
    await program.parseAsync(["--config", file, ...argv], { from: "user" });
    return seen!;
  }

  it.each([
    [["compare"], { kleerUrl: "http://127.0.0.1:9001/v1", kleerCompany: "11", from: "2026-03-01", concurrency: "3", instanceId: "000999.1" }],
    [["replay"], { from: "2026-03-01", to: "2026-03-31", mapping: "m.json" }],
    [["doctor"], { history: "postgres://127.0.0.1/toki", milltimeUrl: "http://127.0.0.1:9005/cgi/mt.cgi" }],
    [["map", "check"], { from: "2026-03-01", mapping: "m.json", kleerCompany: "11" }],
    [["cleanup", "--run", "1"], { report: "r.sqlite", kleerUrl: "http://127.0.0.1:9001/v1", kleerCompany: "11" }],
    [["relink", "--run", "1"], { report: "r.sqlite", history: "postgres://127.0.0.1/toki" }],
    [["probe"], { mapping: "m.json", report: "r.sqlite", kleerCompany: "11", from: undefined, to: undefined }],
    [["milltime", "export", "--out", "snap"], { milltimeCredentials: "creds.json", milltimeUrl: "http://127.0.0.1:9005/cgi/mt.cgi", concurrency: 3, from: "2026-03-01" }],
  ])("%j", async (argv, expected) => {
    const flags = await flagsOf(argv);
    const wanted = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, typeof v === "string" && /\.(json|sqlite)$/.test(v) ? path(v) : v]));
    for (const [key, value] of Object.entries(wanted)) expect(flags[key], key).toEqual(value);
  });

  it("a flag still wins over the file", async () => {
    expect(await flagsOf(["compare", "--report", "other.sqlite", "--kleer-company", "5"])).toMatchObject({ report: "other.sqlite", kleerCompany: "5" });
  });
});
