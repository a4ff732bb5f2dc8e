import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { defineEmulatorKleerCommand, toEmulatorKleerOptions } from "../../../src/cli/commands/emulator-kleer.js";
import { runKleerEmulator } from "../../../src/emulator/kleer/index.js";

const seedFile = fileURLToPath(new URL("../../../fixtures/kleer/small-company.json", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));

const curlHeaders = (token: string) => ({ "x-token": token, accept: "application/json", "content-type": "application/json" });

describe("emulator kleer command", () => {
  it("defines `kleer` with its documented defaults", () => {
    const command = defineEmulatorKleerCommand();
    expect(command.name()).toBe("kleer");
    const defaults = Object.fromEntries(command.options.map((o) => [o.long, o.defaultValue]));
    expect(defaults).toEqual({
      "--port": 8787,
      "--seed": undefined,
      "--token": "dev-token",
      "--company": 4875,
      "--latency": undefined,
      "--error-rate": undefined,
      "--accept-locked-writes": undefined,
    });
    expect(toEmulatorKleerOptions({ port: 0, seed: "s.json", token: "t", company: 7, latency: 5, errorRate: 0.5 })).toEqual({
      port: 0,
      seedFile: "s.json",
      token: "t",
      companyId: 7,
      latencyMs: 5,
      errorRate: 0.5,
      acceptLockedWrites: false,
    });
    expect(toEmulatorKleerOptions({ port: 0, token: "t", company: 7, acceptLockedWrites: true }).acceptLockedWrites).toBe(true);
  });

  it("rejects bad flag values as usage errors", async () => {
    for (const args of [["--port", "http"], ["--error-rate", "2"], ["--company", "-1"]]) {
      const command = defineEmulatorKleerCommand().exitOverride().configureOutput({ writeErr: () => {} });
      await expect(command.parseAsync(args, { from: "user" })).rejects.toMatchObject({ code: "commander.invalidArgument" });
    }
  });

  it("serves the seed, prints the base URL and a curl example, and closes when stopped", async () => {
    const controller = new AbortController();
    let banner = "";
    const running = runKleerEmulator(
      { port: 0, seedFile, token: "dev-token", companyId: 4875 },
      { write: (text) => void (banner += text), stop: controller.signal },
    );
    await expect.poll(() => banner).toContain("Base URL:");
    const base = /Base URL: (\S+)/.exec(banner)?.[1] ?? "";
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(banner).toContain(`curl -s -H 'X-Token: dev-token' -H 'Accept: application/json' -H 'Content-Type: application/json' ${base}/company/4875/activity`);
    expect(banner).toContain("5 users, 5 projects, 12 events");
    const res = await request(`${base}/company/4875/activity`, { headers: curlHeaders("dev-token") });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { "activity-readables": unknown[] })["activity-readables"]).toHaveLength(5);
    controller.abort();
    await running;
    await expect(request(`${base}/company/4875/activity`, { headers: curlHeaders("dev-token") })).rejects.toThrow();
  });

  it("does not print a custom token", async () => {
    const controller = new AbortController();
    let banner = "";
    const running = runKleerEmulator({ port: 0, token: "my-own-secret", companyId: 1 }, { write: (t) => void (banner += t), stop: controller.signal });
    await expect.poll(() => banner).toContain("Base URL:");
    controller.abort();
    await running;
    expect(banner).not.toContain("my-own-secret");
    expect(banner).toContain("X-Token: <the --token value>");
  });

  it("reports an unreadable or invalid seed file as a configuration error", async () => {
    const stop = new AbortController().signal;
    await expect(runKleerEmulator({ port: 0, seedFile: "/nonexistent/seed.json", token: "t", companyId: 1 }, { write: () => {}, stop })).rejects.toMatchObject({
      code: "CONFIG",
    });
    const notSeed = fileURLToPath(new URL("../../../package.json", import.meta.url));
    await expect(runKleerEmulator({ port: 0, seedFile: notSeed, token: "t", companyId: 1 }, { write: () => {}, stop })).rejects.toMatchObject({
      code: "CONFIG",
      message: expect.stringContaining("is not valid"),
    });
  });

  it("runs as a process until SIGTERM", async () => {
    const entry = fileURLToPath(new URL("./emulator-kleer-command.entry.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", entry, "--port", "0", "--seed", seedFile, "--latency", "1"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => void (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => out + err, { timeout: 20_000 }).toContain("Base URL:");
      const base = /Base URL: (\S+)/.exec(out)?.[1] ?? "";
      const res = await request(`${base}/company/4875/user/me`, { headers: curlHeaders("dev-token") });
      expect(await res.body.json()).toMatchObject({ id: 5500 });
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(out).toContain("stopped");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
