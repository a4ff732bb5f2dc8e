import type { Dispatcher } from "undici";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import { isInShard } from "../domain/shard.js";
import { createKleerClient, type KleerClient } from "../kleer/index.js";
import { createMilltimeDispatcher } from "../milltime/index.js";
import { checkConfig, type DoctorOptions, type LoadedDoctorConfig } from "./doctor-config.js";
import { checkCoverage } from "./doctor-coverage.js";
import { checkHistory } from "./doctor-history.js";
import { checkKleerAuth, checkKleerLookups, checkKleerPayroll, kleerHint, kleerNotRun, type KleerCompanyLists } from "./doctor-kleer.js";
import { checkMilltimeLive, checkMilltimeSnapshot, type MilltimeCheckResult } from "./doctor-milltime.js";
import {
  DOCTOR_CHECK_IDS,
  fail,
  messageOf,
  notRun,
  toCheck,
  type CheckOutcome,
  type DoctorCheckId,
  type DoctorResult,
} from "./doctor-types.js";

export interface DoctorDeps {
  /** Decides Milltime session expiry. @default systemClock */
  clock?: Clock | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** Injected undici dispatcher for Kleer (tests). @default the Kleer client's own pool */
  kleerDispatcher?: Dispatcher | undefined;
  /** Injected undici dispatcher for Milltime (tests). @default a keep-alive pool owned by the run */
  milltimeDispatcher?: Dispatcher | undefined;
  /** Per-request deadline for Kleer. @default 30000 */
  kleerTimeoutMs?: number | undefined;
}

function resultOf(outcomes: Map<DoctorCheckId, CheckOutcome>): DoctorResult {
  const checks = DOCTOR_CHECK_IDS.map((id) => toCheck(id, outcomes.get(id) ?? notRun("an earlier check failed", "fix the failed checks above first")));
  return { checks, ok: !checks.some((c) => c.blocking) };
}

async function runKleerChecks(client: KleerClient, loaded: LoadedDoctorConfig, inScope: (id: number) => boolean, out: Map<DoctorCheckId, CheckOutcome>): Promise<KleerCompanyLists | undefined> {
  const auth = await checkKleerAuth(client);
  out.set("kleer-auth", auth);
  if (auth.status === "fail") {
    out.set("kleer-lookups", kleerNotRun());
    out.set("kleer-payroll", kleerNotRun());
    return undefined;
  }
  const lookups = await checkKleerLookups(client);
  out.set("kleer-lookups", lookups.outcome);
  const { config, mapping } = loaded;
  if (loaded.mappingProblem !== undefined) {
    out.set("kleer-payroll", notRun("it needs the mapping (which Kleer user each Toki user is), and the mapping could not be loaded", "see the config check's fix"));
    return lookups.lists;
  }
  const users = mapping.users.filter((u) => inScope(u.tokiUserId));
  out.set("kleer-payroll", await checkKleerPayroll(client, users, { from: config.from, to: config.to }, config.concurrency, lookups.lists?.users));
  return lookups.lists;
}

/**
 * Checks that a cutover run can start: configuration, Kleer token and lists, payroll, Milltime
 * access (live logins or a complete snapshot), timer history and mapping coverage. Only reads;
 * never throws for a failed check (each becomes a `fail` with a hint). Secrets never reach the
 * result.
 */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps = {}): Promise<DoctorResult> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const out = new Map<DoctorCheckId, CheckOutcome>();
  const configCheck = await checkConfig(options);
  out.set("config", configCheck.outcome);
  const loaded = configCheck.loaded;
  if (!loaded) {
    for (const id of DOCTOR_CHECK_IDS) if (id !== "config") out.set(id, notRun("the configuration is not valid", "fix the config check first"));
    return resultOf(out);
  }
  const { config } = loaded;
  const wanted = config.users ? new Set(config.users) : undefined;
  const inScope = (id: number) => (wanted === undefined || wanted.has(id)) && isInShard(id, config.shard);
  const range = { from: config.from, to: config.to };

  let client: KleerClient | undefined;
  try {
    client = createKleerClient({ ...config.kleer, dispatcher: deps.kleerDispatcher, timeoutMs: deps.kleerTimeoutMs });
  } catch (error) {
    out.set("kleer-auth", fail(messageOf(error), kleerHint(error, config.kleer.companyId)));
  }
  const ownMilltimeDispatcher = !deps.milltimeDispatcher && !config.milltime.snapshotDir;
  const milltimeDispatcher = deps.milltimeDispatcher ?? (config.milltime.snapshotDir ? undefined : createMilltimeDispatcher());
  let milltime: MilltimeCheckResult | undefined;
  try {
    const [lists, milltimeResult, history] = await Promise.all([
      client ? runKleerChecks(client, loaded, inScope, out) : Promise.resolve(undefined),
      config.milltime.snapshotDir
        ? checkMilltimeSnapshot(loaded, inScope, { logger })
        : checkMilltimeLive(loaded, inScope, { clock, logger, dispatcher: milltimeDispatcher as Dispatcher, concurrency: config.concurrency }),
      checkHistory(config.history, range, config.timeZone, inScope, logger),
    ]);
    milltime = milltimeResult;
    out.set("milltime", milltime.outcome);
    out.set("history", history);
    if (loaded.mappingProblem !== undefined) {
      out.set("mapping-coverage", notRun("it checks the mapping, which could not be loaded", "see the config check's fix"));
    } else if (!lists) {
      out.set("mapping-coverage", notRun("Kleer's projects, activities and users did not load", "fix the Kleer checks first"));
    } else if (milltime.sources.length === 0) {
      out.set("mapping-coverage", notRun("no user's legacy entries could be read", "fix the milltime check first"));
    } else {
      out.set(
        "mapping-coverage",
        await checkCoverage({
          mapping: loaded.mapping,
          mappingFile: config.mappingFile,
          range,
          sources: milltime.sources,
          unreadable: milltime.unreadable,
          kleer: lists,
          concurrency: config.concurrency,
        }),
      );
    }
  } finally {
    await milltime?.close();
    await client?.close();
    if (ownMilltimeDispatcher) await milltimeDispatcher?.close();
  }
  return resultOf(out);
}
