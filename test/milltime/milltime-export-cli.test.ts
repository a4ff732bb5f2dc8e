import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defineMilltimeCommand } from "../../src/cli/commands/milltime-export.js";
import { exitCodeFor, ExitCode } from "../../src/cli/exit-codes.js";
import { ConfigError } from "../../src/domain/errors.js";
import { ANNA, ERIK, useMilltimeEmulators } from "./milltime-test-support.js";

const start = useMilltimeEmulators();

function credentialsFile(rows: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "mt-cli-")), "credentials.json");
  writeFileSync(path, JSON.stringify(rows));
  return path;
}

async function run(args: string[]): Promise<{ out: string; error: unknown }> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const program = new Command("toki-parity").exitOverride().addCommand(defineMilltimeCommand());
  const quiet = { writeErr: () => {} };
  program.commands.forEach((c) => c.exitOverride().configureOutput(quiet).commands.forEach((s) => s.exitOverride().configureOutput(quiet)));
  try {
    await program.parseAsync(["milltime", "export", ...args], { from: "user" });
    return { out, error: undefined };
  } catch (error) {
    return { out, error };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  delete process.env.TOKI_MILLTIME__URL;
});

describe("toki-parity milltime export", () => {
  it("writes a snapshot for every credentials row", async () => {
    const em = await start();
    const out = join(mkdtempSync(join(tmpdir(), "mt-cli-out-")), "snap");
    const creds = credentialsFile([ANNA, ERIK].map(({ tokiUserId, username, password }) => ({ tokiUserId, username, password })));
    const result = await run(["--from", "2026-05-01", "--to", "2026-05-31", "--credentials", creds, "--out", out, "--milltime-url", em.milltimeUrl]);
    expect(result.error).toBeUndefined();
    expect(result.out).toContain(`Milltime snapshot 2026-05-01..2026-05-31 written to ${out}: 2 of 2 users`);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { users: Array<{ milltimeUserId: string }> };
    expect(manifest.users.map((u) => u.milltimeUserId)).toEqual(["201", "202"]);
  });

  it("takes the URL from TOKI_MILLTIME__URL and exits 3 when a user's login fails", async () => {
    const em = await start();
    process.env.TOKI_MILLTIME__URL = em.milltimeUrl;
    const out = join(mkdtempSync(join(tmpdir(), "mt-cli-out-")), "snap");
    const creds = credentialsFile([{ tokiUserId: 1, username: "anna", password: ANNA.password }, { tokiUserId: 2, username: "erik", password: "Fel-Lösen-77" }]);
    const result = await run(["--from", "2026-05-01", "--to", "2026-05-31", "--credentials", creds, "--out", out]);
    expect(exitCodeFor(result.error)).toBe(ExitCode.SourceUnreachable);
    expect((result.error as Error).message).toBe("1 of 2 users could not be exported; the snapshot records their errors");
    expect(result.out).toMatch(/failed: Toki user 2 \(erik\): AUTH_FAILED: Milltime login failed/);
    expect(result.out).not.toContain("Fel-Lösen-77");
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toContain('"status": "failed"');
  });

  it("is a usage error without a URL, with a bad date or a reversed range", async () => {
    const creds = credentialsFile([{ tokiUserId: 1, username: "anna", password: "x-1234" }]);
    const out = mkdtempSync(join(tmpdir(), "mt-cli-out-"));
    const noUrl = await run(["--from", "2026-05-01", "--to", "2026-05-31", "--credentials", creds, "--out", out]);
    expect(noUrl.error).toBeInstanceOf(ConfigError);
    expect((noUrl.error as ConfigError).issues).toEqual(["--milltime-url / TOKI_MILLTIME__URL: required"]);
    expect(exitCodeFor(noUrl.error)).toBe(ExitCode.UsageOrConfig);
    const badDate = await run(["--from", "2026-02-30", "--to", "2026-05-31", "--credentials", creds, "--out", out, "--milltime-url", "http://127.0.0.1:9/cgi/mt.cgi"]);
    expect((badDate.error as { code?: string }).code).toBe("commander.invalidArgument");
    const reversed = await run(["--from", "2026-06-01", "--to", "2026-05-31", "--credentials", creds, "--out", out, "--milltime-url", "http://127.0.0.1:9/cgi/mt.cgi"]);
    expect(exitCodeFor(reversed.error)).toBe(ExitCode.UsageOrConfig);
  });
});
