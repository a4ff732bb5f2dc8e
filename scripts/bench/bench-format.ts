// The benchmark's report counts and its human-readable table.
import { statSync } from "node:fs";
import Database from "better-sqlite3";

export function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Requests per system in a report file, and the file's size. */
export function requestCounts(reportFile: string): { kleer: number; milltime: number; attempts: number; reportMb: number } {
  const db = new Database(reportFile, { readonly: true });
  try {
    const rows = db.prepare("SELECT system, COUNT(*) AS n, SUM(attempts) AS attempts FROM requests GROUP BY system").all() as Array<{ system: string; n: number; attempts: number }>;
    const of = (s: string) => rows.find((r) => r.system === s)?.n ?? 0;
    return { kleer: of("kleer"), milltime: of("milltime"), attempts: rows.reduce((sum, r) => sum + r.attempts, 0), reportMb: round(statSync(reportFile).size / 2 ** 20, 1) };
  } finally {
    db.close();
  }
}

/** Prints one size's table and its findings by kind. */
export function printSize(r: Record<string, unknown>, actual: Record<string, number>, expected: Record<string, number>): void {
  const rows: Array<[string, string]> = [
    ["legacy entries", String(r.entries)],
    ["wall time", `${String(r.wall_s)} s${r.warm_up_wall_s === null ? " (cold emulators)" : ` (warm-up run on cold emulators: ${String(r.warm_up_wall_s)} s)`}`],
    ["entries / second", String(r.entries_per_s)],
    ["CPU of the compare / of the emulators", `${String(r.compare_cpu_s)} s / ${String(r.emulator_cpu_s)} s`],
    ["Kleer requests", `${String(r.kleer_requests)} (${String(r.kleer_requests_per_user_month)} per user-month)`],
    ["Milltime requests", String(r.milltime_requests)],
    ["requests per user-month", String(r.requests_per_user_month)],
    ["I/O floor (same requests, bodies dropped)", `${String(r.io_floor_s)} s for ${String(r.io_floor_requests)} requests, ${String(r.io_floor_mb)} MB`],
    ["wall ÷ I/O floor", Array.isArray(r.io_floor_ratios) && r.io_floor_ratios.length > 1 ? `${String(r.io_floor_ratio)} (median of the pairs ${r.io_floor_ratios.join(", ")})` : String(r.io_floor_ratio)],
    ["peak RSS (compare process)", `${String(r.peak_rss_mb)} MB`],
    ["report size", `${String(r.report_mb)} MB`],
    ["load average before / after", `${JSON.stringify(r.load_avg_before)} / ${JSON.stringify(r.load_avg_after)}`],
  ];
  if (r.latency_wall_s !== null) {
    rows.push([`with ${String(r.latency_ms)} ms latency (${String(r.latency_users)} users)`, `${String(r.latency_wall_s)} s for ${String(r.latency_requests)} requests`]);
    rows.push(["wall ÷ (requests × latency ÷ concurrency)", String(r.floor_ratio)]);
  }
  rows.push(["findings equal the seeded discrepancies", r.findings_ok ? "yes" : "NO"]);
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\ntoki-parity benchmark: ${String(r.users)} users × ${String(r.days)} days, concurrency ${String(r.concurrency)}\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  process.stdout.write("\n  findings by kind (actual / expected)\n");
  for (const kind of [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort()) {
    process.stdout.write(`    ${kind.padEnd(30)} ${String(actual[kind] ?? 0).padStart(6)} / ${String(expected[kind] ?? 0).padStart(6)}\n`);
  }
  process.stdout.write(`  machine: ${String(r.machine)}\n\n`);
}
