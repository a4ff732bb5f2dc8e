// Child process of the benchmark: one compare run from a JSON RunConfig; prints one JSON line
// with its wall time, peak RSS and summary (the parent cannot read a child's peak RSS).
import { compareFromConfig } from "../src/run/run-compare.js";
import type { RunConfig } from "../src/config/run-config.js";

const config = JSON.parse(process.argv[2] as string) as RunConfig;
const started = performance.now();
const summary = await compareFromConfig(config, { command: "bench" });
const wallMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ wallMs, peakRssMb: process.resourceUsage().maxRSS / 1024, summary })}\n`);
