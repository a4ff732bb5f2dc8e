import { escapeHtml, formatCount } from "./html-format.js";

/** How much of a long table the page renders. */
export interface TableLimits {
  /**
   * Rows visible before "Show more" (the rest of the rendered rows sit in further `<tbody>`s that
   * the inline script hides; without the script, every rendered row is visible).
   * @default 100
   */
  rowsPerPage: number;
  /** Rows rendered at most per table; a note says how many more the report file holds. @default 2000 */
  maxRowsPerTable: number;
  /**
   * Wraps a hidden page of rows (`<tbody class="more">`) the page may pack (html-pack.ts): given
   * to the top-level sections' tables only, whose pages are not inside a packed part already.
   * @default none (every page is plain)
   */
  wrapBody?: (openTag: string, rows: string, columns: number) => string;
}

export const DEFAULT_TABLE_LIMITS: TableLimits = { rowsPerPage: 100, maxRowsPerTable: 2000 };

export interface TableColumn {
  label: string;
  numeric?: boolean;
}

export interface TableSpec<T> {
  id: string;
  caption: string;
  columns: readonly TableColumn[];
  items: readonly T[];
  /** Cells as HTML (already escaped). The first cell becomes `<th scope="row">` when `rowHeader`. */
  renderRow: (item: T) => readonly string[];
  rowClass?: (item: T) => string | null;
  /** Extra `data-*` attributes of a row (names without the prefix; values are escaped). */
  rowData?: (item: T) => Record<string, string> | null;
  /** A row's `id` (a link target such as a heatmap cell's); must be unique in the page. */
  rowId?: (item: T) => string | null;
  rowHeader?: boolean;
  /**
   * Leaves out the end tags HTML makes optional (`</td>`, `</th>` before a cell, `</tr>`): for
   * tables of tens of thousands of rows (the period tables of a two-year report). @default false
   */
  compactCells?: boolean;
  /** Extra class on the table (for column widths). */
  className?: string;
  /** Shown instead of an empty table. */
  emptyText: string;
  /** Where the rows beyond the cap can be read (appended to the truncation note). */
  fullListHint?: string;
}

function renderRowHtml<T>(spec: TableSpec<T>, item: T): string {
  const cells = spec.renderRow(item).map((cell, i) => {
    const numeric = spec.columns[i]?.numeric ? ` class="num"` : "";
    const end = spec.compactCells ? "" : i === 0 && spec.rowHeader ? "</th>" : "</td>";
    return i === 0 && spec.rowHeader ? `<th scope="row"${numeric}>${cell}${end}` : `<td${numeric}>${cell}${end}`;
  });
  const cls = spec.rowClass?.(item);
  const data = Object.entries(spec.rowData?.(item) ?? {}).map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`).join("");
  const id = spec.rowId?.(item);
  return `<tr${id ? ` id="${escapeHtml(id)}"` : ""}${cls ? ` class="${escapeHtml(cls)}"` : ""}${data}>${cells.join("")}${spec.compactCells ? "" : "</tr>"}`;
}

/**
 * A semantic table (`<caption>`, `<th scope>`) that renders at most `maxRowsPerTable` rows, in
 * pages of `rowsPerPage` rows (one `<tbody>` each) for the inline "Show more" script.
 */
export function renderTable<T>(spec: TableSpec<T>, limits: TableLimits = DEFAULT_TABLE_LIMITS): string {
  if (spec.items.length === 0) return `<p class="empty" id="${escapeHtml(spec.id)}">${escapeHtml(spec.emptyText)}</p>`;
  const shown = spec.items.slice(0, Math.max(1, limits.maxRowsPerTable));
  const perPage = Math.max(1, limits.rowsPerPage);
  const bodies: string[] = [];
  for (let start = 0; start < shown.length; start += perPage) {
    const rows = shown.slice(start, start + perPage).map((item) => renderRowHtml(spec, item)).join("");
    if (start === 0) bodies.push(`<tbody>${rows}</tbody>`);
    else bodies.push(limits.wrapBody ? limits.wrapBody(`<tbody class="more">`, rows, spec.columns.length) : `<tbody class="more">${rows}</tbody>`);
  }
  const head = spec.columns.map((c) => `<th scope="col"${c.numeric ? ` class="num"` : ""}>${escapeHtml(c.label)}</th>`).join("");
  const paged = bodies.length > 1 ? ` data-paged="${perPage}" data-rows="${shown.length}"` : "";
  const hidden = spec.items.length - shown.length;
  const note =
    hidden > 0
      ? `<p class="table-note" role="note">Showing the first ${formatCount(shown.length)} of ${formatCount(spec.items.length)} rows; ` +
        `${formatCount(hidden)} more are not rendered to keep this page usable.${spec.fullListHint ? ` ${escapeHtml(spec.fullListHint)}` : ""}</p>`
      : "";
  return (
    `<div class="table-wrap"><table class="data${spec.className ? ` ${escapeHtml(spec.className)}` : ""}" id="${escapeHtml(spec.id)}"${paged}>` +
    `<caption>${escapeHtml(spec.caption)}</caption><thead><tr>${head}</tr></thead>${bodies.join("")}</table>${note}</div>`
  );
}
