import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { onTestFinished } from "vitest";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { credentialsOf, historyExportOf, toKleerSeed, toMilltimeSeed } from "../../src/demo/company-seeds.js";
import { mappingOf, type SyntheticCompany } from "../../src/demo/synthetic-company.js";
import type { FaultOptionsInput } from "../../src/emulator/emulator-faults.js";
import { startKleerEmulator, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";

export const RUN_TOKEN = "resilience-token-5c81d0";
export const RUN_COMPANY_ID = 4875;

export interface CompanyRun {
  kleer: RunningKleerEmulator;
  milltime: RunningMilltimeEmulator;
  dir: string;
  /** A compare configuration over the company's whole range, reporting to `dir/<name>.sqlite`. */
  config(name: string): RunConfig;
}

/**
 * Serves a synthetic company from both emulators on loopback and writes its mapping,
 * credentials and timer-history files to a temporary folder; everything is closed and removed
 * when the test finishes.
 */
export async function serveCompany(company: SyntheticCompany, faults: { kleer?: FaultOptionsInput; milltime?: FaultOptionsInput } = {}): Promise<CompanyRun> {
  const dir = mkdtempSync(join(tmpdir(), "toki-parity-resilience-"));
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  const mappingFile = write("mapping.json", mappingOf(company));
  const credentialsFile = write("credentials.json", credentialsOf(company));
  const history = write("timer-history.json", historyExportOf(company));
  const kleer = await startKleerEmulator({ seed: toKleerSeed(company), token: RUN_TOKEN, companyId: RUN_COMPANY_ID, faults: faults.kleer });
  const milltime = await startMilltimeEmulator({ seed: toMilltimeSeed(company), faults: faults.milltime });
  onTestFinished(async () => {
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    kleer,
    milltime,
    dir,
    config(name) {
      const parsed = parseRunConfig({
        from: company.range.from,
        to: company.range.to,
        period: "week",
        kleer: { baseUrl: `${kleer.url}/v1`, token: RUN_TOKEN, companyId: RUN_COMPANY_ID },
        milltime: { url: milltime.milltimeUrl, credentialsFile },
        history,
        mappingFile,
        reportFile: join(dir, `${name}.sqlite`),
      });
      if (!parsed.config) throw new Error(`invalid run configuration: ${parsed.errors.join("; ")}`);
      return parsed.config;
    },
  };
}

export interface StoredRequest {
  userKey: number | null;
  system: string;
  method: string;
  route: string;
  status: number | null;
  attempts: number;
}

export interface StoredFinding {
  kind: string;
  userKey: number | null;
  date: string | null;
  legacyId: string | null;
  kleerId: string | null;
}

/** The `requests` and `findings` rows of a report file's only run. */
export function readRun(reportFile: string): { requests: StoredRequest[]; findings: StoredFinding[] } {
  const db = new Database(reportFile, { readonly: true });
  try {
    const requests = db
      .prepare("SELECT user_key AS userKey, system, method, route, status, attempts FROM requests ORDER BY id")
      .all() as StoredRequest[];
    const findings = db
      .prepare("SELECT kind, user_key AS userKey, date, legacy_id AS legacyId, kleer_id AS kleerId FROM findings ORDER BY kind, user_key, date, legacy_id, kleer_id")
      .all() as StoredFinding[];
    return { requests, findings };
  } finally {
    db.close();
  }
}
