import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import { defineDoctorCommand } from "../../src/cli/commands/doctor.js";
import { runCommandInProcess, type CommandRun } from "../helpers/run-command.js";
import { runConfigFromFlags, type RunFlagValues } from "../../src/cli/run-flags.js";
import type { Clock } from "../../src/domain/ports.js";
import { runDoctor, type DoctorResult } from "../../src/doctor/index.js";
import { startKleerEmulator, type KleerEmulatorSeedInput, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type MilltimeSeedInput, type RunningMilltimeEmulator } from "../../src/emulator/milltime/index.js";

/** The integration token of the test company (long enough to be redacted, easy to grep for). */
export const KLEER_TOKEN = "doctor-kleer-token-4c1d9e";
export const COMPANY_ID = 4875;
/** "Now" for every doctor test: the last full month is February 2026, the fixtures' month. */
export const NOW = "2026-03-10T09:00:00Z";
export const fixedClock: Clock = { now: () => new Date(NOW) };

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8")) as T;
}
export const fixtureText = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8");

export interface Credential {
  tokiUserId: number;
  username: string;
  password: string;
}

export interface WorldOptions {
  kleerSeed?: (seed: KleerEmulatorSeedInput & Record<string, unknown>) => void;
  milltimeSeed?: (seed: MilltimeSeedInput & { registrations: unknown[] }) => void;
  credentials?: (rows: Credential[]) => void;
  /** false: no --history; a string: that path instead of the fixture. */
  history?: false | string;
}

export interface DoctorWorld {
  dir: string;
  kleer: RunningKleerEmulator;
  milltime: RunningMilltimeEmulator;
  credentials: Credential[];
  /** Flags as the CLI would parse them (the token comes from `env`). */
  flags: RunFlagValues;
  env: NodeJS.ProcessEnv;
  /** runDoctor on the world's configuration (overrides applied to the flags). */
  doctor(overrides?: Partial<RunFlagValues>, env?: NodeJS.ProcessEnv): Promise<DoctorResult>;
  /** The flags as argv for `toki-parity doctor`. */
  argv(overrides?: Partial<RunFlagValues>): string[];
}

/** Kleer and Milltime emulators on 127.0.0.1:0, a mapping, credentials and a history CSV in a temp dir. */
export async function startDoctorWorld(options: WorldOptions = {}): Promise<DoctorWorld> {
  const dir = await mkdtemp(join(tmpdir(), "toki-doctor-"));
  const kleerSeed = fixture<KleerEmulatorSeedInput & Record<string, unknown>>("kleer-seed.json");
  options.kleerSeed?.(kleerSeed);
  const milltimeSeed = fixture<MilltimeSeedInput & { registrations: unknown[] }>("milltime-seed.json");
  options.milltimeSeed?.(milltimeSeed);
  const credentials = fixture<Credential[]>("credentials.json");
  options.credentials?.(credentials);
  const kleer = await startKleerEmulator({ seed: kleerSeed, token: KLEER_TOKEN, companyId: COMPANY_ID });
  const milltime = await startMilltimeEmulator({ seed: milltimeSeed, clock: fixedClock });
  onTestFinished(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    await rm(dir, { recursive: true, force: true });
  });
  await writeFile(join(dir, "mapping.json"), fixtureText("mapping.json"));
  await writeFile(join(dir, "credentials.json"), JSON.stringify(credentials));
  await writeFile(join(dir, "timer-history.csv"), fixtureText("timer-history.csv"));
  const flags: RunFlagValues = {
    from: "2026-02-01",
    to: "2026-02-28",
    kleerUrl: `${kleer.url}/v1`,
    kleerCompany: String(COMPANY_ID),
    milltimeUrl: milltime.milltimeUrl,
    milltimeCredentials: join(dir, "credentials.json"),
    instanceId: milltime.instanceId,
    mapping: join(dir, "mapping.json"),
    report: join(dir, "report.sqlite"),
    timeZone: "Europe/Stockholm",
    concurrency: "4",
    ...(options.history === false ? {} : { history: options.history ?? join(dir, "timer-history.csv") }),
  };
  const env: NodeJS.ProcessEnv = { TOKI_KLEER__TOKEN: KLEER_TOKEN };
  const merged = (overrides: Partial<RunFlagValues>) => {
    const out: Record<string, string | undefined> = { ...flags, ...overrides };
    for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
    return out as RunFlagValues;
  };
  return {
    dir,
    kleer,
    milltime,
    credentials,
    flags,
    env,
    async doctor(overrides = {}, otherEnv = env) {
      const { config, warnings } = runConfigFromFlags(merged(overrides), otherEnv);
      return runDoctor({ config, configWarnings: warnings }, { clock: fixedClock });
    },
    argv(overrides = {}) {
      const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      return Object.entries(merged(overrides)).flatMap(([key, value]) => [`--${kebab(key)}`, String(value)]);
    },
  };
}

export type { CommandRun } from "../helpers/run-command.js";

/** Runs `toki-parity doctor …` in-process as main.ts does (errors mapped to exit codes in one place). */
export function runDoctorCommand(argv: string[], env: NodeJS.ProcessEnv, clock: Clock = fixedClock): Promise<CommandRun> {
  return runCommandInProcess(defineDoctorCommand({ clock, env }), argv);
}
