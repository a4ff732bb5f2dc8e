// The benchmark's synthetic company written to the files a compare reads.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { credentialsOf, historyExportOf, toKleerSeed, toMilltimeSeed } from "../../src/demo/company-seeds.js";
import { expectedFindingCounts } from "../../src/demo/expected-findings.js";
import { generateSyntheticCompany, mappingOf, type SyntheticCompany } from "../../src/demo/synthetic-company.js";

export interface BenchFiles {
  kleerSeed: string;
  milltimeSeed: string;
  credentials: string;
  mapping: string;
  history: string;
}

export interface BenchCompany {
  company: SyntheticCompany;
  expected: Record<string, number>;
  files: BenchFiles;
}

function psqlTimestamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00`;
}

/** Generates the company and writes seeds, credentials, mapping and a psql-style history CSV into `dir`. */
export function writeBenchCompany(dir: string, options: { users: number; days: number; seed: number }): BenchCompany {
  const company = generateSyntheticCompany({ users: options.users, to: "2026-10-31", days: options.days, seed: options.seed, discrepancyRate: 0.002 });
  const files: BenchFiles = {
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
  return { company, expected: expectedFindingCounts(company, "week"), files };
}
