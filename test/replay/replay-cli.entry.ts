// Runs the replay, cleanup and relink commands as the CLI does (same error → exit code mapping as
// src/cli/main.ts), for tests that spawn the CLI while those commands are not registered in
// src/cli/commands/index.ts yet. A child process, so that a test can SIGKILL it mid-run.
import { Command, CommanderError } from "commander";
import { defineCleanupCommand } from "../../src/cli/commands/cleanup.js";
import { defineRelinkCommand } from "../../src/cli/commands/relink.js";
import { defineReplayCommand } from "../../src/cli/commands/replay.js";
import { CommandExit, ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";
import { ConfigError, TokiError } from "../../src/domain/errors.js";
import { globalRedactor } from "../../src/http/redact.js";

const program = new Command("toki-parity").exitOverride();
for (const command of [defineReplayCommand(), defineCleanupCommand(), defineRelinkCommand()]) program.addCommand(command);
try {
  await program.parseAsync(process.argv.slice(2), { from: "user" });
  process.exitCode = ExitCode.Ok;
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? ExitCode.Ok : ExitCode.UsageOrConfig;
  } else {
    const text =
      error instanceof CommandExit
        ? error.message
        : error instanceof ConfigError && error.issues.length > 0
          ? `toki-parity: ${error.message}\n  - ${error.issues.join("\n  - ")}`
          : error instanceof TokiError
            ? `toki-parity: ${error.code}: ${error.message}`
            : `toki-parity: ${String(error)}`;
    process.stderr.write(`${globalRedactor.redact(text)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}
