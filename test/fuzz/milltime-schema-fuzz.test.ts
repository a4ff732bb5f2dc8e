import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidResponseError, TokiError } from "../../src/domain/errors.js";
import { decodeSessionJwt } from "../../src/milltime/milltime-login.js";
import { createMilltimeReader, type MilltimeReader } from "../../src/milltime/milltime-reader.js";
import type { MilltimeSnapshotManifest } from "../../src/milltime/milltime-snapshot-manifest.js";
import type { MilltimeSnapshot } from "../../src/milltime/milltime-snapshot-source.js";
import { parseEnvelope } from "../../src/milltime/milltime-stores.js";
import { applyMutation, expectSaneValues, expectTypedError, mutatedArb, nestedJunk, PURE_RUNS, settle, wholeReplyDamage } from "./fuzz-support.js";
import { MILLTIME_WEEK, milltimeStoreCases, type MilltimeStoreCase } from "./milltime-samples.js";

/**
 * Level (a): Milltime store replies as parsed values, fed to the reader through an in-memory
 * store source (no HTTP): the envelope, the row schemas and the mapping to domain values.
 */

const WHO = "Toki user 1 (anna)";
const cases = milltimeStoreCases();

/** A reader whose every store reply is `reply` (what a snapshot file or a live body would hold once parsed). */
function readerAnswering(reply: unknown): MilltimeReader {
  const snapshot: MilltimeSnapshot = {
    dir: "(in memory)",
    manifest: {} as MilltimeSnapshotManifest,
    sourceFor: () => ({ who: WHO, fetchStore: async () => reply }),
  };
  return createMilltimeReader({ source: { kind: "snapshot", snapshot, tokiUserId: 1 } });
}

/** Runs the reader call; an error must be typed and name the store and the user. */
async function readExpectingSanity(c: MilltimeStoreCase, reply: unknown): Promise<TokiError | undefined> {
  const outcome = await settle(() => c.read(readerAnswering(reply)));
  if (outcome.ok) {
    expectSaneValues(outcome.value);
    return undefined;
  }
  const error = expectTypedError(outcome.error, ["INVALID_RESPONSE", "PROVIDER_ERROR", "NOT_FOUND"], c.store);
  expect(error.message).toMatch(/^Milltime /);
  expect(error.message).toContain(c.store);
  expect(error.message).toContain(WHO);
  // "Expected exactly one row, got 2" is about `rows` as a whole; every other schema error leads with its path.
  if (error instanceof InvalidResponseError && error.fieldPath !== "rows") expect(error.message).toContain(`${error.fieldPath}: `);
  return error;
}

describe.each(cases.map((c) => [c.store, c] as const))("Milltime %s replies, parsed and mapped", (_store, c) => {
  it("reads the real reply it is fuzzed from", async () => {
    expect(await readExpectingSanity(c, c.sample)).toBeUndefined();
  });

  it("turns any JavaScript value into sane domain values or a typed error naming store, user and field", async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ maxDepth: 4 }), async (value) => {
        await readExpectingSanity(c, value);
      }),
      { numRuns: PURE_RUNS },
    );
  });

  it.each(wholeReplyDamage(c.sample).map((d) => [d.label, d.value] as const))("refuses or sanely reads the real reply with %s", async (_label, value) => {
    await readExpectingSanity(c, value);
  });

  it("turns a real reply with one field dropped, nulled or of a wrong type into sane values or an error on that branch", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedArb(c.sample), async ({ value, mutation }) => {
        const error = await readExpectingSanity(c, value);
        if (!(error instanceof InvalidResponseError) || error.fieldPath === "rows") return;
        const failing = error.fieldPath.replace(/\[(\d+)\]/g, ".$1").split(".").filter((s) => s !== "");
        const mutated = mutation.path.map(String);
        const shared = Math.min(failing.length, mutated.length);
        expect(failing.slice(0, shared), `${error.message} vs mutation at ${mutated.join(".")}`).toEqual(mutated.slice(0, shared));
      }),
      { numRuns: PURE_RUNS },
    );
  });

  it("reports success:false as PROVIDER_ERROR even when the rest of the body is deeply nested junk", async () => {
    for (const junk of [nestedJunk(20), nestedJunk(50_000)]) {
      const error = await readExpectingSanity(c, { rows: [junk], success: false, message: "Ett fel uppstod" });
      expect(error?.code).toBe("PROVIDER_ERROR");
      expect(error?.message).toContain("success:false");
    }
  });
});

