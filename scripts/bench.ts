// `npm run bench -- --users 200 --days 730 --latency 50 --concurrency 4`
// Generates a synthetic company, serves it from both emulators (a child process), runs compare
// end to end (another child process, so its peak RSS is its own) and prints the figures; the
// last line is one JSON object for machines.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { stringify } from "csv-stringify/sync";
import { credentialsOf, historyExportOf, toKleerSeed, toMilltimeSeed } from "../src/demo/company-seeds.js";
import { expectedFindingCounts, findingCountsOf } from "../src/demo/expected-findings.js";
import { generateSyntheticCompany, mappingOf } from "../src/demo/synthetic-company.js";
import { parseRunConfig, type RunConfig } from "../src/config/run-config.js";
import type { CompareSummary } from "../src/compare/index.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "200" },
    days: { type: "string", default: "730" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "4" },
    "latency-users": { type: "string", default: "20" },
    seed: { type: "string", default: "7" },
    keep: { type: "boolean", default: false },
  },
});
const users = Number(values.users);
const days = Number(values.days);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const latencyUsers = Math.min(users, Number(values["latency-users"]));
const token = "bench-token-0001";
const dir = mkdtempSync(join(tmpdir(), "toki-parity-bench-"));
const tsxLoader = ["--import", "tsx"];

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function psqlTimestamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00`;
}

// 1. The company and its files.
let t = performance.now();
const company = generateSyntheticCompany({ users, to: "2026-10-31", days, seed: Number(values.seed), discrepancyRate: 0.002 });
const expected = expectedFindingCounts(company, "week");
const files = {
  kleerSeed: join(dir, "kleer-seed.json"),
  milltimeSeed: join(dir, "milltime-seed.json"),
  credentials: join(dir, "credentials.json"),
  mapping: join(dir, "mapping.json"),
  history: join(dir, "timer-history.csv"),
};
writeFileSync(files.kleerSeed, JSON.stringify(toKleerSeed(company)));
writeFileSync(files.milltimeSeed, JSON.stringify(toMilltimeSeed(company)));
writeFileSync(files.credentials, JSON.stringify(credentialsOf(company)));
writeFileSync(files.mapping, JSON.stringify(mappingOf(company)));
const historyRows = historyExportOf(company).map((r) => ({
  ...r,
  start_time: psqlTimestamp(String(r.start_time)),
  end_time: psqlTimestamp(String(r.end_time)),
  created_at: psqlTimestamp(String(r.created_at)),
}));
writeFileSync(files.history, stringify(historyRows, { header: true }));
const entries = company.registrations.length;
const range = company.range;
const seededCount = company.seeded.length;
log(`generated ${users} users × ${days} days: ${entries} legacy entries, ${seededCount} seeded discrepancies (${((performance.now() - t) / 1000).toFixed(1)} s)`);

// 2. The emulators, in their own process.
async function startEmulators(): Promise<{ child: ChildProcessByStdio<Writable, Readable, null>; urls: { kleerUrl: string; milltimeUrl: string }; next(): Promise<unknown> }> {
  const child = spawn(process.execPath, [...tsxLoader, "scripts/bench-emulators.ts", files.kleerSeed, files.milltimeSeed, token], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error("the emulator process ended");
    return JSON.parse(line.value) as unknown;
  };
  const urls = (await next()) as { kleerUrl: string; milltimeUrl: string };
  return { child, urls, next };
}

interface CompareRun {
  wallMs: number;
  peakRssMb: number;
  summary: CompareSummary;
}

function runCompareChild(config: RunConfig): Promise<CompareRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--max-old-space-size=4096", ...tsxLoader, "scripts/bench-compare.ts", JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`compare exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop() as string) as CompareRun);
    });
  });
}

