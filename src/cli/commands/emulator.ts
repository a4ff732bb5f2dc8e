import { Command } from "commander";
import { defineEmulatorKleerCommand } from "./emulator-kleer.js";
import { defineEmulatorMilltimeCommand } from "./emulator-milltime.js";

/** `toki-parity emulator kleer|milltime`: the local API emulators, standalone. */
export function defineEmulatorCommand(): Command {
  return new Command("emulator")
    .description("Serve a local emulator of the Kleer or Milltime API on 127.0.0.1 (for Toki's developers too).")
    .addCommand(defineEmulatorKleerCommand())
    .addCommand(defineEmulatorMilltimeCommand());
}
