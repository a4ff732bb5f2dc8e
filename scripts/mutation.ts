// `npm run mutation [-- --area core|io|contract|config] [--since main] [--incremental] [--mutate <file>] [--concurrency 1] [--ignore-static]`
// Stryker mutation testing of the comparison core and of the replay/mapping/gate code, one
// Stryker run per area with only that area's tests. Reports go to reports/mutation/<area>/
// (HTML and JSON); the last line prints each area's score against its target. Not part of
// `npm test` or .ci/run: a full run takes tens of minutes.
import { execFileSync } from "node:child_process";
import { relative } from "node:path";
import { parseArgs } from "node:util";
// The options and results this script uses; Stryker is loaded at run time so that a checkout
// without the dev dependency installed still type-checks.
type StrykerOptions = Record<string, unknown>;
interface StrykerModule {
  Stryker: new (options: StrykerOptions) => { runMutationTest(): Promise<Array<{ status: string; fileName: string }>> };
}
const STRYKER_CORE: string = "@stryker-mutator/core";
const { Stryker } = (await import(STRYKER_CORE)) as StrykerModule;

interface MutationArea {
  name: string;
  label: string;
  mutate: string[];
  tests: string[];
}

const TARGET_PERCENT = 90;

const AREAS: readonly MutationArea[] = [
  {
    name: "core",
    label: "src/parity + src/domain",
    mutate: ["src/parity/**/*.ts", "src/domain/**/*.ts", "!src/**/index.ts"],
    tests: ["test/parity/**/*.test.ts", "test/domain/**/*.test.ts"],
  },
  {
    name: "io",
    label: "mapping + replay + gate",
    mutate: [
      "src/kleer/kleer-mapping.ts",
      "src/milltime/milltime-mapping.ts",
      "src/replay/replay-plan.ts",
      "src/replay/replay-apply.ts",
      "src/replay/replay-journal.ts",
      "src/replay/replay-read.ts",
      "src/report/report-gate.ts",
    ],
    tests: [
      "test/kleer/kleer-mapping.test.ts",
      "test/kleer/kleer-mapping-rules.test.ts",
      "test/milltime/milltime-mapping.test.ts",
      "test/milltime/milltime-mapping-rules.test.ts",
      "test/replay/replay-plan.test.ts",
      "test/replay/replay-plan-rules.test.ts",
      // replay-apply.test.ts (the emulator end-to-end run, seconds per mutant) is left out: the
      // unit tests drive replay-apply.ts through its ports, and a run must fit in tens of minutes.
      "test/replay/replay-apply-unit.test.ts",
      "test/replay/replay-read.test.ts",
      "test/replay/replay-journal.test.ts",
      "test/report/report-gate.test.ts",
      "test/report/report-gate-verdict.test.ts",
      "test/report/report-gate-rules.test.ts",
    ],
  },
  {
    // Toki's decode contract, the run lease and the report diff: separate from io so that each
    // run loads only its own tests (the contract's rule tables make many static mutants, each of
    // which reruns every test of its area).
    name: "contract",
    label: "decode contract + lease + diff",
    mutate: ["src/kleer/kleer-toki-contract.ts", "src/report/report-lease.ts", "src/report/report-diff.ts", "src/report/report-diff-format.ts", "src/report/report-diff-load.ts", "src/report/report-diff-export.ts"],
    tests: ["test/kleer/kleer-toki-contract.test.ts", "test/kleer/kleer-toki-contract-fields.test.ts", "test/report/report-lease.test.ts", "test/report/report-diff.test.ts", "test/report/report-diff-format.test.ts", "test/report/report-diff-load.test.ts"],
  },
  {
    // The configuration file, its settings table, `config show`/`init` and the write guard, run on
    // the unit tests of src/config only: config-precedence and config-show-init drive the CLI's
    // hooks and program (seconds per static mutant, each of which reruns every test of the area);
    // they test the CLI's wiring, and the rules they reach in src/config have unit tests here.
    name: "config",
    label: "config",
    mutate: ["src/config/**/*.ts", "!src/**/index.ts"],
    tests: [
      "test/config/config-file.test.ts",
      "test/config/config-file-edges.test.ts",
      "test/config/config-file-schema.test.ts",
      "test/config/config-init.test.ts",
      "test/config/config-settings.test.ts",
      "test/config/config-show.test.ts",
      "test/config/json-document.test.ts",
      "test/config/json-file.test.ts",
      "test/config/run-config.test.ts",
      "test/config/write-guard.test.ts",
    ],
  },
];

const { values } = parseArgs({
  options: {
    area: { type: "string", multiple: true },
    mutate: { type: "string", multiple: true },
    since: { type: "string" },
    incremental: { type: "boolean", default: false },
    // Static mutants (module-level tables) rerun every test of the area each; ignoring them makes
    // a run several times faster but leaves them out of the score, so the last line says so.
    "ignore-static": { type: "boolean", default: false },
    concurrency: { type: "string", default: process.env.MUTATION_CONCURRENCY ?? "2" },
  },
});

