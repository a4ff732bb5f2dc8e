import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportReport } from "../../src/report/index.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { hugeBody, replyArb, settle, type FuzzReply } from "./fuzz-support.js";
import { batchIsWhole, readRunRows, startCompareFuzzWorld, type CompareFuzzWorld, type RunRows, type TargetedReply } from "./compare-fuzz-kit.js";
import { kleerEndpoints } from "./kleer-samples.js";
import { milltimeStoreCases } from "./milltime-samples.js";

/**
 * Level (c): a whole compare run (compareFromConfig over both demo emulators) in which one user's
 * Kleer or Milltime replies are malformed. That user gets a `source_error` finding with a clear
 * message, every other user comes out exactly as in a clean run, the run completes, and every
 * user's batch in the report is whole.
 */

/** Toki user 2 (erik): Milltime 202, Kleer 5502 (with a payroll record). */
const TARGET = { tokiUserId: 2, kleerUserId: 5502, milltimeUserId: "202" };
const dir = mkdtempSync(join(tmpdir(), "toki-parity-compare-fuzz-"));
let world: CompareFuzzWorld;
let baseline: RunRows;
let baselineSourceErrors: number;
let runNo = 0;

const kleer = kleerEndpoints();
const milltime = milltimeStoreCases();
const HUGE = hugeBody((kleer.find((e) => e.name === "events")!.sample as { "event-readables": unknown[] })["event-readables"][0], 4);

async function compareWith(target: TargetedReply | undefined) {
  world.target(target);
  const reportFile = join(dir, `run-${++runNo}.sqlite`);
  const outcome = await settle(() => compareFromConfig(world.config(reportFile)), 60_000);
  world.target(undefined);
  if (!outcome.ok) throw outcome.error;
  return { summary: outcome.value, reportFile, rows: readRunRows(reportFile) };
}

/** Checks everything level (c) promises; returns the target user's source_error messages. */
function expectIsolatedFailure(rows: RunRows): string[] {
  expect(rows.status).toBe("completed");
  expect([...rows.users.keys()].sort((a, b) => a - b)).toEqual([...baseline.users.keys()].sort((a, b) => a - b));
  for (const [key, user] of rows.users) {
    expect(batchIsWhole(user), `user ${key}`).toEqual([]);
    if (key === TARGET.tokiUserId) continue;
    const before = baseline.users.get(key)!;
    expect(user.user, `run_users of user ${key}`).toEqual(before.user);
    expect(user.entries, `entries of user ${key}`).toEqual(before.entries);
    expect(user.findings, `findings of user ${key}`).toEqual(before.findings);
    expect(user.timeInfo, `time_info of user ${key}`).toEqual(before.timeInfo);
  }
  const target = rows.users.get(TARGET.tokiUserId)!;
  return target.findings.map((f) => JSON.parse(f) as { kind: string; message: string }).filter((f) => f.kind === "source_error").map((f) => f.message);
}

