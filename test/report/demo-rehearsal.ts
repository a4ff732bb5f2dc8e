import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { DEMO_FILES } from "../../src/demo/demo-fixtures.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { startKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import type { CompareSummary } from "../../src/compare/index.js";
import { compareFromConfig } from "../../src/run/run-compare.js";

export const demoFixtures = demoFixturesDir();
export const readDemoJson = <T>(name: string): T => JSON.parse(readFileSync(join(demoFixtures, name), "utf8")) as T;

export interface RehearsalOptions {
  reportFile: string;
  /** @default the demo's Kleer seed */
  kleerSeed?: unknown;
  rulesFile?: string | undefined;
  users?: number[] | undefined;
}

/** One compare over the demo company against fresh emulators (the demo's own configuration). */
export async function rehearseDemo(options: RehearsalOptions): Promise<CompareSummary> {
  const token = "rehearsal-token";
  const kleer = await startKleerEmulator({ seed: (options.kleerSeed ?? readDemoJson(DEMO_FILES.kleerSeed)) as never, token, companyId: 4875 });
  const milltime = await startMilltimeEmulator({ seed: readDemoJson(DEMO_FILES.milltimeSeed) });
  try {
    const expected = readDemoJson<{ range: { from: string; to: string } }>(DEMO_FILES.expected);
    const parsed = parseRunConfig({
      from: expected.range.from,
      to: expected.range.to,
      period: "week",
      kleer: { baseUrl: `${kleer.url}/v1`, token, companyId: 4875 },
      milltime: { url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(demoFixtures, DEMO_FILES.credentials) },
      history: join(demoFixtures, DEMO_FILES.history),
      mappingFile: join(demoFixtures, DEMO_FILES.mapping),
      reportFile: options.reportFile,
      ...(options.rulesFile ? { rulesFile: options.rulesFile } : {}),
      ...(options.users ? { users: options.users } : {}),
    });
    return await compareFromConfig(parsed.config as RunConfig, { command: "compare" });
  } finally {
    await Promise.all([kleer.close(), milltime.close()]);
  }
}
