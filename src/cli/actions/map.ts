import {
  formatMapCheckReport,
  formatMapSuggestSummary,
  mapCheckFailureReason,
  mapCheckJson,
  mapCheckOptionsFromFlags,
  mapSuggestOptionsFromFlags,
  runMapCheck,
  runMapSuggest,
  type MapFlagValues,
} from "../../map/index.js";
import { globalRedactor } from "../../http/redact.js";
import { CommandExit, ExitCode } from "../exit-codes.js";

const progress = (line: string) => {
  if (process.stderr.isTTY) process.stderr.write(`${line} …\n`);
};

/** The `map suggest` action, loaded only when the command runs. */
export async function runMapSuggestCommand(flags: MapFlagValues): Promise<void> {
  const { options, warnings } = mapSuggestOptionsFromFlags(flags);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const result = await runMapSuggest(options, { progress });
  process.stdout.write(globalRedactor.redact(formatMapSuggestSummary(result)));
}

/** The `map check` action, loaded only when the command runs. */
export async function runMapCheckCommand(flags: MapFlagValues): Promise<void> {
  const { options, warnings } = mapCheckOptionsFromFlags(flags);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const result = await runMapCheck(options, { progress });
  process.stdout.write(globalRedactor.redact(options.json ? mapCheckJson(result) : formatMapCheckReport(result)));
  const reason = mapCheckFailureReason(result);
  if (reason !== undefined) throw new CommandExit(ExitCode.GateFailed, reason);
}
