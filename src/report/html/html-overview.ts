import { DEFAULT_FLEX_DRIFT_THRESHOLD } from "../../parity/parity-rules.js";
import type { DiffCounts, DiffStatus } from "../report-diff.js";
import { escapeHtml, formatCount, formatSignedHours } from "./html-format.js";
import { renderHeatmap } from "./html-heatmap.js";
import { MAX_RENDERED_CAUSES } from "./html-root-causes.js";
import type { HtmlReportModel, UserReport } from "./html-report-model.js";
import type { SectionContext } from "./html-sections.js";

/** "Since the previous run" counts, when the file holds an earlier parity run. */
export interface SinceCounts {
  baseRunId: string;
  counts: Record<DiffStatus, DiffCounts>;
}

interface Threshold {
  warning: number;
  blocking: number | null;
}

/** The flex drift thresholds the run recorded (options.rules.flex_drift), else the defaults. */
function thresholdsOf(model: HtmlReportModel): (userKey: number) => Threshold {
  const rules = (model.run.options.rules as { flex_drift?: { warning_hours?: unknown; blocking_hours?: unknown; users?: Record<string, { warning_hours?: unknown; blocking_hours?: unknown }> } } | undefined)?.flex_drift;
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const base: Threshold = { warning: num(rules?.warning_hours) ?? DEFAULT_FLEX_DRIFT_THRESHOLD.warningHours, blocking: num(rules?.blocking_hours) };
  return (userKey) => {
    const u = rules?.users?.[String(userKey)];
    return u ? { warning: num(u.warning_hours) ?? base.warning, blocking: num(u.blocking_hours) } : base;
  };
}

function renderDriftChart(users: readonly UserReport[], thresholdOf: (userKey: number) => Threshold): string {
  const rows = users.filter((u) => u.finalDrift !== null).sort((a, b) => Math.abs(b.finalDrift as number) - Math.abs(a.finalDrift as number) || a.userKey - b.userKey);
  if (rows.length === 0) return `<p class="empty">No user has period flex on both sides, so there is no drift to chart.</p>`;
  const over = rows.filter((u) => Math.abs(u.finalDrift as number) > thresholdOf(u.userKey).warning + 1e-9);
  const max = Math.max(...rows.map((u) => Math.abs(u.finalDrift as number)), ...rows.map((u) => thresholdOf(u.userKey).warning), 1);
  const rowH = 22;
  const labelW = 430;
  const barW = 420;
  const mid = labelW + barW / 2;
  const scale = (h: number) => (h / max) * (barW / 2 - 4);
  const height = rows.length * rowH + 30;
  const defaultT = thresholdOf(-1).warning;
  const bars = rows
    .map((u, i) => {
      const drift = u.finalDrift as number;
      const y = 20 + i * rowH;
      const w = Math.abs(scale(drift));
      const x = drift >= 0 ? mid : mid - w;
      const t = thresholdOf(u.userKey);
      const isOver = Math.abs(drift) > t.warning + 1e-9;
      const isBlocking = t.blocking !== null && Math.abs(drift) > t.blocking + 1e-9;
      const mark = isBlocking ? " ✖ over blocking threshold" : isOver ? " ▲ over threshold" : "";
      return (
        `<g class="drift-row${isOver ? " over" : ""}"><text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(u.label)}</text>` +
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 8}" class="drift-bar${isOver ? " over" : ""}"/>` +
        `<text x="${labelW + barW + 6}" y="${y + 14}">${escapeHtml(formatSignedHours(drift))} h${mark}</text></g>`
      );
    })
    .join("");
  const tx = (h: number) => (mid + scale(h)).toFixed(1);
  const marks = [defaultT, -defaultT]
    .map((h) => `<line class="threshold" x1="${tx(h)}" x2="${tx(h)}" y1="14" y2="${height - 6}"/><text class="threshold-label" x="${tx(h)}" y="11" text-anchor="${h > 0 ? "start" : "end"}">${h > 0 ? "+" : "−"}${defaultT} h</text>`)
    .join("");
  const desc =
    `Cumulative flex drift (Kleer − Milltime period flex) at the end of the range for ${rows.length} users, largest first; ` +
    `${over.length} over the threshold: ${over.map((u) => `${u.label} ${formatSignedHours(u.finalDrift)} h`).join(", ") || "none"}.`;
  return (
    `<svg class="overview-chart drift-chart" id="overview-drift-chart" role="img" aria-labelledby="overview-drift-title overview-drift-desc" viewBox="0 0 ${labelW + barW + 260} ${height}" width="${labelW + barW + 260}" height="${height}">` +
    `<title id="overview-drift-title">Cumulative flex drift per user, sorted by magnitude</title><desc id="overview-drift-desc">${escapeHtml(desc)}</desc>` +
    `<line class="axis" x1="${mid}" x2="${mid}" y1="14" y2="${height - 6}"/>${marks}${bars}</svg>`
  );
}

