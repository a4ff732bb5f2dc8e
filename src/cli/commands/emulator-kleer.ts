import { Command } from "commander";
import { integerFlag as integer, rateFlag as rate } from "../flag-parsers.js";
import { KLEER_EMULATOR_DEFAULT_COMPANY_ID, KLEER_EMULATOR_DEV_TOKEN } from "../../emulator/kleer/kleer-emulator-defaults.js";
import type { EmulatorKleerOptions } from "../../emulator/kleer/index.js";

const DEFAULT_PORT = 8787;

interface EmulatorKleerFlags {
  port: number;
  seed?: string;
  token: string;
  company: number;
  latency?: number;
  errorRate?: number;
  maxSpanDays?: number;
  acceptLockedWrites?: boolean;
}

/** Turns the parsed flags into the library's options. */
export function toEmulatorKleerOptions(flags: EmulatorKleerFlags): EmulatorKleerOptions {
  return {
    port: flags.port,
    seedFile: flags.seed,
    token: flags.token,
    companyId: flags.company,
    latencyMs: flags.latency,
    errorRate: flags.errorRate,
    maxSpanDays: flags.maxSpanDays,
    acceptLockedWrites: flags.acceptLockedWrites ?? false,
  };
}

/** `emulator kleer`: serves a Kleer emulator on 127.0.0.1 until SIGINT/SIGTERM. */
export function defineEmulatorKleerCommand(): Command {
  return new Command("kleer")
    .description("Serve a Kleer API emulator on 127.0.0.1 (in-memory company, seedable, with fault options) until Ctrl+C.")
    .option("--port <n>", "port on 127.0.0.1 (0 = any free port)", integer("--port", 0, 65535), DEFAULT_PORT)
    .option("--seed <file>", "seed file (emulator seed JSON, e.g. fixtures/kleer/small-company.json)")
    .option("--token <t>", "X-Token the emulator accepts", KLEER_EMULATOR_DEV_TOKEN)
    .option("--company <id>", "company id the emulator holds", integer("--company", 1, 2_147_483_647), KLEER_EMULATOR_DEFAULT_COMPANY_ID)
    .option("--latency <ms>", "delay added before every response", integer("--latency", 0, 600_000))
    .option("--error-rate <r>", "share of requests answered 502/503/504 (0..1)", rate)
    .option("--max-span-days <n>", "answer 400 to ranged per-user reads over more days than this", integer("--max-span-days", 1, 100_000))
    .option("--accept-locked-writes", "accept writes on approved/certified days instead of refusing them with 409 (to rehearse a Kleer without that check)")
    .action(async (flags: EmulatorKleerFlags) => {
      const { runEmulatorKleerCommand } = await import("../actions/emulator-kleer.js");
      await runEmulatorKleerCommand(toEmulatorKleerOptions(flags));
    });
}
