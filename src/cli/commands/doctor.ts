import { Command } from "commander";
import { ConfigError } from "../../domain/errors.js";
import { systemClock, type Clock } from "../../domain/ports.js";
import { globalRedactor } from "../../http/redact.js";
import { defaultDoctorRange, doctorVerdict, formatDoctorJson, formatDoctorText, runDoctor, type DoctorDeps, type DoctorOptions } from "../../doctor/index.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { addRunFlags, runConfigFromFlags, type RunFlagValues } from "../run-flags.js";

type DoctorFlags = RunFlagValues & { json?: boolean };

/** What tests inject; the CLI uses the real clock and environment. */
export interface DoctorCommandDeps extends DoctorDeps {
  clock?: Clock | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Flags and environment → DoctorOptions; an invalid option becomes a failed `config` check, not a throw. */
function doctorOptionsFromFlags(flags: DoctorFlags, env: NodeJS.ProcessEnv, clock: Clock): DoctorOptions {
  const rangeDefaulted = flags.from === undefined && flags.to === undefined;
  try {
    const defaults = rangeDefaulted ? defaultDoctorRange(clock.now(), flags.timeZone ?? "Europe/Stockholm") : {};
    const { config, warnings } = runConfigFromFlags(flags, env, defaults);
    return { config, configWarnings: warnings, rangeDefaulted };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { config: undefined, configErrors: error.issues.length > 0 ? error.issues : [error.message] };
  }
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
      const clock = deps.clock ?? systemClock;
      const options = doctorOptionsFromFlags(flags, deps.env ?? process.env, clock);
      const result = await runDoctor(options, { ...deps, clock });
      process.stdout.write(flags.json ? formatDoctorJson(result) : formatDoctorText(result));
      const config = result.checks.find((c) => c.id === "config");
      if (config?.status === "fail") throw new CommandExit(ExitCode.UsageOrConfig, globalRedactor.redact(`doctor: the configuration is not valid: ${config.detail}`));
      if (!result.ok) throw new CommandExit(ExitCode.GateFailed, doctorVerdict(result));
    });
  return command;
}