const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency must be a positive integer, got ${values.concurrency}`);
const unknownArea = (values.area ?? []).find((a) => !AREAS.some((area) => area.name === a));
if (unknownArea !== undefined) throw new Error(`unknown --area ${unknownArea} (known: ${AREAS.map((a) => a.name).join(", ")})`);
const selected = AREAS.filter((a) => values.area === undefined || values.area.includes(a.name));

/** Source files changed since a git ref (committed or not), to mutate only what a branch touched. */
function changedSince(ref: string): Set<string> {
  const git = (...args: string[]): string[] => execFileSync("git", args, { encoding: "utf8" }).split("\n").filter((l) => l !== "");
  return new Set([...git("diff", "--name-only", `${ref}...HEAD`), ...git("diff", "--name-only", "HEAD")]);
}

function matchesArea(file: string, area: MutationArea): boolean {
  return area.mutate.some((glob) => !glob.startsWith("!") && globToRegExp(glob).test(file)) && !file.endsWith("/index.ts");
}

function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "(?:.*/)?").replace(/\*/g, "[^/]*");
  return new RegExp(`^${source}$`);
}

interface AreaScore {
  area: MutationArea;
  percent: number | null;
  detected: number;
  undetected: number;
  scoped: boolean;
  staticIgnored: boolean;
}

/** Stryker's mutation score: killed + timed out over every valid mutant (survivors and uncovered included). */
function scoreOf(statuses: readonly string[]): Pick<AreaScore, "percent" | "detected" | "undetected"> {
  const detected = statuses.filter((s) => s === "Killed" || s === "Timeout").length;
  const undetected = statuses.filter((s) => s === "Survived" || s === "NoCoverage").length;
  const total = detected + undetected;
  return { percent: total === 0 ? null : (100 * detected) / total, detected, undetected };
}

const changed = values.since === undefined ? undefined : changedSince(values.since);
const scores: AreaScore[] = [];
for (const area of selected) {
  let mutate = values.mutate?.filter((f) => matchesArea(f, area)) ?? area.mutate;
  if (values.mutate !== undefined && mutate.length === 0) continue;
  if (changed !== undefined) {
    mutate = [...changed].filter((f) => matchesArea(f, area) && (values.mutate === undefined || mutate.includes(f)));
    if (mutate.length === 0) {
      console.log(`${area.label}: no source file changed since ${values.since}`);
      continue;
    }
  }
  const dir = `reports/mutation/${area.name}`;
  const options: StrykerOptions = {
    testRunner: "vitest",
    plugins: ["@stryker-mutator/vitest-runner"],
    vitest: { configFile: "vitest.mutation.config.ts" },
    mutate,
    concurrency,
    coverageAnalysis: "perTest",
    reporters: ["html", "json", "progress"],
    htmlReporter: { fileName: `${dir}/index.html` },
    jsonReporter: { fileName: `${dir}/mutation.json` },
    incremental: values.incremental,
    ignoreStatic: values["ignore-static"],
    incrementalFile: `${dir}/stryker-incremental.json`,
    tempDirName: `.stryker-tmp/${area.name}`,
    ignorePatterns: ["reports", "dist", ".tmp", "docs"],
    timeoutMS: 30_000,
    cleanTempDir: "always",
  };
  process.env.MUTATION_TESTS = area.tests.join(",");
  const results = await new Stryker(options).runMutationTest();
  // Per file, so that the file to work on next is visible without opening the report.
  const byFile = new Map<string, string[]>();
  for (const r of results) byFile.set(r.fileName, [...(byFile.get(r.fileName) ?? []), r.status]);
  for (const [file, statuses] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const s = scoreOf(statuses);
    console.log(`  ${relative(process.cwd(), file)}: ${s.percent === null ? "n/a" : `${s.percent.toFixed(1)} %`} (${s.undetected} survived)`);
  }
  scores.push({ area, ...scoreOf(results.map((r) => r.status)), scoped: values.mutate !== undefined || changed !== undefined, staticIgnored: values["ignore-static"] });
}

const met = (s: AreaScore): boolean => s.percent !== null && s.percent >= TARGET_PERCENT;
const format = (s: AreaScore): string =>
  `${s.area.label}${s.scoped ? " (scoped)" : ""}${s.staticIgnored ? " (static mutants ignored)" : ""} ${s.percent === null ? "n/a" : `${s.percent.toFixed(1)} %`} ` +
  `(${s.detected} killed, ${s.undetected} survived) ${met(s) ? "≥" : "<"} ${TARGET_PERCENT} % target ${met(s) ? "met" : "MISSED"}`;
console.log(`mutation score: ${scores.length === 0 ? "nothing mutated" : scores.map(format).join(" · ")}`);
// A scoped run (--mutate, --since, --ignore-static) measures part of an area: its figure is shown, not judged.
if (scores.some((s) => !s.scoped && !s.staticIgnored && !met(s))) process.exitCode = 1;