describe("Milltime row schemas name the bad field", () => {
  const calendar = cases.find((c) => c.store === "UserCalendar")!;
  const timeInfo = cases.find((c) => c.store === "TimeInfo")!;
  const dayPath = ["rows", 0, "weeks", 0, "days", 1];

  it.each(["2026-02-30", "2026-13-01", "", "yesterday", "2026-10-6", null, 20261006])("refuses the registration day %j and names the day's path", async (regday) => {
    const value = applyMutation(calendar.sample, { op: "replace", path: [...dayPath, "regday"], value: regday });
    const error = await readExpectingSanity(calendar, value);
    expect(error?.code).toBe("INVALID_RESPONSE");
    expect((error as InvalidResponseError).fieldPath).toBe("rows[0].weeks[0].days[1].regday");
  });

  it.each(["NaN", "Infinity", "1e999", "7,5", null, true])("refuses hours %j of a registration", async (hours) => {
    const rows = calendar.sample.rows as Array<{ weeks: Array<{ days: Array<{ projectregistrations: unknown[] }> }> }>;
    const dayIndex = rows[0]!.weeks[0]!.days.findIndex((d) => d.projectregistrations.length > 0);
    expect(dayIndex).toBeGreaterThanOrEqual(0);
    const path = ["rows", 0, "weeks", 0, "days", dayIndex, "projectregistrations", 0, "projtimehh"];
    const error = await readExpectingSanity(calendar, applyMutation(calendar.sample, { op: "replace", path, value: hours }));
    expect((error as InvalidResponseError).fieldPath).toBe(`rows[0].weeks[0].days[${dayIndex}].projectregistrations[0].projtimehh`);
    // The message also names the day the bad registration is on.
    expect(error?.message).toMatch(/day \d{4}-\d{2}-\d{2}/);
  });

  it("refuses a TimeInfo figure that overflowed to Infinity in the JSON text", async () => {
    const text = JSON.stringify(timeInfo.sample).replace(/"WorkedPeriodTime":[-0-9.e]+/, '"WorkedPeriodTime":1e999');
    const error = await readExpectingSanity(timeInfo, JSON.parse(text));
    expect((error as InvalidResponseError).fieldPath).toBe("rows[0].WorkedPeriodTime");
  });

  it("reads an unknown attest level (7, -1) as none and null minutes as zero, as Toki did", async () => {
    const rows = calendar.sample.rows as Array<{ weeks: Array<{ days: Array<{ projectregistrations: unknown[] }> }> }>;
    const dayIndex = rows[0]!.weeks[0]!.days.findIndex((d) => d.projectregistrations.length > 0);
    const reg = ["rows", 0, "weeks", 0, "days", dayIndex, "projectregistrations", 0];
    let value = applyMutation(calendar.sample, { op: "replace", path: [...reg, "attestlevel"], value: 7 });
    value = applyMutation(value, { op: "replace", path: [...reg, "projtimemm"], value: null });
    const entries = (await readerAnswering(value).getTimeEntries(MILLTIME_WEEK)) as Array<{ lock: unknown; hours: number }>;
    expect(entries[0]!.lock).toEqual({ kind: "attestLevel", attestLevel: 0 });
    expect(Number.isInteger(entries[0]!.hours)).toBe(true);
  });

  it("names the envelope problem for bodies that are not {rows, success}", () => {
    const ctx = { who: WHO, request: calendar.request };
    for (const [body, path] of [
      [null, "(root)"],
      [[], "(root)"],
      [{ rows: null, success: true }, "rows"],
      [{ rows: [], success: "true" }, "success"],
      [{ success: true }, "rows"],
    ] as const) {
      let caught: unknown;
      try {
        parseEnvelope(body, ctx);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidResponseError);
      expect((caught as InvalidResponseError).fieldPath).toBe(path);
    }
  });
});

describe("Milltime session JWTs", () => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = part({ alg: "HS512", typ: "JWT", sub: "201" });
  const payload = { exp: 1_800_000_000, iat: 1_799_990_000, instancedb: "db", instanceid: "000224.1", instancename: "AB", ruserid: "201", sid: "abc", sub: "201", userid: "201" };

  it("turns any string into a payload or an INVALID_RESPONSE that never quotes the token", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,10}$/)), (jwt) => {
        try {
          decodeSessionJwt(jwt);
        } catch (error) {
          const typed = expectTypedError(error, ["INVALID_RESPONSE"], "decodeSessionJwt");
          if (jwt.length >= 8) expect(typed.message).not.toContain(jwt);
        }
      }),
      { numRuns: PURE_RUNS },
    );
  });

  it.each([
    ["exp as text", { exp: "soon" }, "payload.exp"],
    ["no userid", { userid: undefined }, "payload.userid"],
    ["exp beyond any date", { exp: 1e300 }, "payload.exp"],
    ["exp negative beyond any date", { exp: -1e300 }, "payload.exp"],
  ])("refuses a payload with %s", (_label, change, path) => {
    const jwt = `${header}.${part({ ...payload, ...change })}.sig`;
    let caught: unknown;
    try {
      decodeSessionJwt(jwt);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidResponseError);
    expect((caught as InvalidResponseError).fieldPath).toBe(path);
  });
});
