import type { Severity } from "../parity/finding-kinds.js";
import { PERIOD_KINDS, type RootCause, type RootCauseGroups } from "./report-root-causes.js";
import type { FindingRecord } from "./report-records.js";
import { hoursDifferenceOf } from "./report-values.js";

/** Causes the overview, the Markdown and the JSON export state in words. */
export const TOP_CAUSES = 3;

/** One of the run's top causes: a root cause (its key in `rootCauses`) or a finding that is a cause of its own. */
export interface TopCause {
  /** The root cause's key, or `finding:ID` for a finding no other explains. */
  key: string;
  severity: Severity;
  /** The cause in words: who, what, when, how many findings, how many hours. */
  text: string;
  /** 1-based position of the cause in the run's root causes (`cause-N` in the HTML); null for a finding. */
  causeIndex: number | null;
}

export interface TopCausesOptions {
  /** Name, email and Toki id of a user. */
  labelOf: (userKey: number) => string;
  /** The run's range: a cause spanning all of it is stated as "the whole range". */
  fromDate: string | null;
  toDate: string | null;
  /** The run's period (`week`, `month`): a period cause with a finding in every period of the range is stated as "the whole range". */
  period: string | null;
  limit?: number;
}

const hours = (h: number) => `${h > 0 ? "+" : h < 0 ? "−" : ""}${Math.abs(Number(h.toFixed(2)))} h`;

/** The unsuppressed blocking findings and warnings of a cause, and the most severe of them. */
function weightOf(findings: readonly FindingRecord[]): { problems: number; blocking: number; severity: Severity } {
  const active = findings.filter((f) => !f.suppressed && f.severity !== "info");
  const blocking = active.filter((f) => f.severity === "blocking").length;
  return { problems: active.length, blocking, severity: blocking > 0 ? "blocking" : active.length > 0 ? "warning" : "info" };
}

const allOf = (cause: RootCause) => [...cause.items, ...cause.explained].flatMap((i) => [i.finding, ...i.consequences]);

function who(userKeys: readonly number[], labelOf: TopCausesOptions["labelOf"]): string {
  if (userKeys.length === 0) return "The run";
  if (userKeys.length === 1) return labelOf(userKeys[0]!);
  const names = userKeys.slice(0, 3).map(labelOf);
  const more = userKeys.length - names.length;
  return `${userKeys.length} users (${names.join("; ")}${more > 0 ? ` and ${more} more` : ""})`;
}

/** Periods of the run's range (whole ISO weeks or calendar months), else null. */
function periodsInRange(options: TopCausesOptions): number | null {
  const { fromDate: from, toDate: to } = options;
  if (from === null || to === null) return null;
  if (options.period === "week") return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1) / 7;
  if (options.period === "month") return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
  return null;
}

function spanWords(first: string | null, last: string | null, options: TopCausesOptions, periods: number | null = null): string | null {
  if (first === null) return null;
  if (periods !== null && periods === periodsInRange(options) && first === options.fromDate && last === options.toDate) return `the whole range (${first} – ${last})`;
  return first === last ? `on ${first}` : `${first} – ${last}`;
}

function describeCause(cause: RootCause, options: TopCausesOptions): string {
  const counts = (["blocking", "warning", "info"] as const).filter((s) => cause.counts[s] > 0).map((s) => `${cause.counts[s]} ${s}`);
  const periods = PERIOD_KINDS.has(cause.kind) ? new Set(cause.items.map((i) => i.finding.date)).size : null;
  const facts = [spanWords(cause.firstDate, cause.lastDate, options, periods), `${cause.count} findings (${counts.join(", ")})`];
  if (cause.hours !== null) facts.push(cause.hoursMeaning === "legacy_entries" ? `${Number(cause.hours.toFixed(2))} h of Milltime entries` : `Kleer − Milltime ${hours(cause.hours)}`);
  // The drift a schedule difference explains is the figure a reviewer looks for first.
  for (const { finding } of cause.explained) {
    const drift = finding.kind === "flex_drift" ? hoursDifferenceOf(finding) : null;
    if (drift !== null) facts.push(`flex drift ${hours(drift)}`);
  }
  return `${who(cause.userKeys, options.labelOf)}: ${cause.title}; ${facts.filter((f): f is string => f !== null).join(", ")}.`;
}

function describeFinding(f: FindingRecord, options: TopCausesOptions): string {
  const span = spanWords(f.date, typeof f.details?.periodEnd === "string" ? f.details.periodEnd : f.date, options);
  return `${who(f.userKey === null ? [] : [f.userKey], options.labelOf)}: ${f.message} (${f.kind}${span ? `, ${span}` : ""}).`;
}

/**
 * Pure: the run's top causes, in words. A cause ranks by the problems it explains: its
 * unsuppressed blocking findings and warnings, then its blocking ones, then its hours (a user
 * without a Kleer schedule explains a warning every week and a large drift, so it outranks a
 * single unmapped entry), then the root causes' own order. Root causes and findings that are a
 * cause of their own rank together; info-only and suppressed ones are left out.
 */
export function selectTopCauses(groups: RootCauseGroups, options: TopCausesOptions): TopCause[] {
  const ranked = [
    ...groups.causes.map((cause, i) => ({ ...weightOf(allOf(cause)), hours: Math.abs(cause.hours ?? 0), order: i, top: () => ({ key: cause.key, text: describeCause(cause, options), causeIndex: i + 1 }) })),
    ...groups.standalone.map((f, i) => ({ ...weightOf([f]), hours: 0, order: groups.causes.length + i, top: () => ({ key: `finding:${f.id}`, text: describeFinding(f, options), causeIndex: null }) })),
  ];
  return ranked
    .filter((r) => r.problems > 0)
    .sort((a, b) => b.problems - a.problems || b.blocking - a.blocking || b.hours - a.hours || a.order - b.order)
    .slice(0, options.limit ?? TOP_CAUSES)
    .map((r): TopCause => ({ ...r.top(), severity: r.severity }));
}
