import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";

// Usage errors end with exit 2 (README's exit-code table) and say what was probably meant.
let stderr = "";
let stdout = "";
beforeEach(() => {
  stderr = "";
  stdout = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe("usage errors", () => {
  it.each([
    [["compair"], "error: unknown command 'compair'", "(Did you mean compare?)"],
    [["milltime", "exprt"], "error: unknown command 'exprt'", "(Did you mean export?)"],
    [["report", "merg", "out.sqlite"], "error: too many arguments for 'report'", "(toki-parity report --help lists the commands)"],
    // A typo of a required flag: the suggestion, not "required option '--from' not specified".
    [["compare", "--form", "2026-01-01", "--to", "2026-01-31"], "error: unknown option '--form'", "(Did you mean --from?)"],
    [["replay", "--from", "2026-01-01", "--to", "2026-01-31", "--mappng", "m.json"], "error: unknown option '--mappng'", "(Did you mean --mapping?)"],
    [["gate", "r.sqlite", "--max-blockin", "0"], "error: unknown option '--max-blockin'", "(Did you mean --max-blocking?)"],
    [["report", "diff", "r.sqlite", "--formt", "md"], "error: unknown option '--formt'", "(Did you mean --format?)"],
    [["emulator", "kleer", "--prot", "0"], "error: unknown option '--prot'", "(Did you mean --port?)"],
    [["milltime", "export", "--from", "2026-01-01", "--to", "2026-01-31", "--milltime-credential", "c.json", "--out", "snap"], "error: unknown option '--milltime-credential'", "(Did you mean --milltime-credentials?)"],
    [["map", "check", "--from", "2026-01-01", "--to", "2026-01-31", "--mapping", "m.json", "--jsn"], "error: unknown option '--jsn'", "(Did you mean --json?)"],
  ])("%j", async (argv, error, hint) => {
    expect(await runCli(argv)).toBe(2);
    expect(stderr).toContain(error);
    expect(stderr).toContain(hint);
    expect(stdout).toBe("");
  });

  it("a missing required flag still says which, with exit 2", async () => {
    expect(await runCli(["compare", "--to", "2026-01-31"])).toBe(2);
    expect(stderr).toContain("error: required option '--from <date>' not specified");
    expect(stderr).toContain("(toki-parity compare --help lists the flags)");
    expect(await runCli(["relink"])).toBe(2);
    expect(stderr).toContain("error: required option '--run <id>' not specified");
  });
});

describe("milltime export --credentials, the old name of --milltime-credentials", () => {
  it("is not listed in --help, where --milltime-credentials is", async () => {
    expect(await runCli(["milltime", "export", "--help"])).toBe(0);
    expect(stdout).toContain("--milltime-credentials <file>");
    expect(stdout).not.toMatch(/(^|\s)--credentials\b/m);
  });

  it("satisfies the required flag (the command goes on to its own checks)", async () => {
    const argv = ["milltime", "export", "--from", "2026-01-01", "--to", "2026-01-31", "--out", "/nonexistent/snap", "--milltime-url", "http://127.0.0.1:9/cgi/mt.cgi"];
    expect(await runCli([...argv, "--credentials", "/nonexistent/credentials.json"])).toBe(2);
    expect(stderr).not.toContain("required option");
    expect(stderr).toContain("/nonexistent/credentials.json");
  });

  it("given with --milltime-credentials and another value, in either order, is a usage error", async () => {
    const argv = ["milltime", "export", "--from", "2026-01-01", "--to", "2026-01-31", "--out", "/nonexistent/snap"];
    expect(await runCli([...argv, "--milltime-credentials", "a.json", "--credentials", "b.json"])).toBe(2);
    expect(stderr).toContain("--credentials is the old name of --milltime-credentials, given too with another value");
    stderr = "";
    expect(await runCli([...argv, "--credentials", "b.json", "--milltime-credentials", "a.json"])).toBe(2);
    expect(stderr).toContain("--credentials is the old name of --milltime-credentials, given too with another value");
  });
});
