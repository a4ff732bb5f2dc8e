import { Command, InvalidArgumentError } from "commander";
import { Presets, SingleBar } from "cli-progress";
import { formatCompareSummary } from "../../compare/index.js";
import { ConfigError } from "../../domain/errors.js";
import { formatPlanRows, formatReplaySummary, isReplayIncomplete, readReplayRunRange, replayFromConfig, type ReplayOptions } from "../../replay/index.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { addRunFlags, runConfigFromFlags, type RunFlagValues } from "../run-flags.js";

interface ReplayFlags extends RunFlagValues {
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

/** Flags → the library's options (the range of a resumed run comes from the report file). */
export function toReplayOptions(flags: ReplayFlags): { options: ReplayOptions; defaults: { from?: string; to?: string } } {
  const defaults: { from?: string; to?: string } = flags.resume !== undefined ? readReplayRunRange(flags.report ?? "reports/parity.sqlite", flags.resume) : {};
  if ((flags.from ?? defaults.from) === undefined || (flags.to ?? defaults.to) === undefined)
    throw new ConfigError("invalid options", ["--from and --to are required (or --resume RUN, which replays that run's range)"]);
  return {
    options: { apply: flags.apply ?? false, allowProduction: flags.allowProduction ?? false, resumeRunId: flags.resume, takeOverRunId: flags.takeOver, previewRows: flags.show },
    defaults,
  };
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
      const { options, defaults } = toReplayOptions(flags);
      const { config, warnings } = runConfigFromFlags(flags, process.env, defaults);
      for (const w of warnings) io.warn(`warning: ${w}\n`);
      const bar = process.stderr.isTTY ? new SingleBar({ format: "{phase} {bar} {value}/{total} users", stream: process.stderr }, Presets.shades_classic) : undefined;
      let phase = "";
      const result = await replayFromConfig(config, options, {
        onProgress: (p) => {
          if (!bar) return;
          if (p.phase !== phase) {
            phase = p.phase;
            bar.start(p.total, 0, { phase });
          }
          bar.update(p.done, { phase });
        },
      }).finally(() => bar?.stop());
      const { replay, preview, compare } = result;
      io.write(`${formatReplaySummary(replay)}\n\n${formatPlanRows(preview, replay.entries)}\n`);
      if (compare) io.write(`\nComparison after applying (run ${compare.runId}, linked to replay run ${replay.runId}):\n${formatCompareSummary(compare)}\n`);
      io.write(`Report: ${config.reportFile} (replay run ${replay.runId})\n`);
      if (replay.usersWithSourceErrors > 0)
        throw new CommandExit(ExitCode.SourceUnreachable, `replay incomplete: ${replay.usersWithSourceErrors} user(s) could not be read; nothing of theirs was written`);
      if (isReplayIncomplete(replay))
        throw new CommandExit(
          ExitCode.GateFailed,
          `replay incomplete: ${replay.blocked} blocked, ${replay.failed} failed, ${replay.unsettled} unsettled${replay.unsettled > 0 ? ` (resume with --resume ${replay.runId} --apply)` : ""}`,
        );
    });
  return command;
}
