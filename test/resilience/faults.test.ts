import { describe, expect, it } from "vitest";
import { generateSyntheticCompany } from "../../src/demo/synthetic-company.js";
import type { FaultOptionsInput } from "../../src/emulator/emulator-faults.js";
import type { RetryOptions } from "../../src/http/retry.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { demoFiles, filesOfCompany, readRun, serveRunFiles, type StoredRequest } from "./company-run.js";
import { compareWithRetry, replayWithRetry } from "./retrying-run.js";
import { recordingSleep, startScriptedProxy } from "./scripted-proxy.js";

/** About 20% of the tries of each kind fail: 5xx HTML page, 429 with Retry-After: 0, dropped connection. */
const READ_FAULTS = { errorRate: 0.2, rateLimitRate: 0.2, retryAfterSeconds: 0, dropRate: 0.2 } as const satisfies FaultOptionsInput;

/**
 * Retries without waiting, and enough of them: with three fault kinds at 20% about half of all
 * tries fail, and which request meets which fault depends on the arrival order of concurrent
 * requests, so the test must not depend on any request getting through within 5 tries.
 */
function fastRetry(): RetryOptions & { waits: number[] } {
  const { sleep, waits } = recordingSleep();
  return { maxAttempts: 20, sleep, waits };
}

const sumAttempts = (requests: StoredRequest[], system: string) => requests.filter((r) => r.system === system).reduce((n, r) => n + r.attempts, 0);

