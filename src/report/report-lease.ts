import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type Database from "better-sqlite3";
import { TokiError } from "../domain/errors.js";
import type { Clock } from "../domain/ports.js";

/** How long a lease stays valid without renewal: a killed holder blocks its target at most this long. */
export const RUN_LEASE_TTL_MS = 60_000;
/** How often a running holder renews its lease. */
export const RUN_LEASE_RENEW_MS = 15_000;

/** Who holds a target's lease, as stored in `run_leases`. */
export interface RunLeaseHolder {
  target: string;
  runId: string;
  command: string;
  host: string;
  pid: number;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
}

export interface AcquireRunLeaseOptions {
  /** What is written to: `kleerLeaseTarget(...)` or `historyLeaseTarget(...)`. */
  target: string;
  /** The run taking the lease (updated with `setRunId` once a new run has its id). */
  runId: string;
  command: string;
  clock: Clock;
  /** Take the lease over from this run (`--take-over RUN`): for a holder known to be gone. */
  takeOver?: string | undefined;
  /** @default RUN_LEASE_TTL_MS */
  ttlMs?: number | undefined;
  /** @default RUN_LEASE_RENEW_MS (0: no timer; tests renew by hand) */
  renewEveryMs?: number | undefined;
  /** @default os.hostname() */
  host?: string | undefined;
  /** @default process.pid */
  pid?: number | undefined;
}

/** A held lease: renewed on a timer until released; every write checks it is still held. */
export interface RunLease {
  readonly target: string;
  /** Who held the target before (an expired lease, a dead process, or `--take-over`), if anyone. */
  readonly tookOverFrom: RunLeaseHolder | undefined;
  setRunId(runId: string): void;
  renew(): void;
  /** Throws REFUSED when another process has taken the lease over since. */
  assertHeld(): void;
  release(): void;
}

/** The lease target of a Kleer company: base URL (no trailing `/`) and company id. */
export function kleerLeaseTarget(baseUrl: string, companyId: number): string {
  return `kleer ${baseUrl.replace(/\/+$/, "")} company ${companyId}`;
}

/** The lease target of Toki's database: host, port and database name (never the credentials). */
export function historyLeaseTarget(url: string): string {
  const u = new URL(url);
  return `history postgres://${u.hostname}:${u.port || "5432"}${u.pathname}`;
}

type Row = Record<string, unknown>;
const toHolder = (r: Row): RunLeaseHolder => ({
  target: String(r.target),
  runId: String(r.run_id),
  command: String(r.command),
  host: String(r.host),
  pid: Number(r.pid),
  acquiredAt: String(r.acquired_at),
  renewedAt: String(r.renewed_at),
  expiresAt: String(r.expires_at),
});

/** True when the holder is a process of this machine that no longer exists. */
function isDeadLocalProcess(holder: RunLeaseHolder, host: string): boolean {
  if (holder.host !== host) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** The refusal naming the holder and the safe ways to take over. */
export function describeLeaseRefusal(holder: RunLeaseHolder): string {
  return (
    `${holder.target} is being written by ${holder.command} run ${holder.runId} (host ${holder.host}, pid ${holder.pid}) since ${holder.acquiredAt}; ` +
    `its lease was renewed at ${holder.renewedAt} and expires at ${holder.expiresAt}. Nothing was written. ` +
    `Wait for it to finish; if that process is gone (crashed, killed), run again after ${holder.expiresAt}, or now with --take-over ${holder.runId}`
  );
}

/**
 * Takes the write lease of `target` in the report file, in one IMMEDIATE transaction: free,
 * expired, held by a dead process of this host, or named by `takeOver` → taken; otherwise a
 * REFUSED error naming the holder. Two processes on one file can never both hold it.
 */
export function acquireRunLease(db: Database.Database, options: AcquireRunLeaseOptions): RunLease {
  const { target, clock } = options;
  const ttlMs = options.ttlMs ?? RUN_LEASE_TTL_MS;
  const host = options.host ?? hostname();
  const pid = options.pid ?? process.pid;
  const token = randomBytes(12).toString("hex");
  const select = db.prepare("SELECT * FROM run_leases WHERE target = ?");
  const take = db.transaction((): RunLeaseHolder | undefined => {
    const now = clock.now();
    const row = select.get(target) as Row | undefined;
    const holder = row ? toHolder(row) : undefined;
    if (holder && Date.parse(holder.expiresAt) > now.getTime() && !isDeadLocalProcess(holder, host)) {
      if (options.takeOver === undefined) throw new TokiError("REFUSED", describeLeaseRefusal(holder));
      if (options.takeOver !== holder.runId)
        throw new TokiError("REFUSED", `--take-over ${options.takeOver} does not name the holder: ${describeLeaseRefusal(holder)}`);
    }
    db.prepare(
      `INSERT OR REPLACE INTO run_leases (target, token, run_id, command, host, pid, acquired_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(target, token, options.runId, options.command, host, pid, now.toISOString(), now.toISOString(), new Date(now.getTime() + ttlMs).toISOString());
    return holder;
  });
  const tookOverFrom = take.immediate();
  const renewStatement = db.prepare("UPDATE run_leases SET renewed_at = ?, expires_at = ? WHERE target = ? AND token = ?");
  const held = db.prepare("SELECT 1 FROM run_leases WHERE target = ? AND token = ?");
  let released = false;
  let lost = false;
  const lease: RunLease = {
    target,
    tookOverFrom,
    setRunId(runId) {
      db.prepare("UPDATE run_leases SET run_id = ? WHERE target = ? AND token = ?").run(runId, target, token);
    },
    renew() {
      if (released || lost) return;
      const now = clock.now();
      const changed = renewStatement.run(now.toISOString(), new Date(now.getTime() + ttlMs).toISOString(), target, token).changes;
      if (changed === 0) lost = true;
    },
    assertHeld() {
      if (lost || released || held.get(target, token) === undefined) {
        lost = true;
        throw new TokiError("REFUSED", `the write lease of ${target} was taken over by another process: this run stops writing`);
      }
    },
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      db.prepare("DELETE FROM run_leases WHERE target = ? AND token = ?").run(target, token);
    },
  };
  const every = options.renewEveryMs ?? RUN_LEASE_RENEW_MS;
  const timer = every > 0 ? setInterval(() => {
    try {
      lease.renew();
    } catch {
      // A busy report file: the next tick tries again; the TTL is four renewals long.
    }
  }, every) : undefined;
  timer?.unref();
  return lease;
}

/** The current holder of a target, if any (for status output and tests). */
export function readRunLease(db: Database.Database, target: string): RunLeaseHolder | undefined {
  const row = db.prepare("SELECT * FROM run_leases WHERE target = ?").get(target) as Row | undefined;
  return row ? toHolder(row) : undefined;
}
