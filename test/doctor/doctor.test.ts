import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { login } from "../../src/milltime/index.js";
import { DOCTOR_CHECK_IDS, type DoctorCheck, type DoctorResult } from "../../src/doctor/index.js";
import { COMPANY_ID, KLEER_TOKEN, runDoctorCommand, startDoctorWorld } from "./doctor-world.js";

const check = (result: DoctorResult, id: DoctorCheck["id"]): DoctorCheck => {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const statuses = (result: DoctorResult) => Object.fromEntries(result.checks.map((c) => [c.id, c.status]));

describe("runDoctor against the emulators", () => {
  it("passes every check on a complete setup and says who the token is", async () => {
    const world = await startDoctorWorld();
    const result = await world.doctor();
    expect(statuses(result)).toEqual(Object.fromEntries(DOCTOR_CHECK_IDS.map((id) => [id, "pass"])));
    expect(result.ok).toBe(true);
    expect(check(result, "kleer-auth").detail).toBe("the token authenticates as Kleer user 9000 Toki Integration <toki-integration@exempel.se> in company 4875");
    expect(check(result, "kleer-lookups").detail).toBe("3 projects (2 active), 2 activities, 4 users (4 active)");
    expect(check(result, "kleer-payroll").detail).toBe("payroll schedule and events answer for all 3 mapped users in 2026-02-01..2026-02-28");
    expect(check(result, "milltime").title).toBe("Milltime logins");
    expect(check(result, "milltime").detail).toBe(
      "3 credential rows logged in: Toki user 1 (anna) → Milltime user 201; Toki user 2 (erik) → Milltime user 202; Toki user 3 (maria) → Milltime user 203",
    );
    expect(check(result, "history").detail).toMatch(/: 3 links of 2 users in 2026-02-01\.\.2026-02-28; 1 row skipped \(1 running timers, 0 never saved to a provider\); 0 bad rows$/);
    expect(check(result, "mapping-coverage").detail).toBe(
      "4 entries of 3 users in 2026-02-01..2026-02-28, 4 ready: every user, project and activity is mapped and Kleer accepts them",
    );
    expect(result.checks.every((c) => c.hint === null && !c.blocking)).toBe(true);
    expect(world.milltime.writeLog).toEqual([]);
    expect(world.kleer.requestLog.every((r) => r.method === "GET")).toBe(true);
  });

  it("fails kleer-auth on a wrong token, does not run what depends on it, and never prints the token", async () => {
    const world = await startDoctorWorld();
    const wrong = "wrong-token-0f9e8d7c";
    const result = await world.doctor({}, { TOKI_KLEER__TOKEN: wrong });
    const auth = check(result, "kleer-auth");
    expect(auth).toMatchObject({ status: "fail", blocking: true });
    expect(auth.detail).toContain("HTTP 401");
    expect(auth.hint).toContain("TOKI_KLEER__TOKEN");
    for (const id of ["kleer-lookups", "kleer-payroll", "mapping-coverage"] as const) {
      expect(check(result, id)).toMatchObject({ status: "fail", blocking: false });
      expect(check(result, id).detail).toMatch(/^not run: /);
    }
    expect(check(result, "milltime").status).toBe("pass");
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it("fails the Milltime check naming the user whose password is wrong, without the password", async () => {
    const wrongPassword = "Erik-fel-lösen-123";
    const world = await startDoctorWorld({ credentials: (rows) => void (rows[1]!.password = wrongPassword) });
    const result = await world.doctor();
    const milltime = check(result, "milltime");
    expect(milltime).toMatchObject({ status: "fail", blocking: true });
    expect(milltime.detail).toMatch(/^1 of 3 credential rows failed to log in: Milltime login failed for Toki user 2 \(erik\)/);
    expect(milltime.hint).toContain("credentials.json");
    const coverage = check(result, "mapping-coverage");
    expect(coverage.status).toBe("warn");
    expect(coverage.detail).toBe("3 entries of 2 users in 2026-02-01..2026-02-28, 3 ready; not checked for Toki user 2 (Milltime login failed)");
    const text = JSON.stringify(result);
    expect(text).not.toContain(wrongPassword);
    for (const row of world.credentials) expect(text).not.toContain(row.password);
  });

  it("checks a browser-session credential row with one read, and fails a session Milltime does not know", async () => {
    const world = await startDoctorWorld();
    const maria = world.credentials[2]!;
    const session = await login({ baseUrl: world.milltime.milltimeUrl, username: maria.username, password: maria.password, instanceId: world.milltime.instanceId });
    const rows = (sessionId: string) => [world.credentials[0], world.credentials[1], { tokiUserId: 3, username: "maria", sessionId, csrfToken: session.csrfToken }];
    await writeFile(world.flags.milltimeCredentials!, JSON.stringify(rows(session.sessionId)));
    const searches = () => world.milltime.requestLog.filter((r) => r.url.includes("ProjectSearchMT")).length;
    const result = await world.doctor();
    expect(check(result, "milltime").status).toBe("pass");
    expect(check(result, "milltime").detail).toContain("Toki user 3 (maria) [session] → Milltime user 203");
    expect(searches()).toBe(1);

    // Same shape, never issued by Milltime: a new signature on the same header and payload.
    const [header, payload] = session.sessionId.split(".");
    await writeFile(world.flags.milltimeCredentials!, JSON.stringify(rows(`${header}.${payload}.Zm9yZ2Vk`)));
    const forged = await world.doctor();
    expect(check(forged, "milltime").status).toBe("fail");
    expect(check(forged, "milltime").detail).toMatch(/^1 of 3 credential rows failed to log in: .*Toki user 3 \(maria\)/);
    for (const secret of [session.csrfToken, session.sessionId, `${header}.${payload}.Zm9yZ2Vk`]) {
      expect(JSON.stringify(result)).not.toContain(secret);
      expect(JSON.stringify(forged)).not.toContain(secret);
    }
  });

  it("warns, naming the users, when Kleer has no payroll record for a mapped user", async () => {
    const world = await startDoctorWorld({
      kleerSeed: (seed) => {
        const maria = seed.users?.find((u) => u.id === 5003);
        if (maria) maria.hasPayroll = false;
      },
    });
    const result = await world.doctor();
    const payroll = check(result, "kleer-payroll");
    expect(payroll).toMatchObject({ status: "warn", blocking: false });
    expect(payroll.detail).toBe(
      "payroll answers for 2 of 3 mapped users; no payroll record for Toki user 3 (Kleer user 5003 Maria Malm): " +
        "Toki counts their scheduled hours as 0 (remaining 0, period flex = worked)",
    );
    expect(result.ok).toBe(true);
  });

  it("fails coverage on a legacy entry whose Milltime project is not mapped", async () => {
    const world = await startDoctorWorld({
      milltimeSeed: (seed) =>
        void seed.registrations.push({
          registrationId: "400000000000000099", userId: "202", projectId: "300000000000000009", activityId: "200000000000000001",
          date: "2026-02-12", hours: 3, minutes: 0, note: "Sidospår", attestLevel: 0,
        }),
    });
    const result = await world.doctor();
    const coverage = check(result, "mapping-coverage");
    expect(coverage).toMatchObject({ status: "fail", blocking: true });
    expect(coverage.detail).toBe(
      '5 entries of 3 users in 2026-02-01..2026-02-28, 4 ready. 1 blocking gap: Milltime project 300000000000000009 "Hemligt sidoprojekt" is unmapped (1 entry of user 2)',
    );
    expect(coverage.hint).toContain("mapping.json");
    expect(result.ok).toBe(false);
  });

  it("warns on entries of a mapped project that is inactive in Kleer", async () => {
    const world = await startDoctorWorld({
      kleerSeed: (seed) => {
        const internt = seed.projects?.find((p) => p.id === 902);
        if (internt) internt.active = false;
      },
    });
    const result = await world.doctor();
    const coverage = check(result, "mapping-coverage");
    expect(coverage.status).toBe("warn");
    expect(coverage.detail).toContain("Kleer project 902 is inactive (2 entries of users 1, 3)");
    expect(result.ok).toBe(true);
  });

  it("fails the history check when the history file is missing", async () => {
    const world = await startDoctorWorld();
    const result = await world.doctor({ history: `${world.dir}/no-such-history.csv` });
    const history = check(result, "history");
    expect(history).toMatchObject({ status: "fail", blocking: true });
    expect(history.detail).toContain("history file not found");
    expect(history.hint).toContain("no-such-history.csv");
    expect(result.ok).toBe(false);
  });

  it("only warns when no history is configured", async () => {
    const world = await startDoctorWorld({ history: false });
    const result = await world.doctor();
    expect(check(result, "history")).toMatchObject({ status: "warn", blocking: false });
    expect(result.ok).toBe(true);
  });
});

describe("toki-parity doctor", () => {
  it("exits 0 and prints one line per check", async () => {
    const world = await startDoctorWorld();
    const run = await runDoctorCommand(world.argv(), world.env);
    expect(run.code).toBe(ExitCode.Ok);
    const lines = run.stdout.split("\n");
    expect(lines.filter((l) => l.startsWith("[pass] "))).toHaveLength(DOCTOR_CHECK_IDS.length);
    expect(run.stdout).toContain("[pass] Kleer token and company (kleer-auth): the token authenticates as Kleer user 9000");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("doctor: ready");
  });

  it("exits 1 with a one-line reason on a wrong Kleer token; --json has the stable shape", async () => {
    const world = await startDoctorWorld();
    const run = await runDoctorCommand([...world.argv(), "--json"], { TOKI_KLEER__TOKEN: "wrong-token-0f9e8d7c" });
    expect(run.code).toBe(ExitCode.GateFailed);
    expect(run.message).toBe("doctor: not ready — 1 blocking check failed (kleer-auth)");
    const json = JSON.parse(run.stdout) as { checks: Array<Record<string, unknown>>; ok: boolean };
    expect(Object.keys(json)).toEqual(["checks", "ok"]);
    expect(json.ok).toBe(false);
    expect(json.checks.map((c) => c.id)).toEqual([...DOCTOR_CHECK_IDS]);
    for (const c of json.checks) expect(Object.keys(c)).toEqual(["id", "title", "status", "blocking", "detail", "hint"]);
    expect(run.stdout).not.toContain("wrong-token-0f9e8d7c");
    expect(run.stdout).not.toContain(KLEER_TOKEN);
  });

  it("exits 2 on a configuration error and runs nothing else", async () => {
    const world = await startDoctorWorld();
    const run = await runDoctorCommand(world.argv(), {});
    expect(run.code).toBe(ExitCode.UsageOrConfig);
    expect(run.message).toContain("doctor: the configuration is not valid: 1 problem: --kleer-token / TOKI_KLEER__TOKEN:");
    expect(run.stdout).toContain("[FAIL] Configuration (config)");
    expect(world.kleer.requestLog).toEqual([]);
    expect(world.milltime.requestLog).toEqual([]);
  });

  it("exits 2 when the mapping file is missing", async () => {
    const world = await startDoctorWorld();
    const run = await runDoctorCommand(world.argv({ mapping: `${world.dir}/nope.json` }), world.env);
    expect(run.code).toBe(ExitCode.UsageOrConfig);
    expect(run.stdout).toContain("mapping: cannot read");
  });

  it("without a mapping file still checks Kleer, the Milltime logins and the history, skips what needs the mapping and names the map suggest command", async () => {
    const world = await startDoctorWorld();
    const missing = `${world.dir}/nope.json`;
    const result = await world.doctor({ mapping: missing });
    expect(statuses(result)).toEqual({
      config: "fail",
      "kleer-auth": "pass",
      "kleer-lookups": "pass",
      "kleer-payroll": "fail",
      milltime: "pass",
      history: "pass",
      "mapping-coverage": "fail",
    });
    expect(check(result, "config")).toMatchObject({ blocking: true, detail: `the mapping could not be loaded: mapping: cannot read ${missing}` });
    const suggest =
      `toki-parity map suggest --from 2026-02-01 --to 2026-02-28 --kleer-url ${world.flags.kleerUrl} --kleer-company ${COMPANY_ID} ` +
      `--milltime-url ${world.flags.milltimeUrl} --milltime-credentials ${world.flags.milltimeCredentials} --history ${world.flags.history} --out ${missing}`;
    expect(check(result, "config").hint).toContain(`\`${suggest}\``);
    for (const id of ["kleer-payroll", "mapping-coverage"] as const) {
      expect(check(result, id)).toMatchObject({ status: "fail", blocking: false });
      expect(check(result, id).detail).toMatch(/^not run: it (needs|checks) the mapping/);
    }
    expect(check(result, "milltime").detail).toMatch(/^3 credential rows logged in: /);
    expect(world.kleer.requestLog.length).toBeGreaterThan(0);
    expect(world.milltime.writeLog).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(KLEER_TOKEN);

    const run = await runDoctorCommand(world.argv({ mapping: missing }), world.env);
    expect(run.code).toBe(ExitCode.UsageOrConfig);
    expect(run.stdout).toContain("[pass] Kleer token and company (kleer-auth)");
    expect(run.stdout).toContain("[pass] Milltime logins (milltime)");
    expect(run.stdout).toContain("[skip] Kleer payroll for mapped users (kleer-payroll): not run: it needs the mapping");
    expect(run.stdout).toContain("[skip] Mapping coverage (mapping-coverage): not run: it checks the mapping");
    expect(run.stdout).toContain(`fix: write a reviewed mapping with \`${suggest}\``);
    expect(run.stdout).not.toContain(KLEER_TOKEN);
  });

  it("checks the last full calendar month when no range is given", async () => {
    const world = await startDoctorWorld();
    const run = await runDoctorCommand(world.argv({ from: undefined, to: undefined }), world.env);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toContain("[pass] Configuration (config): range 2026-02-01..2026-02-28 (the last full calendar month, the default)");
  });

  it("names the Milltime user with a wrong password and never prints the password", async () => {
    const world = await startDoctorWorld({ credentials: (rows) => void (rows[1]!.password = "Erik-fel-lösen-123") });
    const run = await runDoctorCommand(world.argv(), world.env);
    expect(run.code).toBe(ExitCode.GateFailed);
    expect(run.stdout).toContain("[FAIL] Milltime logins (milltime): 1 of 3 credential rows failed to log in: Milltime login failed for Toki user 2 (erik)");
    for (const secret of ["Erik-fel-lösen-123", ...world.credentials.map((c) => c.password), KLEER_TOKEN]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
      expect(run.message).not.toContain(secret);
    }
  });
});
