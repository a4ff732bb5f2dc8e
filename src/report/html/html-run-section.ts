import { escapeHtml, formatCount, renderValue } from "./html-format.js";
import type { HtmlReportModel } from "./html-report-model.js";
import { renderTable, type TableLimits } from "./html-table.js";

/** Run metadata: ids, dates, status, tool version, options (secrets masked) and request totals. */
export function renderRunSection(model: HtmlReportModel, limits: TableLimits, generatedAt: string | null): string {
  const run = model.run;
  const facts: Array<[string, string]> = [
    ["Run id", escapeHtml(run.runId)],
    ["Command", escapeHtml(run.command)],
    ["Status", escapeHtml(run.status)],
    ["Range", run.fromDate || run.toDate ? `${renderValue(run.fromDate)} – ${renderValue(run.toDate)}` : renderValue(null)],
    ["Started", escapeHtml(run.startedAt)],
    ["Finished", renderValue(run.finishedAt)],
    ["Period", renderValue(run.period)],
    ["Tool version", renderValue(run.toolVersion)],
  ];
  if (run.errorMessage !== null) facts.push(["Error", escapeHtml(run.errorMessage)]);
  if (generatedAt !== null) facts.push(["Page generated", escapeHtml(generatedAt)]);
  const requests = renderTable(
    {
      id: "requests-table",
      caption: "Provider requests made by the run",
      columns: [
        { label: "System" },
        { label: "Requests", numeric: true },
        { label: "Failed (no 2xx)", numeric: true },
        { label: "Attempts", numeric: true },
        { label: "Total time (s)", numeric: true },
      ],
      items: model.requestSummary,
      rowHeader: true,
      renderRow: (r) => [
        escapeHtml(r.system),
        formatCount(r.requests),
        formatCount(r.failed),
        formatCount(r.attempts),
        (r.totalDurationMs / 1000).toFixed(1),
      ],
      emptyText: "The run recorded no provider requests.",
    },
    limits,
  );
  const options = model.optionsText === null
    ? ""
    : `<details class="options"><summary>Run options</summary><pre>${escapeHtml(model.optionsText)}</pre></details>`;
  const others = model.otherRuns.length === 0
    ? ""
    : `<p>Other runs in this report file: ${model.otherRuns
        .slice(0, 20)
        .map((r) => `<code>${escapeHtml(r.runId)}</code> (${escapeHtml(r.command)}, ${escapeHtml(r.status)}, ${escapeHtml(r.startedAt)})`)
        .join("; ")}${model.otherRuns.length > 20 ? `; and ${formatCount(model.otherRuns.length - 20)} more` : ""}. Pick one with <code>--run ID</code>.</p>`;
  return (
    `<section id="run" aria-labelledby="run-h"><h2 id="run-h">Run metadata</h2>` +
    `<dl class="meta">${facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${v}</dd></div>`).join("")}</dl>` +
    `${requests}${options}${others}</section>`
  );
}
