import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { installConfigHooks } from "../../src/cli/config-hooks.js";
import { addRunFlags } from "../../src/cli/run-flag-definitions.js";
import { runConfigFromFlags, type RunFlagInput } from "../../src/cli/run-flags.js";
import type { RunConfig } from "../../src/config/run-config.js";
import { ConfigError } from "../../src/domain/errors.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-precedence-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILE = {
  kleer: { url: "http://127.0.0.1:9001/v1", companyId: 11, tokenFile: "kleer-token" },
  milltime: { snapshot: "snapshot" },
  mapping: "file-mapping.json",
  report: "reports/file.sqlite",
  range: { from: "2026-03-01", to: "2026-03-31" },
  concurrency: 6,
  profiles: { sandbox: { kleer: { companyId: 22 }, concurrency: 3 } },
};
writeFileSync(join(dir, "toki-parity.config.json"), JSON.stringify(FILE, null, 2));
writeFileSync(join(dir, "kleer-token"), "token-from-file-5521\n");
mkdirSync(join(dir, "elsewhere"));

/** A program with the CLI's global options and hooks and one command taking the run flags. */
async function effective(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = dir): Promise<RunConfig> {
  let seen: RunConfig | undefined;
  const program = new Command("toki-parity").exitOverride().option("--config <file>").option("--profile <name>");
  const compare = addRunFlags(new Command("compare")).action((flags: RunFlagInput) => {
    seen = runConfigFromFlags(flags, env).config;
  });
  program.addCommand(compare.exitOverride());
  installConfigHooks(program, env, () => cwd);
  await program.parseAsync(argv, { from: "user" });
  if (!seen) throw new Error("the action did not run");
  return seen;
}

