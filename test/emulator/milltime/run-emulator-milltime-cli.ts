// Runs `emulator milltime` as its own process, for the CLI test (not a test file itself).
import { defineEmulatorMilltimeCommand } from "../../../src/cli/commands/emulator-milltime.js";

await defineEmulatorMilltimeCommand().parseAsync(process.argv.slice(2), { from: "user" });
process.stdout.write("stopped\n");
