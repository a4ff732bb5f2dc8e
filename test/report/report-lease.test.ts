import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TokiError } from "../../src/domain/errors.js";
import type { Clock } from "../../src/domain/ports.js";
import { migrateReport } from "../../src/report/report-migrations.js";
import {
  acquireRunLease,
  describeLeaseRefusal,
  historyLeaseTarget,
  kleerLeaseTarget,
  readRunLease,
  RUN_LEASE_TTL_MS,
  type AcquireRunLeaseOptions,
  type RunLease,
} from "../../src/report/report-lease.js";

// The write lease in one report file, in process: who may write to a Kleer company or Toki's
// database, when a lease counts as gone, and what a refused run is told. (The cross-process
// race and the SIGKILL resume run real CLI processes in test/replay/replay-lease.test.ts.)
const TARGET = kleerLeaseTarget("http://127.0.0.1:4010/", 42);
const T0 = Date.parse("2026-12-02T10:00:00.000Z");

/** A clock the test moves by hand. */
function manualClock(start = T0): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

const open: Database.Database[] = [];
const leases: RunLease[] = [];
afterEach(() => {
  for (const l of leases.splice(0)) l.release();
  for (const db of open.splice(0)) db.close();
});

function reportDb(): Database.Database {
  const db = new Database(":memory:");
  migrateReport(db, new Date(T0).toISOString());
  open.push(db);
  return db;
}

function acquire(db: Database.Database, options: Partial<AcquireRunLeaseOptions> & { clock: Clock }): RunLease {
  // pid 1 is always alive, so a lease of "this host" is never taken for a dead process.
  const lease = acquireRunLease(db, { target: TARGET, runId: "RUN-A", command: "replay", host: "build-1", pid: 1, renewEveryMs: 0, ...options });
  leases.push(lease);
  return lease;
}

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TokiError);
    expect((error as TokiError).code).toBe("REFUSED");
    return (error as Error).message;
  }
  throw new Error("expected a REFUSED error");
};

describe("lease targets", () => {
  it("name the Kleer company without a trailing slash, and Toki's database without credentials", () => {
    expect(kleerLeaseTarget("https://api.kleer.se///", 7)).toBe("kleer https://api.kleer.se company 7");
    expect(kleerLeaseTarget("https://api.kleer.se", 7)).toBe("kleer https://api.kleer.se company 7");
    expect(historyLeaseTarget("postgres://toki:s3cret@db.internal:6543/toki")).toBe("history postgres://db.internal:6543/toki");
    expect(historyLeaseTarget("postgres://toki:s3cret@db.internal/toki")).toBe("history postgres://db.internal:5432/toki");
    expect(historyLeaseTarget("postgres://toki:s3cret@db.internal/toki")).not.toContain("s3cret");
  });
});