describe("a compare run under injected faults", () => {
  it("finds exactly what a fault-free run finds, and the requests table shows the retries", async () => {
    const files = demoFiles();
    const clean = await serveRunFiles(files);
    const faulty = await serveRunFiles(files, { kleer: { ...READ_FAULTS, seed: 41 }, milltime: { ...READ_FAULTS, seed: 42 } });

    const cleanConfig = clean.config("clean");
    const cleanSummary = await compareWithRetry(cleanConfig, fastRetry());
    const retry = fastRetry();
    const faultyConfig = faulty.config("faulty");
    const faultySummary = await compareWithRetry(faultyConfig, retry);

    // The fault-free run finds the seeded discrepancies (as the demo checks).
    const counts = (byKind: typeof cleanSummary.findingsByKind) =>
      Object.fromEntries(
        Object.entries(byKind)
          .map(([kind, c]) => [kind, c.blocking + c.warning + c.info + c.suppressed] as const)
          .filter(([, n]) => n > 0)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    expect(counts(cleanSummary.findingsByKind)).toEqual(files.expectedFindingsByKind);

    // Same kinds, same counts, same rows by (kind, user_key, date, legacy_id, kleer_id).
    expect(counts(faultySummary.findingsByKind)).toEqual(counts(cleanSummary.findingsByKind));
    const cleanRun = readRun(cleanConfig.reportFile);
    const faultyRun = readRun(faultyConfig.reportFile);
    expect(faultyRun.findings.length).toBeGreaterThan(0);
    expect(faultyRun.findings).toEqual(cleanRun.findings);
    expect({ users: faultySummary.users, sourceErrors: faultySummary.usersWithSourceErrors, matches: faultySummary.matches }).toEqual({
      users: cleanSummary.users,
      sourceErrors: cleanSummary.usersWithSourceErrors,
      matches: cleanSummary.matches,
    });

    // Every fault kind was served, on both sides.
    for (const emulator of [faulty.kleer, faulty.milltime]) {
      const kinds = new Set(emulator.requestLog.map((r) => r.fault));
      expect([...kinds].sort()).toEqual(["drop", "error", "rate-limit", null].sort());
    }
    // The same requests, retried: one row per request, its tries in `attempts`.
    expect(faultyRun.requests.length).toBe(cleanRun.requests.length);
    expect(cleanRun.requests.every((r) => r.attempts === 1)).toBe(true);
    for (const system of ["kleer", "milltime"]) {
      expect(faultyRun.requests.filter((r) => r.system === system && r.attempts > 1).length).toBeGreaterThan(0);
    }
    // … each ending with the status the fault-free run got (2xx, and the planted failures' own).
    const finalStatuses = (requests: StoredRequest[]) => requests.map((r) => `${r.system} ${r.method} ${r.route} ${r.status}`).sort();
    expect(finalStatuses(faultyRun.requests)).toEqual(finalStatuses(cleanRun.requests));
    // Every try the emulators saw is counted in a row (the preflight's user/me belongs to no user and has none).
    expect(sumAttempts(faultyRun.requests, "milltime")).toBe(faulty.milltime.requestLog.length);
    const preflightTries = faulty.kleer.requestLog.filter((r) => r.url.endsWith("/user/me")).length;
    expect(sumAttempts(faultyRun.requests, "kleer") + preflightTries).toBe(faulty.kleer.requestLog.length);
    // Retry-After: 0 is honoured as "now"; backoff waits come from the jitter.
    expect(retry.waits).toContain(0);
  }, 120_000);

  it("is retried by the production wiring (compareFromConfig) with the default policy", async () => {
    const files = demoFiles();
    const clean = await serveRunFiles(files);
    const served = await serveRunFiles(files);
    const now = { status: 503, headers: { "retry-after": "0" } };
    const kleerProxy = await startScriptedProxy(served.kleer.url, [{ status: 429, headers: { "retry-after": "0" } }, now]);
    const milltimeProxy = await startScriptedProxy(served.milltime.url, [now]);

    const cleanConfig = clean.config("clean");
    await compareFromConfig(cleanConfig);
    const config = served.config("via-proxies", { kleerBaseUrl: `${kleerProxy.url}/v1`, milltimeUrl: `${milltimeProxy.url}/cgi/mt.cgi` });
    await compareFromConfig(config);

    expect(readRun(config.reportFile).findings).toEqual(readRun(cleanConfig.reportFile).findings);
    // The preflight user/me was tried three times; the first Milltime request (a login POST) twice.
    expect(kleerProxy.hits.slice(0, 3).map((h) => [h.url.replace(/^\/v1\/company\/\d+/, ""), typeof h.step === "string" ? h.step : h.step.status])).toEqual([
      ["/user/me", 429],
      ["/user/me", 503],
      ["/user/me", "forward"],
    ]);
    const retried = readRun(config.reportFile).requests.filter((r) => r.attempts > 1);
    expect(retried).toEqual([expect.objectContaining({ system: "milltime", method: "POST", route: "/api/login", status: 200, attempts: 2 })]);
  }, 120_000);
});

describe("a replay under injected faults", () => {
  it("ends with exactly one Kleer event per legacy entry, lost replies and refused writes included", async () => {
    const company = generateSyntheticCompany({ users: 3, to: "2026-11-20", days: 14, seed: 5150 });
    const files = filesOfCompany(company, { withKleerEvents: false });
    const world = await serveRunFiles(files, {
      kleer: { ...READ_FAULTS, dropAfterWriteRate: 0.2, seed: 43 },
      milltime: { ...READ_FAULTS, seed: 44 },
    });
    const config = world.config("replay");
    const retry = fastRetry();

    // A replay that could not settle every entry is resumed, as an operator would.
    let summary = await replayWithRetry(config, retry);
    const runId = summary.runId;
    const rounds = [summary];
    while ((summary.failed > 0 || summary.unsettled > 0 || summary.usersWithSourceErrors > 0) && rounds.length < 10) {
      summary = await replayWithRetry(config, retry, runId);
      rounds.push(summary);
    }
    expect(summary).toMatchObject({ failed: 0, unsettled: 0, usersWithSourceErrors: 0 });

    const events = world.kleer.state.events({});
    const perForeignId = new Map<string, number>();
    for (const e of events) perForeignId.set(e.foreignId, (perForeignId.get(e.foreignId) ?? 0) + 1);
    expect(events.length).toBe(company.registrations.length);
    for (const reg of company.registrations) expect(perForeignId.get(`milltime:${reg.registrationId}`), reg.registrationId).toBe(1);

    // The faults did reach the writes: replies lost after the write, and writes refused outright.
    const puts = world.kleer.requestLog.filter((r) => r.method === "PUT");
    expect(puts.filter((r) => r.fault === "drop-after-write").length).toBeGreaterThan(0);
    expect(puts.filter((r) => r.fault === "rate-limit" || r.fault === "error" || r.fault === "drop").length).toBeGreaterThan(0);
    // Every PUT that took effect made exactly one event: no write was sent twice blindly.
    const effective = puts.filter((r) => r.fault === null || r.fault === "drop-after-write");
    expect(effective.length).toBe(company.registrations.length);
  }, 120_000);
});
