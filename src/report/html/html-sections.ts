import { renderEditabilityTable, renderFindingsTable } from "./html-findings.js";
import { describeKind, escapeHtml, formatCount, formatPercent, formatSignedHours, renderDate, renderKind, renderSeverityCount, renderValue } from "./html-format.js";
import type { HtmlReportModel, UserReport } from "./html-report-model.js";
import { renderTable, type TableLimits } from "./html-table.js";
import { groupConsequences } from "../report-consequences.js";

export interface SectionContext {
  limits: TableLimits;
  fullListHint: string;
  /** Anchor of a user's rendered detail section, or null when it was not rendered. */
  userHref: (userKey: number) => string | null;
  /** Name, email and Toki id of a user. */
  userLabel: (userKey: number) => string;
  /** Wraps a part the page may pack (a cause's rows); see html-pack.ts. @default identity */
  wrapDetail?: (html: string, what: string) => string;
}

const VERDICT_SYMBOL: Record<HtmlReportModel["verdict"]["level"], string> = {
  ready: "✔",
  ready_with_warnings: "▲",
  not_ready: "✖",
  incomplete: "⚠",
};

function userLink(ctx: SectionContext, userKey: number): string {
  const href = ctx.userHref(userKey);
  const label = escapeHtml(ctx.userLabel(userKey));
  return href ? `<a href="#${escapeHtml(href)}">${label}</a>` : label;
}

export function renderVerdictSection(model: HtmlReportModel, ctx: SectionContext): string {
  const { verdict, totals } = model;
  const facts: Array<[string, string]> = [
    ["Users", formatCount(totals.users)],
    ["Legacy entries compared", formatCount(totals.compared)],
    ["Match rate", `${formatPercent(totals.matches, totals.compared)} (${formatCount(totals.matches)} matching)`],
    ["Blocking findings", formatCount(totals.findings.blocking)],
    ["Warnings", formatCount(totals.findings.warning)],
    ["Info", formatCount(totals.findings.info)],
    ["Suppressed findings", formatCount(totals.suppressed)],
  ];
  const kinds = renderTable(
    {
      id: "kind-counts",
      caption: "Findings by kind and severity (suppressed findings are counted apart and do not affect the verdict)",
      columns: [{ label: "Kind" }, { label: "What it means" }, { label: "Blocking", numeric: true }, { label: "Warning", numeric: true }, { label: "Info", numeric: true }, { label: "Total", numeric: true }, { label: "Suppressed", numeric: true }],
      items: model.kindCounts,
      rowHeader: true,
      renderRow: (k) => [renderKind(k.kind), escapeHtml(describeKind(k.kind)), formatCount(k.blocking), formatCount(k.warning), formatCount(k.info), formatCount(k.total), formatCount(k.suppressed)],
      emptyText: "No findings were recorded for this run.",
    },
    ctx.limits,
  );
  return (
    `<section id="verdict" aria-labelledby="verdict-h"><h2 id="verdict-h">Verdict</h2>` +
    `<div class="verdict verdict-${verdict.level}" role="status"><p class="headline"><span aria-hidden="true">${VERDICT_SYMBOL[verdict.level]}</span> ${escapeHtml(verdict.headline)}</p>` +
    `<p>${escapeHtml(verdict.detail)}</p></div>` +
    `<dl class="totals">${facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join("")}</dl>${kinds}</section>`
  );
}

const USER_STATUS_TEXT: Record<NonNullable<UserReport["status"]>, string> = {
  compared: "compared",
  unmapped: "✖ not mapped to Kleer",
  source_error: "✖ source error",
};

function renderUserStatus(status: UserReport["status"]): string {
  if (status === null) return renderValue(null);
  return status === "compared" ? USER_STATUS_TEXT[status] : `<strong>${escapeHtml(USER_STATUS_TEXT[status])}</strong>`;
}

export function renderUsersSection(model: HtmlReportModel, ctx: SectionContext): string {
  const table = renderTable<UserReport>(
    {
      id: "users-table",
      caption: "Per-user summary: entries compared, matches and active findings (follow a user's name for the details)",
      columns: [
        { label: "User" },
        { label: "Status" },
        { label: "Entries", numeric: true },
        { label: "Matches", numeric: true },
        { label: "Mismatches", numeric: true },
        { label: "Missing in Kleer", numeric: true },
        { label: "Extra in Kleer", numeric: true },
        { label: "Blocking", numeric: true },
        { label: "Warnings", numeric: true },
        { label: "Cumulative flex drift (h)", numeric: true },
      ],
      items: model.users,
      rowHeader: true,
      renderRow: (u) => [
        userLink(ctx, u.userKey),
        renderUserStatus(u.status),
        formatCount(u.outcomes.total),
        formatCount(u.outcomes.match),
        formatCount(u.outcomes.mismatch),
        formatCount(u.outcomes.missing_in_kleer),
        formatCount(u.outcomes.extra_in_kleer),
        renderSeverityCount("blocking", u.findingCounts.blocking),
        renderSeverityCount("warning", u.findingCounts.warning),
        escapeHtml(formatSignedHours(u.finalDrift)),
      ],
      rowClass: (u) => (u.findingCounts.blocking > 0 ? "has-blocking" : null),
      emptyText: "The run recorded no users.",
      fullListHint: ctx.fullListHint,
    },
    ctx.limits,
  );
  return `<section id="users" aria-labelledby="users-h"><h2 id="users-h">Users</h2>${table}</section>`;
}

