import { describe, expect, it } from "vitest";
import { labelledIndexes, MAX_MARKED_POINTS, niceTicks, renderLineChart, type LineChartSpec } from "../../../src/report/html/html-chart.js";

const spec: LineChartSpec = {
  id: "c1",
  title: "Worked <hours>",
  description: "Milltime & Kleer",
  xLabels: ["W1", "W2", "W3", "W4"],
  xTitles: ["week 1", "week 2", "week 3", "week 4"],
  unit: "h",
  series: [
    { key: "legacy", label: "Milltime", style: "legacy", values: [40, 38.5, null, 41] },
    { key: "kleer", label: "Kleer", style: "kleer", values: [40, 38, 39, 41] },
  ],
};

describe("renderLineChart", () => {
  const svg = renderLineChart(spec);

  it("draws one group per series with a marker per known value and gaps for missing ones", () => {
    expect(svg).toContain('data-series-count="2"');
    const groups = [...svg.matchAll(/<g class="series series-(\w+)" data-series="(\w+)">([\s\S]*?)<\/g>/g)];
    expect(groups.map((g) => g[2])).toEqual(["legacy", "kleer"]);
    const legacy = groups[0]![3]!;
    expect([...legacy.matchAll(/<circle /g)]).toHaveLength(3);
    expect(/<path d="([^"]+)"/.exec(legacy)![1]!.match(/M/g)).toHaveLength(2);
    expect([...groups[1]![3]!.matchAll(/<rect /g)]).toHaveLength(4);
  });

  it("tells series apart without colour: dash pattern, marker shape and a text legend", () => {
    expect(svg).toMatch(/<line [^>]*stroke-dasharray="6 4"\/><rect [^>]*><\/rect><text [^>]*>Kleer<\/text>/);
    expect(svg).toMatch(/<line x1="0" y1="0" x2="22" y2="0" stroke="#1d4f91" stroke-width="2"\/><circle [^>]*><\/circle><text [^>]*>Milltime<\/text>/);
  });

  it("has an escaped title and description wired to aria-labelledby and per-point tooltips", () => {
    expect(svg).toContain('role="img" aria-labelledby="c1-title c1-desc"');
    expect(svg).toContain('<title id="c1-title">Worked &lt;hours&gt;</title><desc id="c1-desc">Milltime &amp; Kleer</desc>');
    expect(svg).toContain("<title>week 2: Milltime 38.5 h</title>");
    expect(svg).not.toMatch(/https?:/);
  });

  it("says so when a chart has no data", () => {
    const empty = renderLineChart({ ...spec, series: [{ key: "drift", label: "Drift", style: "drift", values: [null, null, null, null] }] });
    expect(empty).toContain(">No data</text>");
    expect(empty).toContain('data-series-count="1"');
  });

  it("writes negative ticks with a minus sign", () => {
    const neg = renderLineChart({ ...spec, series: [{ key: "drift", label: "Drift", style: "drift", values: [-1.5, 0, 2, 3] }] });
    expect(neg).toContain(">−2</text>");
  });
});

describe("niceTicks", () => {
  it.each([
    [0, 41.5, [0, 10, 20, 30, 40, 50]],
    [-1, 3, [-1, 0, 1, 2, 3]],
    [0, 0, [-1, -0.5, 0, 0.5, 1]],
    [0, 0.3, [0, 0.1, 0.2, 0.3]],
  ])("%s..%s → %o", (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });
});

describe("labelledIndexes", () => {
  it("labels every period when few, thins long ranges and always labels the last", () => {
    expect(labelledIndexes(8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const year = labelledIndexes(52);
    expect(year[0]).toBe(0);
    expect(year.at(-1)).toBe(51);
    expect(year.length).toBeLessThanOrEqual(9);
    expect(labelledIndexes(0)).toEqual([]);
  });
});

describe("renderLineChart over many periods", () => {
  const chartOf = (n: number) =>
    renderLineChart({
      id: "long",
      title: "Worked hours",
      description: "long range",
      xLabels: Array.from({ length: n }, (_, i) => `W${i + 1}`),
      xTitles: Array.from({ length: n }, (_, i) => `week ${i + 1}`),
      series: [{ key: "legacy", label: "Milltime", style: "legacy", values: Array.from({ length: n }, (_, i) => 38 + (i % 3)) }],
      unit: "h",
    });
  const seriesMarkers = (svg: string) => (/<g class="series[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? "").match(/<circle/g)?.length ?? 0;

  it(`marks every point up to ${MAX_MARKED_POINTS} periods and draws a plain line beyond (the period table holds the values)`, () => {
    expect(seriesMarkers(chartOf(MAX_MARKED_POINTS))).toBe(MAX_MARKED_POINTS);
    const long = chartOf(MAX_MARKED_POINTS + 1);
    expect(seriesMarkers(long)).toBe(0);
    expect(long).not.toContain("<title>week");
    expect(long).toMatch(/<path d="M[^"]+L/);
  });
});
