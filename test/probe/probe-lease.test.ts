import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { kleerLeaseTarget } from "../../src/report/report-lease.js";
import { runProbe } from "../../src/probe/index.js";
import { COMPANY_ID, fixedClock, KLEER_TOKEN, RUN_ID, RUN_SUFFIX, runProbeCommand, startProbeWorld, type ProbeWorld } from "./probe-world.js";

let runs = 0;
// One fixed clock, so every run needs its own suffix.
const deps = { clock: fixedClock, runSuffix: () => `p${String(++runs).padStart(3, "0")}` };
const writes = (world: ProbeWorld) => world.served().filter((r) => !r.startsWith("GET "));

/** Plants the lease of a live replay on another machine, on the company the probe writes to. */
function plantLease(world: ProbeWorld, expiresAt: string): void {
  const db = new Database(world.reportFile);
  db.prepare(
    "INSERT INTO run_leases (target, token, run_id, command, host, pid, acquired_at, renewed_at, expires_at) VALUES (?, 'x', 'RUN-OTHER', 'replay', 'laptop-7', 4242, '2026-03-10T08:00:00.000Z', '2026-03-10T08:55:00.000Z', ?)",
  ).run(kleerLeaseTarget(`${world.kleer.url}/v1`, COMPANY_ID), expiresAt);
  db.close();
}

describe("the write lease of the Kleer company (probe --apply)", () => {
  it("a held lease refuses with exit 2 naming the holder before any request; --take-over RUN proceeds and releases", async () => {
    const world = await startProbeWorld();
    // A dry run creates the report file; it takes no lease and is never refused.
    expect((await runProbe(world.options(), deps)).mode).toBe("dry-run");
    plantLease(world, "2999-01-01T00:00:00.000Z");
    expect((await runProbe(world.options(), deps)).ok).toBe(true);
    const served = world.served().length;

    const argv = ["--kleer-url", `${world.kleer.url}/v1`, "--kleer-company", String(COMPANY_ID), "--mapping", world.mappingFile, "--report", world.reportFile, "--apply"];
    const env = { TOKI_KLEER__TOKEN: KLEER_TOKEN };
    const refused = await runProbeCommand(argv, { ...deps, env });
    expect(refused.code).toBe(ExitCode.UsageOrConfig);
    expect(refused.message).toContain(`company ${COMPANY_ID} is being written by replay run RUN-OTHER (host laptop-7, pid 4242) since 2026-03-10T08:00:00.000Z`);
    expect(refused.message).toContain("Nothing was written");
    expect(refused.message).toContain("--take-over RUN-OTHER");
    expect(world.served()).toHaveLength(served);
    // Refused before its run was started: the file holds only the two dry runs.
    const report = world.openReport();
    expect(report.prepare("SELECT COUNT(*) AS n FROM runs WHERE command = 'probe'").get()).toEqual({ n: 2 });

    const taken = await runProbeCommand([...argv, "--take-over", "RUN-OTHER"], { ...deps, env });
    expect(taken.code, taken.message).toBe(ExitCode.Ok);
    expect(writes(world).length).toBeGreaterThan(0);
    expect(world.probeEvents()).toEqual([]);
    expect(report.prepare("SELECT * FROM run_leases").all()).toEqual([]);
  });

  it("holds the lease under its own run id while it writes, and an expired lease is taken", async () => {
    const world = await startProbeWorld();
    await runProbe(world.options(), deps);
    plantLease(world, "2000-01-01T00:00:00.000Z");
    let holder: unknown;
    world.kleer.server.prependListener("request", (req) => {
      if (req.method !== "PUT" || holder !== undefined) return;
      const db = new Database(world.reportFile, { readonly: true });
      holder = db.prepare("SELECT run_id, command, pid FROM run_leases").get();
      db.close();
    });
    const result = await runProbe(world.options({ apply: true }), { ...deps, runSuffix: () => RUN_SUFFIX });
    expect(result.ok).toBe(true);
    expect(holder).toEqual({ run_id: RUN_ID, command: "probe", pid: process.pid });
  });
});
