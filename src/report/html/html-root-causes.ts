import type { RootCause } from "../report-root-causes.js";
import { renderFindingsTable } from "./html-findings.js";
import { describeKind, escapeHtml, formatCount, formatHours, formatSignedHours, renderKind, renderSeverity } from "./html-format.js";
import type { HtmlReportModel } from "./html-report-model.js";
import type { SectionContext } from "./html-sections.js";
import type { TableLimits } from "./html-table.js";

/** Causes rendered at most (the largest first); the rest are in the users' details. */
export const MAX_RENDERED_CAUSES = 200;

/** A cause's rows are a second view of findings the users' details list too: kept short. */
const CAUSE_TABLE_LIMITS: TableLimits = { rowsPerPage: 25, maxRowsPerTable: 250 };

/**
 * Findings (rows and nested consequences) rendered in this section at most, so a large run's
 * page does not carry its findings twice; later causes show their summary and where the rows are.
 */
export const MAX_CAUSE_ROWS = 2000;

function hoursText(cause: RootCause): string {
  if (cause.hours === null) return "";
  return cause.hoursMeaning === "legacy_entries" ? `${formatHours(cause.hours)} h of Milltime entries` : `Kleer − Milltime ${formatSignedHours(cause.hours)} h`;
}

function spanText(cause: RootCause): string {
  if (cause.firstDate === null) return "";
  return cause.firstDate === cause.lastDate ? cause.firstDate : `${cause.firstDate} – ${cause.lastDate}`;
}

function countsText(cause: RootCause): string {
  const parts = (["blocking", "warning", "info"] as const).filter((s) => cause.counts[s] > 0).map((s) => `${formatCount(cause.counts[s])} ${s}`);
  return `${formatCount(cause.count)} findings (${parts.join(", ")})`;
}

function usersText(cause: RootCause, ctx: SectionContext): string {
  if (cause.userKeys.length === 0) return "no user";
  if (cause.userKeys.length === 1) return escapeHtml(ctx.userLabel(cause.userKeys[0]!));
  const names = cause.userKeys.slice(0, 3).map((k) => escapeHtml(ctx.userLabel(k)));
  const more = cause.userKeys.length - names.length;
  return `${formatCount(cause.userKeys.length)} users: ${names.join("; ")}${more > 0 ? ` and ${formatCount(more)} more` : ""}`;
}

/** Findings a cause's table renders: its first rows (capped) with their consequences. */
function renderedCost(cause: RootCause): number {
  return [...cause.items, ...cause.explained].slice(0, CAUSE_TABLE_LIMITS.maxRowsPerTable).reduce((n, i) => n + 1 + i.consequences.length, 0);
}

function renderCause(cause: RootCause, index: number, ctx: SectionContext, rowBudget: number): string {
  const id = `cause-${index + 1}`;
  const facts = [usersText(cause, ctx), escapeHtml(countsText(cause)), escapeHtml(spanText(cause)), escapeHtml(hoursText(cause))].filter((t) => t !== "");
  const consequencesOf = new Map([...cause.items, ...cause.explained].map((i) => [i.finding.id, i.consequences]));
  const single = cause.userKeys.length === 1 ? ctx.userHref(cause.userKeys[0]!) : null;
  const elsewhere =
    `<p class="table-note" role="note">This section shows the rows of causes up to ${formatCount(MAX_CAUSE_ROWS)} findings in all (the largest causes first); ` +
    `this cause's findings are listed in ${single ? `<a href="#${escapeHtml(single)}">the user's details</a>` : "the users' details"}. ${escapeHtml(ctx.fullListHint)}</p>`;
  const rows = rowBudget < renderedCost(cause) ? elsewhere : renderFindingsTable({
    id: `${id}-findings`,
    caption: `The findings behind this cause: ${formatCount(cause.items.length)} ${cause.items.length === 1 ? "root" : "roots"}` +
      `${cause.explained.length > 0 ? ` and ${formatCount(cause.explained.length)} finding${cause.explained.length === 1 ? "" : "s"} it explains` : ""}, consequences under each`,
    findings: [...cause.items, ...cause.explained].map((i) => i.finding),
    consequencesOf,
    showUser: cause.userKeys.length > 1,
    limits: CAUSE_TABLE_LIMITS,
    fullListHint: `Every finding is listed in the users' details. ${ctx.fullListHint}`,
    emptyText: "",
  });
  const explained = cause.explained.length > 0
    ? `<p>It also explains ${cause.explained.map((i) => renderKind(i.finding.kind)).join(", ")}, listed with it below.</p>`
    : "";
  return (
    `<li><details class="cause" id="${id}" data-cause="${escapeHtml(cause.key)}" data-count="${cause.count}">` +
    `<summary>${renderSeverity(cause.severity)} <strong class="cause-title">${escapeHtml(cause.title)}</strong><br>` +
    `<span class="cause-facts">${renderKind(cause.kind)} · ${facts.join(" · ")}</span></summary>` +
    `<div class="cause-body"><p>${escapeHtml(describeKind(cause.kind))}</p>${explained}${ctx.wrapDetail ? ctx.wrapDetail(rows, "rows behind the cause") : rows}</div></details></li>`
  );
}

/**
 * One item per cause behind several findings, largest first, its rows on demand. A reading aid:
 * the verdict, the tables and the gate still count every finding.
 */
export function renderRootCausesSection(model: HtmlReportModel, ctx: SectionContext): string {
  const causes = model.rootCauses;
  const grouped = causes.reduce((n, c) => n + c.count, 0);
  const total = model.users.reduce((n, u) => n + u.findings.length, 0) + model.runFindings.length;
  const intro = causes.length === 0
    ? `<p class="empty">No cause explains more than one finding: each finding below is a problem of its own.</p>`
    : `<p>${formatCount(causes.length)} cause${causes.length === 1 ? "" : "s"} explain${causes.length === 1 ? "s" : ""} ${formatCount(grouped)} of the run's ${formatCount(total)} findings. ` +
      `Open a cause for the rows behind it. Grouping only changes how they are shown: every finding still counts for the verdict and the gate.</p>`;
  const shown = causes.slice(0, MAX_RENDERED_CAUSES);
  const note = causes.length > shown.length
    ? `<p class="table-note" role="note">Showing the ${formatCount(shown.length)} largest of ${formatCount(causes.length)} causes; the users' details list every finding.</p>`
    : "";
  let budget = MAX_CAUSE_ROWS;
  const items = shown.map((c, i) => {
    const html = renderCause(c, i, ctx, budget);
    if (budget >= renderedCost(c)) budget -= renderedCost(c);
    return html;
  });
  const list = items.length > 0 ? `<ol class="root-causes">${items.join("")}</ol>` : "";
  return `<section id="root-causes" aria-labelledby="root-causes-h"><h2 id="root-causes-h">Root causes</h2>${intro}${list}${note}</section>`;
}