describe("acquireRunLease", () => {
  it("records the holder with its expiry one TTL ahead, and release frees the target", () => {
    const db = reportDb();
    const clock = manualClock();
    const lease = acquire(db, { clock });
    expect(lease.tookOverFrom).toBeUndefined();
    expect(lease.target).toBe(TARGET);
    expect(readRunLease(db, TARGET)).toEqual({
      target: TARGET,
      runId: "RUN-A",
      command: "replay",
      host: "build-1",
      pid: 1,
      acquiredAt: "2026-12-02T10:00:00.000Z",
      renewedAt: "2026-12-02T10:00:00.000Z",
      expiresAt: new Date(T0 + RUN_LEASE_TTL_MS).toISOString(),
    });
    lease.release();
    expect(readRunLease(db, TARGET)).toBeUndefined();
    lease.release();
    expect(readRunLease(db, TARGET)).toBeUndefined();
  });

  it("a live holder refuses a second run, naming it and the safe ways out; nothing changes", () => {
    const db = reportDb();
    const clock = manualClock();
    acquire(db, { clock });
    clock.advance(RUN_LEASE_TTL_MS - 1);
    const message = refusal(() => acquire(db, { clock, runId: "RUN-B", command: "cleanup", host: "laptop-7", pid: 2 }));
    expect(message).toBe(describeLeaseRefusal(readRunLease(db, TARGET)!));
    expect(message).toContain("is being written by replay run RUN-A (host build-1, pid 1) since 2026-12-02T10:00:00.000Z");
    expect(message).toContain("Nothing was written");
    expect(message).toContain("--take-over RUN-A");
    expect(readRunLease(db, TARGET)?.runId).toBe("RUN-A");
  });

  it("a lease other targets hold does not refuse", () => {
    const db = reportDb();
    const clock = manualClock();
    acquire(db, { clock });
    const other = acquire(db, { clock, target: kleerLeaseTarget("http://127.0.0.1:4010", 43), runId: "RUN-B" });
    expect(other.tookOverFrom).toBeUndefined();
    expect(readRunLease(db, TARGET)?.runId).toBe("RUN-A");
  });

  it("an expired lease is taken, and the new holder knows whom it took over from", () => {
    const db = reportDb();
    const clock = manualClock();
    acquire(db, { clock });
    clock.advance(RUN_LEASE_TTL_MS);
    const second = acquire(db, { clock, runId: "RUN-B" });
    expect(second.tookOverFrom).toMatchObject({ runId: "RUN-A", host: "build-1" });
    expect(readRunLease(db, TARGET)).toMatchObject({ runId: "RUN-B", acquiredAt: new Date(T0 + RUN_LEASE_TTL_MS).toISOString() });
  });

  it("a lease of a process of this host that no longer exists is taken; another host's same pid is not", () => {
    const db = reportDb();
    const clock = manualClock();
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max: no such process
    acquire(db, { clock, pid: deadPid });
    refusal(() => acquire(db, { clock, runId: "RUN-B", host: "laptop-7", pid: 3 }));
    const second = acquire(db, { clock, runId: "RUN-B", pid: 3 });
    expect(second.tookOverFrom).toMatchObject({ runId: "RUN-A", pid: deadPid });
  });

  it("--take-over takes a live lease only when it names the holder's run", () => {
    const db = reportDb();
    const clock = manualClock();
    acquire(db, { clock });
    const wrong = refusal(() => acquire(db, { clock, runId: "RUN-B", takeOver: "RUN-X" }));
    expect(wrong).toMatch(/^--take-over RUN-X does not name the holder: .*run RUN-A/);
    expect(readRunLease(db, TARGET)?.runId).toBe("RUN-A");
    const second = acquire(db, { clock, runId: "RUN-B", takeOver: "RUN-A" });
    expect(second.tookOverFrom?.runId).toBe("RUN-A");
    expect(readRunLease(db, TARGET)?.runId).toBe("RUN-B");
  });

  it("renewal moves the expiry; a lease taken over since stops its old holder's writes", () => {
    const db = reportDb();
    const clock = manualClock();
    const first = acquire(db, { clock, ttlMs: 1000 });
    first.setRunId("RUN-A2");
    clock.advance(600);
    first.renew();
    expect(readRunLease(db, TARGET)).toMatchObject({ runId: "RUN-A2", renewedAt: new Date(T0 + 600).toISOString(), expiresAt: new Date(T0 + 1600).toISOString() });
    first.assertHeld();
    clock.advance(900);
    // Renewed at +600 with a 1 s TTL: still held at +1500.
    refusal(() => acquire(db, { clock, runId: "RUN-B" }));
    clock.advance(200);
    const second = acquire(db, { clock, runId: "RUN-B" });
    expect(second.tookOverFrom?.runId).toBe("RUN-A2");
    expect(refusal(() => first.assertHeld())).toBe(`the write lease of ${TARGET} was taken over by another process: this run stops writing`);
    // The old holder's renewal and release leave the new holder's lease alone.
    first.renew();
    first.release();
    expect(readRunLease(db, TARGET)).toMatchObject({ runId: "RUN-B", expiresAt: new Date(T0 + 1700 + RUN_LEASE_TTL_MS).toISOString() });
    second.assertHeld();
  });

  it("a renewal that finds the lease gone marks it lost; a released lease no longer counts as held", () => {
    const db = reportDb();
    const clock = manualClock();
    const lease = acquire(db, { clock });
    db.prepare("DELETE FROM run_leases").run();
    lease.renew();
    refusal(() => lease.assertHeld());
    const other = acquire(db, { clock, target: historyLeaseTarget("postgres://db/toki") });
    other.release();
    refusal(() => other.assertHeld());
    other.renew();
    expect(readRunLease(db, historyLeaseTarget("postgres://db/toki"))).toBeUndefined();
  });

  it("a holder renews on its timer (the default every 15 s) until released", () => {
    vi.useFakeTimers();
    try {
      const db = reportDb();
      const clock = manualClock();
      const lease = acquireRunLease(db, { target: TARGET, runId: "RUN-A", command: "replay", host: "build-1", pid: 1, clock });
      leases.push(lease);
      clock.advance(15_000);
      vi.advanceTimersByTime(15_000);
      expect(readRunLease(db, TARGET)?.expiresAt).toBe(new Date(T0 + 15_000 + RUN_LEASE_TTL_MS).toISOString());
      lease.release();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a holder on this host whose liveness cannot be checked (another user's process) keeps its lease", () => {
    const db = reportDb();
    const clock = manualClock();
    acquire(db, { clock, pid: 4242 });
    const kill = vi.spyOn(process, "kill").mockImplementation(() => {
      throw Object.assign(new Error("kill EPERM"), { code: "EPERM" });
    });
    try {
      expect(refusal(() => acquire(db, { clock, runId: "RUN-B", pid: 3 }))).toContain("run RUN-A (host build-1, pid 4242)");
      expect(kill).toHaveBeenCalledWith(4242, 0);
    } finally {
      kill.mockRestore();
    }
    expect(readRunLease(db, TARGET)?.runId).toBe("RUN-A");
  });

  it("renewEveryMs 0 starts no timer: the lease lapses unless renewed by hand", () => {
    vi.useFakeTimers();
    try {
      const db = reportDb();
      const clock = manualClock();
      acquire(db, { clock, renewEveryMs: 0 });
      expect(vi.getTimerCount()).toBe(0);
      clock.advance(RUN_LEASE_TTL_MS);
      vi.advanceTimersByTime(RUN_LEASE_TTL_MS);
      expect(readRunLease(db, TARGET)?.expiresAt).toBe(new Date(T0 + RUN_LEASE_TTL_MS).toISOString());
      expect(acquire(db, { clock, runId: "RUN-B" }).tookOverFrom?.runId).toBe("RUN-A");
    } finally {
      vi.useRealTimers();
    }
  });
});
