import { formatHours } from "../parity/finding.js";
import type { RunReport } from "./report-data.js";
import { describeBlocking, evaluateGate } from "./report-gate.js";
import { groupConsequences } from "./report-consequences.js";
import { groupRootCauses, type RootCause } from "./report-root-causes.js";
import { selectTopCauses } from "./report-top-causes.js";
import { describeNotCompared, describeUnreadUsers, verdictScopeOf } from "./report-verdict.js";
import { personLabel, personLabels } from "./report-people.js";
import type { FindingRecord, RunUserRecord } from "./report-records.js";

/** Rows shown before "… and N more" (CI summaries and PR comments have size limits). */
export const MD_TOP_FINDINGS = 20;
export const MD_MAX_USERS = 50;
export const MD_MAX_FLEX_ROWS = 100;
const MAX_MESSAGE = 240;

/** Makes text safe in a Markdown table cell. */
export function mdCell(text: string | number | null | undefined): string {
  if (text === null || text === undefined || text === "") return "–";
  const flat = String(text).replace(/[\r\n]+/g, " ").replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

const table = (header: string[], rows: Array<Array<string | number>>, numeric: boolean[] = []): string[] => [
  `| ${header.join(" | ")} |`,
  `|${header.map((_, i) => (numeric[i] ? " ---: " : " --- ")).join("|")}|`,
  ...rows.map((r) => `| ${r.map((c) => (typeof c === "number" ? String(c) : c)).join(" | ")} |`),
];

const percent = (rate: number | null) => (rate === null ? "n/a" : `${(Math.floor(rate * 10000) / 100).toFixed(2)} %`);

function verdictLine(report: RunReport): string {
  const gate = evaluateGate(report);
  const { totals, run } = report;
  const scope = verdictScopeOf(report.users, report.findings);
  const coverage = ` · match rate ${percent(totals.matchRate)} · ${describeNotCompared(scope)}`;
  if (run.status === "failed") return `**Verdict: 💥 run failed**${run.errorMessage ? `: ${mdCell(run.errorMessage)}` : ""}`;
  if (run.status === "running") return "**Verdict: ⏳ incomplete**: the run is still running or was killed";
  if (!gate.passed) {
    const unread = scope.unread.length > 0 ? `not (fully) read, so never ready: ${mdCell(describeUnreadUsers(scope.unread))}; ` : "";
    return `**Verdict: ❌ not ready**: ${unread}${describeBlocking(totals)}${coverage}`;
  }
  if (totals.warning > 0) return `**Verdict: ⚠️ ready with warnings**: ${totals.warning} warning${totals.warning === 1 ? "" : "s"}${coverage}`;
  return `**Verdict: ✅ ready**: no blocking findings or warnings${coverage}`;
}

function userLabel(u: RunUserRecord): string {
  const person = personLabel(u, u.userKey);
  return u.kleerUserId ? `${person} (Kleer ${u.kleerUserId})` : person;
}

function findingRow(f: FindingRecord, consequences: readonly FindingRecord[], labelOf: (userKey: number) => string): Array<string | number> {
  const beside = consequences.map((c) => `${c.kind} (#${c.id})`).join(", ");
  return [f.severity, `\`${f.kind}\``, mdCell(f.userKey === null ? null : labelOf(f.userKey)), mdCell(f.date), mdCell(f.legacyId), mdCell(f.kleerId), mdCell(`#${f.id} ${f.message}`), mdCell(beside)];
}

function causeHours(c: RootCause): string {
  if (c.hours === null) return "–";
  const h = Number(c.hours.toFixed(2));
  return c.hoursMeaning === "legacy_entries" ? `${h} h of entries` : `${h > 0 ? "+" : ""}${h} h (Kleer − Milltime)`;
}

/** "Root causes": one row per cause behind two or more findings, with count, span and hours. */
function rootCausesSection(report: RunReport, labelOf: (userKey: number) => string): string[] {
  const groups = groupRootCauses(report.findings, { period: report.run.period, ...(report.entryHours ? { entryHours: report.entryHours } : {}) });
  const top = selectTopCauses(groups, { labelOf, fromDate: report.run.fromDate, toDate: report.run.toDate, period: report.run.period });
  const topLines = top.length === 0 ? [] : ["### Top causes", "", ...top.map((c, i) => `${i + 1}. **${c.severity}** ${c.text}`), ""];
  const { causes } = groups;
  if (causes.length === 0) return topLines;
  const users = (c: RootCause) => (c.userKeys.length === 1 ? labelOf(c.userKeys[0]!) : `${c.userKeys.length} users`);
  const span = (c: RootCause) => (c.firstDate === null ? null : c.firstDate === c.lastDate ? c.firstDate : `${c.firstDate} – ${c.lastDate}`);
  const counts = (c: RootCause) => `${c.count} (${(["blocking", "warning", "info"] as const).filter((s) => c.counts[s] > 0).map((s) => `${c.counts[s]} ${s}`).join(", ")})`;
  const out = [...topLines, "### Root causes", "", "One cause behind several findings, listed once (the findings stay in every count and in the gate).", ""];
  out.push(
    ...table(
      ["Severity", "Cause", "Kind", "User", "Findings", "Span", "Hours"],
      causes.slice(0, MD_TOP_FINDINGS).map((c) => [c.severity, mdCell(c.title), `\`${c.kind}\``, mdCell(users(c)), counts(c), mdCell(span(c)), causeHours(c)]),
    ),
  );
  if (causes.length > MD_TOP_FINDINGS) out.push("", `… and ${causes.length - MD_TOP_FINDINGS} more causes (see the JSON export's \`rootCauses\`).`);
  out.push("");
  return out;
}

/** The Markdown export: a summary fit for a CI step summary or a PR comment. */
export function formatMarkdownReport(report: RunReport): string {
  const { run, totals } = report;
  const labelOf = personLabels(report.users);
  const out: string[] = [];
  out.push(`## toki-parity ${run.command}: run \`${run.runId}\``, "");
  out.push(verdictLine(report), "");
  out.push(
    `Range ${run.fromDate ?? "?"} – ${run.toDate ?? "?"}${run.period ? ` by ${run.period}` : ""} · status ${run.status} · ` +
      `${totals.users} users (${totals.usersCompared} compared, ${totals.usersUnmapped} unmapped, ${totals.usersWithSourceErrors} with source errors) · tool ${run.toolVersion}`,
    "",
    `Match rate **${percent(totals.matchRate)}**: ${totals.matches} of ${totals.compared} legacy entries match ` +
      `(${totals.legacyEntries} legacy entries = ${totals.matches} match + ${totals.mismatches} mismatch + ${totals.missing} missing in Kleer + ${totals.unmapped} unmapped + ${totals.skipped} not read; ` +
      `Kleer-only: ${totals.extra} extra in Kleer, ${totals.kleerSkipped} skipped by Toki's listing).`,
    "",
  );

  out.push("### Findings by kind", "");
  if (report.kinds.length === 0) out.push("No findings.", "");
  else {
    const consequences = (c: { blocking: number; warning: number; info: number }) => c.blocking + c.warning + c.info;
    const rows = report.kinds.map((k) => [`\`${k.kind}\``, k.blocking, k.warning, k.info, k.suppressed, consequences(k.consequences)]);
    rows.push(["**Total**", totals.blocking, totals.warning, totals.info, totals.suppressed, consequences(totals.consequences)]);
    out.push(...table(["Kind", "Blocking", "Warning", "Info", "Suppressed", "Consequences"], rows, [false, true, true, true, true, true]), "");
    if (consequences(totals.consequences) > 0) {
      out.push("Consequences follow from another finding of the same user and period (e.g. covered and flex after a worked-hours difference); they are counted above and listed beside their root below.", "");
    }
  }

  out.push(...rootCausesSection(report, labelOf));

  const rank = { blocking: 0, warning: 1, info: 2 } as const;
  const groups = groupConsequences(report.findings);
  const top = groups.roots.filter((f) => !f.suppressed && f.severity !== "info").sort((a, b) => rank[a.severity] - rank[b.severity] || a.id - b.id);
  if (top.length > 0) {
    out.push("### Top findings", "");
    out.push(...table(["Severity", "Kind", "User", "Date", "Milltime id", "Kleer id", "Message", "Consequences"], top.slice(0, MD_TOP_FINDINGS).map((f) => findingRow(f, groups.consequencesOf.get(f.id) ?? [], labelOf))));
    if (top.length > MD_TOP_FINDINGS) out.push("", `… and ${top.length - MD_TOP_FINDINGS} more blocking findings and warnings (see the JSON export).`);
    out.push("");
  }

  if (report.users.length > 0) {
    const users = [...report.users].sort((a, b) => b.blocking - a.blocking || b.warnings - a.warnings || a.userKey - b.userKey);
    out.push("### Users", "");
    out.push(
      ...table(
        ["User", "Status", "Legacy entries", "Match", "Mismatch", "Missing", "Extra", "Blocking", "Warnings"],
        users.slice(0, MD_MAX_USERS).map((u) => [mdCell(userLabel(u)), u.status, u.legacyEntries, u.matches, u.mismatches, u.missing, u.extra, u.blocking, u.warnings]),
        [false, false, true, true, true, true, true, true, true],
      ),
    );
    if (users.length > MD_MAX_USERS) out.push("", `… and ${users.length - MD_MAX_USERS} more users.`);
    out.push("");
  }

  const balances = report.users.filter((u) => u.flexBalance !== null);
  if (balances.length > 0) {
    out.push("### Flex balances to carry over", "", "Milltime's running flex balance at the end of the range has no Kleer equivalent; Kleer-era Toki needs it as an opening balance.", "");
    out.push(...table(["User", "Milltime flex balance"], balances.slice(0, MD_MAX_FLEX_ROWS).map((u) => [mdCell(userLabel(u)), formatHours(u.flexBalance ?? 0)]), [false, true]));
    if (balances.length > MD_MAX_FLEX_ROWS) out.push("", `… and ${balances.length - MD_MAX_FLEX_ROWS} more users (see the JSON export).`);
    out.push("");
  }

  if (report.suppressions.length > 0) {
    out.push("### Suppressions", "");
    const scope = (s: RunReport["suppressions"][number]) =>
      [s.userKey !== null ? `user ${s.userKey}` : "", s.fromDate || s.toDate ? `${s.fromDate ?? "…"} – ${s.toDate ?? "…"}` : "", s.legacyId ? `Milltime ${s.legacyId}` : "", s.kleerId ? `Kleer ${s.kleerId}` : ""]
        .filter(Boolean)
        .join(", ") || "everywhere";
    out.push(...table(["Kind", "Scope", "Reason", "Matched"], report.suppressions.map((s) => [`\`${s.kind}\``, mdCell(scope(s)), mdCell(s.reason), s.matchedFindings]), [false, false, false, true]), "");
  }

  if (report.requests.length > 0) {
    out.push("### Requests", "");
    out.push(
      ...table(
        ["System", "Requests", "Failed", "Mean ms"],
        report.requests.map((r) => [r.system, r.requests, r.failed, r.requests === 0 ? 0 : Math.round(r.totalDurationMs / r.requests)]),
        [false, true, true, true],
      ),
      "",
    );
  }
  return out.join("\n");
}
