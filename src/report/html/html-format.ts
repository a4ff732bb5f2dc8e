import type { FindingSeverity } from "./html-report-input.js";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const NUMBER = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat("en-GB");

/** `38.5`, `1,234.25`; `—` for a missing value. Negative values use a true minus sign. */
export function formatHours(value: number | null): string {
  if (value === null) return "—";
  return NUMBER.format(value).replace("-", "−");
}

/** `+1.5`, `−0.25`, `0`. */
export function formatSignedHours(value: number | null): string {
  if (value === null) return "—";
  const rounded = Number(value.toFixed(2));
  if (rounded === 0) return "0";
  return rounded > 0 ? `+${formatHours(rounded)}` : formatHours(rounded);
}

export function formatCount(value: number): string {
  return COUNT.format(value);
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return "—";
  return `${((part / whole) * 100).toFixed(1)} %`;
}

const SEVERITY_LABEL: Record<FindingSeverity, { symbol: string; text: string }> = {
  blocking: { symbol: "✖", text: "Blocking" },
  warning: { symbol: "▲", text: "Warning" },
  info: { symbol: "ℹ", text: "Info" },
};

/** A severity as symbol + word (never colour alone). */
export function renderSeverity(severity: FindingSeverity): string {
  const label = SEVERITY_LABEL[severity];
  return `<span class="sev sev-${severity}"><span aria-hidden="true">${label.symbol}</span> ${label.text}</span>`;
}

export function severityText(severity: FindingSeverity): string {
  return SEVERITY_LABEL[severity].text;
}

const KIND_DESCRIPTIONS: Record<string, string> = {
  editability_regression: "Locked in Milltime but editable in Kleer: users could change time that was already attested.",
  editability_change: "The entry's lock state differs between Milltime and Kleer.",
  note_mismatch: "The entry's note differs.",
  flex_balance_unavailable: "Kleer keeps no running flex balance: Kleer-era Toki needs this opening balance.",
  flex_period_mismatch: "The period's flex (covered − scheduled) differs.",
  source_error: "A source could not be read; the figures for this scope are incomplete.",
  missing_in_kleer: "The entry exists in Milltime but not in Kleer.",
  extra_in_kleer: "The entry exists in Kleer but not in Milltime.",
};

/** A one-line explanation of a finding kind for readers outside engineering. */
export function describeKind(kind: string): string {
  const known = KIND_DESCRIPTIONS[kind];
  if (known) return known;
  const timeInfo = /^timeinfo_(.+)_mismatch$/.exec(kind);
  if (timeInfo) return `The period's ${timeInfo[1]!.replace(/_/g, " ")} hours differ.`;
  const field = /^(.+)_mismatch$/.exec(kind);
  if (field) return `The entry's ${field[1]!.replace(/_/g, " ")} differs.`;
  return kind.replace(/_/g, " ");
}

/** A finding kind as code with its explanation as a tooltip. */
export function renderKind(kind: string): string {
  return `<code class="kind" title="${escapeHtml(describeKind(kind))}">${escapeHtml(kind)}</code>`;
}

/** A date that never wraps; `—` when missing. */
export function renderDate(value: string | null): string {
  return value === null ? renderValue(null) : `<span class="date">${escapeHtml(value)}</span>`;
}

/** A stored text value: `—` for null, a visible marker for the empty string. */
export function renderValue(value: string | null): string {
  if (value === null) return `<span class="none">—<span class="sr-only"> none</span></span>`;
  if (value === "") return `<span class="none">(empty)</span>`;
  return `<span class="value">${escapeHtml(value)}</span>`;
}
