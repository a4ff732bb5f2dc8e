import type { PlanRow, ReplaySummary } from "./replay-types.js";

const pad = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
const hours = (h: number) => (Number.isInteger(h) ? String(h) : h.toFixed(4).replace(/0+$/, ""));

/** The lines printed after `replay`: totals, blocking reasons, user errors, what is left to do. */
export function formatReplaySummary(s: ReplaySummary): string {
  const lines = [
    `Replay run ${s.runId} (${s.mode}${s.resumed ? ", resumed" : ""}) ${s.range.from} … ${s.range.to} in ${(s.durationMs / 1000).toFixed(1)} s`,
    `Users    ${s.users} (${s.usersPlanned} planned, ${s.usersWithSourceErrors} with source errors)`,
    `Entries  ${s.entries}: ${s.plannedCreate} to create, ${s.plannedSkipExisting} already in Kleer, ${s.blocked} blocked`,
  ];
  const reasons = Object.entries(s.blockedByReason);
  if (reasons.length > 0) lines.push(`Blocked  ${reasons.map(([code, n]) => `${code} ${n}`).join(", ")}`);
  if (s.mode === "apply") {
    lines.push(
      `Written  ${s.created} created, ${s.resolvedExisting} found existing, ${s.failed} failed, ${s.unsettled} unsettled; ${s.writeRequests} create request${s.writeRequests === 1 ? "" : "s"} sent`,
    );
  } else {
    lines.push("Dry run: nothing was written to Kleer. Add --apply to write.");
  }
  const duplicates = s.duplicatesInKleer ?? [];
  if (duplicates.length > 0) {
    lines.push(`Read back ${duplicates.length} legacy entr${duplicates.length === 1 ? "y" : "ies"} with more than one Kleer event (duplicate_in_kleer; cleanup --duplicates removes this file's copies):`);
    for (const d of duplicates) lines.push(`  user ${d.tokiUserId} legacy ${d.legacyId} (${d.date}): events ${d.eventIds.join(", ")}`);
  } else if (s.mode === "apply") {
    lines.push("Read back: every replayed entry has at most one Kleer event");
  }
  for (const e of s.userErrors) lines.push(`  user ${e.tokiUserId}: ${e.system}: ${e.message}`);
  if (s.unsettled > 0) lines.push(`Resume with: toki-parity replay --resume ${s.runId} --apply (same flags)`);
  return lines.join("\n");
}

/** The first plan rows as a fixed-width table. */
export function formatPlanRows(rows: readonly PlanRow[], total: number): string {
  if (total === 0) return "No legacy entries in the range.";
  if (rows.length === 0) return `${total} plan row${total === 1 ? "" : "s"}; none shown (--show 0): all are in the report (table replay_plan)`;
  const header = `${pad("user", 6)} ${pad("legacy id", 20)} ${pad("date", 10)} ${pad("kleer user/project/activity", 28)} ${pad("hours", 7)} ${pad("action", 13)} note / reason`;
  const lines = [header];
  for (const r of rows) {
    const target = `${r.kleerUserId ?? "-"}/${r.kleerProjectId ?? "-"}/${r.kleerActivityId ?? "-"}`;
    const tail = r.action === "blocked" ? `${r.reasonCode}: ${r.reason ?? ""}` : r.action === "skip-existing" ? (r.reason ?? "") : JSON.stringify(r.note);
    lines.push(`${pad(String(r.userKey), 6)} ${pad(r.legacyId, 20)} ${pad(r.date, 10)} ${pad(target, 28)} ${pad(hours(r.hours), 7)} ${pad(r.action, 13)} ${tail}`);
  }
  if (total > rows.length) lines.push(`… ${total - rows.length} more row${total - rows.length === 1 ? "" : "s"} in the report (table replay_plan)`);
  return lines.join("\n");
}

/** True when the run left work undone: blocked entries, failed or unsettled writes, unread users, duplicates read back. */
export function isReplayIncomplete(s: ReplaySummary): boolean {
  return s.blocked > 0 || s.failed > 0 || s.unsettled > 0 || s.usersWithSourceErrors > 0 || (s.duplicatesInKleer ?? []).length > 0;
}
