import { describe, expect, it } from "vitest";
import type { TokiDecodeReply } from "../../src/domain/toki-decode.js";
import { createKleerClient } from "../../src/kleer/index.js";
import { serveHandlers } from "../../src/emulator/emulator-server.js";
import { createKleerEmulatorHandlers, createKleerEmulatorState, type KleerEmulatorSeedInput } from "../../src/emulator/kleer/index.js";
import { onTestFinished } from "vitest";
import { COMPANY_ID, loadSmallCompany, TOKEN } from "./kleer-test-kit.js";

const MAY = { from: "2026-05-01", to: "2026-05-31" };

/** The small company with the emulator's wire quirks; every reply Toki refuses is collected. */
async function readWith(seed: KleerEmulatorSeedInput) {
  const state = createKleerEmulatorState(seed);
  const emulator = await serveHandlers(createKleerEmulatorHandlers(state, { token: TOKEN, companyId: COMPANY_ID }));
  const replies: TokiDecodeReply[] = [];
  const client = createKleerClient({ baseUrl: `${emulator.url}/v1`, token: TOKEN, companyId: COMPANY_ID, onTokiDecode: (r) => replies.push(r) });
  onTestFinished(async () => {
    await client.close();
    await emulator.close();
  });
  const events = await client.listEvents({ userId: 5512, range: MAY });
  // The lenient reader refuses a date-time event-date too (→ source_error); Toki's contract still reports the reply.
  const statuses = await client.listEventStatuses({ userId: 5512, range: MAY }).catch((error: Error) => error);
  const projects = await client.listClientProjects();
  const activities = await client.listActivities();
  await client.settled();
  const fieldsOf = (route: string) => replies.filter((r) => r.endpoint.includes(route)).flatMap((r) => [...new Set(r.violations.map((v) => v.field))]);
  return { events, statuses, projects, activities, replies, fieldsOf };
}

describe("Toki's decode contract against the Kleer emulator's quirks", () => {
  it("the emulator's default answers exactly what Toki decodes", async () => {
    const { replies, events } = await readWith(loadSmallCompany());
    expect(events.length).toBeGreaterThan(0);
    expect(replies).toEqual([]);
  });

  it("PascalCase statuses are still read, and reported as Toki's failing time-entries request", async () => {
    const { events, statuses, fieldsOf, replies } = await readWith({ ...loadSmallCompany(), quirks: { statusSpelling: "pascal" } });
    expect(events.every((e) => e.status === null || ["open", "approved", "certified"].includes(e.status.type))).toBe(true);
    expect(Array.isArray(statuses) && statuses.length > 0).toBe(true);
    expect(fieldsOf("/event?")).toEqual(["event-readables[].status.type"]);
    expect(fieldsOf("/event/statuses")).toEqual(["event-restriction-readables[].status.type"]);
    const eventsReply = replies.find((r) => r.endpoint.includes("/event?"))!;
    expect(eventsReply).toMatchObject({ scope: "user", requestRange: MAY, tokiRequests: ["GET /time-tracking/time-entries", "GET /time-tracking/time-info"] });
    expect(eventsReply.violations[0]).toMatchObject({ expected: "OPEN, APPROVED, CERTIFIED", mirrors: "kleer/src/types.rs:164-170" });
  });

  it("null String fields (foreign-id, project number, activity description) are reported per field", async () => {
    const seed = loadSmallCompany();
    const { fieldsOf } = await readWith({
      ...seed,
      events: (seed.events ?? []).map((e, i) => (i === 0 ? { ...e, foreignId: "" } : e)),
      projects: (seed.projects ?? []).map((p, i) => (i === 0 ? { ...p, number: "" } : p)),
      activities: (seed.activities ?? []).map((a, i) => (i === 0 ? { ...a, description: "" } : a)),
      quirks: { nullStrings: true },
    });
    expect(fieldsOf("/event?")).toEqual(["event-readables[].foreign-id"]);
    expect(fieldsOf("/client-project")).toEqual(["client-project-readables[].number"]);
    expect(fieldsOf("/activity")).toEqual(["activity-readables[].description"]);
  });

  it("a date-time registration-date or event-date fails Toki's strict [year]-[month]-[day]", async () => {
    const { fieldsOf, events, statuses } = await readWith({ ...loadSmallCompany(), quirks: { dateFormat: "datetime" } });
    expect(events.length).toBeGreaterThan(0);
    expect(statuses).toBeInstanceOf(Error);
    expect(fieldsOf("/event?")).toEqual(["event-readables[].status.registration-date"]);
    expect(fieldsOf("/event/statuses")).toEqual(["event-restriction-readables[].status.event-date"]);
  });

  it("a single event's quirk is one reply's one field, the row's date and id named", async () => {
    const seed = loadSmallCompany();
    const first = (seed.events ?? [])[0]!;
    const { replies } = await readWith({ ...seed, events: (seed.events ?? []).map((e, i) => (i === 0 ? { ...e, wireQuirk: "null-foreign-id" as const } : e)) });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.violations).toEqual([expect.objectContaining({ field: "event-readables[].foreign-id", value: "null", rowDate: first.date, rowId: String(first.id) })]);
  });
});
