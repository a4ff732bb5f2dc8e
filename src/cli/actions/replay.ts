import { formatCompareSummary } from "../../compare/index.js";
import { ConfigError } from "../../domain/errors.js";
import { formatPlanRows, formatReplaySummary, isReplayIncomplete, readReplayRunRange, replayFromConfig, type ReplayOptions } from "../../replay/index.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { runConfigFromFlags, type RunFlagInput } from "../run-flags.js";
import { createProgressReporter } from "../progress.js";
import { reportReplayProgress } from "../replay-progress.js";
import type { ReplayCommandIo, ReplayFlags } from "../commands/replay.js";

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
 * A resumed run replays its own range: the config file's range is for new runs and must not
 * override it (a --from/--to flag still does, as before).
 */
export function withoutFileRangeWhenResuming(flags: ReplayFlags): ReplayFlags {
  const file = (flags as RunFlagInput).configFile;
  if (flags.resume === undefined || file === undefined) return flags;
  return { ...flags, from: file.valueFor("from") ? undefined : flags.from, to: file.valueFor("to") ? undefined : flags.to };
}

/** The `replay` action, loaded only when the command runs. */
export async function runReplayCommand(given: ReplayFlags, io: ReplayCommandIo): Promise<void> {
  const flags = withoutFileRangeWhenResuming(given);
  const { options, defaults } = toReplayOptions(flags);
  const { config, warnings } = runConfigFromFlags(flags, process.env, defaults);
  for (const w of warnings) io.warn(`warning: ${w}\n`);
  const progress = createProgressReporter();
  progress.begin("replay plan", "users");
  const result = await replayFromConfig(config, options, {
    onProgress: (p) => reportReplayProgress(progress, p),
    onCompareProgress: (p) => progress.update("compare after replay", "users", { done: p.done, total: p.total }),
  }).finally(() => progress.stop());
  const { replay, preview, compare } = result;
  io.write(`${formatReplaySummary(replay)}\n\n${formatPlanRows(preview, replay.entries)}\n`);
  if (compare) io.write(`\nComparison after applying (run ${compare.runId}, linked to replay run ${replay.runId}):\n${formatCompareSummary(compare)}\n`);
  io.write(`Report: ${config.reportFile} (replay run ${replay.runId})\n`);
  if (replay.usersWithSourceErrors > 0)
    throw new CommandExit(ExitCode.SourceUnreachable, `replay incomplete: ${replay.usersWithSourceErrors} user(s) could not be read; nothing of theirs was written`);
  if (isReplayIncomplete(replay))
    throw new CommandExit(
      ExitCode.GateFailed,
      `replay incomplete: ${replay.blocked} blocked, ${replay.failed} failed, ${replay.unsettled} unsettled${replay.unsettled > 0 ? ` (resume with --resume ${replay.runId} --apply)` : ""}` +
        (replay.duplicatesInKleer.length > 0
          ? `; ${replay.duplicatesInKleer.length} entr${replay.duplicatesInKleer.length === 1 ? "y has" : "ies have"} more than one Kleer event (toki-parity cleanup --duplicates --report ${config.reportFile} --apply)`
          : ""),
    );
}
