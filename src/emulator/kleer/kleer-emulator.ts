import type { FaultOptionsInput } from "../emulator-faults.js";
import { serveHandlers, type RunningEmulator } from "../emulator-server.js";
import { createKleerEmulatorHandlers } from "./kleer-emulator-handlers.js";
import type { KleerEmulatorSeedInput } from "./kleer-emulator-seed.js";
import { createKleerEmulatorState, type KleerEmulatorState } from "./kleer-emulator-state.js";

import { KLEER_EMULATOR_DEV_TOKEN, KLEER_EMULATOR_DEFAULT_COMPANY_ID } from "./kleer-emulator-defaults.js";

export { KLEER_EMULATOR_DEV_TOKEN, KLEER_EMULATOR_DEFAULT_COMPANY_ID };

export interface StartKleerEmulatorOptions {
  /** Initial company. @default an empty company */
  seed?: KleerEmulatorSeedInput | undefined;
  /** The `X-Token` every request must carry. */
  token: string;
  companyId: number;
  /** @default 0 (an ephemeral port on 127.0.0.1) */
  port?: number | undefined;
  /** Latency, injected 5xx, 429, dropped connections (see emulator-faults.ts). @default none */
  faults?: FaultOptionsInput | undefined;
  /** Ranged per-user reads over more days answer 400 (tests span splitting). @default unlimited */
  maxSpanDays?: number | undefined;
  /** Accept writes on approved or certified days instead of refusing them (409). @default false */
  acceptWritesOnLockedDays?: boolean | undefined;
}

export type RunningKleerEmulator = RunningEmulator & { state: KleerEmulatorState };

/** Starts a Kleer emulator on loopback with its own in-memory company. */
export async function startKleerEmulator(options: StartKleerEmulatorOptions): Promise<RunningKleerEmulator> {
  const state = createKleerEmulatorState(options.seed ?? {}, { acceptWritesOnLockedDays: options.acceptWritesOnLockedDays });
  const handlers = createKleerEmulatorHandlers(state, { token: options.token, companyId: options.companyId, maxSpanDays: options.maxSpanDays });
  const running = await serveHandlers(handlers, {
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  return Object.assign(running, { state });
}
