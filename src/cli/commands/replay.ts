import { Command, InvalidArgumentError } from "commander";
import { addRunFlags, type RunFlagValues } from "../run-flag-definitions.js";

export interface ReplayFlags extends RunFlagValues {
  apply?: boolean;
  allowProduction?: boolean;
  resume?: string;
  takeOver?: string;
  show: number;
}

/** Where the command prints (tests pass their own). */
export interface ReplayCommandIo {
  write(text: string): void;
  warn(text: string): void;
}

const defaultIo: ReplayCommandIo = { write: (text) => void process.stdout.write(text), warn: (text) => void process.stderr.write(text) };

function parseRows(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number ≥ 0");
  return n;
}

/**
 * `toki-parity replay --from --to [--apply [--allow-production]] [--resume RUN]` plus the run flags:
 * plans (and with --apply writes) the Kleer events Toki would have written for every legacy entry.
 */
export function defineReplayCommand(io: ReplayCommandIo = defaultIo): Command {
  const command = new Command("replay")
    .description(
      "Replay legacy Milltime entries into a Kleer sandbox as Toki would write them (foreign-id milltime:<id>): dry run by default, --apply writes (journaled, idempotent, resumable) and then compares.",
    )
    .option("--from <date>", "first day of the range (YYYY-MM-DD, inclusive; with --resume: the run's)")
    .option("--to <date>", "last day of the range (YYYY-MM-DD, inclusive; with --resume: the run's)");
  addRunFlags(command, { range: false })
    .option("--apply", "write to Kleer (default: plan only, nothing is written)")
    .option("--allow-production", "allow --apply on a Kleer host other than loopback or test-api.kleer.se")
    .option("--resume <run>", "continue an applying replay run that was interrupted (needs --apply)")
    .option("--take-over <run>", "take the Kleer company's write lease over from RUN, a run whose process is known to be gone (needs --apply)")
    .option("--show <n>", "plan rows printed", parseRows, 20)
    .exitOverride()
    .action(async (flags: ReplayFlags) => {
      const { runReplayCommand } = await import("../actions/replay.js");
      await runReplayCommand(flags, io);
    });
  return command;
}
