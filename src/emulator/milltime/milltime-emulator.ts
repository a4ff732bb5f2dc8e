import { systemClock, type Clock } from "../../domain/ports.js";
import type { FaultOptionsInput } from "../emulator-faults.js";
import { serveHandlers, type RunningEmulator } from "../emulator-server.js";
import { EmulatedAuth } from "./milltime-emulator-auth.js";
import {
  createMilltimeHandlers,
  MILLTIME_EMULATOR_PATH,
  type MilltimeHandlerContext,
  type MilltimeReplyTransform,
  type MilltimeStoreFault,
} from "./milltime-emulator-handlers.js";
import { loadMilltimeSeed, parseMilltimeSeed, smallCompanySeedPath, type MilltimeSeed, type MilltimeSeedInput } from "./milltime-emulator-seed.js";
import { MilltimeEmulatorState } from "./milltime-emulator-state.js";
import type { MilltimeWriteLogEntry } from "./milltime-emulator-writes.js";

/** Sessions last a working day unless told otherwise. */
export const MILLTIME_EMULATOR_SESSION_TTL_SECONDS = 8 * 3600;

export interface MilltimeEmulatorOptions {
  /** @default the bundled fixtures/milltime/small-company.json */
  seed?: MilltimeSeedInput | undefined;
  /** @default 0 (an ephemeral port on 127.0.0.1) */
  port?: number | undefined;
  /** Transport faults (latency, 5xx, 429, dropped connections), as every emulator has them. */
  faults?: FaultOptionsInput | undefined;
  /** Overrides the seed's instance id (the `instanceid` a login must send). */
  instanceId?: string | undefined;
  /** Session issue/expiry and timer times. @default systemClock */
  clock?: Clock | undefined;
  /** @default 28800 (8 h) */
  sessionTtlSeconds?: number | undefined;
  /** Store-level reply faults from the start, e.g. `{ TimeInfo: "html" }`. */
  storeFaults?: Partial<Record<string, MilltimeStoreFault>> | undefined;
}

export interface RunningMilltimeEmulator extends RunningEmulator {
  /** What to pass as the Milltime URL: `http://127.0.0.1:<port>/cgi/mt.cgi`. */
  milltimeUrl: string;
  instanceId: string;
  state: MilltimeEmulatorState;
  /** Every call to a write store, refused or not. */
  writeLog: MilltimeWriteLogEntry[];
  /** Sets or clears (undefined) a reply fault of one store. */
  setStoreFault(store: string, fault: MilltimeStoreFault | undefined): void;
  /** Sets or clears a transform of one read store's `{rows, success}` body. */
  setReplyTransform(store: string, transform: MilltimeReplyTransform | undefined): void;
  /** The current state as a seed. */
  dump(): MilltimeSeed;
}

/** Starts a Milltime emulator on loopback with the real login flow and the four read stores. */
export async function startMilltimeEmulator(options: MilltimeEmulatorOptions = {}): Promise<RunningMilltimeEmulator> {
  const parsed = options.seed === undefined ? await loadMilltimeSeed(smallCompanySeedPath()) : parseMilltimeSeed(options.seed);
  const seed: MilltimeSeed = options.instanceId ? { ...parsed, instance: { ...parsed.instance, instanceId: options.instanceId } } : parsed;
  const clock = options.clock ?? systemClock;
  const state = new MilltimeEmulatorState(seed);
  const instanceId = state.seed.instance.instanceId;
  const ctx: MilltimeHandlerContext = {
    state,
    auth: new EmulatedAuth(() => state.seed, instanceId, clock, options.sessionTtlSeconds ?? MILLTIME_EMULATOR_SESSION_TTL_SECONDS),
    clock,
    storeFaults: new Map(Object.entries(options.storeFaults ?? {}).filter((e): e is [string, MilltimeStoreFault] => e[1] !== undefined)),
    replyTransforms: new Map(),
    writeLog: [],
    timers: new Map(),
    counters: { timer: 0 },
  };
  const running = await serveHandlers(createMilltimeHandlers(ctx), { port: options.port ?? 0, faults: options.faults });
  return {
    ...running,
    milltimeUrl: `${running.url}${MILLTIME_EMULATOR_PATH}`,
    instanceId,
    state,
    writeLog: ctx.writeLog,
    setStoreFault(store, fault) {
      if (fault === undefined) ctx.storeFaults.delete(store);
      else ctx.storeFaults.set(store, fault);
    },
    setReplyTransform(store, transform) {
      if (transform === undefined) ctx.replyTransforms.delete(store);
      else ctx.replyTransforms.set(store, transform);
    },
    dump: () => state.dump(),
  };
}

/** What `toki-parity emulator milltime` passes to `runMilltimeEmulator`. */
export interface EmulatorMilltimeOptions {
  /** @default 0 */
  port?: number | undefined;
  /** A seed JSON file. @default the bundled small company */
  seedFile?: string | undefined;
  instanceId?: string | undefined;
  sessionTtlSeconds?: number | undefined;
  faults?: FaultOptionsInput | undefined;
}

export interface RunMilltimeEmulatorIo {
  write(text: string): void;
  /** Aborted on SIGINT/SIGTERM: the server closes and the promise resolves. */
  stop: AbortSignal;
}

/** Serves the emulator until `stop` aborts; prints where it listens and who can log in (never passwords). */
export async function runMilltimeEmulator(options: EmulatorMilltimeOptions, io: RunMilltimeEmulatorIo): Promise<void> {
  const seedFile = options.seedFile ?? smallCompanySeedPath();
  const seed = await loadMilltimeSeed(seedFile);
  const emulator = await startMilltimeEmulator({
    seed,
    port: options.port,
    instanceId: options.instanceId,
    sessionTtlSeconds: options.sessionTtlSeconds,
    faults: options.faults,
  });
  try {
    io.write(`Milltime emulator listening on ${emulator.milltimeUrl} (instance ${emulator.instanceId})\n`);
    io.write(`seed: ${seedFile}\n`);
    io.write(`users: ${emulator.state.seed.users.map((u) => `${u.username} (${u.userId})`).join(", ")} — passwords are in the seed file\n`);
    io.write("Ctrl+C stops it.\n");
    if (!io.stop.aborted) await new Promise<void>((resolve) => io.stop.addEventListener("abort", () => resolve(), { once: true }));
  } finally {
    await emulator.close();
  }
}