function configFor(reportFile: string, urls: { kleerUrl: string; milltimeUrl: string }, userIds?: number[]): RunConfig {
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

function requestCounts(reportFile: string): { kleer: number; milltime: number; attempts: number } {
  const db = new Database(reportFile, { readonly: true });
  try {
    const rows = db.prepare("SELECT system, COUNT(*) AS n, SUM(attempts) AS attempts FROM requests GROUP BY system").all() as Array<{ system: string; n: number; attempts: number }>;
    const of = (s: string) => rows.find((r) => r.system === s)?.n ?? 0;
    return { kleer: of("kleer"), milltime: of("milltime"), attempts: rows.reduce((sum, r) => sum + r.attempts, 0) };
  } finally {
    db.close();
  }
}

const emulators = await startEmulators();
let result: Record<string, unknown>;
try {
  // 3. Full run without latency.
  t = performance.now();
  const report = join(dir, "bench.sqlite");
  const full = await runCompareChild(configFor(report, emulators.urls));
  const requests = requestCounts(report);
  const months = company.range.from.slice(0, 7) === company.range.to.slice(0, 7) ? 1 : Math.round(days / 30.44);
  const actual = findingCountsOf(full.summary);
  const findingsOk = JSON.stringify(actual) === JSON.stringify(expected);

  // 4. The same company with injected latency, on a slice of the users.
  emulators.child.stdin.write(`latency ${latencyMs}\n`);
  await emulators.next();
  const latencyReport = join(dir, "bench-latency.sqlite");
  const slice = company.users.slice(0, latencyUsers).map((u) => u.tokiUserId);
  const slow = await runCompareChild(configFor(latencyReport, emulators.urls, slice));
  const slowRequests = requestCounts(latencyReport);
  const floorMs = ((slowRequests.kleer + slowRequests.milltime) * latencyMs) / concurrency;
  const floorRatio = floorMs > 0 ? slow.wallMs / floorMs : null;

  const wallS = full.wallMs / 1000;
  result = {
    users,
    days,
    entries,
    wall_s: Number(wallS.toFixed(2)),
    entries_per_s: Math.round(entries / wallS),
    kleer_requests: requests.kleer,
    milltime_requests: requests.milltime,
    requests_per_user_month: Number(((requests.kleer + requests.milltime) / (users * months)).toFixed(2)),
    peak_rss_mb: Math.round(full.peakRssMb),
    report_mb: Number((statSync(report).size / 1024 / 1024).toFixed(1)),
    concurrency,
    latency_ms: latencyMs,
    latency_users: latencyUsers,
    latency_wall_s: Number((slow.wallMs / 1000).toFixed(2)),
    latency_requests: slowRequests.kleer + slowRequests.milltime,
    floor_ratio: floorRatio === null ? null : Number(floorRatio.toFixed(2)),
    findings: actual,
    expected_findings: expected,
    findings_ok: findingsOk,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  };

  const rows: Array<[string, string]> = [
    ["legacy entries", String(entries)],
    ["wall time", `${wallS.toFixed(2)} s`],
    ["entries / second", String(result.entries_per_s)],
    ["Kleer requests", String(requests.kleer)],
    ["Milltime requests", String(requests.milltime)],
    ["requests per user-month", String(result.requests_per_user_month)],
    ["peak RSS (compare process)", `${result.peak_rss_mb} MB`],
    ["report size", `${result.report_mb} MB`],
    [`with ${latencyMs} ms latency (${latencyUsers} users)`, `${(slow.wallMs / 1000).toFixed(2)} s for ${result.latency_requests} requests`],
    ["wall ÷ (requests × latency ÷ concurrency)", String(result.floor_ratio)],
    ["findings equal the seeded discrepancies", findingsOk ? "yes" : "NO"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\ntoki-parity benchmark: ${users} users × ${days} days, concurrency ${concurrency}\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  process.stdout.write("\n  findings by kind (actual / expected)\n");
  for (const kind of [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort()) {
    process.stdout.write(`    ${kind.padEnd(30)} ${String(actual[kind] ?? 0).padStart(6)} / ${String(expected[kind] ?? 0).padStart(6)}\n`);
  }
  process.stdout.write(`  machine: ${String(result.machine)}\n\n`);
} finally {
  emulators.child.stdin.end();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
