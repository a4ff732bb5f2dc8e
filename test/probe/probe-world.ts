import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Agent, type Dispatcher } from "undici";
import { onTestFinished } from "vitest";
import { defineProbeCommand, type ProbeCommandDeps } from "../../src/cli/commands/probe.js";
import { runCommandInProcess, type CommandRun } from "../helpers/run-command.js";
import type { Clock } from "../../src/domain/ports.js";
import { startKleerEmulator, type KleerEmulatorSeedInput, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { parseProbeOptions, type ProbeOptions, type ProbeOptionsInput } from "../../src/probe/index.js";

export const KLEER_TOKEN = "probe-kleer-token-8b2e7a";
export const COMPANY_ID = 4875;
/** "Now": 10:00 in Stockholm on 2026-03-10, so the default window is 2026-01-08..2026-03-10. */
export const fixedClock: Clock = { now: () => new Date("2026-03-10T09:00:00Z") };
export const RUN_SUFFIX = "pr0b";
export const RUN_ID = "20260310T090000Z-pr0b";
export const FOREIGN_ID = `toki-parity-probe:${RUN_ID}`;

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8")) as T;
}

export interface ProbeWorld {
  dir: string;
  kleer: RunningKleerEmulator;
  reportFile: string;
  mappingFile: string;
  /** Validated options against the emulator (overrides applied). */
  options(overrides?: Partial<ProbeOptionsInput>): ProbeOptions;
  /** Requests the emulator served, `METHOD /path` without `/v1/company/4875` and the query. */
  served(): string[];
  /** Events of the emulator whose foreign id is the probe's. */
  probeEvents(): Array<{ id: number; date: string; foreignId: string }>;
  openReport(): Database.Database;
}

export async function startProbeWorld(mutate?: (seed: KleerEmulatorSeedInput) => void): Promise<ProbeWorld> {
  const dir = await mkdtemp(join(tmpdir(), "toki-probe-"));
  const seed = fixture<KleerEmulatorSeedInput>("kleer-seed.json");
  mutate?.(seed);
  const kleer = await startKleerEmulator({ seed, token: KLEER_TOKEN, companyId: COMPANY_ID });
  const opened: Database.Database[] = [];
  onTestFinished(async () => {
    for (const db of opened) db.close();
    await kleer.close();
    await rm(dir, { recursive: true, force: true });
  });
  const mappingFile = join(dir, "mapping.json");
  await writeFile(mappingFile, JSON.stringify(fixture("mapping.json")));
  const reportFile = join(dir, "reports", "probe.sqlite");
  return {
    dir,
    kleer,
    reportFile,
    mappingFile,
    options: (overrides = {}) =>
      parseProbeOptions({
        kleer: { baseUrl: `${kleer.url}/v1`, token: KLEER_TOKEN, companyId: COMPANY_ID },
        mappingFile,
        reportFile,
        ...overrides,
      }).options,
    served: () => kleer.requestLog.map((r) => `${r.method} ${r.url.split("?")[0]!.replace(/^\/v1\/company\/\d+/, "")}`),
    probeEvents: () =>
      kleer.state
        .events({})
        .filter((e) => e.foreignId.startsWith("toki-parity-probe:"))
        .map((e) => ({ id: e.id, date: e.date, foreignId: e.foreignId })),
    openReport() {
      const db = new Database(reportFile, { readonly: true });
      opened.push(db);
      return db;
    },
  };
}

/** An undici agent that sees every request first: it can count them or break some (fault injection). */
export function interceptingAgent(onRequest: (options: Dispatcher.DispatchOptions) => Dispatcher.DispatchOptions): Agent & { calls: string[] } {
  const calls: string[] = [];
  const agent = new Agent();
  const composed = agent.compose((dispatch) => (options, handler) => {
    calls.push(`${options.method} ${options.path}`);
    return dispatch(onRequest(options), handler);
  });
  onTestFinished(async () => {
    await agent.close();
  });
  return Object.assign(composed as unknown as Agent, { calls });
}

export type { CommandRun } from "../helpers/run-command.js";

/** Runs `toki-parity probe …` in-process as main.ts does. */
export function runProbeCommand(argv: string[], deps: ProbeCommandDeps): Promise<CommandRun> {
  return runCommandInProcess(defineProbeCommand(deps), argv);
}
