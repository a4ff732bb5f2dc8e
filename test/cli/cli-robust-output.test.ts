import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";

// The TypeScript sources through tsx: bin/toki-parity.js would prefer a dist/ build, which may be stale in a checkout.
const main = join(import.meta.dirname, "../../src/cli/main.ts");
const dir = mkdtempSync(join(tmpdir(), "toki-parity-robust-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("robust output", () => {
  it("ends quietly with exit 0 when the reader closes stdout early (`… | head`)", () => {
    // Thousands of audit findings: far more output than a pipe buffer holds, so writes hit EPIPE.
    writeFileSync(join(dir, "README.md"), "Time tracking used to go through Milltime.\n".repeat(20_000));
    const result = spawnSync("bash", ["-c", `set -o pipefail; node --import tsx ${JSON.stringify(main)} audit ${JSON.stringify(dir)} | head -c 100 > /dev/null`], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(result.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(result.status).toBe(0);
  }, 130_000);

  it("answers exit 2 with a --port 0 hint when an emulator's port is taken", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    let stderr = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await runCli(["emulator", "kleer", "--port", String(port)])).toBe(2);
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain("--port 0 for any free port");
    } finally {
      spy.mockRestore();
      out.mockRestore();
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});
