import { runMilltimeExport, type MilltimeExportOptions } from "../../milltime/milltime-export-run.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { createProgressReporter } from "../progress.js";
import type { MilltimeExportFlags } from "../commands/milltime-export.js";

/** Turns the parsed flags into the library's options. */
export function toMilltimeExportOptions(flags: MilltimeExportFlags, write: (text: string) => void): MilltimeExportOptions {
  return {
    from: flags.from,
    to: flags.to,
    credentialsFile: flags.milltimeCredentials,
    outDir: flags.out,
    baseUrl: flags.milltimeUrl,
    instanceId: flags.instanceId,
    concurrency: flags.concurrency,
    write,
  };
}

/** The `milltime export` action, loaded only when the command runs. */
export async function runMilltimeExportCommand(flags: MilltimeExportFlags): Promise<void> {
  const progress = createProgressReporter();
  progress.begin("milltime export", "users");
  const result = await runMilltimeExport({
    // The summary ends the step first, so a TTY bar is cleared before stdout's lines.
    ...toMilltimeExportOptions(flags, (text) => {
      progress.stop();
      process.stdout.write(text);
    }),
    onProgress: (p) => progress.update("milltime export", "users", { done: p.done, total: p.total, detail: p.failed > 0 ? `${p.failed} failed` : undefined }),
  }).finally(() => progress.stop());
  if (result.failedUsers.length > 0) {
    throw new CommandExit(
      ExitCode.SourceUnreachable,
      `${result.failedUsers.length} of ${result.manifest.users.length} users could not be exported; the snapshot records their errors`,
    );
  }
}
