import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { formatCompareSummary, type CompareProgress, type CompareSummary } from "../compare/index.js";
import { parseRunConfig, type RunConfig } from "../config/run-config.js";
import { ConfigError } from "../domain/errors.js";
import { startKleerEmulator } from "../emulator/kleer/index.js";
import { startMilltimeEmulator } from "../emulator/milltime/milltime-emulator.js";
import { exportReport, openReportStore, runGate, type GateResult } from "../report/index.js";
import { systemClock } from "../domain/ports.js";
import { compareFromConfig } from "../run/run-compare.js";
import { DEMO_FILES } from "./demo-fixtures.js";
import { findingCountsOf } from "./expected-findings.js";
import { doctorVerdict, formatDoctorText, runDoctor, type DoctorResult } from "../doctor/index.js";
import { cleanupReplayRun, formatReplaySummary, replayFromConfig, runRelink, type CleanupResult, type ReplayProgress, type ReplaySummary } from "../replay/index.js";
import { parseProbeOptions, probeVerdict, runProbe, type ProbeResult } from "../probe/index.js";
import { screenshotHtmlOverview, type ScreenshotOverviewResult } from "../report/html/html-screenshot.js";

/** The bundled fixtures/demo/ folder (works from src/ and from dist/). */
export function demoFixturesDir(): string {
  for (const rel of ["../../fixtures/demo", "../../../fixtures/demo"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, DEMO_FILES.kleerSeed))) return dir;
  }
  throw new ConfigError("the demo fixtures (fixtures/demo/) are missing from this installation");
}

export interface RunDemoOptions {
  /** Folder for the report files. @default "reports" */
  outDir?: string;
  /** @default a random token per run (the demo proves no secret reaches its outputs) */
  kleerToken?: string;
  write?: (text: string) => void;
  /** The Chromium that pictures the HTML report's overview; absent, the demo says so and goes on. @default "/usr/bin/chromium" */
  chromiumPath?: string;
  /** Progress of the long steps (the CLI: a bar on a TTY, lines on stderr elsewhere). */
  progress?: DemoProgress;
}

/** Where the demo reports the progress of its compares and replays; `stop` ends the current step. */
export interface DemoProgress {
  compare(step: string, progress: CompareProgress): void;
  replay(step: string, progress: ReplayProgress): void;
  stop(): void;
}

export interface RunDemoResult {
  compare: CompareSummary;
  files: { sqlite: string; junit: string; md: string; html: string; json: string; accepted: string; probe: string; replay: string; relink: string; screenshot: string };
  /** The PNG of the HTML report's overview, or why it was not taken. */
  screenshot: ScreenshotOverviewResult;
  /** `gate` on the raw run (fails: the seeded discrepancies are blocking). */
  gate: GateResult;
  /** `gate` on the run with the team's suppressions (passes). */
  acceptedGate: GateResult;
  /** `doctor` over the users without planted problems (green). */
  doctor: DoctorResult;
  /** `doctor` over every user (red: it names the planted problems). */
  doctorAll: DoctorResult;
  /** `probe --apply` against the emulated Kleer company (green). */
  probe: ProbeResult;
  /** `replay --apply` into a fresh, empty emulated sandbox, and the compare that followed it. */
  replay: { summary: ReplaySummary; compare: CompareSummary | null; rerun: ReplaySummary; relinks: number; cleanup: CleanupResult };
  expected: Record<string, number>;
  actual: Record<string, number>;
  findingsMatchSeeded: boolean;
}

function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name), "utf8")) as T;
}

