import { ConfigError } from "../../domain/errors.js";
import { formatProbeJson, formatProbeText, parseProbeOptions, probeVerdict, runProbe } from "../../probe/index.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import type { ProbeCommandDeps, ProbeFlags } from "../commands/probe.js";

function userIdOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new ConfigError(`--user: not a Toki user id: ${text}`);
  return Number(text.trim());
}

/** The `probe` action, loaded only when the command runs. */
export async function runProbeCommand(flags: ProbeFlags, deps: ProbeCommandDeps): Promise<void> {
  const env = deps.env ?? process.env;
  const { options, warnings } = parseProbeOptions({
    kleer: {
      baseUrl: flags.kleerUrl ?? env.TOKI_KLEER__BASE_URL ?? undefined,
      token: flags.kleerToken ?? env.TOKI_KLEER__TOKEN,
      companyId: flags.kleerCompany ?? env.TOKI_KLEER__COMPANY_ID,
    },
    mappingFile: flags.mapping,
    reportFile: flags.report,
    timeZone: flags.timeZone,
    tokiUserId: userIdOf(flags.user),
    from: flags.from,
    to: flags.to,
    lockedDate: flags.lockedDate,
    apply: flags.apply === true,
    allowProduction: flags.allowProduction === true,
    takeOverRunId: flags.takeOver,
  });
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const result = await runProbe(options, deps);
  process.stdout.write(flags.json ? formatProbeJson(result) : formatProbeText(result));
  if (!result.ok) throw new CommandExit(ExitCode.GateFailed, probeVerdict(result));
}
