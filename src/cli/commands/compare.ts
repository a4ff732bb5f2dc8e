import { Command } from "commander";
import { addRunFlags, type RunFlagValues } from "../run-flag-definitions.js";

export function defineCompareCommand(): Command {
  const command = new Command("compare").description(
    "Compare what Toki showed from Milltime with what it will show from Kleer (read-only on both sides) and write a parity run to the report file.",
  );
  addRunFlags(command).action(async (flags: RunFlagValues) => {
    const { runCompareCommand } = await import("../actions/compare.js");
    await runCompareCommand(flags);
  });
  return command;
}
