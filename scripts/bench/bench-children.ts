// The benchmark's child processes: the emulators, the compare and its I/O floor, each in its own
// process so that the compare's CPU, memory and wall time are its own.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { createInterface } from "node:readline";
import type { RunConfig } from "../../src/config/run-config.js";
import type { CompareSummary } from "../../src/compare/index.js";
import type { IoFloorResult } from "./io-floor.js";

const tsxLoader = ["--import", "tsx"];

export interface BenchEmulators {
  urls: { kleerUrl: string; milltimeUrl: string };
  /** Sets the latency both emulators inject. */
  setLatency(ms: number): Promise<void>;
  /** CPU milliseconds the emulator process has used so far. */
  cpuMs(): Promise<number>;
  close(): void;
}

export async function startEmulators(kleerSeed: string, milltimeSeed: string, token: string): Promise<BenchEmulators> {
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn(process.execPath, [...tsxLoader, "scripts/bench-emulators.ts", kleerSeed, milltimeSeed, token], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error("the emulator process ended");
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const urls = (await next()) as unknown as BenchEmulators["urls"];
  return {
    urls,
    async setLatency(ms) {
      child.stdin.write(`latency ${ms}\n`);
      await next();
    },
    async cpuMs() {
      child.stdin.write("usage\n");
      return Number((await next()).cpuMs);
    },
    close: () => child.stdin.end(),
  };
}

export interface CompareRun {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  summary: CompareSummary;
}

function runJsonChild<T>(args: string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${what} exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop() as string) as T);
    });
  });
}

export interface CompareChildOptions {
  /**
   * The run-compare module the child runs: the compiled build (`dist/run/run-compare.js`, what
   * `bin/toki-parity.js` runs) or, when undefined, the TypeScript source under tsx.
   */
  build?: string | undefined;
  /**
   * This child compiled to JavaScript (bench/compare-child-build.ts), run under plain node; with
   * `build` only, else the child runs from its TypeScript source under tsx.
   */
  child?: string | undefined;
  /** Where the compare writes the requests it made (for the floor). */
  planFile?: string | undefined;
  /** Profiles the compare (the inspector's Profiler, in the child) into this .cpuprofile file. */
  profileFile?: string | undefined;
}

export function runCompareChild(config: RunConfig, options: CompareChildOptions = {}): Promise<CompareRun> {
  // A profile of the build maps its positions back to the sources through tsc's .js.map files.
  const sourceMaps = options.build !== undefined && options.profileFile !== undefined ? ["--enable-source-maps"] : [];
  const compiled = options.build !== undefined && options.child !== undefined;
  const entry = compiled ? [options.child as string] : [...tsxLoader, "scripts/bench-compare.ts"];
  const args = ["--max-old-space-size=4096", ...sourceMaps, ...entry, JSON.stringify(config), options.planFile ?? "", options.profileFile ?? "", options.build ?? ""];
  return runJsonChild<CompareRun>(args, "compare");
}

export function runFloorChild(config: RunConfig, planFile: string): Promise<IoFloorResult> {
  return runJsonChild<IoFloorResult>([...tsxLoader, "scripts/bench-floor.ts", JSON.stringify(config), planFile], "the I/O floor");
}
