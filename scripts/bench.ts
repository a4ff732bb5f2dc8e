// `npm run bench -- --users 200 --days 730 --latency 50 --concurrency 4 [--profile] [--cold] [--from-source]`
// Builds dist/, generates a synthetic company, serves it from both emulators (a child process), runs compare
// once to warm the emulators (not with --cold), then end to end measured (another child
// process, so its peak RSS is its own), then its I/O floor (the same
// requests from the same emulators at the same concurrency, bodies dropped) and prints the
// figures; `--users 50,200,1000` measures each size in turn. The last line is one JSON object.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir, cpus, totalmem, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findingCountsOf } from "../src/demo/expected-findings.js";
import { parseRunConfig, type RunConfig } from "../src/config/run-config.js";
import { writeBenchCompany, type BenchFiles } from "./bench/bench-company.js";
import { runCompareChild, runFloorChild, startEmulators } from "./bench/bench-children.js";
import { buildCompareChild } from "./bench/compare-child-build.js";
import { medianPair } from "./bench/bench-pairs.js";
import { formatRanking, rankProfile, readCpuProfile } from "./bench/cpu-profile.js";
import { ioFloorRatio } from "./bench/io-floor.js";
import { printSize, requestCounts, round } from "./bench/bench-format.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "200" },
    days: { type: "string", default: "730" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "4" },
    "latency-users": { type: "string", default: "20" },
    seed: { type: "string", default: "7" },
    profile: { type: "boolean", default: false },
    cold: { type: "boolean", default: false },
    "from-source": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    pairs: { type: "string", default: "3" },
  },
});
const sizes = String(values.users).split(",").map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--users takes positive integers separated by commas, got ${values.users}`);
const days = Number(values.days);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const pairCount = Number(values.pairs);
if (!Number.isInteger(pairCount) || pairCount < 1) throw new Error(`--pairs takes a positive integer, got ${values.pairs}`);
const token = "bench-token-0001";
const build = values["from-source"] ? undefined : buildDist();
const root = mkdtempSync(join(tmpdir(), "toki-parity-bench-"));
// The compare child compiled beside the build, so that nothing but node runs the measured compare.
const child = build === undefined ? undefined : buildCompareChild("scripts/bench-compare.ts", join(root, "compare-child"));
const profileDir = join(process.cwd(), "reports", "bench");
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const load = () => loadavg().map((l) => round(l, 2));

/**
 * Builds dist/ (as `npm run build`) and returns its run-compare module: the compare is measured
 * as `bin/toki-parity.js` runs it, compiled, not as tsx runs the sources (whose transform keeps a
 * name on every closure it creates). Built on every bench run, so a stale dist/ is never measured.
 */
function buildDist(): string {
  const started = performance.now();
  execFileSync(process.execPath, [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { stdio: "inherit" });
  log(`built dist/ (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return join(process.cwd(), "dist", "run", "run-compare.js");
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function configFor(files: BenchFiles, range: { from: string; to: string }, reportFile: string, urls: { kleerUrl: string; milltimeUrl: string }, userIds?: number[]): RunConfig {
  const parsed = parseRunConfig({
    from: range.from,
    to: range.to,
    period: "week",
    users: userIds,
    concurrency,
    kleer: { baseUrl: urls.kleerUrl, token, companyId: 4875 },
    milltime: { url: urls.milltimeUrl, credentialsFile: files.credentials },
    history: files.history,
    mappingFile: files.mapping,
    reportFile,
  });
  if (!parsed.config) throw new Error(parsed.errors.join("; "));
  return parsed.config;
}

async function benchSize(users: number): Promise<Record<string, unknown>> {
  const dir = join(root, `${users}-users`);
  mkdirSync(dir);
  let t = performance.now();
  const { company, expected, files } = writeBenchCompany(dir, { users, days, seed: Number(values.seed) });
  const entries = company.registrations.length;
  log(`generated ${users} users × ${days} days: ${entries} legacy entries, ${company.seeded.length} seeded discrepancies (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const emulators = await startEmulators(files.kleerSeed, files.milltimeSeed, token);
  try {
    // 1. The compare without latency, recording the requests it makes.
    const loadBefore = load();
    const profileName = `compare-${users}u-${days}d-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`;
    if (values.profile) mkdirSync(profileDir, { recursive: true });
    // 0. A warm-up compare, unmeasured: the emulators build their indexes and caches on their
    // first replies (and V8 compiles their handlers), which the floor, measured second, never
    // pays; the measured compare must meet them as warm as the floor does.
    let emulatorCpu = await emulators.cpuMs();
    const warmUp = values.cold ? undefined : await runCompareChild(configFor(files, company.range, join(dir, "warm-up.sqlite"), emulators.urls), { build, child });
    const warmUpEmulatorCpuMs = (await emulators.cpuMs()) - emulatorCpu;

    // 1–2. `--pairs` times: the compare, then its I/O floor right after it against the same
    // emulators; the pair with the median ratio is reported (bench/bench-pairs.ts).
    const measured = [];
    for (let i = 1; i <= pairCount; i++) {
      const report = join(dir, i === 1 ? "bench.sqlite" : `bench-${i}.sqlite`);
      const planFile = join(dir, i === 1 ? "requests-plan.ndjson" : `requests-plan-${i}.ndjson`);
      const config = configFor(files, company.range, report, emulators.urls);
      emulatorCpu = await emulators.cpuMs();
      const full = await runCompareChild(config, { planFile, profileFile: values.profile && i === 1 ? join(profileDir, profileName) : undefined, build, child });
      const compareEmulatorCpuMs = (await emulators.cpuMs()) - emulatorCpu;
      emulatorCpu = await emulators.cpuMs();
      const floor = await runFloorChild(config, planFile);
      const floorEmulatorCpuMs = (await emulators.cpuMs()) - emulatorCpu;
      if (floor.mismatches > 0) throw new Error(`the I/O floor got ${floor.mismatches} replies whose status differs from the compare's: it is not the same run's floor`);
      measured.push({ full, compareEmulatorCpuMs, floor, floorEmulatorCpuMs, requests: requestCounts(report), ratio: ioFloorRatio(full.wallMs, floor.wallMs) });
    }
    const loadAfter = load();
    const { full, compareEmulatorCpuMs, floor, floorEmulatorCpuMs, requests, ratio } = medianPair(measured);

    // 3. The same company with injected latency, on a slice of the users (skipped with --latency 0).
    let slow: { wallMs: number; requests: number; floorRatio: number | null } | undefined;
    const latencyUsers = Math.min(users, Number(values["latency-users"]));
    if (latencyMs > 0) {
      await emulators.setLatency(latencyMs);
      const latencyReport = join(dir, "bench-latency.sqlite");
      const slice = company.users.slice(0, latencyUsers).map((u) => u.tokiUserId);
      const run = await runCompareChild(configFor(files, company.range, latencyReport, emulators.urls, slice), { build, child });
      const counts = requestCounts(latencyReport);
      const theoretical = ((counts.kleer + counts.milltime) * latencyMs) / concurrency;
      slow = { wallMs: run.wallMs, requests: counts.kleer + counts.milltime, floorRatio: theoretical > 0 ? run.wallMs / theoretical : null };
      await emulators.setLatency(0);
    }

    const months = company.range.from.slice(0, 7) === company.range.to.slice(0, 7) ? 1 : Math.round(days / 30.44);
    const actual = findingCountsOf(full.summary);
    const warmUpOk = warmUp === undefined || JSON.stringify(findingCountsOf(warmUp.summary)) === JSON.stringify(expected);
    const everyPairOk = measured.every((m) => JSON.stringify(findingCountsOf(m.full.summary)) === JSON.stringify(expected));
    const wallS = full.wallMs / 1000;
    const ranking = values.profile ? rankProfile(readCpuProfile(join(profileDir, profileName))) : undefined;
    const result: Record<string, unknown> = {
      users,
      days,
      entries,
      wall_s: round(wallS, 2),
      entries_per_s: Math.round(entries / wallS),
      compare_cpu_s: round(full.cpuMs / 1000, 1),
      compare_build: build === undefined ? "source (tsx)" : "dist",
      warm_up_wall_s: warmUp ? round(warmUp.wallMs / 1000, 2) : null,
      warm_up_emulator_cpu_s: warmUp ? round(warmUpEmulatorCpuMs / 1000, 1) : null,
      emulator_cpu_s: round(compareEmulatorCpuMs / 1000, 1),
      kleer_requests: requests.kleer,
      milltime_requests: requests.milltime,
      requests_per_user_month: round((requests.kleer + requests.milltime) / (users * months), 2),
      kleer_requests_per_user_month: round(requests.kleer / (users * months), 2),
      io_floor_s: round(floor.wallMs / 1000, 2),
      io_floor_requests: floor.requests,
      io_floor_mb: round(floor.bytes / 2 ** 20, 1),
      io_floor_emulator_cpu_s: round(floorEmulatorCpuMs / 1000, 1),
      io_floor_ratio: ratio === null ? null : round(ratio, 2),
      pairs: measured.length,
      io_floor_ratios: measured.map((m) => (m.ratio === null ? null : round(m.ratio, 2))),
      wall_s_pairs: measured.map((m) => round(m.full.wallMs / 1000, 2)),
      io_floor_s_pairs: measured.map((m) => round(m.floor.wallMs / 1000, 2)),
      peak_rss_mb: Math.round(full.peakRssMb),
      report_mb: requests.reportMb,
      concurrency,
      latency_ms: latencyMs,
      latency_users: latencyMs > 0 ? latencyUsers : 0,
      latency_wall_s: slow ? round(slow.wallMs / 1000, 2) : null,
      latency_requests: slow ? slow.requests : null,
      floor_ratio: slow?.floorRatio == null ? null : round(slow.floorRatio, 2),
      load_avg_before: loadBefore,
      load_avg_after: loadAfter,
      findings: actual,
      expected_findings: expected,
      findings_ok: JSON.stringify(actual) === JSON.stringify(expected) && warmUpOk && everyPairOk,
      ...(ranking ? { profile: join("reports", "bench", profileName), profile_top: ranking.top.map((f) => ({ function: f.label, self_s: round(f.selfMs / 1000, 2), percent: round(f.percent, 1) })) } : {}),
      machine,
    };
    printSize(result, actual, expected);
    if (ranking) process.stdout.write(`  CPU profile of the compare: ${String(result.profile)}\n${formatRanking(ranking)}\n\n`);
    return result;
  } finally {
    emulators.close();
  }
}

let last: Record<string, unknown> = {};
const results: Array<Record<string, unknown>> = [];
try {
  for (const users of sizes) results.push((last = await benchSize(users)));
} finally {
  if (!values.keep) rmSync(root, { recursive: true, force: true });
  else log(`kept ${root}`);
}
// One size: its figures. Several: the last size's figures at the top level, every size in `sizes`.
const line = results.length === 1 ? last : { ...last, findings_ok: results.every((r) => r.findings_ok === true), sizes: results };
process.stdout.write(`${JSON.stringify(line)}\n`);
