// A CPU profile of the current process through the inspector's Profiler, its positions mapped
// back to the TypeScript sources (tsx runs transformed code whose lines are not the source's).
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { findSourceMap, type SourceMap } from "node:module";
import type { CpuProfile } from "./cpu-profile.js";

/** Moves every call frame with a source map to its original file, line and column. */
export function remapProfile(profile: CpuProfile, sourceMapOf: (url: string) => SourceMap | undefined = findSourceMap): CpuProfile {
  const maps = new Map<string, SourceMap | undefined>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    if (!frame.url.startsWith("file://") || frame.lineNumber < 0) continue;
    if (!maps.has(frame.url)) maps.set(frame.url, sourceMapOf(frame.url));
    const entry = maps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber ?? 0) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalSource === undefined || entry.originalLine === undefined) continue;
    node.callFrame = { ...frame, url: entry.originalSource, lineNumber: entry.originalLine, columnNumber: entry.originalColumn ?? 0 };
  }
  return profile;
}

/** Starts sampling every millisecond (as `node --cpu-prof`); `stop` writes the .cpuprofile. */
export async function startCpuProfile(): Promise<{ stop(path: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  return {
    async stop(path) {
      const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
      session.disconnect();
      writeFileSync(path, JSON.stringify(remapProfile(profile)));
    },
  };
}
