import { renderLineChart, type ChartSeries } from "./html-chart.js";
import { renderFindingsTable } from "./html-findings.js";
import { periodAnchors } from "./html-period-anchor.js";
import { escapeHtml, formatCount, formatHours, formatSignedHours, renderSeverity } from "./html-format.js";
import type { OpeningBalance, PeriodPoint, PeriodStats, UserReport } from "./html-report-model.js";
import { renderTable, type TableLimits } from "./html-table.js";
import { groupConsequences } from "../report-consequences.js";

export interface UserSectionContext {
  limits: TableLimits;
  fullListHint: string;
  /**
   * Wraps the charts, the period table and the findings of the section; the page packs them when
   * it would be too large. A heatmap link to a packed period row still lands on it: the page's
   * script unpacks the user's section first (html-assets.ts, openTarget).
   * @default identity
   */
  wrapDetail?: (html: string, what: "charts" | "period table" | "findings") => string;
}

const MEASURES: ReadonlyArray<{ key: keyof PeriodStats; title: string }> = [
  { key: "worked", title: "Worked hours" },
  { key: "scheduled", title: "Scheduled hours" },
  { key: "absence", title: "Absence hours" },
  { key: "flexPeriod", title: "Period flex (covered − scheduled)" },
];

function sum(values: ReadonlyArray<number | null>): number {
  return values.reduce<number>((acc, v) => acc + (v ?? 0), 0);
}

function periodNoun(periods: readonly PeriodPoint[], count: number): string {
  const weekly = periods.every((p) => p.label.startsWith("W"));
  return `${count} ${weekly ? "week" : "period"}${count === 1 ? "" : "s"}`;
}

/** The opening balance with the day it was read for. */
export function renderOpeningBalance(balance: OpeningBalance): string {
  if (balance.hours === null && balance.rawValue === null) return `<span class="none">not recorded</span>`;
  const value = balance.hours !== null ? `${escapeHtml(formatSignedHours(balance.hours))} h` : escapeHtml(balance.rawValue ?? "");
  const asOf = balance.asOf ? ` <span class="as-of">(Milltime balance on ${escapeHtml(balance.asOf)})</span>` : "";
  return `<strong>${value}</strong>${asOf}`;
}

function renderCharts(user: UserReport): string {
  const periods = user.periods;
  if (periods.length === 0) return `<p class="empty">No period statistics were recorded for this user.</p>`;
  const xLabels = periods.map((p) => p.label);
  const xTitles = periods.map((p) => p.longLabel);
  const span = `${periods[0]!.label}–${periods[periods.length - 1]!.label}`;
  const figures = MEASURES.map((m, i) => {
    const legacy = periods.map((p) => p.legacy[m.key]);
    const kleer = periods.map((p) => p.kleer[m.key]);
    const series: ChartSeries[] = [
      { key: "legacy", label: "Milltime", style: "legacy", values: legacy },
      { key: "kleer", label: "Kleer", style: "kleer", values: kleer },
    ];
    const description =
      `${m.title} for ${user.label} over ${periodNoun(periods, periods.length)} (${span}), Milltime as a solid line with circles, ` +
      `Kleer as a dashed line with squares. Totals: Milltime ${formatHours(sum(legacy))} h, Kleer ${formatHours(sum(kleer))} h.`;
    const svg = renderLineChart({ id: `${user.anchor}-chart-${i}`, title: `${m.title}: Milltime vs Kleer`, description, xLabels, xTitles, series, unit: "h" });
    return `<figure class="chart-figure">${svg}<figcaption>${escapeHtml(m.title)}</figcaption></figure>`;
  });
  const drift = periods.map((p) => p.cumulativeDrift);
  const driftSvg = renderLineChart({
    id: `${user.anchor}-chart-drift`,
    title: "Cumulative flex drift (Kleer − Milltime)",
    description:
      `Running sum of Kleer period flex minus Milltime period flex for ${user.label} over ${periodNoun(periods, periods.length)}; ` +
      `it ends at ${formatSignedHours(user.finalDrift)} h. Zero means Kleer-era flex agrees with Milltime.`,
    xLabels,
    xTitles,
    series: [{ key: "drift", label: "Σ (Kleer − Milltime) flex", style: "drift", values: drift }],
    unit: "h",
  });
  figures.push(`<figure class="chart-figure">${driftSvg}<figcaption>Cumulative flex drift</figcaption></figure>`);
  return `<div class="charts">${figures.join("")}</div>`;
}

