import { formatCompareSummary } from "../../compare/index.js";
import { compareFromConfig } from "../../run/run-compare.js";
import { runConfigFromFlags, type RunFlagValues } from "../run-flags.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { createProgressReporter } from "../progress.js";

/** The `compare` action, loaded only when the command runs. */
export async function runCompareCommand(flags: RunFlagValues): Promise<void> {
  const { config, warnings } = runConfigFromFlags(flags);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const progress = createProgressReporter();
  let blocking = 0;
  progress.begin("compare", "users");
  const summary = await compareFromConfig(config, {
    onProgress: (p) => {
      blocking += p.blocking;
      progress.update("compare", "users", { done: p.done, total: p.total, detail: `${blocking} blocking` });
    },
  }).finally(() => progress.stop());
  const file = config.reportFile;
  process.stdout.write(
    `${formatCompareSummary(summary)}\nReport: ${file} (run ${summary.runId})\n` +
      `Next: toki-parity gate ${file} --max-blocking 0 · toki-parity report ${file} --format html --out ${file.replace(/\.sqlite$/, "")}.html\n`,
  );
  // Nothing read, no verdict: a run in which every user's sources failed is not a comparison.
  if (summary.users > 0 && summary.usersCompared === 0 && summary.usersWithSourceErrors > 0) {
    throw new CommandExit(ExitCode.SourceUnreachable, `compare: no user could be compared: ${summary.usersWithSourceErrors} of ${summary.users} users had source errors (listed above)`);
  }
}
