import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator, type KleerEmulatorSeedInput, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";

/** The demo company: 10 users, 7 projects, the planted gaps (see fixtures/demo/). */
export const DEMO = demoFixturesDir();
export const DEMO_RANGE = { from: "2026-09-28", to: "2026-11-22" } as const;
export const KLEER_TOKEN = "map-cli-token-73519";
export const COMPANY = 4875;
/** Sara's row in the demo credentials has a password Milltime refuses. */
export const SARA = 9;
/** Oskar has Milltime entries but no Kleer user. */
export const OSKAR = 10;
export const TIDRAPPORTERING = "300000000000242048";
export const KONFERENS = "201201111420550066";

export type KleerSeed = KleerEmulatorSeedInput & {
  users: Array<{ id: number; name: string; email: string; active: boolean; hasPayroll?: boolean }>;
  projects: Array<{ id: number; number: string; name: string; active: boolean; allUsers: boolean; users?: Array<{ userId: number; activities?: number[] }>; activities: number[] }>;
  activities: Array<{ id: number; name: string }>;
};

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

export const demoKleerSeed = (): KleerSeed => readJson<KleerSeed>(join(DEMO, "kleer-seed.json"));
export const demoMilltimeSeed = (): unknown => readJson(join(DEMO, "milltime-seed.json"));
export const demoCredentials = (): Array<{ tokiUserId: number; username: string; password: string }> => readJson(join(DEMO, "milltime-credentials.json"));

/** Every secret the tests hand out: no output or written file may contain one. */
export function demoSecrets(): string[] {
  const seedPasswords = (demoMilltimeSeed() as { users: Array<{ password: string }> }).users.map((u) => u.password);
  return [KLEER_TOKEN, ...demoCredentials().map((c) => c.password), ...seedPasswords];
}

export interface Emulators {
  kleer: RunningKleerEmulator;
  milltime: RunningMilltimeEmulator;
  kleerUrl: string;
  close(): Promise<void>;
}

/** Both emulators on 127.0.0.1:0, seeded from the demo (optionally changed first). */
export async function startDemoEmulators(change: { kleer?: (seed: KleerSeed) => void } = {}): Promise<Emulators> {
  const seed = demoKleerSeed();
  change.kleer?.(seed);
  const kleer = await startKleerEmulator({ seed, token: KLEER_TOKEN, companyId: COMPANY });
  const milltime = await startMilltimeEmulator({ seed: demoMilltimeSeed() as never });
  return {
    kleer,
    milltime,
    kleerUrl: `${kleer.url}/v1`,
    close: async () => {
      await Promise.all([kleer.close(), milltime.close()]);
    },
  };
}

/** A fresh temporary directory, removed after the file's tests. */
const dirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "toki-map-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** The demo credentials with Sara's password corrected. */
export function fixedCredentials(dir: string): string {
  const seedUsers = (demoMilltimeSeed() as { users: Array<{ username: string; password: string }> }).users;
  const rows = demoCredentials().map((c) => ({ ...c, password: seedUsers.find((u) => u.username === c.username)?.password ?? c.password }));
  return writeJson(join(dir, "credentials-fixed.json"), rows);
}

/** Source flags for the demo emulators (live Milltime, timer history for Toki users). */
export function sourceArgs(em: Emulators, overrides: { credentials?: string; history?: string | null } = {}): string[] {
  const history = overrides.history === undefined ? join(DEMO, "timer-history.json") : overrides.history;
  return [
    "--from", DEMO_RANGE.from,
    "--to", DEMO_RANGE.to,
    "--kleer-url", em.kleerUrl,
    "--kleer-token", KLEER_TOKEN,
    "--kleer-company", String(COMPANY),
    "--milltime-url", em.milltime.milltimeUrl,
    "--milltime-credentials", overrides.credentials ?? join(DEMO, "milltime-credentials.json"),
    ...(history === null ? [] : ["--history", history]),
  ];
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Everything the CLI printed in this test file, to check for secrets at the end. */
export const printed: string[] = [];

let out = "";
let err = "";

/**
 * Captures process.stdout/stderr for `runCli`. The test file must mock the command list so
 * that it includes `defineMapCommand` (the command is not registered in index.ts yet).
 */
export function captureOutput(): void {
  beforeEach(() => {
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
}

/** `toki-parity <args>` in-process through main.ts: exit code and what it printed. */
export async function cli(...args: string[]): Promise<CliRun> {
  out = "";
  err = "";
  const code = await runCli(args);
  printed.push(out, err);
  return { code, stdout: out, stderr: err };
}
