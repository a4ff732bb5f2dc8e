import type { Logger } from "../domain/ports.js";
import type { DateRange } from "../domain/time-entry.js";
import { openTimerHistorySource } from "../history/index.js";
import { describeHistorySpec } from "./doctor-config.js";
import { fail, listSome, messageOf, pass, plural, warn, type CheckOutcome } from "./doctor-types.js";

/**
 * `history`: the timer-history source opens and reads for the range; reports the links in range
 * (for the users in scope), the rows skipped (running timers, never saved) and the bad rows.
 */
export async function checkHistory(
  spec: string | undefined,
  range: DateRange,
  timeZone: string,
  inScope: (tokiUserId: number) => boolean,
  logger: Logger,
): Promise<CheckOutcome> {
  if (!spec) {
    return warn(
      "no timer history configured: links are not checked by compare and relink has nothing to re-point",
      "pass --history with Toki's database URL (postgres://…) or a CSV/JSON export of timer_history",
    );
  }
  const where = describeHistorySpec(spec);
  const source = openTimerHistorySource(spec, { timeZone, logger });
  const users = new Set<number>();
  let links = 0;
  try {
    for await (const link of source.read({ range })) {
      if (!inScope(link.tokiUserId)) continue;
      links += 1;
      users.add(link.tokiUserId);
    }
  } catch (error) {
    return fail(
      messageOf(error),
      /^postgres(ql)?:\/\//i.test(spec.trim())
        ? "check the database URL, that the database is reachable from here and that the user may read timer_history"
        : `check the path ${where}; write the export with psql: \\copy timer_history TO 'timer-history.csv' CSV HEADER`,
    );
  }
  const summary = source.summary();
  const skipped = summary.skipped.noEndTime + summary.skipped.noRegistrationId;
  const detail =
    `${source.describe()}: ${plural(links, "link")} of ${plural(users.size, "user")} in ${range.from}..${range.to}; ` +
    `${plural(skipped, "row")} skipped (${summary.skipped.noEndTime} running timers, ${summary.skipped.noRegistrationId} never saved to a provider); ` +
    `${plural(summary.badRows.length, "bad row")}`;
  if (summary.badRows.length > 0) {
    const bad = summary.badRows.map((b) => `row ${b.rowId}${b.line === undefined ? "" : ` (line ${b.line})`}: ${b.reason}`);
    return warn(`${detail}: ${listSome(bad, 3)}`, "bad rows are left out of the link check and relink; fix them in the export or the database if they matter");
  }
  if (links === 0) {
    return warn(`${detail}`, "no link in range: check --from/--to, the time zone, and that the export holds the users in scope");
  }
  return pass(detail);
}
