import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { login } from "../../../src/milltime/milltime-login.js";
import { smallCompanySeedPath } from "../../../src/emulator/milltime/milltime-emulator-seed.js";
import { toEmulatorMilltimeOptions } from "../../../src/cli/commands/emulator-milltime.js";
import { ANNA } from "../../milltime/milltime-test-support.js";

const script = fileURLToPath(new URL("./run-emulator-milltime-cli.ts", import.meta.url));

describe("toki-parity emulator milltime", () => {
  it("serves the seed on loopback until SIGTERM, printing no password", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", script, "--port", "0", "--seed", smallCompanySeedPath(), "--session-ttl", "600"], {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString("utf8")));
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => void (err += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out} ${err}`)), 20_000);
        child.stdout.on("data", () => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/cgi\/mt\.cgi) \(instance 000224\.1\)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const session = await login({ baseUrl: url, username: ANNA.username, password: ANNA.password });
      expect(session.userId).toBe("201");
      expect(session.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(600_000);
      expect(out).toContain("users: anna (201), erik (202), maria (203), lars (204)");
      expect(out).not.toContain(ANNA.password);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(out).toContain("stopped");
  });

  it("turns fault flags into the emulator's fault options", () => {
    expect(toEmulatorMilltimeOptions({ port: 0, errorRate: 0.5, latency: 20, faultSeed: 7 })).toEqual({
      port: 0,
      seedFile: undefined,
      instanceId: undefined,
      sessionTtlSeconds: undefined,
      faults: { latencyMs: 20, errorRate: 0.5, rateLimitRate: undefined, dropRate: undefined, seed: 7 },
    });
  });
});