/** The run's top three causes in words (report-top-causes.ts), each linking to its root cause. */
function renderTopCauses(model: HtmlReportModel): string {
  if (model.topCauses.length === 0) return `<p>No unsuppressed blocking or warning finding: nothing to explain.</p>`;
  const items = model.topCauses
    .map((c) => {
      const more = c.causeIndex !== null && c.causeIndex <= MAX_RENDERED_CAUSES ? ` <a href="#cause-${c.causeIndex}">The findings behind it</a>` : "";
      return `<li data-cause="${escapeHtml(c.key)}"><strong>${escapeHtml(c.severity)}</strong> ${escapeHtml(c.text)}${more}</li>`;
    })
    .join("");
  return `<ol class="top-causes">${items}</ol>`;
}

function renderSince(since: SinceCounts | null): string {
  if (since === null) return "";
  const c = since.counts;
  return (
    `<p class="since" id="since-previous-run">Since the previous run (<code>${escapeHtml(since.baseRunId)}</code>): ` +
    `<strong>${formatCount(c.new.total)} new</strong> (${formatCount(c.new.blocking)} blocking), ${formatCount(c.resolved.total)} resolved, ` +
    `${formatCount(c.persisting.total)} persisting${c.unverified.total > 0 ? `, ${formatCount(c.unverified.total)} not re-checked` : ""}. ` +
    `Details: <code>toki-parity report diff FILE</code>.</p>`
  );
}

/** The company-wide view at the top of the page. */
export function renderOverviewSection(model: HtmlReportModel, ctx: SectionContext, since: SinceCounts | null): string {
  const thresholdOf = thresholdsOf(model);
  return (
    `<section id="overview" aria-labelledby="overview-h"><h2 id="overview-h">Company overview</h2>${renderSince(since)}` +
    `<h3>Top causes</h3>${renderTopCauses(model)}` +
    `<h3>Flex drift at the end of the range</h3><figure class="chart-figure">${renderDriftChart(model.users, thresholdOf)}` +
    `<figcaption>Threshold ±${thresholdOf(-1).warning} h (rules file <code>flex_drift</code>); users over it are marked ▲ (✖ over a blocking threshold).</figcaption></figure>` +
    `<h3>Flex and worked-hours delta per period</h3>${renderHeatmap(model.users, ctx)}</section>`
  );
}

/**
 * Triage without leaving the page: the script adds an "accept" box to every finding a rules file
 * can suppress; the selection and a reason become a rules file `compare --rules` accepts.
 */
export function renderTriageSection(): string {
  return (
    `<section id="triage" aria-labelledby="triage-h" hidden><h2 id="triage-h">Triage</h2>` +
    `<p>Tick <em>accept</em> on the findings below that the team accepts, write why, and copy or download the rules file. ` +
    `Each entry matches its finding's kind, user, ids and day only. Merge the entries into your rules file's <code>suppressions</code> ` +
    `(or pass this file as is) and run <code>toki-parity compare --rules FILE</code> again; source errors cannot be accepted.</p>` +
    `<p><label for="triage-reason">Reason (recorded with every entry)</label><br><textarea id="triage-reason" rows="2"></textarea></p>` +
    `<p><span id="triage-count" role="status">0 findings selected</span> ` +
    `<button type="button" id="triage-copy">Copy JSON</button> <button type="button" id="triage-download">Download JSON</button></p>` +
    `<p><label for="triage-json">Rules file</label><br><textarea id="triage-json" rows="8" readonly></textarea></p></section>`
  );
}
