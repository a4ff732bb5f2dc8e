import { describe, expect, it } from "vitest";
import { parseKleerEmulatorSeed } from "../../src/emulator/kleer/index.js";
import { parseMappingDocument } from "../../src/mapping/index.js";
import { pickProbeUser, pickEventDate, pickLockedDate, probeWindow } from "../../src/probe/index.js";
import { chooseTarget, compareReadBack, probeWrite } from "../../src/probe/probe-plan.js";
import type { TimeEntry, TimeEntryDayStatus } from "../../src/domain/time-entry.js";
import { fixture } from "./probe-world.js";

const window = { from: "2026-03-01", to: "2026-03-05" };
const s = (date: string, status: TimeEntryDayStatus["status"]): TimeEntryDayStatus => ({ date, status });

describe("probe window and days", () => {
  it("defaults to today in the zone and the 61 days before it", () => {
    expect(probeWindow(new Date("2026-03-09T23:30:00Z"), "Europe/Stockholm")).toEqual({ from: "2026-01-08", to: "2026-03-10" });
    expect(probeWindow(new Date("2026-03-09T23:30:00Z"), "UTC")).toEqual({ from: "2026-01-07", to: "2026-03-09" });
    expect(probeWindow(new Date("2026-03-09T23:30:00Z"), "UTC", "2026-03-01", "2026-03-02")).toEqual({ from: "2026-03-01", to: "2026-03-02" });
  });

  it.each([
    ["no statuses: the last day", [], "2026-03-05"],
    ["the last day locked", [s("2026-03-05", "approved")], "2026-03-04"],
    ["a re-opened day counts as open", [s("2026-03-05", "open")], "2026-03-05"],
    ["everything locked", ["01", "02", "03", "04", "05"].map((d) => s(`2026-03-${d}`, "certified")), undefined],
  ])("event day: %s", (_name, statuses, expected) => {
    expect(pickEventDate(window, statuses)).toBe(expected);
  });

  it.each([
    ["none", [s("2026-03-02", "open")], undefined],
    ["the latest locked day", [s("2026-03-01", "certified"), s("2026-03-03", "approved"), s("2026-03-04", "open")], { date: "2026-03-03", status: "approved" }],
    ["outside the window is ignored", [s("2026-02-28", "approved")], undefined],
  ])("locked day: %s", (_name, statuses, expected) => {
    expect(pickLockedDate(window, statuses)).toEqual(expected);
  });
});

describe("probe user and target", () => {
  const { mapping } = parseMappingDocument(fixture("mapping.json"));
  it("takes --user, else the first mapped user with a Kleer user", () => {
    expect(pickProbeUser(mapping, undefined)).toEqual({ tokiUserId: 1, kleerUserId: 5001 });
    expect(pickProbeUser(mapping, 2)).toEqual({ tokiUserId: 2, kleerUserId: 5002 });
    expect(() => pickProbeUser(mapping, 7)).toThrow("--user 7: the mapping gives this user no Kleer user id");
    expect(() => pickProbeUser(mapping, 99)).toThrow("--user 99: no such user in the mapping file");
  });

  it("prefers a project with two activities", () => {
    const p = (id: string) => ({ id, name: `P${id}` });
    const a = (id: string, projectId: string) => ({ id, name: `A${id}`, projectId });
    expect(chooseTarget([])).toBeUndefined();
    expect(chooseTarget([{ project: p("1"), activities: [] }])).toBeUndefined();
    expect(chooseTarget([{ project: p("1"), activities: [a("10", "1")] }, { project: p("2"), activities: [a("20", "2"), a("21", "2")] }])).toEqual({
      project: p("2"),
      createActivity: a("20", "2"),
      editActivity: a("21", "2"),
    });
    expect(chooseTarget([{ project: p("1"), activities: [a("10", "1")] }])?.editActivity).toEqual(a("10", "1"));
  });
});

describe("read-back comparison", () => {
  const write = probeWrite({
    date: "2026-03-10",
    minutes: 90,
    timeZone: "Europe/Stockholm",
    project: { id: "901", name: "Sandlåda" },
    activity: { id: "22427", name: "Utveckling", projectId: "901" },
    note: "toki-parity probe X",
    foreignId: "toki-parity-probe:X",
  });
  const entry: TimeEntry = {
    registrationId: "1",
    projectId: "901",
    projectName: "Sandlåda",
    activityId: "22427",
    activityName: "Utveckling",
    date: "2026-03-10",
    hours: 1.5,
    note: "toki-parity probe X",
    startTime: null,
    endTime: null,
    weekNumber: 11,
    lock: { kind: "status", status: "open" },
    foreignId: "toki-parity-probe:X",
  };

  it("starts at 09:00 local time", () => {
    expect(write.request.startTime).toBe("2026-03-10T08:00:00.000Z");
    expect(write.request.endTime).toBe("2026-03-10T09:30:00.000Z");
  });

  it.each([
    ["equal", {}, []],
    ["missing", undefined, ["the entry is not in the listing of its day"]],
    ["hours", { hours: 1.25 }, ["hours 1.25 instead of 1.5"]],
    ["note", { note: "missing note" }, ['note "missing note" instead of "toki-parity probe X"']],
    ["activity and status", { activityId: "22428", lock: { kind: "status", status: "approved" } }, ['activity "22428" instead of "22427"', 'status "approved" instead of "open"']],
    ["foreign id", { foreignId: undefined }, ['foreign id null instead of "toki-parity-probe:X"']],
  ])("%s", (_name, change, expected) => {
    const actual = change === undefined ? undefined : ({ ...entry, ...change } as TimeEntry);
    expect(compareReadBack(actual, write)).toEqual(expected);
  });

  it("the probe fixture seed parses", () => {
    expect(parseKleerEmulatorSeed(fixture("kleer-seed.json")).projects).toHaveLength(2);
  });
});
