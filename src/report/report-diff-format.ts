import type { DiffFormat } from "./report-format-names.js";
import { DIFF_STATUSES, type DiffCounts, type DiffItem, type DiffStatus, type ReportDiff } from "./report-diff.js";

export { DIFF_FORMAT_NAMES, type DiffFormat } from "./report-format-names.js";

const countLine = (c: DiffCounts) => `${c.total} (${c.blocking} blocking, ${c.warning} warning, ${c.info} info, ${c.suppressed} suppressed)`;
const side = (s: ReportDiff["base"]) => `run ${s.run.runId} of ${s.file} (${s.run.command}, ${s.run.startedAt}, ${s.run.status})`;
const severityOf = (item: DiffItem) => (item.finding.suppressed ? `${item.finding.severity} (suppressed)` : item.finding.severity);

function itemLine(item: DiffItem): string {
  const f = item.finding;
  const ids = [f.legacyId === null ? null : `legacy ${f.legacyId}`, f.kleerId === null ? null : `kleer ${f.kleerId}`].filter((x) => x !== null).join(", ");
  const changed = item.baseSeverity === undefined ? "" : ` [was ${item.baseSeverity}]`;
  const why = item.unverifiedReason === undefined ? "" : ` [not re-checked: ${item.unverifiedReason}]`;
  return `${severityOf(item)}${changed} · ${f.kind} · ${item.user ?? "no user"} · ${f.date ?? "-"}${ids ? ` · ${ids}` : ""} · ${f.message}${why}`;
}

const TITLES: Record<DiffStatus, string> = {
  new: "New",
  resolved: "Resolved",
  persisting: "Persisting",
  unverified: "Not re-checked (base findings the later run did not compare)",
};

/** Plain text for a terminal or a CI log. */
export function formatDiffText(diff: ReportDiff): string {
  const lines = [`report diff: base ${side(diff.base)}`, `          → later ${side(diff.run)}`];
  for (const status of DIFF_STATUSES) lines.push(`${status}: ${countLine(diff.counts[status])}`);
  for (const note of diff.notes) lines.push(`note: ${note}`);
  for (const status of DIFF_STATUSES) {
    const items = diff.items.filter((i) => i.status === status);
    if (items.length === 0) continue;
    lines.push("", `${TITLES[status]} (${items.length}):`, ...items.map((i) => `  ${itemLine(i)}`));
  }
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** Markdown for a pull-request comment or the rehearsal log. */
export function formatDiffMarkdown(diff: ReportDiff): string {
  const lines = [
    "# Parity report diff",
    "",
    `- Base: ${cell(side(diff.base))}`,
    `- Later: ${cell(side(diff.run))}`,
    "",
    "| Status | Total | Blocking | Warning | Info | Suppressed |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...DIFF_STATUSES.map((s) => {
      const c = diff.counts[s];
      return `| ${s} | ${c.total} | ${c.blocking} | ${c.warning} | ${c.info} | ${c.suppressed} |`;
    }),
  ];
  if (diff.notes.length > 0) lines.push("", ...diff.notes.map((n) => `> **Note:** ${cell(n)}`));
  for (const status of DIFF_STATUSES) {
    const items = diff.items.filter((i) => i.status === status);
    if (items.length === 0) continue;
    lines.push("", `## ${TITLES[status]} (${items.length})`, "", "| Severity | Kind | User | Date | Legacy id | Kleer id | Message |", "| --- | --- | ---: | --- | --- | --- | --- |");
    for (const i of items) {
      const f = i.finding;
      const note = i.unverifiedReason ?? (i.baseSeverity === undefined ? "" : `was ${i.baseSeverity}`);
      lines.push(`| ${severityOf(i)} | ${f.kind} | ${cell(i.user ?? "")} | ${f.date ?? ""} | ${f.legacyId ?? ""} | ${f.kleerId ?? ""} | ${cell(f.message)}${note ? ` (${cell(note)})` : ""} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** JSON for tools: the same items with their keys. */
export function formatDiffJson(diff: ReportDiff): string {
  const run = (s: ReportDiff["base"]) => ({ file: s.file, runId: s.run.runId, command: s.run.command, status: s.run.status, startedAt: s.run.startedAt, fromDate: s.run.fromDate, toDate: s.run.toDate });
  return `${JSON.stringify(
    {
      base: run(diff.base),
      run: run(diff.run),
      counts: diff.counts,
      notes: diff.notes,
      usersDroppedOut: diff.usersDroppedOut,
      findings: diff.items.map((i) => ({
        key: i.key,
        status: i.status,
        // Unset (undefined) fields are left out by JSON.stringify.
        baseSeverity: i.baseSeverity,
        unverifiedReason: i.unverifiedReason,
        kind: i.finding.kind,
        severity: i.finding.severity,
        suppressed: i.finding.suppressed,
        userKey: i.finding.userKey,
        user: i.user,
        date: i.finding.date,
        legacyId: i.finding.legacyId,
        kleerId: i.finding.kleerId,
        field: i.finding.field,
        message: i.finding.message,
      })),
    },
    null,
    2,
  )}\n`;
}

export const DIFF_FORMATS: Record<DiffFormat, (diff: ReportDiff) => string> = { text: formatDiffText, json: formatDiffJson, md: formatDiffMarkdown };
