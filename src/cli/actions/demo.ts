import { runDemo } from "../../demo/run-demo.js";
import { createProgressReporter } from "../progress.js";
import { reportReplayProgress } from "../replay-progress.js";

/** The `demo` action, loaded only when the command runs: results on stdout, progress on stderr. */
export async function runDemoCommand(flags: { outDir: string }): Promise<void> {
  const progress = createProgressReporter();
  try {
    await runDemo({
      outDir: flags.outDir,
      progress: {
        compare: (step, p) => progress.update(step, "users", { done: p.done, total: p.total }),
        replay: (step, p) => reportReplayProgress(prefixed(progress, step), p),
        stop: () => progress.stop(),
      },
    });
  } finally {
    progress.stop();
  }
}

/** The replay steps under the demo's own label (`replay again apply`, …). */
function prefixed(progress: ReturnType<typeof createProgressReporter>, label: string): ReturnType<typeof createProgressReporter> {
  const rename = (step: string) => step.replace(/^replay/, label);
  return { begin: (step, unit) => progress.begin(rename(step), unit), update: (step, unit, u) => progress.update(rename(step), unit, u), stop: () => progress.stop() };
}
