// Runs `emulator kleer` as the CLI would (a child process of the command test, so that real
// signals can stop it).
import { defineEmulatorKleerCommand } from "../../../src/cli/commands/emulator-kleer.js";

await defineEmulatorKleerCommand().exitOverride().parseAsync(process.argv.slice(2), { from: "user" });
process.stdout.write("stopped\n");
