import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidResponseError } from "../../src/domain/errors.js";
import { invalidResponseFromZod } from "../../src/kleer/kleer-errors.js";
import { indexLookups, mapEvents, toDayStatuses } from "../../src/kleer/kleer-mapping.js";
import { createKleerEmulatorState, type KleerEmulatorSeedInput } from "../../src/emulator/kleer/index.js";
import { wireActivity, wireProject } from "../../src/emulator/kleer/kleer-emulator-wire.js";
import {
  kleerActivitiesSchema,
  kleerClientProjectsSchema,
  kleerEventsSchema,
  kleerEventRestrictionsSchema,
  kleerPayrollEventsSchema,
  kleerPayrollSchedulesSchema,
} from "../../src/kleer/kleer-schema.js";
import { applyMutation, expectSaneValues, expectTypedError, mutatedArb, NASTY_STRINGS, PURE_RUNS, readDemoFixture, wholeReplyDamage } from "./fuzz-support.js";
import { kleerEndpoints } from "./kleer-samples.js";

/** Level (a): Kleer's wire schemas fed arbitrary values and mutated real replies, without any HTTP. */

const endpoints = kleerEndpoints();

/** What the client does with a parse: success, or the INVALID_RESPONSE error it throws. */
function parseLikeTheClient(endpoint: (typeof endpoints)[number], value: unknown): { ok: true; data: unknown } | { ok: false; error: InvalidResponseError } {
  const parsed = endpoint.schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, error: invalidResponseFromZod(parsed.error, `GET /company/{companyId}${endpoint.route}`) };
}

/** The value found by walking `path` into `root` (undefined when the path leaves it). */
function walk(root: unknown, path: ReadonlyArray<PropertyKey>): { found: boolean; value: unknown } {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return { found: false, value: undefined };
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: node };
}

function expectClearSchemaError(error: InvalidResponseError, route: string): void {
  expectTypedError(error, ["INVALID_RESPONSE"], route);
  expect(error).toBeInstanceOf(InvalidResponseError);
  // The message leads with the field path and names the request.
  expect(error.message.startsWith(`${error.fieldPath}: `)).toBe(true);
  expect(error.message).toContain(`in Kleer's reply to GET /company/{companyId}${route}`);
}

describe.each(endpoints.map((e) => [e.name, e] as const))("Kleer schema for %s", (_name, endpoint) => {
  it("parses the real reply it is fuzzed from", () => {
    const result = parseLikeTheClient(endpoint, endpoint.sample);
    expect(result.ok).toBe(true);
  });

  it("turns any JavaScript value into data with sane values or an INVALID_RESPONSE naming a field path", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (value) => {
        const result = parseLikeTheClient(endpoint, value);
        if (result.ok) expectSaneValues(result.data);
        else expectClearSchemaError(result.error, endpoint.route);
      }),
      { numRuns: PURE_RUNS },
    );
  });

  it.each(wholeReplyDamage(endpoint.sample).map((d) => [d.label, d.value] as const))("refuses or sanely reads the real reply with %s", (_label, value) => {
    const result = parseLikeTheClient(endpoint, value);
    if (result.ok) expectSaneValues(result.data);
    else expectClearSchemaError(result.error, endpoint.route);
  });

  it("turns a real reply with one field dropped, nulled or of a wrong type into sane data or an error at that field", () => {
    fc.assert(
      fc.property(mutatedArb(endpoint.sample), ({ value, mutation }) => {
        const result = parseLikeTheClient(endpoint, value);
        if (result.ok) {
          expectSaneValues(result.data);
          return;
        }
        expectClearSchemaError(result.error, endpoint.route);
        // The failing path lies on the mutated branch: at, above or below the mutated node.
        const failing = (result.error.cause as { issues: Array<{ path: PropertyKey[] }> }).issues[0]!.path.map(String);
        const mutated = mutation.path.map(String);
        const shared = Math.min(failing.length, mutated.length);
        expect(failing.slice(0, shared), `${result.error.message} vs mutation at ${mutated.join(".")}`).toEqual(mutated.slice(0, shared));
      }),
      { numRuns: PURE_RUNS },
    );
  });
});

