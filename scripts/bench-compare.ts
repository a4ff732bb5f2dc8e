// Child process of the benchmark: one compare run from a JSON RunConfig; prints one JSON line
// with its wall time, CPU time, peak RSS and summary (the parent cannot read a child's peak RSS).
// Optional arguments: a file to write the requests the run made to (for the I/O floor; one JSON
// line per request, streamed so that the plan does not add to the peak RSS), and a .cpuprofile
// path to profile the run into.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { compareFromConfig } from "../src/run/run-compare.js";
import type { RunConfig } from "../src/config/run-config.js";
import { plannedRequestOf } from "./bench/io-floor.js";
import { startCpuProfile } from "./bench/profile-session.js";

const config = JSON.parse(process.argv[2] as string) as RunConfig;
const planFile = process.argv[3] || undefined;
const profileFile = process.argv[4] || undefined;
const plan = planFile ? createWriteStream(planFile) : undefined;
const profiler = profileFile ? await startCpuProfile() : undefined;
const started = performance.now();
const summary = await compareFromConfig(config, {
  command: "bench",
  onRequest: plan
    ? (tokiUserId, record) => {
        const planned = plannedRequestOf(tokiUserId, record);
        if (planned) plan.write(`${JSON.stringify(planned)}\n`);
      }
    : undefined,
});
const wallMs = performance.now() - started;
await profiler?.stop(profileFile as string);
if (plan) {
  plan.end();
  await once(plan, "finish");
}
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify({ wallMs, cpuMs, peakRssMb: usage.maxRSS / 1024, summary })}\n`);
