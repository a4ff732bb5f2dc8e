import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { generateSyntheticCompany } from "../../src/demo/synthetic-company.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { filesOfCompany, readRun, serveRunFiles } from "../resilience/company-run.js";

const COMPANY = { users: 4, to: "2026-05-31", days: 20, seed: 20260531 } as const;

/** A whole compare run over both emulators, with the Kleer seed's wire quirks. */
async function compareWithQuirks(name: string, quirks: Record<string, unknown>, concurrency?: number) {
  const files = filesOfCompany(generateSyntheticCompany({ ...COMPANY }));
  const run = await serveRunFiles({ ...files, kleerSeed: { ...files.kleerSeed, quirks } });
  try {
    const config = { ...run.config(name), ...(concurrency === undefined ? {} : { concurrency }) };
    const summary = await compareFromConfig(config);
    const db = new Database(config.reportFile, { readonly: true });
    const fields = db.prepare("SELECT field, user_key AS userKey FROM findings WHERE kind = 'toki_decode_error'").all() as Array<{ field: string; userKey: number }>;
    db.close();
    return { summary, fields, ...readRun(config.reportFile) };
  } finally {
    await Promise.all([run.kleer.close(), run.milltime.close()]);
  }
}

describe("compare reports the Kleer replies Toki cannot decode", () => {
  it("a company-wide reply (project numbers null) is one blocking finding for the run, not one per user", async () => {
    for (const concurrency of [1, 4]) {
      const { fields, summary } = await compareWithQuirks(`null-strings-${concurrency}`, { nullStrings: true }, concurrency);
      // One synthetic project has an empty number: the all-projects list, read once per run, is one finding.
      expect(fields.filter((f) => f.field === "client-project-readables[].number")).toHaveLength(1);
      expect(summary.findingsByKind.toki_decode_error?.blocking).toBe(fields.length);
    }
  });

  it("PascalCase statuses: every mapped user's event and day-status replies are findings, and the gate counts them", async () => {
    const { findings, summary } = await compareWithQuirks("pascal", { statusSpelling: "pascal" });
    const decode = findings.filter((f) => f.kind === "toki_decode_error");
    expect(decode.length).toBeGreaterThan(0);
    expect(summary.findings.blocking).toBeGreaterThanOrEqual(decode.length);
    // The comparison itself still happened: entries matched.
    expect(summary.matches).toBeGreaterThan(0);
  });

  it("the emulator's default gives none", async () => {
    const { findings } = await compareWithQuirks("none", {});
    expect(findings.filter((f) => f.kind === "toki_decode_error")).toEqual([]);
  });
});