/**
 * The demo: both emulators on ephemeral loopback ports, seeded from fixtures/demo/, a full
 * compare, and the report exported as SQLite, JUnit, Markdown, JSON and HTML.
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<RunDemoResult> {
  const out = options.write ?? ((text: string) => process.stdout.write(text));
  const progress = options.progress;
  // A step's progress ends before the demo prints its result (a TTY bar is cleared first).
  const write = (text: string) => {
    progress?.stop();
    out(text);
  };
  const onCompareProgress = (step: string) => (progress ? { onProgress: (p: CompareProgress) => progress.compare(step, p) } : {});
  const dir = demoFixturesDir();
  const outDir = resolve(options.outDir ?? "reports");
  const token = options.kleerToken ?? `demo-${randomBytes(12).toString("hex")}`;
  const companyId = 4875;
  const expectedFile = readJson<{ range: { from: string; to: string }; findingsByKind: Record<string, number> }>(dir, DEMO_FILES.expected);

  const files = {
    sqlite: join(outDir, "demo.sqlite"),
    junit: join(outDir, "demo.junit.xml"),
    md: join(outDir, "demo.md"),
    html: join(outDir, "demo.html"),
    json: join(outDir, "demo.json"),
    accepted: join(outDir, "demo-accepted.sqlite"),
    probe: join(outDir, "demo-probe.sqlite"),
    replay: join(outDir, "demo-replay.sqlite"),
    relink: join(outDir, "demo-relink.sql"),
    screenshot: join(outDir, "demo-report-overview.png"),
  };
  for (const f of [files.sqlite, files.accepted, files.probe, files.replay]) for (const suffix of ["", "-wal", "-shm"]) rmSync(`${f}${suffix}`, { force: true });
  // A picture left by an earlier demo must not pass for this run's.
  rmSync(files.screenshot, { force: true });

  write("Starting the Kleer and Milltime emulators on 127.0.0.1 …\n");
  const kleer = await startKleerEmulator({ seed: readJson(dir, DEMO_FILES.kleerSeed), token, companyId });
  const milltime = await startMilltimeEmulator({ seed: readJson(dir, DEMO_FILES.milltimeSeed) });
  try {
    write(`  Kleer    ${kleer.url}/v1 (company ${companyId})\n  Milltime ${milltime.url}/cgi/mt.cgi\n`);
    const parsed = parseRunConfig({
      from: expectedFile.range.from,
      to: expectedFile.range.to,
      period: "week",
      kleer: { baseUrl: `${kleer.url}/v1`, token, companyId },
      milltime: { url: `${milltime.url}/cgi/mt.cgi`, credentialsFile: join(dir, DEMO_FILES.credentials) },
      history: join(dir, DEMO_FILES.history),
      mappingFile: join(dir, DEMO_FILES.mapping),
      reportFile: files.sqlite,
    });
    if (!parsed.config) throw new ConfigError("the demo configuration is invalid", parsed.errors);
    const config: RunConfig = parsed.config;
    write(`Comparing ${config.from} … ${config.to} for every mapped user …\n`);
    const compare = await compareFromConfig(config, { command: "demo", ...onCompareProgress("compare") });
    write(`${formatCompareSummary(compare)}\n`);

    await exportReport({ reportFile: files.sqlite, format: "junit", outFile: files.junit });
    await exportReport({ reportFile: files.sqlite, format: "md", outFile: files.md });
    await exportReport({ reportFile: files.sqlite, format: "json", outFile: files.json });
    await exportReport({ reportFile: files.sqlite, format: "html", outFile: files.html });
    const screenshot = await screenshotHtmlOverview({ htmlFile: files.html, outFile: files.screenshot, chromiumPath: options.chromiumPath });
    write(screenshot.written ? `Screenshot of the HTML report's overview: ${screenshot.outFile}\n` : `Screenshot of the HTML report's overview skipped: ${screenshot.reason}.\n`);

    const actual = findingCountsOf(compare);
    const expected = expectedFile.findingsByKind;
    const findingsMatchSeeded = JSON.stringify(actual) === JSON.stringify(expected);
    write(
      findingsMatchSeeded
        ? "Findings match the seeded discrepancies kind for kind.\n"
        : `Findings differ from the seeded discrepancies:\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}\n`,
    );

    const gate = runGate({ reportFile: files.sqlite, maxBlocking: 0 });
    write(`\ntoki-parity gate ${files.sqlite} --max-blocking 0\n  ${gate.reason}\n`);
    // A source error cannot be suppressed: the users that were not read are left out instead.
    const unread = new Set(compare.sourceErrors.map((e) => e.tokiUserId));
    const readUsers = compare.users === unread.size ? undefined : listRunUserIds(files.sqlite, compare.runId).filter((id) => !unread.has(id));
    write(`Re-running compare with the team's reviewed suppressions (${DEMO_FILES.suppressions})${unread.size > 0 ? `, without user ${[...unread].join(", ")} whose sources could not be read (--users ${readUsers?.join(",")})` : ""} …\n`);
    await compareFromConfig({ ...config, users: readUsers, reportFile: files.accepted, rulesFile: join(dir, DEMO_FILES.suppressions) }, { command: "demo", ...onCompareProgress("compare with suppressions") });
    const acceptedGate = runGate({ reportFile: files.accepted, maxBlocking: 0 });
    write(`toki-parity gate ${files.accepted} --max-blocking 0\n  ${acceptedGate.reason}\n`);

    // Readiness: doctor over the healthy users and over everyone, then a probe round trip.
    const planted = readJson<{ problemUsers: number[] }>(dir, DEMO_FILES.expected).problemUsers;
    const mapped = readJson<{ users: Array<{ tokiUserId: number }> }>(dir, DEMO_FILES.mapping).users;
    const doctorUsers = mapped.map((u) => u.tokiUserId).filter((id) => !planted.includes(id));
    write(`\ntoki-parity doctor --users ${doctorUsers.join(",")}\n`);
    const doctor = await runDoctor({ config: { ...config, users: doctorUsers } });
    write(indent(formatDoctorText(doctor)));
    const doctorAll = await runDoctor({ config });
    write(`toki-parity doctor (every user)\n  ${doctorVerdict(doctorAll)}\n`);

    const { options: probeOptions } = parseProbeOptions({
      kleer: config.kleer,
      mappingFile: config.mappingFile,
      reportFile: files.probe,
      from: config.from,
      to: config.to,
      tokiUserId: doctorUsers[0],
      apply: true,
    });
    write(`\ntoki-parity probe --apply --user ${doctorUsers[0]}\n`);
    const probe = await runProbe(probeOptions);
    write(`  ${probe.steps.map((step) => `${step.step} ${step.verdict}`).join(" · ")}\n  ${probeVerdict(probe)} (steps and requests recorded in ${files.probe})\n`);

    const replay = await replayIntoSandbox(config, dir, files, write, progress);

    write(`\nReports:\n  ${files.sqlite}\n  ${files.junit}\n  ${files.md}\n  ${files.json}\n  ${files.html}\n${screenshot.written ? `  ${files.screenshot}\n` : ""}  ${files.accepted}\n  ${files.probe}\n  ${files.replay}\n  ${files.relink} (+ .revert.sql)\n`);
    return { compare, files, screenshot, expected, actual, findingsMatchSeeded, gate, acceptedGate, doctor, doctorAll, probe, replay };
  } finally {
    await Promise.all([kleer.close(), milltime.close()]);
  }
}

/** The Toki user ids a run compared or tried to compare. */
function listRunUserIds(reportFile: string, runId: string): number[] {
  const store = openReportStore(reportFile, { clock: systemClock, mustExist: true });
  try {
    return store.readRunUsers(runId).map((u) => u.userKey);
  } finally {
    store.db.close();
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : `  ${line}`))
    .join("\n")
    .replace(/\n*$/, "\n");
}

