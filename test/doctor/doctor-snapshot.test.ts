import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DoctorResult } from "../../src/doctor/index.js";
import { exportMilltimeSnapshot, parseMilltimeCredentials } from "../../src/milltime/index.js";
import { fixedClock, startDoctorWorld, type DoctorWorld } from "./doctor-world.js";

async function exportSnapshot(world: DoctorWorld, from: string, to: string): Promise<string> {
  const outDir = join(world.dir, `snapshot-${from}-${to}`);
  await exportMilltimeSnapshot({
    from,
    to,
    credentials: parseMilltimeCredentials(world.credentials),
    baseUrl: world.milltime.milltimeUrl,
    instanceId: world.milltime.instanceId,
    outDir,
    clock: fixedClock,
  });
  return outDir;
}

const snapshotFlags = (dir: string, period: "week" | "month") => ({ milltimeUrl: undefined, milltimeCredentials: undefined, milltimeSnapshot: dir, period });
const milltime = (result: DoctorResult) => result.checks.find((c) => c.id === "milltime")!;

describe("doctor with a Milltime snapshot", () => {
  it("passes when the snapshot holds every reply compare will ask for, and reads coverage from it", async () => {
    const world = await startDoctorWorld();
    // Compare of February reads 2026-01-31..2026-03-01 (a day either side) and TimeInfo per month.
    const dir = await exportSnapshot(world, "2026-01-31", "2026-03-01");
    const requestsAfterExport = world.milltime.requestLog.length;
    const result = await world.doctor(snapshotFlags(dir, "month"));
    expect(milltime(result)).toMatchObject({ title: "Milltime snapshot", status: "pass" });
    expect(milltime(result).detail).toMatch(/^snapshot .* covers 2026-01-31\.\.2026-03-01 for 3 users; \d+ files match their sha256$/);
    expect(result.checks.find((c) => c.id === "mapping-coverage")?.detail).toBe(
      "4 entries of 3 users in 2026-02-01..2026-02-28, 4 ready: every user, project and activity is mapped and Kleer accepts them",
    );
    expect(result.ok).toBe(true);
    expect(world.milltime.requestLog.length).toBe(requestsAfterExport);
  });

  it("fails when a TimeInfo period compare needs is not in the snapshot", async () => {
    const world = await startDoctorWorld();
    const dir = await exportSnapshot(world, "2026-01-31", "2026-03-01");
    const result = await world.doctor(snapshotFlags(dir, "week"));
    expect(milltime(result).status).toBe("fail");
    // The week 2026-01-26..2026-02-01 clipped to February is a period the export never asked for.
    expect(milltime(result).detail).toContain("TimeInfo 2026-02-01..2026-02-01");
    expect(result.ok).toBe(false);
  });

  it("passes for a snapshot of exactly the range: the export adds the day either side compare reads", async () => {
    const world = await startDoctorWorld();
    const dir = await exportSnapshot(world, "2026-02-01", "2026-02-28");
    const result = await world.doctor(snapshotFlags(dir, "month"));
    expect(milltime(result).status).toBe("pass");
  });

  it("fails on a file whose checksum no longer matches, naming it", async () => {
    const world = await startDoctorWorld();
    const dir = await exportSnapshot(world, "2026-01-31", "2026-03-01");
    const file = join(dir, "users", "2", "UserCalendar", "2026-02.json");
    await writeFile(file, (await readFile(file, "utf8")).replace("Webbplats", "Webbplatz"));
    const result = await world.doctor(snapshotFlags(dir, "month"));
    expect(milltime(result).status).toBe("fail");
    expect(milltime(result).detail).toContain("users/2/UserCalendar/2026-02.json does not match its sha256 (modified or truncated)");
    expect(result.checks.find((c) => c.id === "mapping-coverage")?.detail).toContain("not checked for Toki user 2 (its snapshot is incomplete)");
  });

  it("fails when the range lies outside the snapshot", async () => {
    const world = await startDoctorWorld();
    const dir = await exportSnapshot(world, "2026-01-31", "2026-03-01");
    const result = await world.doctor({ ...snapshotFlags(dir, "month"), from: "2026-03-01", to: "2026-03-31" });
    expect(milltime(result)).toMatchObject({ status: "fail", detail: "the snapshot covers 2026-01-31..2026-03-01, not the range 2026-03-01..2026-03-31" });
    expect(result.checks.find((c) => c.id === "mapping-coverage")?.detail).toBe("not run: no user's legacy entries could be read");
  });
});
