import { FINDING_KIND_MEANINGS, isFindingKind, type Severity } from "../../parity/finding-kinds.js";

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

const SEVERITY_LABEL: Readonly<Record<Severity, { symbol: string; text: string }>> = {
  blocking: { symbol: "✖", text: "Blocking" },
  warning: { symbol: "▲", text: "Warning" },
  info: { symbol: "ℹ", text: "Info" },
};

/** A severity as symbol + word (never colour alone). */
export function renderSeverity(severity: Severity): string {
  const label = SEVERITY_LABEL[severity];
  return `<span class="sev sev-${severity}"><span aria-hidden="true">${label.symbol}</span> ${label.text}</span>`;
}

/** A count in a column already headed by the severity: symbol + number (the word for screen readers). */
export function renderSeverityCount(severity: Severity, count: number): string {
  if (count === 0) return "0";
  const label = SEVERITY_LABEL[severity];
  return `<span class="sev sev-${severity}"><span aria-hidden="true">${label.symbol}</span><span class="sr-only">${label.text}:</span> ${COUNT.format(count)}</span>`;
}

export function severityText(severity: Severity): string {
  return SEVERITY_LABEL[severity].text;
}

/** A one-line explanation of a finding kind (the parity vocabulary's; a generic one for kinds a newer tool added). */
export function describeKind(kind: string): string {
  if (isFindingKind(kind)) return FINDING_KIND_MEANINGS[kind];
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
