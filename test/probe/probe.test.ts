import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { TokiError } from "../../src/domain/errors.js";
import { PROBE_STEPS, readProbeSteps, runProbe, type ProbeResult } from "../../src/probe/index.js";
import { fixedClock, FOREIGN_ID, interceptingAgent, KLEER_TOKEN, RUN_ID, RUN_SUFFIX, runProbeCommand, startProbeWorld } from "./probe-world.js";

const deps = { clock: fixedClock, runSuffix: () => RUN_SUFFIX };
const verdicts = (result: ProbeResult) => Object.fromEntries(result.steps.map((s) => [s.step, s.verdict]));
const step = (result: ProbeResult, name: string) => {
  const found = result.steps.find((s) => s.step === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
};

describe("runProbe --apply against the Kleer emulator", () => {
  it("passes the whole round trip, is refused on the locked day, and leaves nothing behind", async () => {
    const world = await startProbeWorld();
    const before = world.kleer.state.events({});
    const result = await runProbe(world.options({ apply: true }), deps);

    expect(result.ok).toBe(true);
    expect(result).toMatchObject({ runId: RUN_ID, mode: "apply", tokiUserId: 1, kleerUserId: 5001, eventDate: "2026-03-10", foreignId: FOREIGN_ID });
    expect(result.window).toEqual({ from: "2026-01-08", to: "2026-03-10" });
    expect(result.lockedDate).toEqual({ date: "2026-02-27", status: "certified" });
    expect(result.steps.map((s) => s.step)).toEqual([...PROBE_STEPS]);
    expect(Object.values(verdicts(result)).every((v) => v === "pass")).toBe(true);
    expect(step(result, "list-activities").detail).toBe(
      'project 901 "Sandlåda" allows 2 activities; the probe creates on activity 22427 "Utveckling", the edit moves it to 22428 "Möten"',
    );
    expect(step(result, "read-back-edited").detail).toContain('2.25 h on 2026-03-10, project 901 "Sandlåda", activity 22428 "Möten"');
    // Kleer's own answer, sent past this toolkit's pre-check, and the adapter's guard, apart.
    expect(step(result, "locked-create").detail).toMatch(/^Kleer refused a create on 2026-02-27 \(certified in Kleer\): HTTP 409 .*CERTIFIED/);
    expect(step(result, "locked-guard").detail).toMatch(/^this toolkit's adapter refuses a create on 2026-02-27 \(certified in Kleer\) before sending it \(DATE_LOCKED: /);
    expect(step(result, "cleanup").detail).toBe(`nothing left behind: no event with foreign id ${FOREIGN_ID} on 2026-03-10, 2026-02-27`);
    expect(result.warnings).toEqual([]);

    // What Kleer saw: one create, one update, one delete, and one create on the locked day (refused);
    // the adapter's guard sent nothing.
    const writes = world.served().filter((r) => !r.startsWith("GET "));
    expect(writes).toEqual(["PUT /event", expect.stringMatching(/^POST \/event\/\d+$/), expect.stringMatching(/^DELETE \/event\/\d+$/), "PUT /event"]);
    expect(world.kleer.requestLog.filter((r) => r.method === "PUT").map((r) => r.status)).toEqual([200, 409]);
    expect(world.kleer.state.events({})).toEqual(before);
    expect(world.probeEvents()).toEqual([]);
  });

  it("records the run, every step with its verdict and requests, and the requests table rows", async () => {
    const world = await startProbeWorld();
    const result = await runProbe(world.options({ apply: true }), deps);
    const db = world.openReport();
    const run = db.prepare("SELECT command, status, from_date, to_date, options_json, summary_json FROM runs WHERE run_id = ?").get(RUN_ID) as Record<string, string>;
    expect(run).toMatchObject({ command: "probe", status: "completed", from_date: "2026-01-08", to_date: "2026-03-10" });
    expect(JSON.parse(run.summary_json!)).toMatchObject({ ok: true, mode: "apply", passed: PROBE_STEPS.length, failed: 0, skipped: 0 });
    const steps = readProbeSteps(db, RUN_ID);
    expect(steps.map((s) => [s.step, s.verdict])).toEqual(PROBE_STEPS.map((s) => [s, "pass"]));
    expect(steps).toEqual(result.steps);
    expect(steps.find((s) => s.step === "create")?.requests).toContain("PUT /company/{companyId}/event → 200");
    expect(steps.find((s) => s.step === "edit")?.requests).toContain("POST /company/{companyId}/event/{eventId} → 200");
    expect(steps.find((s) => s.step === "delete")?.requests).toContain("DELETE /company/{companyId}/event/{eventId} → 200");
    const requestRows = db.prepare("SELECT COUNT(*) AS n, MIN(user_key) AS lo, MAX(user_key) AS hi FROM requests WHERE run_id = ?").get(RUN_ID) as Record<string, number>;
    expect(requestRows.n).toBe(steps.reduce((sum, s) => sum + s.requests.length, 0));
    expect(requestRows.n).toBe(world.kleer.requestLog.length);
    expect([requestRows.lo, requestRows.hi]).toEqual([1, 1]);
    const everything = JSON.stringify(db.prepare("SELECT * FROM runs").all()) + JSON.stringify(db.prepare("SELECT * FROM probe_steps").all()) + JSON.stringify(db.prepare("SELECT * FROM requests").all());
    expect(everything).not.toContain(KLEER_TOKEN);
  });

  it("keeps the activity on edit when the user may report only one", async () => {
    const world = await startProbeWorld();
    const result = await runProbe(world.options({ apply: true, tokiUserId: 2 }), deps);
    expect(result.ok).toBe(true);
    expect(step(result, "list-activities").detail).toContain("the edit keeps it (the project allows only one activity)");
    expect(result.lockedDate).toBeNull();
    expect(step(result, "locked-create")).toMatchObject({ verdict: "skip" });
    expect(result.warnings).toEqual([
      "no approved or certified day for Kleer user 5002 in 2026-01-08..2026-03-10: the locked-day refusal was not checked (give --locked-date D)",
    ]);
  });

  it("fails locked-create when the given --locked-date is open, without writing on it", async () => {
    const world = await startProbeWorld();
    const result = await runProbe(world.options({ apply: true, lockedDate: "2026-03-03" }), deps);
    expect(result.ok).toBe(false);
    expect(step(result, "locked-create")).toMatchObject({ verdict: "fail" });
    expect(step(result, "locked-create").detail).toBe("--locked-date 2026-03-03 is open in Kleer: the locked-day refusal cannot be tested on it (give an approved or certified day); nothing was written");
    expect(step(result, "locked-guard")).toMatchObject({ verdict: "skip" });
    expect(world.served().filter((r) => r.startsWith("PUT "))).toHaveLength(1);
    expect(world.probeEvents()).toEqual([]);
  });

  it("fails (blocking) when Kleer accepts a write on a locked day, deletes that event, and still reports the adapter's guard", async () => {
    const world = await startProbeWorld();
    world.kleer.state.acceptWritesOnLockedDays(true);
    const before = world.kleer.state.events({});
    const result = await runProbe(world.options({ apply: true }), deps);
    expect(result.ok).toBe(false);
    expect(step(result, "locked-create").verdict).toBe("fail");
    expect(step(result, "locked-create").detail).toMatch(
      /^Kleer accepted a write on a locked day: a create on 2026-02-27 \(certified in Kleer\) was stored as event (\d+)\. Toki has no guard of its own .* Event \1 was deleted again\.$/,
    );
    expect(step(result, "locked-guard")).toMatchObject({ verdict: "pass" });
    expect(step(result, "cleanup").verdict).toBe("pass");
    expect(world.served().filter((r) => r.startsWith("DELETE "))).toHaveLength(2);
    expect(world.probeEvents()).toEqual([]);
    expect(world.kleer.state.events({})).toEqual(before);
  });

  it("still deletes the created event when the edit fails mid-probe (fault injected on POST /event/{id})", async () => {
    const world = await startProbeWorld();
    const agent = interceptingAgent((options) =>
      options.method === "POST" && /\/event\/\d+$/.test(options.path) ? { ...options, path: options.path.replace("/event/", "/event-broken/") } : options,
    );
    const result = await runProbe(world.options({ apply: true }), { ...deps, kleerDispatcher: agent });
    expect(result.ok).toBe(false);
    expect(verdicts(result)).toMatchObject({
      create: "pass",
      "read-back": "pass",
      edit: "fail",
      "read-back-edited": "skip",
      delete: "skip",
      "verify-deleted": "skip",
      "locked-create": "pass",
      "locked-guard": "pass",
      cleanup: "pass",
    });
    expect(step(result, "edit").detail).toMatch(/^NOT_FOUND: /);
    expect(step(result, "delete").detail).toBe("not run: edit failed");
    expect(step(result, "cleanup").detail).toMatch(/^deleted 1 event the probe had left: \d+$/);
    expect(world.probeEvents()).toEqual([]);
    expect(agent.calls.some((c) => c.startsWith("DELETE "))).toBe(true);
  });

  it("finds and deletes an event whose create reply was lost (by its foreign id)", async () => {
    const world = await startProbeWorld();
    // The emulator carries out the PUT but drops the connection before replying; every other request is served normally.
    const agent = interceptingAgent((options) => {
      world.kleer.setFaults(options.method === "PUT" ? { dropAfterWriteRate: 1 } : {});
      return options;
    });
    const result = await runProbe(world.options({ apply: true }), { ...deps, kleerDispatcher: agent });
    expect(result.ok).toBe(false);
    expect(step(result, "create").verdict).toBe("fail");
    expect(step(result, "read-back").detail).toBe("not run: create failed");
    // Every PUT loses its reply, the locked-day one too: Kleer's answer is unknown, so no pass.
    expect(step(result, "locked-create").verdict).toBe("fail");
    expect(step(result, "locked-create").detail).toMatch(/^Kleer's answer to a create on 2026-02-27 \(certified in Kleer\) does not say whether it refuses locked days: /);
    expect(step(result, "locked-guard").verdict).toBe("pass");
    expect(step(result, "cleanup").detail).toMatch(/^deleted 1 event the probe had left: \d+$/);
    expect(world.kleer.requestLog.some((r) => r.method === "PUT" && r.fault === "drop-after-write")).toBe(true);
    expect(world.probeEvents()).toEqual([]);
    expect(result.leftovers).toEqual([]);
  });

  it("refuses a production host without --allow-production before any request", async () => {
    const world = await startProbeWorld();
    const agent = interceptingAgent((options) => options);
    const options = world.options({ apply: true, kleer: { baseUrl: "https://api.kleer.se/v1", token: KLEER_TOKEN, companyId: 4875 } });
    const error = await runProbe(options, { ...deps, kleerDispatcher: agent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokiError);
    expect((error as TokiError).code).toBe("REFUSED");
    expect((error as TokiError).message).toContain("--allow-production");
    expect(agent.calls).toEqual([]);
    expect(existsSync(world.reportFile)).toBe(false);
  });
});

describe("runProbe when a read step fails", () => {
  it("writes nothing with a wrong token and says why each later step did not run", async () => {
    const world = await startProbeWorld();
    const options = world.options({ apply: true, kleer: { baseUrl: `${world.kleer.url}/v1`, token: "wrong-token-77aa", companyId: 4875 } });
    const result = await runProbe(options, deps);
    expect(result.ok).toBe(false);
    expect(step(result, "list-projects").detail).toMatch(/^AUTH_FAILED: Kleer rejected the integration token/);
    expect(step(result, "list-activities").detail).toBe("not run: list-projects failed");
    expect(step(result, "create").detail).toBe("not run: list-projects failed");
    expect(step(result, "cleanup").verdict).toBe("skip");
    expect(world.kleer.requestLog.every((r) => r.method === "GET")).toBe(true);
    expect(JSON.stringify(result)).not.toContain("wrong-token-77aa");
  });

  it("does not write when every day of the window is locked", async () => {
    const world = await startProbeWorld((seed) => {
      seed.dayStatuses = [...(seed.dayStatuses ?? []), ...["2026-03-09", "2026-03-10"].map((date) => ({ userId: 5001, date, status: "approved" as const }))];
    });
    const result = await runProbe(world.options({ apply: true, from: "2026-03-09", to: "2026-03-10" }), deps);
    expect(step(result, "day-statuses")).toMatchObject({ verdict: "fail" });
    expect(step(result, "day-statuses").detail).toContain("every day is locked, so the probe has no day to write on");
    expect(step(result, "create").detail).toBe("not run: day-statuses failed");
    expect(world.kleer.requestLog.every((r) => r.method === "GET")).toBe(true);
  });
});

describe("runProbe without --apply", () => {
  it("runs only the read steps, makes no write request and says what it would write", async () => {
    const world = await startProbeWorld();
    const before = world.kleer.state.events({});
    const result = await runProbe(world.options(), deps);
    expect(result.ok).toBe(true);
    expect(result.mode).toBe("dry-run");
    expect(world.kleer.requestLog.length).toBeGreaterThan(0);
    expect(world.kleer.requestLog.every((r) => r.method === "GET")).toBe(true);
    expect(world.kleer.state.events({})).toEqual(before);
    expect(verdicts(result)).toEqual({
      "list-projects": "pass",
      "list-activities": "pass",
      "day-statuses": "pass",
      create: "skip",
      "read-back": "skip",
      edit: "skip",
      "read-back-edited": "skip",
      delete: "skip",
      "verify-deleted": "skip",
      "locked-create": "skip",
      "locked-guard": "skip",
      cleanup: "skip",
    });
    expect(step(result, "create").detail).toBe(
      `dry run: would PUT /event for Kleer user 5001: 1.5 h on 2026-03-10, project 901 "Sandlåda", activity 22427 "Utveckling", note "toki-parity probe ${RUN_ID}", foreign id ${FOREIGN_ID}`,
    );
    expect(step(result, "locked-create").detail).toBe("dry run: would send a create on 2026-02-27 (certified) with activity 22427 to Kleer directly and expect Kleer to refuse it");
    expect(step(result, "locked-guard").detail).toBe("dry run: would try the same create through this toolkit's adapter and expect DATE_LOCKED before any request");
    expect(result.warnings.at(-1)).toMatch(/^dry run: only the read steps ran; pass --apply/);
  });

  it("reads a production host without --allow-production: a dry run plans no write", async () => {
    const world = await startProbeWorld();
    // Every request meant for api.kleer.se is delivered to the emulator instead.
    const agent = interceptingAgent((options) => ({ ...options, origin: world.kleer.url }));
    const options = world.options({ kleer: { baseUrl: "https://api.kleer.se/v1", token: KLEER_TOKEN, companyId: 4875 } });
    const result = await runProbe(options, { ...deps, kleerDispatcher: agent });
    expect(result).toMatchObject({ mode: "dry-run", ok: true, kleerHost: "api.kleer.se" });
    expect(agent.calls.length).toBeGreaterThan(0);
    expect(agent.calls.every((c) => c.startsWith("GET "))).toBe(true);
  });
});

describe("toki-parity probe", () => {
  it("exits 0 on a passing probe and prints each step with its requests", async () => {
    const world = await startProbeWorld();
    const run = await runProbeCommand(
      ["--kleer-url", `${world.kleer.url}/v1`, "--kleer-company", "4875", "--mapping", world.mappingFile, "--report", world.reportFile, "--apply"],
      { ...deps, env: { TOKI_KLEER__TOKEN: KLEER_TOKEN } },
    );
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toContain(`run ${RUN_ID} in ${world.reportFile}; foreign id ${FOREIGN_ID}`);
    expect(run.stdout).toMatch(/\[pass\] create \([\d.]+ ms\): created event \d+/);
    expect(run.stdout).toContain("         PUT /company/{companyId}/event → 200");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`probe: ok (${PROBE_STEPS.length} passed, 0 failed, 0 skipped)`);
    expect(run.stdout).not.toContain(KLEER_TOKEN);
  });

  it("exits 2 on a production host with --apply but without --allow-production", async () => {
    const world = await startProbeWorld();
    const agent = interceptingAgent((options) => options);
    const run = await runProbeCommand(["--mapping", world.mappingFile, "--report", world.reportFile, "--apply"], {
      ...deps,
      kleerDispatcher: agent,
      env: { TOKI_KLEER__TOKEN: KLEER_TOKEN, TOKI_KLEER__COMPANY_ID: "4875" },
    });
    expect(run.code).toBe(ExitCode.UsageOrConfig);
    expect(run.message).toContain("refusing to write to api.kleer.se");
    expect(agent.calls).toEqual([]);
  });

  it("exits 1 with a one-line reason when Kleer accepts a write on a locked day", async () => {
    const world = await startProbeWorld();
    world.kleer.state.acceptWritesOnLockedDays(true);
    const run = await runProbeCommand(
      ["--kleer-url", `${world.kleer.url}/v1`, "--kleer-company", "4875", "--mapping", world.mappingFile, "--report", world.reportFile, "--apply"],
      { ...deps, env: { TOKI_KLEER__TOKEN: KLEER_TOKEN } },
    );
    expect(run.code).toBe(ExitCode.GateFailed);
    expect(run.message).toBe(`probe: failed at locked-create (${PROBE_STEPS.length - 1} passed, 1 failed, 0 skipped)`);
    expect(run.stdout).toContain("Kleer accepted a write on a locked day");
    expect(run.stdout).toContain("Toki has no guard of its own");
    expect(world.probeEvents()).toEqual([]);
  });

  it("exits 2 on a bad option", async () => {
    const run = await runProbeCommand(["--user", "anna"], { ...deps, env: { TOKI_KLEER__TOKEN: KLEER_TOKEN, TOKI_KLEER__COMPANY_ID: "4875" } });
    expect(run.code).toBe(ExitCode.UsageOrConfig);
    expect(run.message).toBe("--user: not a Toki user id: anna");
  });
});
