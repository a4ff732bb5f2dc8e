import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RequestHandler } from "msw";
import { onTestFinished } from "vitest";
import { createMemoryRecorder } from "../../src/http/request-log.js";
import type { FaultOptionsInput } from "../../src/emulator/emulator-faults.js";
import { serveHandlers, type RunningEmulator } from "../../src/emulator/emulator-server.js";
import {
  createKleerEmulatorHandlers,
  createKleerEmulatorState,
  type KleerEmulatorSeedInput,
  type KleerEmulatorState,
} from "../../src/emulator/kleer/index.js";
import { createKleerAdapter, createKleerClient, createKleerCompanyLookups, type KleerAdapterOptions } from "../../src/kleer/index.js";
import type { Logger } from "../../src/domain/ports.js";

/** A token long enough to be redacted and distinctive enough to grep for in messages. */
export const TOKEN = "kleer-tok-7f3a9c1e5b";
export const COMPANY_ID = 4875;

export function loadSmallCompany(): KleerEmulatorSeedInput {
  const file = fileURLToPath(new URL("../../fixtures/kleer/small-company.json", import.meta.url));
  return JSON.parse(readFileSync(file, "utf8")) as KleerEmulatorSeedInput;
}

export interface KitOptions {
  seed?: KleerEmulatorSeedInput;
  /** Handlers placed before the emulator's own (crafted faults). */
  overrides?: RequestHandler[];
  faults?: FaultOptionsInput;
  kleerUserId?: number;
  timeoutMs?: number;
  clientToken?: string;
  companyId?: number;
  adapter?: Partial<Omit<KleerAdapterOptions, "client">>;
  /** The emulator's span switch: ranged reads over more days answer 400. */
  maxSpanDays?: number;
  maxReplyBytes?: number;
  /** The client's retry policy (`false`: one try per request). */
  retry?: false;
}

/** Logger that keeps every line (tests assert on warnings). */
export function createMemoryLogger(): Logger & { lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, debug: push("debug"), info: push("info"), warn: push("warn") };
}

/**
 * One test's own Kleer emulator on 127.0.0.1:0 (the small company unless a seed is given), a
 * client with a memory recorder, and an adapter for one user. Closed when the test finishes.
 */
export async function startKit(options: KitOptions = {}) {
  const state: KleerEmulatorState = createKleerEmulatorState(options.seed ?? loadSmallCompany());
  const handlers = [...(options.overrides ?? []), ...createKleerEmulatorHandlers(state, { token: TOKEN, companyId: COMPANY_ID, maxSpanDays: options.maxSpanDays })];
  const emulator: RunningEmulator = await serveHandlers(handlers, options.faults ? { faults: options.faults } : {});
  const recorder = createMemoryRecorder();
  const logger = createMemoryLogger();
  const client = createKleerClient({
    baseUrl: `${emulator.url}/v1/`,
    token: options.clientToken ?? TOKEN,
    companyId: options.companyId ?? COMPANY_ID,
    recorder,
    timeoutMs: options.timeoutMs,
    maxReplyBytes: options.maxReplyBytes,
    ...(options.retry === false ? { retry: false as const } : {}),
  });
  const lookups = createKleerCompanyLookups(client);
  const adapter = createKleerAdapter({ client, kleerUserId: options.kleerUserId ?? 5512, lookups, logger, ...options.adapter });
  onTestFinished(async () => {
    await client.close();
    await emulator.close();
  });
  /** Requests the emulator served, as `METHOD /path` without the query. */
  const served = () => emulator.requestLog.map((r) => `${r.method} ${r.url.split("?")[0]!.replace(/^\/v1/, "")}`);
  return { state, emulator, client, lookups, adapter, recorder, logger, served };
}