const OPENING_BALANCE_SOURCE: Partial<Record<UserReport["openingBalance"]["source"], string>> = {
  flex_balance_unavailable: "Milltime FlexTimeCurrent (flex_balance_unavailable finding)",
  run_users: "Milltime FlexTimeCurrent (user summary)",
  time_info: "last Milltime period read",
};

export function renderOpeningBalancesSection(model: HtmlReportModel, ctx: SectionContext): string {
  const table = renderTable<UserReport>(
    {
      id: "opening-balances",
      caption: "Opening flex balance each user needs when Toki switches to Kleer",
      columns: [{ label: "User" }, { label: "Opening balance (h)", numeric: true }, { label: "Milltime balance as of" }, { label: "Source" }],
      items: model.users,
      rowHeader: true,
      renderRow: (u) => [
        userLink(ctx, u.userKey),
        u.openingBalance.hours !== null
          ? `<strong>${escapeHtml(formatSignedHours(u.openingBalance.hours))}</strong>`
          : u.openingBalance.rawValue !== null ? escapeHtml(u.openingBalance.rawValue) : renderValue(null),
        renderDate(u.openingBalance.asOf),
        OPENING_BALANCE_SOURCE[u.openingBalance.source] ?? renderValue(null),
      ],
      emptyText: "The run recorded no users.",
      fullListHint: ctx.fullListHint,
    },
    ctx.limits,
  );
  return (
    `<section id="opening-balances-section" aria-labelledby="balances-h"><h2 id="balances-h">Opening flex balances at cutover</h2>` +
    `<p>Milltime kept a running flex balance; Kleer-era Toki only shows flex for the selected range. ` +
    `Each user's Milltime balance at the end of the compared range is the opening balance to carry over.</p>${table}</section>`
  );
}

export function renderEditabilitySection(model: HtmlReportModel, ctx: SectionContext): string {
  return (
    `<section id="editability" aria-labelledby="editability-h"><h2 id="editability-h">Editability regressions</h2>` +
    `<p>Entries attested (locked) in Milltime whose Kleer counterpart is still open: after the cutover, Toki would let the user change them.</p>` +
    `${renderEditabilityTable(model.editabilityRegressions, ctx.limits, ctx.fullListHint, ctx.userHref, ctx.userLabel)}</section>`
  );
}

export function renderRunFindingsSection(model: HtmlReportModel, ctx: SectionContext): string {
  if (model.runFindings.length === 0) return "";
  const { roots, consequencesOf } = groupConsequences(model.runFindings);
  const table = renderFindingsTable({
    id: "run-findings-table",
    caption: "Findings not tied to a single user",
    findings: roots,
    consequencesOf,
    showUser: false,
    limits: ctx.limits,
    fullListHint: ctx.fullListHint,
    emptyText: "",
  });
  return `<section id="run-findings" aria-labelledby="run-findings-h"><h2 id="run-findings-h">Run-level findings</h2>${table}</section>`;
}

export function renderSuppressionsSection(model: HtmlReportModel, ctx: SectionContext): string {
  const table = renderTable(
    {
      id: "suppressions-table",
      caption: "Suppressions in effect: findings they hid are listed with the user but do not count towards the verdict",
      columns: [{ label: "Kind" }, { label: "User" }, { label: "Scope" }, { label: "Reason" }, { label: "Findings hidden", numeric: true }, { label: "Source" }],
      items: model.suppressions,
      renderRow: (s) => [
        renderKind(s.kind),
        s.userKey === null ? "all users" : userLink(ctx, s.userKey),
        renderValue(s.scope),
        escapeHtml(s.reason),
        formatCount(s.matched),
        s.origin === "rule" ? "rule recorded with the run" : "suppressed findings",
      ],
      emptyText: "No suppressions were in effect: every finding counts.",
      fullListHint: ctx.fullListHint,
    },
    ctx.limits,
  );
  return `<section id="suppressions" aria-labelledby="suppressions-h"><h2 id="suppressions-h">Suppressions</h2>${table}</section>`;
}
