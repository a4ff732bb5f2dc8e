import { runMilltimeExport, type MilltimeExportOptions } from "../../milltime/milltime-export-run.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
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
  const result = await runMilltimeExport(toMilltimeExportOptions(flags, (text) => process.stdout.write(text)));
  if (result.failedUsers.length > 0) {
    throw new CommandExit(
      ExitCode.SourceUnreachable,
      `${result.failedUsers.length} of ${result.manifest.users.length} users could not be exported; the snapshot records their errors`,
    );
  }
}
