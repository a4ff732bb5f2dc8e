import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { credentialsOf, historyExportOf, toKleerSeed, toMilltimeSeed } from "./company-seeds.js";
import { generateSyntheticCompany, mappingOf, type SyntheticCompany } from "./synthetic-company.js";
import { expectedFindingCounts } from "./expected-findings.js";

/** The demo company: ~10 users, 8 ISO weeks, every discrepancy kind planted once or twice. */
export const DEMO_COMPANY_OPTIONS = {
  users: 10,
  to: "2026-11-22",
  days: 56,
  seed: 20261125,
  plantEveryKind: true,
  plantUserProblems: true,
  plantPayrollMissing: true,
} as const;

export function generateDemoCompany(): SyntheticCompany {
  return generateSyntheticCompany({ ...DEMO_COMPANY_OPTIONS });
}

/** File names inside fixtures/demo/. */
export const DEMO_FILES = {
  kleerSeed: "kleer-seed.json",
  milltimeSeed: "milltime-seed.json",
  credentials: "milltime-credentials.json",
  mapping: "mapping.json",
  history: "timer-history.json",
  expected: "expected-findings.json",
  suppressions: "rules-accept-known.json",
} as const;

/** Writes the demo's fixture files (run by `npm run demo:fixtures`; the output is committed). */
export function writeDemoFixtures(dir: string): void {
  const company = generateDemoCompany();
  mkdirSync(dir, { recursive: true });
  const write = (name: string, value: unknown) => writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  write(DEMO_FILES.kleerSeed, toKleerSeed(company));
  write(DEMO_FILES.milltimeSeed, toMilltimeSeed(company));
  write(DEMO_FILES.credentials, credentialsOf(company));
  write(DEMO_FILES.mapping, mappingOf(company));
  write(DEMO_FILES.history, historyExportOf(company));
  write(DEMO_FILES.expected, {
    range: company.range,
    period: "week",
    findingsByKind: expectedFindingCounts(company),
    seeded: company.seeded,
  });
}
