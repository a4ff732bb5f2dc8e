import { Command } from "commander";
import type { Clock } from "../../domain/ports.js";
import type { DoctorDeps } from "../../doctor/index.js";
import { addRunFlags, type RunFlagValues } from "../run-flag-definitions.js";

export type DoctorFlags = RunFlagValues & { json?: boolean };

/** What tests inject; the CLI uses the real clock and environment. */
export interface DoctorCommandDeps extends DoctorDeps {
  clock?: Clock | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export function defineDoctorCommand(deps: DoctorCommandDeps = {}): Command {
  const command = new Command("doctor").description(
    "Check that a cutover run can start: configuration, Kleer token and lists, payroll, Milltime logins or snapshot, timer history, mapping coverage (read-only).",
  );
  addRunFlags(command, { range: false })
    .option("--from <date>", "first day of the range (YYYY-MM-DD; default: the first day of last month)")
    .option("--to <date>", "last day of the range (YYYY-MM-DD; default: the last day of last month)")
    .option("--json", "print the checks as JSON: {checks: [{id, title, status, blocking, detail, hint}], ok}")
    .action(async (flags: DoctorFlags) => {
      const { runDoctorCommand } = await import("../actions/doctor.js");
      await runDoctorCommand(flags, deps);
    });
  return command;
}
