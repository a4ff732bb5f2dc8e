import { Command } from "commander";
import { integerFlag as integer, rateFlag as rate } from "../flag-parsers.js";
import type { EmulatorMilltimeOptions } from "../../emulator/milltime/index.js";

const DEFAULT_PORT = 8788;

interface EmulatorMilltimeFlags {
  port: number;
  seed?: string;
  instanceId?: string;
  sessionTtl?: number;
  latency?: number;
  errorRate?: number;
  rateLimitRate?: number;
  dropRate?: number;
  faultSeed?: number;
}

/** Turns the parsed flags into the library's options. */
export function toEmulatorMilltimeOptions(flags: EmulatorMilltimeFlags): EmulatorMilltimeOptions {
  return {
    port: flags.port,
    seedFile: flags.seed,
    instanceId: flags.instanceId,
    sessionTtlSeconds: flags.sessionTtl,
    faults: {
      latencyMs: flags.latency,
      errorRate: flags.errorRate,
      rateLimitRate: flags.rateLimitRate,
      dropRate: flags.dropRate,
      seed: flags.faultSeed,
    },
  };
}

/** `emulator milltime`: serves a Milltime emulator on 127.0.0.1 until SIGINT/SIGTERM. */
export function defineEmulatorMilltimeCommand(): Command {
  return new Command("milltime")
    .description("Serve a Milltime emulator (login flow, read stores, logged write stores) on 127.0.0.1 until Ctrl+C.")
    .option("--port <n>", "port on 127.0.0.1 (0 = any free port)", integer("--port", 0, 65535), DEFAULT_PORT)
    .option("--seed <file>", "seed file (default: the bundled fixtures/milltime/small-company.json)")
    .option("--instance-id <id>", "instance id a login must send (default: the seed's)")
    .option("--session-ttl <seconds>", "session lifetime", integer("--session-ttl", 1, 31_536_000))
    .option("--latency <ms>", "delay added before every response", integer("--latency", 0, 600_000))
    .option("--error-rate <r>", "share of requests answered 502/503/504 (0..1)", rate)
    .option("--rate-limit-rate <r>", "share of requests answered 429 (0..1)", rate)
    .option("--drop-rate <r>", "share of requests whose connection is dropped (0..1)", rate)
    .option("--fault-seed <n>", "seed of the fault dice", integer("--fault-seed", 0, 2_147_483_647))
    .action(async (flags: EmulatorMilltimeFlags) => {
      const { runEmulatorMilltimeCommand } = await import("../actions/emulator-milltime.js");
      await runEmulatorMilltimeCommand(toEmulatorMilltimeOptions(flags));
    });
}
