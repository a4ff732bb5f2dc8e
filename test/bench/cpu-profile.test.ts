import { describe, expect, it } from "vitest";
import { rankProfile, type CpuProfile } from "../../scripts/bench/cpu-profile.js";
import { remapProfile } from "../../scripts/bench/profile-session.js";

const frame = (functionName: string, url: string, lineNumber: number, columnNumber = 0) => ({ functionName, url, lineNumber, columnNumber });

// root → main → { parse (twice in the tree, one function), render }, plus V8's own nodes.
function syntheticProfile(): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame("(root)", "", -1) },
      { id: 2, callFrame: frame("main", "file:///repo/src/main.ts", 9) },
      { id: 3, callFrame: frame("parse", "file:///repo/src/parse.ts", 41) },
      { id: 4, callFrame: frame("render", "file:///repo/src/render.ts", 4) },
      { id: 5, callFrame: frame("parse", "file:///repo/src/parse.ts", 41) },
      { id: 6, callFrame: frame("(garbage collector)", "", -1) },
      { id: 7, callFrame: frame("(idle)", "", -1) },
      { id: 8, callFrame: frame("", "file:///repo/src/render.ts", 20) },
    ],
    startTime: 1_000_000,
    // Sample i lasts until sample i + 1; the last until endTime.
    samples: [2, 3, 3, 4, 5, 6, 7, 8, 3],
    timeDeltas: [0, 1000, 4000, 2000, 3000, 500, 1500, 10000, 250],
    endTime: 1_000_000 + 22_250 + 750,
  };
}

describe("rankProfile", () => {
  it("sums self time per function (name + url + line) across call paths, longest first, without (idle) and (root)", () => {
    const ranking = rankProfile(syntheticProfile(), 10, "/repo");
    expect(ranking.top.map((f) => [f.label, f.selfMs])).toEqual([
      ["(anonymous) (src/render.ts:21)", 0.25],
      ["parse (src/parse.ts:42)", 4 + 2 + 0.5 + 0.75],
      ["render (src/render.ts:5)", 3],
      ["(garbage collector)", 1.5],
      ["main (src/main.ts:10)", 1],
    ].sort((a, b) => (b[1] as number) - (a[1] as number)));
    // busy = everything but the 10 ms of (idle)
    expect(ranking.busyMs).toBeCloseTo(23 - 10, 6);
    expect(ranking.totalMs).toBe(23);
    expect(ranking.top[0]?.percent).toBeCloseTo((100 * 7.25) / 13, 6);
  });

  it("keeps the ten most expensive of more functions", () => {
    const nodes = Array.from({ length: 15 }, (_, i) => ({ id: i + 1, callFrame: frame(`f${i}`, "file:///repo/a.ts", i) }));
    const samples = nodes.map((n) => n.id);
    const timeDeltas = nodes.map((_, i) => (i === 0 ? 0 : 1000 * i));
    const endTime = timeDeltas.reduce((a, b) => a + b, 0) + 15_000;
    const ranking = rankProfile({ nodes, samples, timeDeltas, startTime: 0, endTime }, 10, "/repo");
    expect(ranking.top).toHaveLength(10);
    expect(ranking.top.map((f) => f.label)[0]).toBe("f14 (a.ts:15)");
    expect(ranking.top.map((f) => f.selfMs)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
  });
});

describe("remapProfile", () => {
  it("moves frames to the source map's original file and line, and leaves frames without a map alone", () => {
    const profile = syntheticProfile();
    const fakeMap = { findEntry: (line: number, column: number) => ({ originalSource: "file:///repo/src/parse.ts", originalLine: line * 10 + (column > 0 ? 1 : 0), originalColumn: 2 }) };
    remapProfile(profile, (url) => (url.endsWith("parse.ts") ? (fakeMap as never) : undefined));
    expect(profile.nodes[2]?.callFrame).toMatchObject({ url: "file:///repo/src/parse.ts", lineNumber: 410, columnNumber: 2 });
    expect(profile.nodes[3]?.callFrame).toMatchObject({ url: "file:///repo/src/render.ts", lineNumber: 4 });
  });
});
