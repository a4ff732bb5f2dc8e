import { escapeHtml, formatSignedHours, renderDate, renderKind, renderSeverity, renderValue } from "./html-format.js";
import { triageEntryOf } from "../report-triage.js";
import type { FindingRecord } from "./html-report-input.js";
import { renderNoteDiff } from "./html-note-diff.js";
import { renderTable, type TableColumn, type TableLimits } from "./html-table.js";

function asNumber(value: string | null): number | null {
  if (value === null || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The "Difference" cell: a word diff for notes, Kleer − Milltime for numbers, else nothing. */
export function renderDifference(finding: FindingRecord): string {
  if (finding.kind === "note_mismatch" || finding.field === "note") return renderNoteDiff(finding.legacyValue, finding.kleerValue);
  const legacy = asNumber(finding.legacyValue);
  const kleer = asNumber(finding.kleerValue);
  if (legacy !== null && kleer !== null) return `<span class="delta">${escapeHtml(formatSignedHours(kleer - legacy))}</span>`;
  return "";
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

function renderFindingCell(finding: FindingRecord): string {
  return `${renderKind(finding.kind)}<br><span class="message">${escapeHtml(finding.message)}</span>`;
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
      rowData: (f) => {
        const entry = triageEntryOf(f);
        return entry === null ? null : { suppression: JSON.stringify(entry) };
      },
      renderRow: (f) => [
        renderSeverityCell(f),
        renderFindingCell(f),
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
