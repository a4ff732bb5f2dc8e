import type { RelinkResult } from "./relink-run.js";

/** Links left alone that `relink` lists by default; `--show N` changes it. */
export const DEFAULT_RELINK_SHOWN = 20;

/** Up to `show` lines of a list, then one line counting the rest (and how to see them all). */
function capped<T>(items: readonly T[], show: number, line: (item: T) => string): string[] {
  const lines = items.slice(0, show).map(line);
  const rest = items.length - lines.length;
  if (rest > 0) lines.push(`  … and ${rest} more (${lines.length === 0 ? "none shown; " : ""}--show ${items.length} lists all)`);
  return lines;
}

/**
 * The lines printed after `relink` (to stderr when the script itself goes to stdout). Links left
 * alone are listed up to `show` per list: a large history would otherwise print thousands.
 */
export function formatRelinkResult(result: RelinkResult, revert = false, show = DEFAULT_RELINK_SHOWN): string {
  const { plan } = result;
  const lines: string[] = [];
  if (result.applied) {
    const a = result.applied;
    lines.push(
      revert
        ? `Reverted ${a.rows} timer_history row(s) of run ${plan.runId}${a.leftInBackup > 0 ? `; ${a.leftInBackup} row(s) changed since and were left in ${a.table}` : `; ${a.table} dropped`}`
        : `Relinked ${a.rows} timer_history row(s) for ${plan.relinks.length} replayed entr${plan.relinks.length === 1 ? "y" : "ies"} of run ${plan.runId} (backup table ${a.table})`,
    );
    for (const u of a.byUser) lines.push(`  Toki user ${u.tokiUserId}: ${u.rows}`);
  } else {
    lines.push(`Relink of run ${plan.runId}: ${plan.relinks.length} registration id(s) → Kleer event id(s)${plan.rows ? `, ${plan.rows.length} timer_history row(s) in the range` : ""}`);
    for (const f of result.files) lines.push(`  wrote ${f}`);
  }
  if (plan.rows && plan.alreadyRelinked > 0) lines.push(`${plan.alreadyRelinked} link(s) already point at this run's Kleer events`);
  if (plan.unrelinked.length > 0) lines.push(`${plan.unrelinked.length} timer_history link(s) NOT relinked:`);
  lines.push(...capped(plan.unrelinked, show, (u) => `  #${u.historyId} user ${u.tokiUserId} ${u.registrationId} (${u.startTime}): ${u.reason}`));
  if (plan.removedByCleanup.length > 0) lines.push(`${plan.removedByCleanup.length} replayed entr${plan.removedByCleanup.length === 1 ? "y" : "ies"} whose Kleer event cleanup deleted (not relinked):`);
  lines.push(...capped(plan.removedByCleanup, show, (r) => `  ${r.legacyId} user ${r.tokiUserId}: Kleer event ${r.kleerEventId} was deleted by cleanup; not relinked`));
  return lines.join("\n");
}
