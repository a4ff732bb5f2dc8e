import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Dispatcher } from "undici";
import { TOOL_VERSION } from "../cli/tool-version.js";
import { resolveWriteMode, type WriteMode } from "../config/write-guard.js";
import type { CutoverMapping } from "../domain/cutover-mapping.js";
import { ConfigError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import type { DateRange, IsoDate, TimeEntryStatus } from "../domain/time-entry.js";
import { globalRedactor } from "../http/redact.js";
import { createKleerAdapter, createKleerClient, type KleerAdapter, type KleerClient } from "../kleer/index.js";
import { loadMappingFile } from "../mapping/index.js";
import { createBufferedRecorder, createReportStore, openReportDatabase } from "../report/index.js";
import { acquireRunLease, kleerLeaseTarget, type RunLease } from "../report/report-lease.js";
import type { ProbeOptions } from "./probe-options.js";
import { probeForeignId, probeWindow, type ProbeTarget } from "./probe-plan.js";
import { runReadSteps } from "./probe-read-steps.js";
import { createStepRunner, describeError, type ProbeStepRunner } from "./probe-steps.js";
import { createProbeReportWriter, type ProbeStepRecord } from "./probe-store.js";
import { runWriteSteps } from "./probe-write-steps.js";

export interface ProbeDeps {
  /** "Today" (the default window) and the run id. @default systemClock */
  clock?: Clock | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** Injected undici dispatcher for Kleer (tests). @default the Kleer client's own pool */
  kleerDispatcher?: Dispatcher | undefined;
  /** Suffix of the run id. @default four random hex characters */
  runSuffix?: (() => string) | undefined;
  /** Per-request deadline for Kleer. @default 30000 */
  kleerTimeoutMs?: number | undefined;
  /** Lease timing (tests). @default RUN_LEASE_TTL_MS / RUN_LEASE_RENEW_MS */
  lease?: { ttlMs?: number; renewEveryMs?: number } | undefined;
}

/** What a probe found; every step is also in the report's `probe_steps` table. */
export interface ProbeResult {
  runId: string;
  reportFile: string;
  mode: WriteMode;
  kleerHost: string;
  companyId: number;
  tokiUserId: number;
  kleerUserId: number;
  window: DateRange;
  /** The day the probe's event is written on (null when no open day was found). */
  eventDate: IsoDate | null;
  /** The day the locked-day refusal was tried on (null when none was found or given). */
  lockedDate: { date: IsoDate; status: TimeEntryStatus } | null;
  /** `toki-parity-probe:<run id>`: every event the probe writes carries it. */
  foreignId: string;
  steps: ProbeStepRecord[];
  warnings: string[];
  /** Events the probe created and could not delete (delete them by hand). */
  leftovers: string[];
  /** No step failed. */
  ok: boolean;
}

/** The mapped user to probe as: `--user`, else the first mapped user that has a Kleer user. */
export function pickProbeUser(mapping: CutoverMapping, tokiUserId: number | undefined): { tokiUserId: number; kleerUserId: number } {
  if (tokiUserId !== undefined) {
    const user = mapping.users.find((u) => u.tokiUserId === tokiUserId);
    if (!user) throw new ConfigError(`--user ${tokiUserId}: no such user in the mapping file`);
    if (user.kleerUserId === undefined) throw new ConfigError(`--user ${tokiUserId}: the mapping gives this user no Kleer user id`);
    return { tokiUserId, kleerUserId: user.kleerUserId };
  }
  const first = mapping.users.find((u) => u.kleerUserId !== undefined);
  if (!first || first.kleerUserId === undefined) throw new ConfigError("the mapping file has no user with a Kleer user id to probe as (give --user TOKI_ID)");
  return { tokiUserId: first.tokiUserId, kleerUserId: first.kleerUserId };
}

/** Shared state of one probe, filled in by the read steps and used by the write steps. */
export interface ProbeContext {
  options: ProbeOptions;
  mode: WriteMode;
  adapter: KleerAdapter;
  /** The raw client: the locked-day step goes past the adapter's own pre-check, as Toki's adapter has none. */
  client: KleerClient;
  runner: ProbeStepRunner;
  runId: string;
  foreignId: string;
  kleerUserId: number;
  window: DateRange;
  target?: ProbeTarget | undefined;
  eventDate?: IsoDate | undefined;
  lockedDate?: { date: IsoDate; status: TimeEntryStatus } | undefined;
  /** Why the write steps cannot run: `<step> failed` for the first read step that failed. */
  blockedBy?: string | undefined;
  warnings: string[];
  leftovers: string[];
}

/**
 * A contract round trip through the Kleer adapter for one mapped user: list projects and
 * activities, read day statuses, then (with `--apply`) create → read back → edit → read back →
 * delete → verify gone, and a create on a locked day that must be refused. Whatever the probe
 * created is deleted in a `finally`, even when a step fails. Refuses a production host without
 * `allowProduction` before making any request. Each step and its requests go to the report.
 */
export async function runProbe(options: ProbeOptions, deps: ProbeDeps = {}): Promise<ProbeResult> {
  const mode = resolveWriteMode({ baseUrl: options.kleer.baseUrl, apply: options.apply, allowProduction: options.allowProduction });
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  globalRedactor.add(options.kleer.token);
  const { mapping } = await loadMappingFile(options.mappingFile);
  const user = pickProbeUser(mapping, options.tokiUserId);
  const window = probeWindow(clock.now(), options.timeZone, options.from, options.to);
  const kleerHost = new URL(options.kleer.baseUrl).host;

  mkdirSync(dirname(options.reportFile), { recursive: true });
  const db = openReportDatabase(options.reportFile);
  let lease: RunLease | undefined;
  try {
    const store = createReportStore(db, { clock, ...(deps.runSuffix ? { runSuffix: deps.runSuffix } : {}) });
    // Writing takes the company's lease like replay and cleanup: a probe never writes beside them.
    if (mode === "apply")
      lease = acquireRunLease(db, {
        target: kleerLeaseTarget(options.kleer.baseUrl, options.kleer.companyId),
        runId: "(starting)",
        command: "probe",
        clock,
        takeOver: options.takeOverRunId,
        ttlMs: deps.lease?.ttlMs,
        renewEveryMs: deps.lease?.renewEveryMs,
      });
    const runId = store.startRun({
      command: "probe",
      range: window,
      toolVersion: TOOL_VERSION,
      options: {
        mode,
        kleer: { baseUrl: options.kleer.baseUrl, companyId: options.kleer.companyId },
        tokiUserId: user.tokiUserId,
        kleerUserId: user.kleerUserId,
        timeZone: options.timeZone,
        lockedDate: options.lockedDate ?? null,
        mapping: options.mappingFile,
      },
    });
    lease?.setRunId(runId);
    const recorder = createBufferedRecorder();
    const client = createKleerClient({ ...options.kleer, dispatcher: deps.kleerDispatcher, recorder, timeoutMs: deps.kleerTimeoutMs });
    const ctx: ProbeContext = {
      options,
      mode,
      adapter: createKleerAdapter({ client, kleerUserId: user.kleerUserId, timeZone: options.timeZone, clock, logger }),
      client,
      runner: createStepRunner(createProbeReportWriter(db, runId, user.tokiUserId), recorder),
      runId,
      foreignId: probeForeignId(runId),
      kleerUserId: user.kleerUserId,
      window,
      warnings: [],
      leftovers: [],
    };
    try {
      await runReadSteps(ctx);
      lease?.assertHeld();
      await runWriteSteps(ctx);
    } catch (error) {
      store.failRun(runId, describeError(error));
      throw error;
    } finally {
      await client.close();
    }
    if (mode === "dry-run") ctx.warnings.push(`dry run: only the read steps ran; pass --apply to run the write steps against ${kleerHost}`);
    const count = (verdict: string) => ctx.runner.steps.filter((s) => s.verdict === verdict).length;
    const ok = count("fail") === 0;
    store.completeRun(runId, {
      ok,
      mode,
      passed: count("pass"),
      failed: count("fail"),
      skipped: count("skip"),
      eventDate: ctx.eventDate ?? null,
      lockedDate: ctx.lockedDate?.date ?? null,
      leftovers: ctx.leftovers,
      warnings: ctx.warnings,
    });
    return {
      runId,
      reportFile: options.reportFile,
      mode,
      kleerHost,
      companyId: options.kleer.companyId,
      tokiUserId: user.tokiUserId,
      kleerUserId: user.kleerUserId,
      window,
      eventDate: ctx.eventDate ?? null,
      lockedDate: ctx.lockedDate ?? null,
      foreignId: ctx.foreignId,
      steps: ctx.runner.steps,
      warnings: ctx.warnings,
      leftovers: ctx.leftovers,
      ok,
    };
  } finally {
    lease?.release();
    db.close();
  }
}
