import { escapeHtml } from "./html-format.js";

/** How a series is drawn: each style differs by dash pattern and marker shape, not only colour. */
export type SeriesStyle = "legacy" | "kleer" | "drift";

export interface ChartSeries {
  key: string;
  label: string;
  style: SeriesStyle;
  /** One value per x position; null leaves a gap. */
  values: ReadonlyArray<number | null>;
}

export interface LineChartSpec {
  /** Unique in the page: used for the title/desc ids. */
  id: string;
  title: string;
  /** Summary for screen readers (the data table next to the chart holds every value). */
  description: string;
  /** Short axis labels, one per x position. */
  xLabels: readonly string[];
  /** Spelled-out period names for marker tooltips. */
  xTitles: readonly string[];
  series: readonly ChartSeries[];
  unit: string;
}

const WIDTH = 360;
const HEIGHT = 200;
const PLOT = { left: 46, right: WIDTH - 10, top: 30, bottom: HEIGHT - 24 };
const MAX_X_LABELS = 8;
/**
 * Above this many periods a series is a line without per-point markers and tooltips: at two
 * years of weeks the markers would sit under 3 px apart (one smear, unusable as hover targets)
 * and cost most of the chart's bytes; the period table beside the chart holds every value.
 */
export const MAX_MARKED_POINTS = 60;

const STYLES: Record<SeriesStyle, { stroke: string; dash: string | null }> = {
  legacy: { stroke: "#1d4f91", dash: null },
  kleer: { stroke: "#b4490c", dash: "6 4" },
  drift: { stroke: "#5b2d8e", dash: "2 3" },
};

function fmt(n: number): string {
  return Number(n.toFixed(2)).toString();
}

/** Axis and tooltip numbers with a true minus sign. */
function label(n: number): string {
  return fmt(n).replace("-", "−");
}

/** Tick values on the smallest 1-2-5 step that covers [min, max] in at most `maxIntervals` steps. */
export function niceTicks(min: number, max: number, maxIntervals = 5): number[] {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const raw = (hi - lo) / maxIntervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

function marker(style: SeriesStyle, x: number, y: number, stroke: string, tooltip?: string): string {
  const cx = fmt(x);
  const cy = fmt(y);
  const inner = tooltip === undefined ? "" : `<title>${escapeHtml(tooltip)}</title>`;
  if (style === "legacy") return `<circle cx="${cx}" cy="${cy}" r="2.8" fill="${stroke}">${inner}</circle>`;
  if (style === "kleer") {
    // Hollow and larger than the Milltime dot: where both agree, the dot shows inside the square.
    return `<rect x="${fmt(x - 4.5)}" y="${fmt(y - 4.5)}" width="9" height="9" fill="none" stroke="${stroke}" stroke-width="1.6" pointer-events="all">${inner}</rect>`;
  }
  return `<path d="M${cx} ${fmt(y - 4)}L${fmt(x + 4)} ${cy}L${cx} ${fmt(y + 4)}L${fmt(x - 4)} ${cy}Z" fill="${stroke}">${inner}</path>`;
}

/** Indexes that get an x label: every k-th, always the last, never two crowded together. */
export function labelledIndexes(count: number, maxLabels = MAX_X_LABELS): number[] {
  if (count === 0) return [];
  const every = Math.max(1, Math.ceil(count / maxLabels));
  const out: number[] = [];
  for (let i = 0; i < count; i += every) out.push(i);
  const last = count - 1;
  if (out[out.length - 1] !== last) {
    if (out.length > 1 && last - out[out.length - 1]! < every / 2 + 0.5) out.pop();
    out.push(last);
  }
  return out;
}

function legend(series: readonly ChartSeries[]): string {
  let x = PLOT.left;
  return series
    .map((s) => {
      const { stroke, dash } = STYLES[s.style];
      const item =
        `<g class="legend-item" transform="translate(${fmt(x)} 12)">` +
        `<line x1="0" y1="0" x2="22" y2="0" stroke="${stroke}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>` +
        `${marker(s.style, 11, 0, stroke)}` +
        `<text x="27" y="3.5" font-size="10" fill="#222">${escapeHtml(s.label)}</text></g>`;
      x += 34 + s.label.length * 5.6;
      return item;
    })
    .join("");
}

/** Pure: a self-contained inline SVG line chart (axes, legend, gaps for missing values). */
export function renderLineChart(spec: LineChartSpec): string {
  const n = spec.xLabels.length;
  const all = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const ticks = niceTicks(Math.min(0, ...all), Math.max(0, ...all));
  const yMin = ticks[0]!;
  const yMax = ticks[ticks.length - 1]!;
  const inset = 10;
  const xAt = (i: number): number =>
    n <= 1 ? (PLOT.left + PLOT.right) / 2 : PLOT.left + inset + (i * (PLOT.right - PLOT.left - 2 * inset)) / (n - 1);
  const yAt = (v: number): number => PLOT.bottom - ((v - yMin) / (yMax - yMin)) * (PLOT.bottom - PLOT.top);

  const grid = ticks
    .map((t) => {
      const y = fmt(yAt(t));
      const zero = t === 0;
      return (
        `<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="${zero ? "#555" : "#d5d5d5"}" stroke-width="${zero ? 1.2 : 0.8}"/>` +
        `<text x="${PLOT.left - 5}" y="${fmt(yAt(t) + 3.5)}" font-size="9.5" text-anchor="end" fill="#333">${label(t)}</text>`
      );
    })
    .join("");
  const xLabels = labelledIndexes(n)
    .map((i) => `<text x="${fmt(xAt(i))}" y="${PLOT.bottom + 14}" font-size="9.5" text-anchor="middle" fill="#333">${escapeHtml(spec.xLabels[i] ?? "")}</text>`)
    .join("");

  const seriesSvg = spec.series
    .map((s) => {
      const { stroke, dash } = STYLES[s.style];
      let d = "";
      let penDown = false;
      const markers: string[] = [];
      s.values.forEach((v, i) => {
        if (v === null) {
          penDown = false;
          return;
        }
        d += `${penDown ? "L" : "M"}${fmt(xAt(i))} ${fmt(yAt(v))}`;
        penDown = true;
        if (n > MAX_MARKED_POINTS) return;
        const tip = `${spec.xTitles[i] ?? spec.xLabels[i] ?? ""}: ${s.label} ${label(v)} ${spec.unit}`;
        markers.push(marker(s.style, xAt(i), yAt(v), stroke, tip));
      });
      const line = d ? `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""} stroke-linejoin="round"/>` : "";
      return `<g class="series series-${s.style}" data-series="${escapeHtml(s.key)}">${line}${markers.join("")}</g>`;
    })
    .join("");

  const empty = all.length === 0
    ? `<text x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" font-size="11" text-anchor="middle" fill="#333">No data</text>`
    : "";
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  return (
    `<svg class="chart" id="${escapeHtml(spec.id)}" role="img" aria-labelledby="${escapeHtml(titleId)} ${escapeHtml(descId)}" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" data-series-count="${spec.series.length}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">` +
    `<title id="${escapeHtml(titleId)}">${escapeHtml(spec.title)}</title><desc id="${escapeHtml(descId)}">${escapeHtml(spec.description)}</desc>` +
    `<text x="${PLOT.left - 5}" y="15" font-size="9.5" text-anchor="end" fill="#333">${escapeHtml(spec.unit)}</text>` +
    `${legend(spec.series)}<g class="grid">${grid}</g><g class="x-labels">${xLabels}</g>${seriesSvg}${empty}</svg>`
  );
}
