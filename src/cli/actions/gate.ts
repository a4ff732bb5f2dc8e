import { runGate } from "../../report/report-gate.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import type { GateCommandIo, GateFlags } from "../commands/gate.js";

/** The `gate` action, loaded only when the command runs. */
export function runGateCommand(file: string, flags: GateFlags, io: GateCommandIo): void {
  if (flags.maxNewBlocking !== undefined && flags.baseline === undefined) throw new CommandExit(ExitCode.UsageOrConfig, "--max-new-blocking needs --baseline RUN|FILE");
  const result = runGate({
    reportFile: file,
    runId: flags.run,
    maxBlocking: flags.maxBlocking,
    minMatchRate: flags.minMatchRate,
    baseline: flags.baseline,
    maxNewBlocking: flags.maxNewBlocking,
  });
  if (!result.passed) throw new CommandExit(ExitCode.GateFailed, result.reason);
  io.write(`${result.reason}\n`);
}
