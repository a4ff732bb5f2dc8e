// `npm run bench:start [-- --runs 11]`
// Measures how long the CLI takes to start against a bare Node start on this machine: `node -e 0`,
// `--version` and `--help` of the compiled CLI (dist/, what an installed package runs), plus the
// checkout's tsx path for reference. The runs are interleaved so a busy machine slows every
// command alike; the figures are medians and the ratios are against `node -e 0`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

/** The target: `--version` and `--help` within 1.5× a bare Node start. */
const TARGET_RATIO = 1.5;
const MIN_RUNS = 7;

const { values } = parseArgs({ options: { runs: { type: "string", default: "11" }, "no-tsx": { type: "boolean", default: false } } });
const runs = Math.max(MIN_RUNS, Number(values.runs) || MIN_RUNS);
const root = join(import.meta.dirname, "..");
const compiled = join(root, "dist", "cli", "main.js");
if (!existsSync(compiled)) {
  process.stderr.write(`bench:start: ${compiled} is missing: run \`npm run build\` first (the target is the compiled CLI)\n`);
  process.exit(2);
}

interface Case {
  label: string;
  args: string[];
  /** Cases without a target are printed for reference only. */
  target: boolean;
}

const cases: Case[] = [
  { label: "node -e 0", args: ["-e", "0"], target: false },
  { label: "dist --version", args: [compiled, "--version"], target: true },
  { label: "dist --help", args: [compiled, "--help"], target: true },
  { label: "bin --version", args: [join(root, "bin", "toki-parity.js"), "--version"], target: false },
  ...(values["no-tsx"] ? [] : [{ label: "tsx src --version", args: ["--import", "tsx", join(root, "src", "cli", "main.ts"), "--version"], target: false }]),
];

function timeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// One warm-up round fills the file cache, then `runs` interleaved rounds.
for (const c of cases) timeOnce(c.args);
const samples = new Map<string, number[]>(cases.map((c) => [c.label, []]));
for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.label)!.push(timeOnce(c.args));

const bare = median(samples.get("node -e 0")!);
const rows = cases.map((c) => ({ ...c, median: median(samples.get(c.label)!), ratio: median(samples.get(c.label)!) / bare }));
process.stdout.write(`start time, medians of ${runs} interleaved runs (node ${process.version}):\n`);
for (const r of rows) {
  const verdict = r.target ? (r.ratio <= TARGET_RATIO ? `  within ${TARGET_RATIO}×` : `  OVER ${TARGET_RATIO}×`) : "";
  process.stdout.write(`  ${r.label.padEnd(20)} ${r.median.toFixed(0).padStart(6)} ms  ${r.ratio.toFixed(2)}×${verdict}\n`);
}
process.stdout.write(`${JSON.stringify({ runs, bareMs: Math.round(bare), ratios: Object.fromEntries(rows.map((r) => [r.label, Number(r.ratio.toFixed(2))])) })}\n`);