async function failure(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await effective(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return [error.message, ...error.issues].join("\n");
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("precedence: flag > env > file (profile over top level) > default", () => {
  it("the file fills what no flag or env gives, including the required --from/--to", async () => {
    const c = await effective(["compare"]);
    expect(c.kleer).toMatchObject({ baseUrl: "http://127.0.0.1:9001/v1", companyId: 11, token: "token-from-file-5521" });
    expect(c.milltime.snapshotDir).toBe(join(dir, "snapshot"));
    expect(c).toMatchObject({ from: "2026-03-01", to: "2026-03-31", concurrency: 6, mappingFile: join(dir, "file-mapping.json"), reportFile: join(dir, "reports/file.sqlite") });
    // Not in the file: the default.
    expect(c.timeZone).toBe("Europe/Stockholm");
  });

  it("the environment wins over the file", async () => {
    const c = await effective(["compare"], { TOKI_KLEER__BASE_URL: "http://127.0.0.1:9002/v1", TOKI_KLEER__COMPANY_ID: "33", TOKI_KLEER__TOKEN: "env-token" });
    expect(c.kleer).toMatchObject({ baseUrl: "http://127.0.0.1:9002/v1", companyId: 33, token: "env-token" });
  });

  it("a flag wins over the environment and the file", async () => {
    const c = await effective(["compare", "--kleer-url", "http://127.0.0.1:9003/v1", "--kleer-company", "44", "--kleer-token", "flag-token", "--concurrency", "9", "--from", "2026-03-10"], {
      TOKI_KLEER__BASE_URL: "http://127.0.0.1:9002/v1",
      TOKI_KLEER__COMPANY_ID: "33",
      TOKI_KLEER__TOKEN: "env-token",
    });
    expect(c.kleer).toMatchObject({ baseUrl: "http://127.0.0.1:9003/v1", companyId: 44, token: "flag-token" });
    expect(c).toMatchObject({ concurrency: 9, from: "2026-03-10", to: "2026-03-31" });
  });

  it("--profile: the profile's keys win over the top level's, before or after the command name", async () => {
    for (const argv of [["--profile", "sandbox", "compare"], ["compare", "--profile", "sandbox"]]) {
      const c = await effective(argv);
      expect(c.kleer.companyId).toBe(22);
      expect(c.concurrency).toBe(3);
      expect(c.kleer.baseUrl).toBe("http://127.0.0.1:9001/v1");
    }
    // The environment still wins over a profile.
    expect((await effective(["--profile", "sandbox", "compare"], { TOKI_KLEER__COMPANY_ID: "33" })).kleer.companyId).toBe(33);
  });

  it("--config FILE from another folder; without it and without a file in the folder, only defaults", async () => {
    const c = await effective(["--config", join(dir, "toki-parity.config.json"), "compare"], {}, join(dir, "elsewhere"));
    expect(c.kleer.companyId).toBe(11);
    const none = await effective(["compare", "--from", "2026-01-01", "--to", "2026-01-02", "--kleer-token", "t", "--kleer-company", "1", "--milltime-snapshot", "s"], {}, join(dir, "elsewhere"));
    expect(none).toMatchObject({ mappingFile: "mapping.json", reportFile: "reports/parity.sqlite", concurrency: 4, kleer: { baseUrl: "https://api.kleer.se/v1" } });
  });
});

describe("TOKI_PARITY_CONFIG / TOKI_PARITY_PROFILE choose the file and profile when the flags do not", () => {
  it("the environment names the file and the profile; the flags win over it", async () => {
    const elsewhere = join(dir, "elsewhere");
    const env = { TOKI_PARITY_CONFIG: join(dir, "toki-parity.config.json"), TOKI_PARITY_PROFILE: "sandbox" };
    expect((await effective(["compare"], env, elsewhere)).kleer.companyId).toBe(22);
    const other = join(elsewhere, "other.json");
    writeFileSync(other, JSON.stringify({ ...FILE, kleer: { ...FILE.kleer, tokenFile: join(dir, "kleer-token"), companyId: 77 }, milltime: { snapshot: "s" }, profiles: {} }));
    expect((await effective(["--config", other, "compare"], { TOKI_PARITY_CONFIG: join(dir, "toki-parity.config.json") }, elsewhere)).kleer.companyId).toBe(77);
    expect(await failure(["compare"], { TOKI_PARITY_CONFIG: join(dir, "missing.json") })).toContain("TOKI_PARITY_CONFIG");
    expect(await failure(["compare"], { TOKI_PARITY_PROFILE: "sandbx" })).toBe('TOKI_PARITY_PROFILE sandbx: no such profile in toki-parity.config.json; it has sandbox (did you mean "sandbox"?)');
  });
});

describe("messages name where a bad value came from", () => {
  it('--kleer-company abc: "abc" is not a number, naming the flag (not "required but was not given")', async () => {
    const text = await failure(["compare", "--kleer-company", "abc"]);
    expect(text).toContain('--kleer-company: "abc" is not a number');
    expect(text).not.toContain("required");
  });

  it("TOKI_KLEER__COMPANY_ID=abc names the environment variable", async () => {
    expect(await failure(["compare"], { TOKI_KLEER__COMPANY_ID: "abc" })).toContain('the environment variable TOKI_KLEER__COMPANY_ID: "abc" is not a number');
  });

  it("an exported TOKI_MILLTIME__URL against the file's snapshot names the env var and the config key with its line", async () => {
    const text = await failure(["compare"], { TOKI_MILLTIME__URL: "http://127.0.0.1:9004/cgi/mt.cgi" });
    expect(text).toContain("give either --milltime-snapshot or --milltime-url with --milltime-credentials, not both");
    expect(text).toContain("the Milltime URL from the environment variable TOKI_MILLTIME__URL");
    expect(text).toContain("the snapshot comes from the config file's milltime.snapshot (toki-parity.config.json:8:17)");
  });

  it("an exported TOKI_MILLTIME__URL against --milltime-snapshot names the env var and the flag", async () => {
    const text = await failure(["compare", "--milltime-snapshot", "other"], { TOKI_MILLTIME__URL: "http://127.0.0.1:9004/cgi/mt.cgi" });
    expect(text).toContain("the snapshot comes from --milltime-snapshot, the Milltime URL from the environment variable TOKI_MILLTIME__URL");
  });

  it("a file value a command's own check refuses names the key, its line and the command", async () => {
    const program = new Command("toki-parity").exitOverride().option("--config <file>").option("--profile <name>");
    const file = join(dir, "elsewhere", "c50.json");
    writeFileSync(file, '{\n  "concurrency": 50\n}\n');
    const exporter = new Command("export").exitOverride().option("--concurrency <n>", "users at once", (v: string) => {
      if (Number(v) > 32) throw new InvalidArgumentError("must be an integer from 1 to 32");
      return Number(v);
    });
    program.addCommand(new Command("milltime").addCommand(exporter.action(() => {})));
    installConfigHooks(program, {}, () => dir);
    await expect(program.parseAsync(["--config", file, "milltime", "export"], { from: "user" })).rejects.toThrow(
      "concurrency (elsewhere/c50.json:2:18): must be an integer from 1 to 32 (for milltime export --concurrency)",
    );
  });

  it("a missing required value lists the flag, the env var and the config key", async () => {
    const text = await failure(["--config", join(dir, "elsewhere", "none.json"), "compare"]).catch((e: Error) => e.message);
    expect(text).toContain("no such file");
    const empty = join(dir, "elsewhere", "empty.json");
    writeFileSync(empty, "{}");
    expect(await failure(["--config", empty, "compare", "--from", "2026-01-01", "--to", "2026-01-02", "--milltime-snapshot", "s"])).toContain(
      "--kleer-company / TOKI_KLEER__COMPANY_ID: is required but was not given (or set kleer.companyId in the config file)",
    );
  });
});

describe("replay --resume keeps the resumed run's range", () => {
  it("the config file's range is dropped when resuming; a flag's is kept", async () => {
    const { withoutFileRangeWhenResuming } = await import("../../src/cli/actions/replay.js");
    const carrier = { loaded: undefined as never, valueFor: (a: string) => (a === "from" || a === "to" ? { key: `range.${a}`, value: "x", where: "f:1:1" } : undefined) };
    const flags = { from: "2026-03-01", to: "2026-03-31", show: 20, configFile: carrier };
    expect(withoutFileRangeWhenResuming({ ...flags, resume: "7" })).toMatchObject({ from: undefined, to: undefined, resume: "7" });
    expect(withoutFileRangeWhenResuming(flags)).toMatchObject({ from: "2026-03-01", to: "2026-03-31" });
    const fromFlag = { ...flags, resume: "7", configFile: { ...carrier, valueFor: () => undefined } };
    expect(withoutFileRangeWhenResuming(fromFlag)).toMatchObject({ from: "2026-03-01", to: "2026-03-31" });
  });
});
