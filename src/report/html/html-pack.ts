import { gzipSync } from "node:zlib";
import { escapeHtml } from "./html-format.js";

/**
 * Detail HTML (charts and findings of every user) above which the page packs it: 200 users × 2
 * years of weeks render about 55 MB of it, which no reviewer can open; packed, the page stays
 * under 10 MB. Below the budget every section is plain HTML and the page needs no script.
 */
export const DEFAULT_MAX_INLINE_DETAIL_BYTES = 4_000_000;

/** The page's packed form of some HTML: gzip, then base64 (the page's script reverses both). */
function packData(html: string): string {
  return gzipSync(Buffer.from(html, "utf8"), { level: 9 }).toString("base64");
}

/**
 * A part of the page (a user's charts or findings, a cause's rows) as a gzip stream in base64 (attribute-safe, so no script element
 * and nothing the Content-Security-Policy has to allow). The page's script unpacks it with the
 * browser's DecompressionStream when the user's section opens; until then the box says what it
 * holds and where else to read it.
 */
export function packDetail(html: string, what: string, fullListHint: string): string {
  const data = packData(html);
  return (
    `<div class="packed" data-pack="${data}"><p class="table-note" role="note">Packed ${escapeHtml(what)}: the page's script unpacks this part ` +
    `when the section opens. ${escapeHtml(fullListHint)}</p></div>`
  );
}

/**
 * A table body's rows packed like {@link packDetail}: the body keeps its tag (a hidden page of a
 * paged table stays one) and holds one row saying what it holds until the page's script unpacks
 * it (a pager, a sort or a filter of its table, or, for the heatmap, scrolling near it).
 */
export function packBody(openTag: string, rows: string, columns: number, fullListHint: string): string {
  const data = packData(rows);
  return (
    `${openTag.replace(/>$/, ` data-pack="${data}">`)}<tr><td colspan="${Math.max(1, columns)}" class="table-note">Packed rows: the page's script ` +
    `unpacks them when they are shown, sorted or filtered. ${escapeHtml(fullListHint)}</td></tr></tbody>`
  );
}

/**
 * Collects the packable parts of a page while it renders (each becomes a marker comment: data
 * text is escaped, so no finding can forge one), then fills them in plain or packed once the
 * total size is known. A part is a block (`wrap`) or a table body (`wrapBody`).
 */
export function createPartCollector(): {
  wrap: (html: string, what: string) => string;
  wrapBody: (openTag: string, rows: string, columns: number) => string;
  totalChars: () => number;
  fill: (page: string, options: { pack: boolean; redact: (text: string) => string; fullListHint: string }) => string;
} {
  const parts: Array<{ html: string; what: string }> = [];
  const bodies: Array<{ openTag: string; rows: string; columns: number }> = [];
  return {
    wrap: (html, what) => `<!--toki-part-${parts.push({ html, what }) - 1}-->`,
    wrapBody: (openTag, rows, columns) => `<!--toki-body-${bodies.push({ openTag, rows, columns }) - 1}-->`,
    totalChars: () => parts.reduce((n, p) => n + p.html.length, 0) + bodies.reduce((n, b) => n + b.rows.length, 0),
    fill: (page, { pack, redact, fullListHint }) =>
      page.replace(/<!--toki-(part|body)-(\d+)-->/g, (_, type: string, i: string) => {
        if (type === "body") {
          const { openTag, rows, columns } = bodies[Number(i)]!;
          return pack ? packBody(openTag, redact(rows), columns, fullListHint) : `${openTag}${rows}</tbody>`;
        }
        const { html, what } = parts[Number(i)]!;
        return pack ? packDetail(redact(html), what, fullListHint) : html;
      }),
  };
}