describe("a compare run where one user's replies are malformed", () => {
  beforeAll(async () => {
    world = await startCompareFuzzWorld(TARGET);
    const clean = await compareWith(undefined);
    baseline = clean.rows;
    baselineSourceErrors = clean.summary.usersWithSourceErrors;
    expect(baseline.users.get(TARGET.tokiUserId)!.user.status).toBe("compared");
  }, 60_000);
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("Kleer answers the user's events with an HTML page: a source_error naming the content problem and the request", async () => {
    const { summary, rows, reportFile } = await compareWith({
      kleer: "event",
      reply: { status: 200, contentType: "text/html", body: "<!DOCTYPE html><html><body>Maintenance</body></html>", label: "HTML" },
    });
    expect(summary.status).toBe("completed");
    expect(summary.usersWithSourceErrors).toBe(baselineSourceErrors + 1);
    const messages = expectIsolatedFailure(rows);
    expect(rows.users.get(TARGET.tokiUserId)!.user.status).toBe("source_error");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^kleer: INVALID_RESPONSE: expected JSON, got HTML from GET \/company\/\{companyId\}\/event\?userId=\{userId\}/);
    // The exports read the same run.
    const json = JSON.parse((await exportReport({ reportFile, format: "json" })).text) as unknown;
    expect(JSON.stringify(json)).toContain("expected JSON, got HTML");
  });

  it("Kleer sends the user's day statuses with an impossible date: a source_error naming the field path", async () => {
    const body = JSON.stringify({ "event-restriction-readables": [{ status: { type: "APPROVED", "event-date": "2026-02-30" } }] });
    const { rows } = await compareWith({ kleer: "event/statuses", reply: { status: 200, contentType: "application/json", body, label: "impossible date" } });
    const messages = expectIsolatedFailure(rows);
    expect(messages).toEqual([
      expect.stringMatching(/^kleer: INVALID_RESPONSE: event-restriction-readables\[0\]\.status\.event-date: expected a real date in YYYY-MM-DD form/),
    ]);
  });

  it("Milltime answers the user's calendar with a truncated body: a source_error naming the content problem", async () => {
    const { rows } = await compareWith({
      milltime: "UserCalendar",
      reply: { status: 200, contentType: "application/json", body: '{"rows":[{"weeks":[{"days":[', label: "truncated" },
    });
    const messages = expectIsolatedFailure(rows);
    expect(messages).toEqual([expect.stringMatching(/^milltime: INVALID_RESPONSE: Milltime answered GET \/data\/store\/UserCalendar\?filter=\{filter\} for Toki user 2 \(erik\) with truncated or malformed JSON/)]);
  });

  it("Milltime's TimeInfo for the user holds hours as text: a source_error naming store, user and field", async () => {
    const sample = milltime.find((c) => c.store === "TimeInfo")!.sample;
    const body = JSON.stringify({ ...sample, rows: [{ ...(sample.rows[0] as object), WorkedPeriodTime: "NaN" }] });
    const { rows } = await compareWith({ milltime: "TimeInfo", reply: { status: 200, contentType: "application/json", body, label: "NaN text" } });
    const messages = expectIsolatedFailure(rows);
    expect(messages).toEqual([expect.stringMatching(/^milltime: INVALID_RESPONSE: Milltime TimeInfo .* for Toki user 2 \(erik\): rows\[0\]\.WorkedPeriodTime: /)]);
  });

  it("a malformed company-wide list (activities) fails every mapped user's Kleer side, and the run still completes", async () => {
    const body = JSON.stringify({ "activity-readables": [{ id: { id: "22427" }, name: "Utveckling" }] });
    world.target({ kleer: "activity", reply: { status: 200, contentType: "application/json", body, label: "string id" } });
    const reportFile = join(dir, `run-${++runNo}.sqlite`);
    const summary = await compareFromConfig(world.config(reportFile));
    world.target(undefined);
    const rows = readRunRows(reportFile);
    expect(summary.status).toBe("completed");
    for (const [key, user] of rows.users) {
      expect(batchIsWhole(user), `user ${key}`).toEqual([]);
      const mapped = user.user.kleer_user_id !== null;
      const kleerErrors = user.findings.map((f) => JSON.parse(f) as { kind: string; field: string; message: string }).filter((f) => f.kind === "source_error" && f.field === "kleer");
      expect(kleerErrors.map((f) => f.message), `user ${key}`).toEqual(
        mapped ? [expect.stringMatching(/^kleer: INVALID_RESPONSE: activity-readables\[0\]\.id\.id: expected number, received string/)] : [],
      );
    }
  });

  /** Replies without transient statuses (those are retried with backoff; retries have their own suite). */
  const lasting = (sample: unknown) => replyArb(sample, HUGE).filter((r: FuzzReply) => ![429, 502, 503, 504].includes(r.status));
  const targetArb: fc.Arbitrary<TargetedReply> = fc.oneof(
    lasting(kleer.find((e) => e.name === "events")!.sample).map((reply) => ({ kleer: "event" as const, reply })),
    lasting(kleer.find((e) => e.name === "event statuses")!.sample).map((reply) => ({ kleer: "event/statuses" as const, reply })),
    lasting(kleer.find((e) => e.name === "payroll schedule")!.sample).map((reply) => ({ kleer: "payroll" as const, reply })),
    lasting(milltime.find((c) => c.store === "UserCalendar")!.sample).map((reply) => ({ milltime: "UserCalendar" as const, reply })),
    lasting(milltime.find((c) => c.store === "TimeInfo")!.sample).map((reply) => ({ milltime: "TimeInfo" as const, reply })),
  );

  it("whatever the user's one source answers, only that user is affected and the run completes", async () => {
    let broken = 0;
    await fc.assert(
      fc.asyncProperty(targetArb, async (target) => {
        const { summary, rows } = await compareWith(target);
        expect(summary.status).toBe("completed");
        const messages = expectIsolatedFailure(rows);
        const status = rows.users.get(TARGET.tokiUserId)!.user.status;
        if (status !== "source_error") return;
        broken++;
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) {
          expect(message).toMatch(new RegExp(`^${target.kleer ? "kleer" : "milltime"}: (INVALID_RESPONSE|PROVIDER_ERROR|NOT_FOUND|AUTH_FAILED|FORBIDDEN): `));
          expect(message.length).toBeLessThanOrEqual(520);
          expect(message).not.toContain("[object Object]");
        }
      }),
      { numRuns: 12 },
    );
    expect(broken, "no fuzzed reply broke the user's source").toBeGreaterThan(0);
  }, 180_000);
});