function renderChartData(user: UserReport, limits: TableLimits, fullListHint: string): string {
  if (user.periods.length === 0) return "";
  const h = (v: number | null): string => escapeHtml(formatHours(v));
  const anchors = periodAnchors(user.anchor, user.periods);
  const ids = new Map(user.periods.map((p, i) => [p, anchors[i]!]));
  const table = renderTable(
    {
      id: `${user.anchor}-data`,
      caption: `Period statistics for ${user.label} (hours; M = Milltime, K = Kleer)`,
      // Numeric alignment comes from the table's class, not a class per cell: 200 users × 2
      // years of weeks are 20,000 rows of 11 numbers.
      columns: [
        { label: "Period" },
        ...MEASURES.flatMap((m) => [{ label: `${m.title.replace(/ \(.*\)$/, "")} M` }, { label: `${m.title.replace(/ \(.*\)$/, "")} K` }]),
        { label: "Flex Δ (K − M)" },
        { label: "Cumulative drift" },
        { label: "Milltime flex balance" },
      ],
      className: "period-data",
      compactCells: true,
      items: user.periods,
      rowHeader: true,
      rowId: (p) => ids.get(p) ?? null,
      renderRow: (p) => [
        `${escapeHtml(p.label)} <small>${escapeHtml(p.periodStart)}</small>`,
        ...MEASURES.flatMap((m) => [h(p.legacy[m.key]), h(p.kleer[m.key])]),
        escapeHtml(formatSignedHours(p.flexDelta)),
        escapeHtml(formatSignedHours(p.cumulativeDrift)),
        h(p.legacyFlexBalance),
      ],
      emptyText: "",
      fullListHint,
    },
    limits,
  );
  return `<details class="chart-data"><summary>Chart data as a table</summary>${table}</details>`;
}

/** One-line tally for a user's summary row: counts in words, severities with symbols. */
export function renderUserTally(user: UserReport): string {
  const parts = [
    `${formatCount(user.outcomes.total)} entries`,
    `${formatCount(user.outcomes.match)} matches`,
    `${renderSeverity("blocking")} ${formatCount(user.findingCounts.blocking)}`,
    `${renderSeverity("warning")} ${formatCount(user.findingCounts.warning)}`,
  ];
  return parts.join(" · ");
}

/** A user's collapsible detail: balance, drift, outcome counts, charts, chart data, findings. */
export function renderUserSection(user: UserReport, ctx: UserSectionContext): string {
  const wrap = ctx.wrapDetail ?? ((html: string) => html);
  const o = user.outcomes;
  const outcomes =
    `${formatCount(o.match)} match + ${formatCount(o.mismatch)} mismatch + ${formatCount(o.missing_in_kleer)} missing in Kleer + ` +
    `${formatCount(o.extra_in_kleer)} extra in Kleer + ${formatCount(o.unmapped)} unmapped + ${formatCount(o.skipped)} skipped`;
  const facts =
    `<dl class="facts"><div><dt>Opening flex balance needed at cutover</dt><dd>${renderOpeningBalance(user.openingBalance)}</dd></div>` +
    `<div><dt>Cumulative flex drift at end of range</dt><dd><strong>${escapeHtml(formatSignedHours(user.finalDrift))} h</strong></dd></div>` +
    // The rows are legacy entries and Kleer-only events together, so the parts add up to the total.
    `<div><dt>Rows (legacy entries and Kleer-only events)</dt><dd>${escapeHtml(formatCount(o.total))} = ${escapeHtml(outcomes)}</dd></div>` +
    (user.status !== null && user.status !== "compared"
      ? `<div><dt>Comparison</dt><dd><strong>${user.status === "unmapped" ? "✖ not mapped to a Kleer user: entries not compared" : "✖ a source could not be read: comparison incomplete"}</strong></dd></div>`
      : "") +
    `</dl>`;
  // Consequences sit under their root (caused_by), so a row is one problem.
  const { roots, consequencesOf } = groupConsequences(user.findings);
  const nested = user.findings.length - roots.length;
  const findings = renderFindingsTable({
    id: `${user.anchor}-findings`,
    caption:
      `Findings for ${user.label} (${user.findings.length}${user.suppressedCount > 0 ? `, ${user.suppressedCount} suppressed` : ""}` +
      `${nested > 0 ? `; ${nested} consequence${nested === 1 ? "" : "s"} listed under ${nested === 1 ? "its root" : "their roots"}` : ""})`,
    findings: roots,
    consequencesOf,
    showUser: false,
    limits: ctx.limits,
    fullListHint: ctx.fullListHint,
    emptyText: "No findings for this user.",
  });
  return (
    `<details class="user" id="${escapeHtml(user.anchor)}"><summary><h3>${escapeHtml(user.label)}</h3>` +
    `<span class="tally">${renderUserTally(user)}</span></summary><div class="user-body">${facts}` +
    `<h4>Statistics per period</h4>${wrap(renderCharts(user), "charts")}${wrap(renderChartData(user, ctx.limits, ctx.fullListHint), "period table")}` +
    `<h4>Findings</h4>${wrap(findings, "findings")}</div></details>`
  );
}
