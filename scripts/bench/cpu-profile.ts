// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and ranks its functions by self time.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The parts of V8's `Profiler.Profile` this reader uses. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number } }>;
  /** Node id of each sample, in time order. */
  samples: number[];
  /** Microseconds since the previous sample (the first since `startTime`). */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileFunction {
  /** `name (file:line)`; V8's own nodes keep their name, e.g. `(garbage collector)`. */
  label: string;
  selfMs: number;
  /** Share of the busy time (every sample but `(idle)`), 0–100. */
  percent: number;
}

export interface ProfileRanking {
  /** Sampled time with a function on the stack or in GC/(program): everything but `(idle)`. */
  busyMs: number;
  /** Profile duration, `endTime - startTime`. */
  totalMs: number;
  top: ProfileFunction[];
}

function displayUrl(url: string, root: string): string {
  if (url === "") return "";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  return path.startsWith(root) ? relative(root, path) : path;
}

/**
 * Self time per function (callFrame function name + url + line, so one function shared by many
 * call paths is one row). A sample lasts until the next one (DevTools' convention: sample i gets
 * timeDeltas[i + 1]; the last sample runs to `endTime`).
 */
export function rankProfile(profile: CpuProfile, limit = 10, root = process.cwd()): ProfileRanking {
  const keyOfNode = new Map<number, string>();
  const labels = new Map<string, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    const key = `${name}\u0000${url}\u0000${lineNumber}`;
    keyOfNode.set(node.id, key);
    // lineNumber is 0-based in the protocol.
    if (!labels.has(key)) labels.set(key, url === "" ? name : `${name} (${displayUrl(url, root)}:${lineNumber + 1})`);
  }
  const selfUs = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  const times: number[] = [];
  for (const delta of profile.timeDeltas) times.push((at += delta));
  profile.samples.forEach((nodeId, i) => {
    const next = i + 1 < times.length ? (times[i + 1] as number) : profile.endTime;
    const duration = Math.max(0, next - (times[i] as number));
    const key = keyOfNode.get(nodeId);
    if (key === undefined) return;
    selfUs.set(key, (selfUs.get(key) ?? 0) + duration);
    if (!key.startsWith("(idle)\u0000")) busyUs += duration;
  });
  const top = [...selfUs.entries()]
    .filter(([key]) => !key.startsWith("(idle)\u0000") && !key.startsWith("(root)\u0000"))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([key, us]) => ({ label: labels.get(key) as string, selfMs: us / 1000, percent: busyUs > 0 ? (100 * us) / busyUs : 0 }));
  return { busyMs: busyUs / 1000, totalMs: (profile.endTime - profile.startTime) / 1000, top };
}

export function readCpuProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
}

/** The ranking as the benchmark prints it. */
export function formatRanking(ranking: ProfileRanking): string {
  const lines = [`  busy ${(ranking.busyMs / 1000).toFixed(1)} s of ${(ranking.totalMs / 1000).toFixed(1)} s profiled; top ${ranking.top.length} by self time:`];
  ranking.top.forEach((f, i) => {
    lines.push(`  ${String(i + 1).padStart(2)}. ${(f.selfMs / 1000).toFixed(2).padStart(7)} s ${f.percent.toFixed(1).padStart(5)} %  ${f.label}`);
  });
  return lines.join("\n");
}
