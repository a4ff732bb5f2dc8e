import { describe, expect, it } from "vitest";
import type { CreateTimeEntryRequest } from "../../src/domain/time-entry.js";
import { buildEventWritable, indexLookups, mapEvent, mapEvents, noteOf, toActivities, toDayStatuses, uniqueEvents, unixNanosOf } from "../../src/kleer/kleer-mapping.js";
import { buildActivity, buildDayStatus, buildEvent, buildProject } from "./kleer-builders.js";

// Mapping rules a listing or a write depends on beyond the truth tables of kleer-mapping.test.ts.
describe("Kleer listing rules", () => {
  it("an all-activities project offers every activity, in Kleer's order", () => {
    const project = buildProject({ "all-activities": true, "all-users": true, activities: [], users: [] });
    expect(toActivities(project, 5512, [buildActivity(3), buildActivity(1)]).map((a) => a.id)).toEqual(["3", "1"]);
  });

  it("day statuses come out one per date in date order, a later row for a date winning", () => {
    const rows = [buildDayStatus("2026-05-06", "OPEN"), buildDayStatus("2026-05-04", "APPROVED"), buildDayStatus("2026-05-05", "OPEN"), buildDayStatus("2026-05-04", "CERTIFIED")];
    expect(toDayStatuses(rows)).toEqual([
      { date: "2026-05-04", status: "certified" },
      { date: "2026-05-05", status: "open" },
      { date: "2026-05-06", status: "open" },
    ]);
  });

  it("a blank comment and a blank internal comment make no note (not the blanks)", () => {
    expect(noteOf(buildEvent({ comment: null, "internal-comment": "   " }))).toBeNull();
    expect(noteOf(buildEvent({ comment: " ", "internal-comment": " intern " }))).toBe(" intern ");
  });

  it("names events by the project and activity lookups, and says why the rest is left out", () => {
    const lookups = indexLookups([buildProject({ id: { id: 880021 }, name: "Webbplats" })], [buildActivity(44310, "Utveckling")]);
    const listing = mapEvents(
      [
        buildEvent({ id: { id: 1 } }),
        buildEvent({ id: { id: 2 }, "client-project": null }),
        buildEvent({ id: { id: 3 }, "client-project": { id: 42 } }),
        buildEvent({ id: { id: 4 }, activity: { id: 99 } }),
      ],
      lookups,
      new Map(),
    );
    expect(listing.entries.map((e) => [e.registrationId, e.projectName, e.activityName])).toEqual([["1", "Webbplats", "Utveckling"]]);
    expect(listing.skipped.map((s) => [s.registrationId, s.reason])).toEqual([
      ["2", "projectless"],
      ["3", "unknown_project"],
      ["4", "unknown_activity"],
    ]);
  });

  it("tags every left-out event as skipped, whatever the reason", () => {
    const lookups = indexLookups([buildProject({ id: { id: 880021 } })], [buildActivity(44310)]);
    const kinds = [buildEvent({ "client-project": null }), buildEvent({ "client-project": { id: 42 } }), buildEvent({ activity: { id: 99 } }), buildEvent()].map((e) => mapEvent(e, lookups, new Map()).kind);
    expect(kinds).toEqual(["skipped", "skipped", "skipped", "entry"]);
  });

  it("an event returned in two month chunks is listed once, at its first place", () => {
    const events = [buildEvent({ id: { id: 2 }, hours: 1 }), buildEvent({ id: { id: 1 } }), buildEvent({ id: { id: 2 }, hours: 5 }), buildEvent({ id: { id: 3 } })];
    expect(uniqueEvents(events).map((e) => [e.id.id, e.hours])).toEqual([
      [2, 1],
      [1, 1],
      [3, 1],
    ]);
  });
});

describe("Kleer write rules", () => {
  it("keeps sub-second digits of a start as nanoseconds, padding short fractions", () => {
    expect(unixNanosOf("2026-05-04T08:00:00.5Z")).toBe(1777881600500000000n);
    expect(unixNanosOf("2026-05-04T08:00:00Z")).toBe(1777881600000000000n);
  });

  it("refuses a start that is not an instant, naming it", () => {
    expect(() => unixNanosOf("yesterday")).toThrow(expect.objectContaining({ code: "USAGE", message: "not an RFC 3339 instant: yesterday" }));
  });

  const request = (extra: Partial<CreateTimeEntryRequest> = {}): CreateTimeEntryRequest => ({
    projectId: "880021", projectName: "Projekt", activityId: "44310", activityName: "Utveckling", startTime: "2026-05-04T06:00:00Z", endTime: "2026-05-04T07:30:00Z", note: "Arbete", ...extra,
  });
  const build = (extra: Partial<CreateTimeEntryRequest>) => () => buildEventWritable({ request: request(extra), kleerUserId: 5512, projectId: 880021, activityId: 44310, timeZone: "Europe/Stockholm" });

  it.each([
    [{ startTime: "soon" }, "startTime is not an RFC 3339 instant: soon"],
    [{ endTime: "later" }, "endTime is not an RFC 3339 instant: later"],
    [{ endTime: "2026-05-04T06:00:00Z" }, "endTime 2026-05-04T06:00:00Z is not after startTime 2026-05-04T06:00:00Z"],
  ])("refuses a write Kleer could not take (%o) with a usage error that names the times", (extra, message) => {
    expect(build(extra)).toThrow(expect.objectContaining({ code: "USAGE", message }));
  });

  it("writes a valid request with its hours", () => {
    expect(build({})()).toMatchObject({ hours: 1.5, date: "2026-05-04", comment: "Arbete" });
  });
});
