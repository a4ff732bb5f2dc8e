// Child process of the benchmark: one compare run from a JSON RunConfig; prints one JSON line
// with its wall time, CPU time, peak RSS and summary (the parent cannot read a child's peak RSS).
// Optional arguments: a file to write the requests the run made to (for the I/O floor; one JSON
// line per request, streamed in chunks of about 64 KiB so that the plan neither adds to the peak
// RSS nor costs the compare one file write per request), and a .cpuprofile path to profile the
// run into, and the compiled run-compare module to run (else the TypeScript source). With a
// compiled module the bench runs this file compiled too (bench/compare-child-build.ts), under
// plain node; its imports are node's own and the bench modules that import nothing at run time.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import type { RunConfig } from "../src/config/run-config.js";
import { plannedRequestOf } from "./bench/request-plan.js";
import { startCpuProfile } from "./bench/profile-session.js";

const config = JSON.parse(process.argv[2] as string) as RunConfig;
const planFile = process.argv[3] || undefined;
const profileFile = process.argv[4] || undefined;
const build = process.argv[5] || undefined;
type RunCompareModule = typeof import("../src/run/run-compare.js");
const { compareFromConfig } = (await import(build ? pathToFileURL(build).href : "../src/run/run-compare.js")) as RunCompareModule;
const plan = planFile ? createWriteStream(planFile) : undefined;
const profiler = profileFile ? await startCpuProfile() : undefined;
const PLAN_CHUNK_CHARS = 64 * 1024;
let pending = "";
const started = performance.now();
const summary = await compareFromConfig(config, {
  command: "bench",
  onRequest: plan
    ? (tokiUserId, record) => {
        const planned = plannedRequestOf(tokiUserId, record);
        if (!planned) return;
        pending += `${JSON.stringify(planned)}\n`;
        if (pending.length < PLAN_CHUNK_CHARS) return;
        plan.write(pending);
        pending = "";
      }
    : undefined,
});
const wallMs = performance.now() - started;
await profiler?.stop(profileFile as string);
if (plan) {
  plan.end(pending);
  await once(plan, "finish");
}
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify({ wallMs, cpuMs, peakRssMb: usage.maxRSS / 1024, summary })}\n`);
