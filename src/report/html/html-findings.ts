import { escapeHtml, formatSignedHours, renderDate, renderKind, renderSeverity, renderValue } from "./html-format.js";
import { triageEntryOf } from "../report-triage.js";
import type { FindingRecord } from "./html-report-input.js";
import { renderNoteDiff } from "./html-note-diff.js";
import { renderTable, type TableColumn, type TableLimits } from "./html-table.js";
import { describeValueChange, hoursDifferenceOf } from "../report-values.js";

/**
 * The "Difference" cell: a word diff for notes, Kleer − Milltime for hours fields only, and
 * `Milltime X → Kleer Y` (with names where the finding has them) for ids, dates and lock states.
 */
export function renderDifference(finding: FindingRecord): string {
  if (finding.kind === "note_mismatch" || finding.field === "note") return renderNoteDiff(finding.legacyValue, finding.kleerValue);
  const hours = hoursDifferenceOf(finding);
  if (hours !== null) return `<span class="delta">${escapeHtml(formatSignedHours(hours))} h</span>`;
  const change = describeValueChange(finding);
  return change === null ? "" : `<span class="change">${escapeHtml(change)}</span>`;
}

export function renderEntryIds(finding: FindingRecord): string {
  const parts: string[] = [];
  if (finding.legacyId !== null) parts.push(`<span class="id"><abbr title="Milltime registration">M</abbr> ${escapeHtml(finding.legacyId)}</span>`);
  if (finding.kleerId !== null) parts.push(`<span class="id"><abbr title="Kleer event">K</abbr> ${escapeHtml(finding.kleerId)}</span>`);
  return parts.length > 0 ? parts.join("<br>") : renderValue(null);
}

function renderSeverityCell(finding: FindingRecord): string {
  if (!finding.suppressed) return renderSeverity(finding.severity);
  const reason = finding.suppressionReason ? `: ${escapeHtml(finding.suppressionReason)}` : "";
  return `${renderSeverity(finding.severity)}<br><span class="suppressed-tag">Suppressed${reason}</span>`;
}

function renderFindingCell(finding: FindingRecord, consequences: readonly FindingRecord[]): string {
  return `${renderKind(finding.kind)}<br><span class="message">${escapeHtml(finding.message)}</span>${renderConsequences(consequences)}`;
}

export interface FindingsTableOptions {
  id: string;
  caption: string;
  findings: readonly FindingRecord[];
  /** Adds a User column (for tables that mix users). */
  showUser: boolean;
  limits: TableLimits;
  fullListHint: string;
  emptyText: string;
  /**
   * Root id → the consequences shown under it (see `groupConsequences`); `findings` then lists
   * the roots only and each root's row carries its consequences.
   */
  consequencesOf?: ReadonlyMap<number, readonly FindingRecord[]>;
}

/** Findings with Milltime vs Kleer values side by side and the difference between them. */
export function renderFindingsTable(options: FindingsTableOptions): string {
  const columns: TableColumn[] = [
    { label: "Severity" },
    { label: "Finding" },
    ...(options.showUser ? [{ label: "User" }] : []),
    { label: "Date" },
    { label: "Entry" },
    { label: "Field" },
    { label: "Milltime (legacy)" },
    { label: "Kleer" },
    { label: "Difference (Kleer − Milltime)" },
  ];
  return renderTable(
    {
      id: options.id,
      caption: options.caption,
      columns,
      items: options.findings,
      // The page's triage panel turns selected rows into rules-file suppressions.
      rowData: (f): Record<string, string> => {
        const entry = triageEntryOf(f);
        return entry === null ? { finding: String(f.id) } : { finding: String(f.id), suppression: JSON.stringify(entry) };
      },
      renderRow: (f) => [
        renderSeverityCell(f),
        renderFindingCell(f, options.consequencesOf?.get(f.id) ?? []),
        ...(options.showUser ? [renderValue(f.userKey === null ? null : String(f.userKey))] : []),
        renderDate(f.date),
        renderEntryIds(f),
        f.field === null ? renderValue(null) : `<span class="field">${escapeHtml(f.field)}</span>`,
        renderValue(f.legacyValue),
        renderValue(f.kleerValue),
        renderDifference(f),
      ],
      rowClass: (f) => `finding sev-row-${f.severity}${f.suppressed ? " suppressed" : ""}`,
      className: "findings",
      emptyText: options.emptyText,
      fullListHint: options.fullListHint,
    },
    options.limits,
  );
}

function renderConsequence(c: FindingRecord): string {
  const entry = triageEntryOf(c);
  const data = entry === null ? "" : ` data-suppression="${escapeHtml(JSON.stringify(entry))}"`;
  const values = c.legacyValue === null && c.kleerValue === null ? "" : ` <span class="values">Milltime ${renderValue(c.legacyValue)} · Kleer ${renderValue(c.kleerValue)}</span>`;
  const difference = renderDifference(c);
  return `<li class="consequence sev-row-${c.severity}" data-finding="${c.id}"${data}>${renderSeverityCell(c)} ${renderKind(c.kind)} ${renderDate(c.date)} <span class="message">${escapeHtml(c.message)}</span>${values}${difference ? ` (${difference})` : ""}</li>`;
}

/** A root's consequences, under it: collapsed, readable without the script. */
export function renderConsequences(consequences: readonly FindingRecord[]): string {
  if (consequences.length === 0) return "";
  const n = consequences.length;
  const bySeverity = (["blocking", "warning", "info"] as const)
    .map((s) => [s, consequences.filter((c) => c.severity === s).length] as const)
    .filter(([, k]) => k > 0)
    .map(([s, k]) => `${k} ${s}`)
    .join(", ");
  return (
    `<details class="consequences"><summary>↳ ${n} consequence${n === 1 ? "" : "s"} of this finding (${bySeverity})</summary>` +
    `<ul>${consequences.map(renderConsequence).join("")}</ul></details>`
  );
}

/** Entries locked in Milltime that Kleer-era Toki would let the user edit. */
export function renderEditabilityTable(
  findings: readonly FindingRecord[],
  limits: TableLimits,
  fullListHint: string,
  userHref: (userKey: number) => string | null,
  userLabel: (userKey: number) => string = (key) => `Toki user ${key}`,
): string {
  return renderTable(
    {
      id: "editability-table",
      caption: `Editability regressions: ${findings.length} entr${findings.length === 1 ? "y" : "ies"} locked in Milltime but editable in Kleer`,
      columns: [{ label: "User" }, { label: "Date" }, { label: "Entry" }, { label: "Milltime lock" }, { label: "Kleer lock" }, { label: "Severity" }, { label: "Message" }],
      items: findings,
      rowHeader: true,
      renderRow: (f) => {
        const href = f.userKey === null ? null : userHref(f.userKey);
        const key = f.userKey === null ? null : userLabel(f.userKey);
        const user = href ? `<a href="#${escapeHtml(href)}">${escapeHtml(key ?? "")}</a>` : renderValue(key);
        return [user, renderDate(f.date), renderEntryIds(f), renderValue(f.legacyValue), renderValue(f.kleerValue), renderSeverityCell(f), escapeHtml(f.message)];
      },
      rowClass: (f) => (f.suppressed ? "suppressed" : null),
      emptyText: "No editability regressions: every entry locked in Milltime is locked in Kleer too.",
      fullListHint,
    },
    limits,
  );
}
