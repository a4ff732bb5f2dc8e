import { formatRelinkResult, runRelink, type RelinkOptions } from "../../replay/index.js";
import type { RelinkCommandIo, RelinkFlags } from "../commands/relink.js";

export function toRelinkOptions(flags: RelinkFlags): RelinkOptions {
  return {
    reportFile: flags.report,
    runId: flags.run,
    format: flags.format,
    revert: flags.revert ?? false,
    outFile: flags.out,
    history: flags.history,
    apply: flags.apply ?? false,
    takeOverRunId: flags.takeOver,
  };
}

/** The `relink` action, loaded only when the command runs. */
export async function runRelinkCommand(flags: RelinkFlags, io: RelinkCommandIo): Promise<void> {
  const result = await runRelink(toRelinkOptions(flags));
  if (result.text !== null) io.write(result.text);
  const summary = formatRelinkResult(result, flags.revert ?? false, flags.show);
  (result.text !== null ? io.info : io.write)(`${summary}\n`);
}