/**
 * The cutover runbook on a fresh, empty Kleer sandbox: replay (apply), the compare that follows
 * it, a second replay that must write nothing, the timer-history relink script, and a dry-run
 * cleanup of what the replay created.
 */
async function replayIntoSandbox(config: RunConfig, dir: string, files: RunDemoResult["files"], write: (text: string) => void, progress?: DemoProgress): Promise<RunDemoResult["replay"]> {
  const deps = (label: string) =>
    progress ? { onProgress: (p: ReplayProgress) => progress.replay(label, p), onCompareProgress: (p: CompareProgress) => progress.compare(`${label}: compare`, p) } : {};
  const seed = readJson<Record<string, unknown>>(dir, DEMO_FILES.kleerSeed);
  const token = `sandbox-${randomBytes(12).toString("hex")}`;
  const sandbox = await startKleerEmulator({ seed: { ...seed, events: [], dayStatuses: [] }, token, companyId: 4875 });
  try {
    const sandboxConfig: RunConfig = { ...config, kleer: { ...config.kleer, baseUrl: `${sandbox.url}/v1`, token }, reportFile: files.replay };
    write(`\nReplaying into an empty Kleer sandbox at ${sandbox.url}/v1 …\ntoki-parity replay --apply\n`);
    const first = await replayFromConfig(sandboxConfig, { apply: true }, deps("replay"));
    write(indent(formatReplaySummary(first.replay)));
    if (first.compare) {
      const kinds = Object.entries(first.compare.findingsByKind)
        .map(([kind, c]) => [kind, c.blocking + c.warning + c.info] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ");
      write(
        `  replay parity (compare run ${first.compare.runId}): ${first.compare.matches} of ${first.compare.entriesCompared} entries match; top findings: ${kinds}\n` +
          "  (replayed events are open: the attested weeks and approved months must be locked again in Kleer — editability_regression lists them)\n",
      );
    }
    const rerun = await replayFromConfig(sandboxConfig, { apply: true }, deps("replay again"));
    write(`toki-parity replay --apply (again)\n  ${rerun.replay.created} created, ${rerun.replay.plannedSkipExisting} already in Kleer: a re-run never duplicates\n`);
    const relink = await runRelink({ reportFile: files.replay, runId: first.replay.runId, format: "sql", outFile: files.relink, history: config.history });
    write(`toki-parity relink --run ${first.replay.runId} --format sql\n  ${relink.plan.relinks.length} timer-history re-points, ${relink.plan.unrelinked.length} links listed as not replayed → ${relink.files.join(", ")}\n`);
    const cleanup = await cleanupReplayRun({ reportFile: files.replay, runId: first.replay.runId, apply: false, kleer: { token } });
    write(`toki-parity cleanup --run ${first.replay.runId} (dry run)\n  would delete ${cleanup.wouldDelete} events this run created, nothing else\n`);
    return { summary: first.replay, compare: first.compare, rerun: rerun.replay, relinks: relink.plan.relinks.length, cleanup };
  } finally {
    await sandbox.close();
  }
}