describe("Kleer schemas name the bad field", () => {
  const eventsEndpoint = endpoints.find((e) => e.name === "events")!;
  const sample = eventsEndpoint.sample as { "event-readables": Array<Record<string, unknown>> };

  it.each([
    ["id"],
    ["user"],
    ["activity"],
    ["date"],
    ["hours"],
  ])("an event without its required %s fails at event-readables[1].%s", (field) => {
    const value = applyMutation(sample, { op: "drop", path: ["event-readables", 1, field] });
    const result = parseLikeTheClient(eventsEndpoint, value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.fieldPath).toBe(`event-readables[1].${field}`);
      expect(result.error.message).toMatch(new RegExp(`^event-readables\\[1\\]\\.${field}: `));
    }
  });

  it.each(NASTY_STRINGS.map((s) => [s]))("hours given as the string %j are refused", (text) => {
    const value = applyMutation(sample, { op: "replace", path: ["event-readables", 0, "hours"], value: text });
    const result = parseLikeTheClient(eventsEndpoint, value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^event-readables\[0\]\.hours: expected number, received string/);
  });

  it("refuses hours that overflow to Infinity (1e999 in the JSON text)", () => {
    const value = JSON.parse(JSON.stringify(sample).replace(/"hours":[0-9.]+/, '"hours":1e999')) as unknown;
    const result = parseLikeTheClient(eventsEndpoint, value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fieldPath).toBe("event-readables[0].hours");
  });

  it.each(["2026-02-30", "2026-13-01", "2026-00-10", "0000-00-00", "2026-04-31", "", "yesterday", "2026-2-3", "2026-02-03T08:00:00Z"])(
    "refuses the impossible or malformed date %j on events, statuses, schedules and payroll events",
    (date) => {
      const cases: Array<[unknown, string, unknown]> = [
        [kleerEventsSchema, "event-readables[0].date", { "event-readables": [{ ...sample["event-readables"][0], date }] }],
        [kleerEventRestrictionsSchema, "event-restriction-readables[0].status.event-date", { "event-restriction-readables": [{ status: { type: "OPEN", "event-date": date } }] }],
        [kleerPayrollSchedulesSchema, "payroll-user-schedule-metadatas[0].date", {
          "payroll-user-schedule-metadatas": [{ date, "level-of-employment": 1, "gross-hours": 8, "net-hours": 8, "actual-hours": 8 }],
        }],
        [kleerPayrollEventsSchema, "payroll-events[0].date", { "payroll-events": [{ id: 1, date, hours: 8, type: "VACATION", comment: "" }] }],
      ];
      for (const [schema, path, value] of cases) {
        const parsed = (schema as typeof kleerEventsSchema).safeParse(value);
        expect(parsed.success, `${path} = ${date}`).toBe(false);
        if (!parsed.success) expect(invalidResponseFromZod(parsed.error, "GET /x").fieldPath).toBe(path);
      }
    },
  );

  it.each(["PENDING", "Draft", "LOCKED", "", "open ", 3, null])("refuses the unknown event status %j", (type) => {
    const value = applyMutation(sample, { op: "replace", path: ["event-readables", 0, "status", "type"], value: type });
    const result = parseLikeTheClient(eventsEndpoint, value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fieldPath).toBe("event-readables[0].status.type");
  });

  it("reads an unknown payroll type as 'unknown' (Toki's rule), and a non-string one as an error", () => {
    const ok = kleerPayrollEventsSchema.parse({ "payroll-events": [{ id: 1, date: "2026-11-04", hours: 8, type: "SABBATICAL", comment: "" }] });
    expect(ok["payroll-events"][0]!.type).toBe("unknown");
    const bad = kleerPayrollEventsSchema.safeParse({ "payroll-events": [{ id: 1, date: "2026-11-04", hours: 8, type: 7, comment: "" }] });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(invalidResponseFromZod(bad.error, "GET /x").fieldPath).toBe("payroll-events[0].type");
  });

  it("maps whatever it accepts without throwing (dates real, week numbers and hours finite)", () => {
    const statusesEndpoint = endpoints.find((e) => e.name === "event statuses")!;
    // Every project and activity of the demo company, so that accepted events become entries.
    const demo = createKleerEmulatorState(readDemoFixture<KleerEmulatorSeedInput>("kleer-seed.json"));
    const lookups = indexLookups(
      kleerClientProjectsSchema.parse({ "client-project-readables": demo.projects({ activeOnly: false }).map((row) => wireProject(row)) })["client-project-readables"],
      kleerActivitiesSchema.parse({ "activity-readables": demo.activities().map((row) => wireActivity(row)) })["activity-readables"],
    );
    fc.assert(
      fc.property(mutatedArb(sample), mutatedArb(statusesEndpoint.sample), (events, statuses) => {
        const parsedEvents = kleerEventsSchema.safeParse(events.value);
        const parsedStatuses = kleerEventRestrictionsSchema.safeParse(statuses.value);
        const days = parsedStatuses.success ? toDayStatuses(parsedStatuses.data["event-restriction-readables"]) : [];
        for (const d of days) expectSaneValues(d);
        if (!parsedEvents.success) return;
        const listing = mapEvents(parsedEvents.data["event-readables"], lookups, new Map(days.map((d) => [d.date, d.status])));
        for (const e of [...listing.entries, ...listing.skipped]) expectSaneValues(e);
        for (const e of listing.entries) expect(e.weekNumber).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: PURE_RUNS },
    );
  });
});
