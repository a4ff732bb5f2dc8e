import { ConfigError } from "../../domain/errors.js";
import { systemClock, type Clock } from "../../domain/ports.js";
import { globalRedactor } from "../../http/redact.js";
import { defaultDoctorRange, doctorVerdict, formatDoctorJson, formatDoctorText, runDoctor, type DoctorOptions } from "../../doctor/index.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { runConfigFromFlags } from "../run-flags.js";
import type { DoctorCommandDeps, DoctorFlags } from "../commands/doctor.js";

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

/** The `doctor` action, loaded only when the command runs. */
export async function runDoctorCommand(flags: DoctorFlags, deps: DoctorCommandDeps): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const options = doctorOptionsFromFlags(flags, deps.env ?? process.env, clock);
  const result = await runDoctor(options, { ...deps, clock });
  process.stdout.write(flags.json ? formatDoctorJson(result) : formatDoctorText(result));
  const config = result.checks.find((c) => c.id === "config");
  if (config?.status === "fail") throw new CommandExit(ExitCode.UsageOrConfig, globalRedactor.redact(`doctor: the configuration is not valid: ${config.detail}`));
  if (!result.ok) throw new CommandExit(ExitCode.GateFailed, doctorVerdict(result));
}
