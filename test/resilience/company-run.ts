import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { onTestFinished } from "vitest";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { credentialsOf, historyExportOf, toKleerSeed, toMilltimeSeed } from "../../src/demo/company-seeds.js";
import { DEMO_FILES } from "../../src/demo/demo-fixtures.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { mappingOf, type SyntheticCompany } from "../../src/demo/synthetic-company.js";
import type { DateRange } from "../../src/domain/time-entry.js";
import type { FaultOptionsInput } from "../../src/emulator/emulator-faults.js";
import { startKleerEmulator, type KleerEmulatorSeedInput, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import type { MilltimeSeedInput } from "../../src/emulator/milltime/milltime-emulator-seed.js";

export const RUN_TOKEN = "resilience-token-5c81d0";
export const RUN_COMPANY_ID = 4875;

/** Everything a run reads: both emulators' seeds and the mapping, credentials and history files. */
export interface RunFiles {
  range: DateRange;
  kleerSeed: KleerEmulatorSeedInput;
  milltimeSeed: MilltimeSeedInput;
  mapping: unknown;
  credentials: unknown;
  history: unknown;
}

export function filesOfCompany(company: SyntheticCompany, options: { withKleerEvents?: boolean } = {}): RunFiles {
  return {
    range: company.range,
    kleerSeed: toKleerSeed(company, { withEvents: options.withKleerEvents ?? true }),
    milltimeSeed: toMilltimeSeed(company),
    mapping: mappingOf(company),
    credentials: credentialsOf(company),
    history: historyExportOf(company),
  };
}

/** The committed demo fixtures (fixtures/demo/). */
export function demoFiles(): RunFiles & { expectedFindingsByKind: Record<string, number> } {
  const dir = demoFixturesDir();
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), "utf8"));
  const expected = read(DEMO_FILES.expected) as { range: DateRange; findingsByKind: Record<string, number> };
  return {
    range: expected.range,
    kleerSeed: read(DEMO_FILES.kleerSeed) as KleerEmulatorSeedInput,
    milltimeSeed: read(DEMO_FILES.milltimeSeed) as MilltimeSeedInput,
    mapping: read(DEMO_FILES.mapping),
    credentials: read(DEMO_FILES.credentials),
    history: read(DEMO_FILES.history),
    expectedFindingsByKind: expected.findingsByKind,
  };
}

export interface CompanyRun {
  kleer: RunningKleerEmulator;
  milltime: RunningMilltimeEmulator;
  dir: string;
  /**
   * A compare configuration over the whole range, reporting to `dir/<name>.sqlite`; `via` points
   * the run at other URLs (a proxy in front of the emulators).
   */
  config(name: string, via?: { kleerBaseUrl?: string; milltimeUrl?: string }): RunConfig;
}

/**
 * Serves the files' seeds from both emulators on loopback (each with its own fault settings)
 * and writes the mapping, credentials and timer-history files to a temporary folder;
 * everything is closed and removed when the test finishes.
 */
export async function serveRunFiles(
  files: RunFiles,
  faults: { kleer?: FaultOptionsInput; milltime?: FaultOptionsInput; kleerMaxSpanDays?: number } = {},
): Promise<CompanyRun> {
  const dir = mkdtempSync(join(tmpdir(), "toki-parity-resilience-"));
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  const mappingFile = write("mapping.json", files.mapping);
  const credentialsFile = write("credentials.json", files.credentials);
  const history = write("timer-history.json", files.history);
  const kleer = await startKleerEmulator({ seed: files.kleerSeed, token: RUN_TOKEN, companyId: RUN_COMPANY_ID, faults: faults.kleer, maxSpanDays: faults.kleerMaxSpanDays });
  const milltime = await startMilltimeEmulator({ seed: files.milltimeSeed, faults: faults.milltime });
  onTestFinished(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    kleer,
    milltime,
    dir,
    config(name, via = {}) {
      const parsed = parseRunConfig({
        from: files.range.from,
        to: files.range.to,
        period: "week",
        kleer: { baseUrl: via.kleerBaseUrl ?? `${kleer.url}/v1`, token: RUN_TOKEN, companyId: RUN_COMPANY_ID },
        milltime: { url: via.milltimeUrl ?? milltime.milltimeUrl, credentialsFile },
        history,
        mappingFile,
        reportFile: join(dir, `${name}.sqlite`),
      });
      if (!parsed.config) throw new Error(`invalid run configuration: ${parsed.errors.join("; ")}`);
      return parsed.config;
    },
  };
}

/** A synthetic company served from both emulators (see serveRunFiles). */
export function serveCompany(
  company: SyntheticCompany,
  faults: { kleer?: FaultOptionsInput; milltime?: FaultOptionsInput; kleerMaxSpanDays?: number } = {},
): Promise<CompanyRun> {
  return serveRunFiles(filesOfCompany(company), faults);
}

export interface StoredRequest {
  userKey: number | null;
  system: string;
  method: string;
  route: string;
  status: number | null;
  attempts: number;
  spanFrom: string | null;
  spanTo: string | null;
  /** 1 when Kleer refused the span and it was read again as two halves. */
  split: number;
}

export interface StoredFinding {
  kind: string;
  userKey: number | null;
  date: string | null;
  legacyId: string | null;
  kleerId: string | null;
}

/** The `requests` and `findings` rows of one run of a report file (its only compare run by default). */
export function readRun(reportFile: string, runId?: string): { requests: StoredRequest[]; findings: StoredFinding[] } {
  const db = new Database(reportFile, { readonly: true });
  try {
    const id = runId ?? (db.prepare("SELECT run_id FROM runs WHERE command = 'compare' ORDER BY started_at DESC LIMIT 1").pluck().get() as string);
    const requests = db
      .prepare("SELECT user_key AS userKey, system, method, route, status, attempts, span_from AS spanFrom, span_to AS spanTo, split FROM requests WHERE run_id = ? ORDER BY id")
      .all(id) as StoredRequest[];
    const findings = db
      .prepare(
        "SELECT kind, user_key AS userKey, date, legacy_id AS legacyId, kleer_id AS kleerId FROM findings WHERE run_id = ? ORDER BY kind, user_key, date, legacy_id, kleer_id",
      )
      .all(id) as StoredFinding[];
    return { requests, findings };
  } finally {
    db.close();
  }
}
