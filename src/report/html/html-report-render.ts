import { createHash } from "node:crypto";
import { renderOverviewSection, renderTriageSection, type SinceCounts } from "./html-overview.js";
import { REPORT_CSS, REPORT_SCRIPT } from "./html-assets.js";
import { escapeHtml, formatCount } from "./html-format.js";
import type { HtmlReportModel, UserReport } from "./html-report-model.js";
import {
  renderEditabilitySection,
  renderOpeningBalancesSection,
  renderRunFindingsSection,
  renderSuppressionsSection,
  renderUsersSection,
  renderVerdictSection,
  type SectionContext,
} from "./html-sections.js";
import { renderRunSection } from "./html-run-section.js";
import { renderRootCausesSection } from "./html-root-causes.js";
import { DEFAULT_TABLE_LIMITS, type TableLimits } from "./html-table.js";
import { renderUserSection } from "./html-user-section.js";
import { createPartCollector, DEFAULT_MAX_INLINE_DETAIL_BYTES } from "./html-pack.js";

export interface HtmlRenderOptions {
  /** Rows visible per table before "Show more". @default 100 */
  rowsPerPage?: number;
  /** Rows rendered at most per table. @default 2000 */
  maxRowsPerTable?: number;
  /** Users that get a detail section (charts + findings), those with blocking findings first. @default 500 */
  maxUserDetails?: number;
  /** Shown in the run metadata; omitted when null. The caller passes its clock's time. @default null */
  generatedAt?: string | null;
  /** How a reader gets the rows a capped table leaves out (the CLI names the report file). */
  fullListHint?: string;
  /** "Since the previous run" counts for the overview; omitted when null. @default null */
  since?: SinceCounts | null;
  /**
   * Charts and findings of the user sections, in characters, above which they are packed
   * (unpacked by the page's script when a section opens). @default DEFAULT_MAX_INLINE_DETAIL_BYTES
   */
  maxInlineDetailBytes?: number;
  /**
   * Applied to each packed part before it is packed: the finished page's redaction cannot see
   * into a packed part. @default identity (the page is redacted by its writer)
   */
  redact?: (text: string) => string;
}

export const DEFAULT_MAX_USER_DETAILS = 500;

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}

/** Users that get a detail section: the most severe first, then by key, up to the limit. */
export function selectDetailedUsers(users: readonly UserReport[], limit: number): Set<number> {
  const ranked = users
    .map((u, index) => ({ u, index }))
    .sort((a, b) => b.u.findingCounts.blocking - a.u.findingCounts.blocking || b.u.findingCounts.warning - a.u.findingCounts.warning || a.index - b.index);
  return new Set(ranked.slice(0, Math.max(0, limit)).map((r) => r.u.userKey));
}

function renderUserDetails(model: HtmlReportModel, detailed: Set<number>, limits: TableLimits, fullListHint: string, wrapDetail: (html: string, what: string) => string): string {
  const sections = model.users.filter((u) => detailed.has(u.userKey)).map((u) => renderUserSection(u, { limits, fullListHint, wrapDetail }));
  const left = model.users.length - detailed.size;
  const note = left > 0
    ? `<p class="table-note" role="note">Details are rendered for ${formatCount(detailed.size)} of ${formatCount(model.users.length)} users (those with the most blocking findings and warnings first). ${escapeHtml(fullListHint)}</p>`
    : "";
  const body = sections.length > 0 ? `<div id="user-details-list">${sections.join("")}</div>` : `<p class="empty">The run recorded no users.</p>`;
  return `<section id="user-details" aria-labelledby="user-details-h"><h2 id="user-details-h">Per-user details</h2>${note}${body}</section>`;
}

/**
 * Pure: the whole report page as one string. Every text is escaped; the only CSS and script are
 * inline and pinned by hash in a Content-Security-Policy that forbids any fetch.
 */
export function renderHtmlReport(model: HtmlReportModel, options: HtmlRenderOptions = {}): string {
  const limits: TableLimits = {
    rowsPerPage: options.rowsPerPage ?? DEFAULT_TABLE_LIMITS.rowsPerPage,
    maxRowsPerTable: options.maxRowsPerTable ?? DEFAULT_TABLE_LIMITS.maxRowsPerTable,
  };
  const fullListHint = options.fullListHint ?? "Every row is in the report file (export it with --format json or md).";
  const detailed = selectDetailedUsers(model.users, options.maxUserDetails ?? DEFAULT_MAX_USER_DETAILS);
  const users = new Map(model.users.map((u) => [u.userKey, u]));
  // Charts, findings and a cause's rows: packed when the page would be too large to open.
  const parts = createPartCollector();
  const ctx: SectionContext = {
    limits: { ...limits, wrapBody: parts.wrapBody },
    fullListHint,
    userHref: (key) => (detailed.has(key) ? (users.get(key)?.anchor ?? null) : null),
    userLabel: (key) => users.get(key)?.label ?? `Toki user ${key}`,
    wrapDetail: parts.wrap,
  };
  const run = model.run;
  const range = run.fromDate && run.toDate ? `${run.fromDate} – ${run.toDate}` : "range not recorded";
  const title = `Toki cutover parity report — ${run.runId}`;
  const csp = `default-src 'none'; style-src 'sha256-${sha256(REPORT_CSS)}'; script-src 'sha256-${sha256(REPORT_SCRIPT)}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const nav = [
    ["overview", "Overview"],
    ["verdict", "Verdict"],
    ["root-causes", "Root causes"],
    ["users", "Users"],
    ["opening-balances-section", "Opening balances"],
    ["editability", "Editability regressions"],
    ["user-details", "Per-user details"],
    ...(model.runFindings.length > 0 ? [["run-findings", "Run-level findings"]] : []),
    ["suppressions", "Suppressions"],
    ["run", "Run metadata"],
  ]
    .map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`)
    .join("");
  const page =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">` +
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body>` +
    `<header><h1>Toki cutover parity report</h1><p class="sub">Milltime → Kleer · run <code>${escapeHtml(run.runId)}</code> · ` +
    `${escapeHtml(run.command)} · ${escapeHtml(range)} · ${escapeHtml(run.status)}</p></header>` +
    `<nav aria-label="Report sections"><ul>${nav}</ul></nav><main>` +
    renderOverviewSection(model, ctx, options.since ?? null) +
    renderVerdictSection(model, ctx) +
    renderRootCausesSection(model, ctx) +
    renderTriageSection() +
    renderUsersSection(model, ctx) +
    renderOpeningBalancesSection(model, ctx) +
    renderEditabilitySection(model, ctx) +
    renderUserDetails(model, detailed, limits, fullListHint, parts.wrap) +
    renderRunFindingsSection(model, ctx) +
    renderSuppressionsSection(model, ctx) +
    renderRunSection(model, limits, options.generatedAt ?? null) +
    `</main><footer>Run recorded by toki-parity${run.toolVersion ? ` ${escapeHtml(run.toolVersion)}` : ""}; ` +
    `this page is self-contained and loads nothing from the network.</footer>` +
    `<script>${REPORT_SCRIPT}</script></body></html>\n`;
  return parts.fill(page, { pack: parts.totalChars() > (options.maxInlineDetailBytes ?? DEFAULT_MAX_INLINE_DETAIL_BYTES), redact: options.redact ?? ((text) => text), fullListHint });
}
