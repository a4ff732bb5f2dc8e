import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { runDemo } from "../../src/demo/run-demo.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import { readFileSync } from "node:fs";

const outDir = mkdtempSync(join(tmpdir(), "toki-parity-cli-"));
const fixtures = demoFixturesDir();
let kleer: RunningKleerEmulator;
let milltime: RunningMilltimeEmulator;
let stderr = "";

function compareArgs(extra: string[]): string[] {
  return [
    "compare",
    "--from", "2026-11-02",
    "--to", "2026-11-08",
    "--kleer-url", `${kleer.url}/v1`,
    "--kleer-company", "4875",
    "--milltime-url", `${milltime.url}/cgi/mt.cgi`,
    "--milltime-credentials", join(fixtures, "milltime-credentials.json"),
    "--mapping", join(fixtures, "mapping.json"),
    "--history", join(fixtures, "timer-history.json"),
    "--report", join(outDir, "cli.sqlite"),
    ...extra,
  ];
}

describe("CLI exit codes", () => {
  beforeAll(async () => {
    kleer = await startKleerEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "kleer-seed.json"), "utf8")), token: "cli-token-1234", companyId: 4875 });
    milltime = await startMilltimeEmulator({ seed: JSON.parse(readFileSync(join(fixtures, "milltime-seed.json"), "utf8")) });
    await runDemo({ outDir, write: () => {} });
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
  }, 120_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(outDir, { recursive: true, force: true });
  });

  it("0: --help and --version", async () => {
    expect(await runCli(["--help"])).toBe(0);
    expect(await runCli(["--version"])).toBe(0);
  });

  it("0: a compare that completes, even with findings", async () => {
    expect(await runCli(compareArgs(["--kleer-token", "cli-token-1234"]))).toBe(0);
  });

  it("1: the gate fails on the demo report and 0: passes on the accepted one", async () => {
    expect(await runCli(["gate", join(outDir, "demo.sqlite"), "--max-blocking", "0"])).toBe(1);
    expect(await runCli(["gate", join(outDir, "demo-accepted.sqlite"), "--max-blocking", "0"])).toBe(0);
  });

  it("2: a missing or malformed option, naming it", async () => {
    stderr = "";
    expect(await runCli(["compare", "--to", "2026-11-08"])).toBe(2);
    stderr = "";
    expect(await runCli(compareArgs(["--kleer-token", "cli-token-1234", "--from", "2026-02-30"]))).toBe(2);
    expect(stderr).toContain("--from");
    stderr = "";
    expect(await runCli(compareArgs([]).filter((a) => a !== "--kleer-company" && a !== "4875").concat(["--kleer-token", "x-123456"]))).toBe(2);
    expect(stderr).toContain("TOKI_KLEER__COMPANY_ID");
  });

  it("3: Kleer rejects the token; the token is not printed", async () => {
    stderr = "";
    expect(await runCli(compareArgs(["--kleer-token", "wrong-token-98765"]))).toBe(3);
    expect(stderr).toContain("AUTH_FAILED");
    expect(stderr).not.toContain("wrong-token-98765");
  });

  it("3: Milltime unreachable for every user, each named with system, reason and hint", async () => {
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    stderr = "";
    try {
      const args = compareArgs(["--kleer-token", "cli-token-1234", "--users", "1,2,3"]);
      args[args.indexOf("--milltime-url") + 1] = "http://127.0.0.1:9/cgi/mt.cgi";
      expect(await runCli(args)).toBe(3);
    } finally {
      spy.mockImplementation(() => true);
    }
    for (const user of [1, 2, 3]) expect(out).toMatch(new RegExp(`user ${user}  milltime: UNREACHABLE: .+\\n    hint: check that --milltime-url is reachable`));
    expect(out).toContain("3 user(s) block the verdict");
    expect(stderr).toContain("no user could be compared");
  });

  it("0: a compare where some users could be compared, the failing one listed", async () => {
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      expect(await runCli(compareArgs(["--kleer-token", "cli-token-1234"]))).toBe(0);
    } finally {
      spy.mockImplementation(() => true);
    }
    expect(out).toMatch(/user 9  milltime: AUTH_FAILED: .+\n    hint: check the user's Milltime credentials row/);
  });

  it("2: a rules file that suppresses source_error is refused before anything runs", async () => {
    const rules = join(outDir, "silencing-rules.json");
    writeFileSync(rules, JSON.stringify({ suppressions: [{ kind: "source_error", user_key: 9, reason: "password rotated" }] }));
    stderr = "";
    expect(await runCli(compareArgs(["--kleer-token", "cli-token-1234", "--rules", rules, "--report", join(outDir, "refused.sqlite")]))).toBe(2);
    expect(stderr).toContain("silences source errors");
    expect(stderr).toContain("suppressions[0]: a source_error cannot be suppressed");
    expect(existsSync(join(outDir, "refused.sqlite"))).toBe(false);
  });

  it("3: a Kleer host that does not answer", async () => {
    const args = compareArgs(["--kleer-token", "cli-token-1234"]);
    args[args.indexOf("--kleer-url") + 1] = "http://127.0.0.1:9/v1";
    expect(await runCli(args)).toBe(3);
  });
});

describe("CLI messages for common mistakes", () => {
  it("2: a file that is not a report, and missing required options, in plain words", async () => {
    let err = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    });
    try {
      expect(await runCli(["gate", join(import.meta.dirname, "../../README.md")])).toBe(2);
      expect(err).toContain("cannot use");
      expect(err).toContain("as a report file");
      err = "";
      const env = { ...process.env };
      delete process.env.TOKI_KLEER__TOKEN;
      delete process.env.TOKI_KLEER__COMPANY_ID;
      try {
        expect(await runCli(["compare", "--from", "2026-01-01", "--to", "2026-01-31"])).toBe(2);
      } finally {
        process.env = env;
      }
      expect(err).toContain("--kleer-token / TOKI_KLEER__TOKEN: is required but was not given");
    } finally {
      spy.mockRestore();
    }
  });
});
