import { escapeHtml, formatSignedHours } from "./html-format.js";
import { periodAnchors } from "./html-period-anchor.js";
import type { PeriodPoint, UserReport } from "./html-report-model.js";
import type { SectionContext } from "./html-sections.js";

const cellValue = (v: number | null) => (v === null ? "·" : formatSignedHours(v));
const level = (v: number | null) => (v === null ? "na" : Math.abs(v) < 0.02 ? "0" : Math.abs(v) < 1 ? "1" : Math.abs(v) < 8 ? "2" : "3");
const periodKey = (p: PeriodPoint) => `${p.periodStart}/${p.periodEnd}`;

/**
 * Users per heatmap body: the first body is plain, the others are parts the page may pack (and
 * unpacks as they scroll near): 200 users × 2 years of weeks are 20,800 linked cells, the page's
 * largest part to lay out.
 */
export const HEATMAP_USERS_PER_BODY = 25;

/**
 * Users × periods: flex delta and worked delta as text (no colour needed). Each cell links to the
 * user's row for that period in the user's detail section (`user-3-p2026-03-02`); the page's
 * script opens the collapsed section the target sits in. The columns are every period any user
 * has, so a user read for fewer periods gets empty cells rather than shifted ones.
 */
export function renderHeatmap(users: readonly UserReport[], ctx: SectionContext): string {
  const withPeriods = users.filter((u) => u.periods.length > 0);
  if (withPeriods.length === 0) return "";
  const columns = new Map<string, PeriodPoint>();
  for (const u of withPeriods) for (const p of u.periods) if (!columns.has(periodKey(p))) columns.set(periodKey(p), p);
  const ordered = [...columns.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const head = ordered.map(([, p]) => `<th scope="col" title="${escapeHtml(p.longLabel)}">${escapeHtml(p.label)}</th>`).join("");
  const body = withPeriods
    .map((u) => {
      // The period rows live in the user's detail section: no section, no link.
      const anchors = ctx.userHref(u.userKey) === null ? null : periodAnchors(u.anchor, u.periods);
      const own = new Map(u.periods.map((p, i) => [periodKey(p), { p, anchor: anchors?.[i] ?? null }]));
      const cells = ordered
        .map(([key]) => {
          const hit = own.get(key);
          if (!hit) return `<td class="hna">–</td>`;
          const { p, anchor } = hit;
          const flex = p.flexDelta;
          const worked = p.legacy.worked === null || p.kleer.worked === null ? null : p.kleer.worked - p.legacy.worked;
          // No per-cell title and the shortest markup: the row and column headers name user and
          // period, and 200 users × 2 years of weekly cells must keep the page small.
          const text = `${cellValue(flex)} <i>w ${cellValue(worked)}</i>`;
          return `<td class="h${level(flex)}">${anchor ? `<a href="#${escapeHtml(anchor)}">${text}</a>` : text}</td>`;
        })
        .join("");
      return `<tr><th scope="row">${escapeHtml(u.label)}</th>${cells}</tr>`;
    });
  const bodies: string[] = [];
  for (let start = 0; start < body.length; start += HEATMAP_USERS_PER_BODY) {
    const rows = body.slice(start, start + HEATMAP_USERS_PER_BODY).join("");
    bodies.push(start === 0 || !ctx.limits.wrapBody ? `<tbody>${rows}</tbody>` : ctx.limits.wrapBody(`<tbody>`, rows, ordered.length + 1));
  }
  return (
    `<div class="table-wrap"><table class="heatmap" id="overview-heatmap"><caption>Flex delta per user and period (Kleer − Milltime, hours; second line: worked-hours delta; · = not read on both sides; – = no such period for the user). ` +
    `Shading repeats the magnitude: none &lt; 0.02 h, light &lt; 1 h, medium &lt; 8 h, dark ≥ 8 h. Each cell opens the user's row for that period.</caption>` +
    `<thead><tr><th scope="col">User</th>${head}</tr></thead>${bodies.join("")}</table></div>`
  );
}
