import { readFile } from "node:fs/promises";
import { ConfigError } from "../../domain/errors.js";
import { parseJsonFileText } from "../../config/json-file.js";
import { KLEER_EMULATOR_DEV_TOKEN, startKleerEmulator, type RunningKleerEmulator } from "./kleer-emulator.js";
import { parseKleerEmulatorSeed, type KleerEmulatorSeed } from "./kleer-emulator-seed.js";

/** Options of `toki-parity emulator kleer`. */
export interface EmulatorKleerOptions {
  /** @default 8787 */
  port: number;
  /** Seed file in the emulator's seed format (JSON). @default an empty company */
  seedFile?: string | undefined;
  /** @default "dev-token" */
  token: string;
  /** @default 4875 */
  companyId: number;
  /** Delay before every response. @default 0 */
  latencyMs?: number | undefined;
  /** Share of requests answered 502/503/504. @default 0 */
  errorRate?: number | undefined;
  /** Ranged per-user reads over more days answer 400. @default unlimited */
  maxSpanDays?: number | undefined;
  /** Accept writes on approved or certified days (a Kleer without that check). @default false: refused with 409 */
  acceptLockedWrites?: boolean | undefined;
}

export interface EmulatorRunIo {
  /** Where the banner goes (the CLI passes stdout). */
  write(text: string): void;
  /** Aborted on SIGINT/SIGTERM (the CLI) or by a test. */
  stop: AbortSignal;
}

/** Reads and validates a seed file; a missing, non-JSON or invalid file is a ConfigError. */
export async function loadKleerEmulatorSeed(file: string): Promise<KleerEmulatorSeed> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the Kleer emulator seed ${file}: ${(error as Error).message}`, [], { cause: error });
  }
  const json = parseJsonFileText(text, file, `the Kleer emulator seed ${file} is not JSON`);
  return parseKleerEmulatorSeed(json, `the Kleer emulator seed ${file}`);
}

/** The banner: base URL to configure and a curl command that works against it. */
export function describeKleerEmulator(running: RunningKleerEmulator, options: EmulatorKleerOptions): string {
  const base = `${running.url}/v1`;
  const token = options.token === KLEER_EMULATOR_DEV_TOKEN ? options.token : "<the --token value>";
  const counts = running.state.dump();
  return [
    `Kleer emulator listening on ${running.url} (company ${options.companyId}; ${counts.users.length} users, ${counts.projects.length} projects, ${counts.events.length} events)`,
    `Base URL: ${base}`,
    `Try: curl -s -H 'X-Token: ${token}' -H 'Accept: application/json' -H 'Content-Type: application/json' ${base}/company/${options.companyId}/activity`,
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}

/** Runs a Kleer emulator until `io.stop` aborts, then closes it. */
export async function runKleerEmulator(options: EmulatorKleerOptions, io: EmulatorRunIo): Promise<void> {
  const seed = options.seedFile === undefined ? undefined : await loadKleerEmulatorSeed(options.seedFile);
  const running = await startKleerEmulator({
    seed,
    token: options.token,
    companyId: options.companyId,
    port: options.port,
    faults: { latencyMs: options.latencyMs ?? 0, errorRate: options.errorRate ?? 0 },
    maxSpanDays: options.maxSpanDays,
    acceptWritesOnLockedDays: options.acceptLockedWrites ?? false,
  });
  try {
    io.write(describeKleerEmulator(running, options));
    if (!io.stop.aborted) await new Promise<void>((resolve) => io.stop.addEventListener("abort", () => resolve(), { once: true }));
  } finally {
    await running.close();
  }
}
