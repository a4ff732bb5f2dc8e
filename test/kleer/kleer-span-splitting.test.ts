import { http, HttpResponse, delay } from "msw";
import { describe, expect, it } from "vitest";
import { eachDay } from "../../src/domain/calendar.js";
import { daysIn } from "../../src/domain/date-span.js";
import { TokiError } from "../../src/domain/errors.js";
import { createKleerAdapter, createKleerSpanLimits } from "../../src/kleer/index.js";
import { startKit } from "./kleer-test-kit.js";

const RANGE = { from: "2026-01-01", to: "2026-07-31" };
const PERIODS = [
  { from: "2026-05-04", to: "2026-05-10" },
  { from: "2026-05-11", to: "2026-05-17" },
  { from: "2026-06-01", to: "2026-06-07" },
];

/** The date spans one endpoint was asked for, in request order. */
function askedSpans(log: Array<{ url: string }>, path: RegExp, from: string, to: string): Array<[string, string]> {
  return log
    .filter((r) => path.test(r.url.split("?")[0]!))
    .map((r) => new URL(r.url, "http://x").searchParams)
    .map((q) => [q.get(from)!, q.get(to)!]);
}

/** The spans that were answered, i.e. not split: every day of `range` must be in exactly one. */
function expectExactCover(answered: Array<{ spanFrom?: string | undefined; spanTo?: string | undefined }>, range: { from: string; to: string }) {
  const days = answered.flatMap((r) => eachDay({ from: r.spanFrom!, to: r.spanTo! })).sort();
  expect(days).toEqual(eachDay(range));
}

async function unlimitedReads() {
  const { adapter } = await startKit();
  return { listing: await adapter.listTimeEntries(RANGE), stats: await adapter.getWeeklyStatsForPeriods(PERIODS), statuses: await adapter.getTimeEntryDayStatuses(RANGE) };
}

describe("Kleer adapter: refused spans are split in halves", () => {
  it("splits spans the emulator refuses (over 40 days) until accepted, losing and duplicating nothing", async () => {
    const expected = await unlimitedReads();
    const { adapter, recorder, emulator } = await startKit({ maxSpanDays: 40 });
    expect(await adapter.listTimeEntries(RANGE)).toEqual(expected.listing);
    expect(await adapter.getWeeklyStatsForPeriods(PERIODS)).toEqual(expected.stats);
    expect(await adapter.getTimeEntryDayStatuses(RANGE)).toEqual(expected.statuses);

    const events = recorder.records.filter((r) => r.route.includes("/event?"));
    // 212 days refused → 106 refused → 53 refused → 26/27 accepted: 1 + 2 + 4 refusals, 8 answers.
    expect(events.filter((r) => r.split).map((r) => [r.status, daysIn({ from: r.spanFrom!, to: r.spanTo! })])).toEqual([
      [400, 212],
      [400, 106],
      [400, 53],
      [400, 53],
      [400, 106],
      [400, 53],
      [400, 53],
    ]);
    const answered = events.filter((r) => !r.split);
    expect(answered.every((r) => r.status === 200 && daysIn({ from: r.spanFrom!, to: r.spanTo! }) <= 40)).toBe(true);
    expectExactCover(answered, RANGE);
    // What the emulator was asked equals what was recorded.
    expect(askedSpans(emulator.requestLog, /\/event$/, "startDate", "endDate")).toEqual(events.map((r) => [r.spanFrom, r.spanTo]));
  });

  it("starts the next user's reads at the span Kleer accepted when the adapters share the learnt limits", async () => {
    const spanLimits = createKleerSpanLimits();
    const first = await startKit({ maxSpanDays: 40, adapter: { spanLimits } });
    await first.adapter.listTimeEntries(RANGE);
    expect(first.recorder.records.some((r) => r.split)).toBe(true);
    const before = first.recorder.records.length;
    const second = createKleerAdapter({ client: first.client, kleerUserId: 5513, lookups: first.lookups, spanLimits });
    await second.listTimeEntries(RANGE);
    const secondRecords = first.recorder.records.slice(before);
    expect(secondRecords.filter((r) => r.split)).toEqual([]);
    expectExactCover(secondRecords.filter((r) => r.route.includes("/event?")), RANGE);
  });

  it("splits a reply above the size bound and still returns every event", async () => {
    const expected = await unlimitedReads();
    const { adapter, recorder } = await startKit({ maxReplyBytes: 2_000 });
    expect(await adapter.listTimeEntries(RANGE)).toEqual(expected.listing);
    const events = recorder.records.filter((r) => r.route.includes("/event?"));
    expect(events.some((r) => r.split)).toBe(true);
    expectExactCover(events.filter((r) => !r.split), RANGE);
  });

  it("splits a span whose reply does not come within the timeout", async () => {
    const slowLongSpans = http.get("*/company/:companyId/event/statuses", async ({ request }) => {
      const q = new URL(request.url).searchParams;
      if (daysIn({ from: q.get("fromDate")!, to: q.get("toDate")! }) > 150) await delay(2_000);
      return undefined;
    });
    const { adapter, recorder } = await startKit({ overrides: [slowLongSpans], timeoutMs: 300, retry: false });
    const statuses = await adapter.getTimeEntryDayStatuses(RANGE);
    expect(statuses).toEqual((await unlimitedReads()).statuses);
    const rows = recorder.records.filter((r) => r.route.includes("/event/statuses"));
    expect(rows.map((r) => [r.split ?? false, r.status ?? null])).toEqual([
      [true, null],
      [false, 200],
      [false, 200],
    ]);
  });

  it("makes a refused single day a source error, never an empty result", async () => {
    const refuseAll = http.get("*/company/:companyId/event", () => HttpResponse.json({ message: "Internal error" }, { status: 500 }));
    const { adapter, recorder } = await startKit({ overrides: [refuseAll], retry: false });
    const error = await adapter.listTimeEntries(RANGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokiError);
    expect((error as TokiError).code).toBe("PROVIDER_ERROR");
    expect((error as Error).message).toContain("HTTP 500");
    // One path down to a single day (212 → 106 → 53 → 26 → 13 → 6 → 3 → 1: 7 splits) and that
    // day's refusal, not a whole tree of requests.
    const events = recorder.records.filter((r) => r.route.includes("/event?"));
    expect(events.filter((r) => r.split).map((r) => daysIn({ from: r.spanFrom!, to: r.spanTo! }))).toEqual([212, 106, 53, 26, 13, 6, 3]);
    expect(events.filter((r) => !r.split)).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ spanFrom: "2026-01-01", spanTo: "2026-01-01", status: 500 });
  });

  it("never splits an authentication failure", async () => {
    const { adapter, emulator } = await startKit({ clientToken: "not-the-token-at-all", maxSpanDays: 40 });
    const error = await adapter.getTimeEntryDayStatuses(RANGE).catch((e: unknown) => e);
    expect((error as TokiError).code).toBe("AUTH_FAILED");
    expect(askedSpans(emulator.requestLog, /\/event\/statuses$/, "fromDate", "toDate")).toEqual([[RANGE.from, RANGE.to]]);
  });
});
