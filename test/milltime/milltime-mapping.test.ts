import { describe, expect, it } from "vitest";
import { hoursOf, toProjects, toTimeEntries, toTimeEntry } from "../../src/milltime/milltime-mapping.js";
import type { ProjectRegistrationWire, ProjectSearchRow, UserCalendarRow } from "../../src/milltime/milltime-schema.js";

function registration(overrides: Partial<ProjectRegistrationWire> = {}): ProjectRegistrationWire {
  return {
    projectregistrationid: "400000000000123456",
    userid: "217",
    regday: "2026-05-12",
    projectid: "400000000000009876",
    projectname: "Intranät förnyelse",
    activity: "400000000000000042",
    activityname: "Utveckling",
    projtimehh: 2,
    projtimemm: 15,
    usernote: "Sprintplanering",
    attestlevel: 1,
    favoritetype: 0,
    customernames: "Exempel AB",
    ...overrides,
  };
}

function project(overrides: Partial<ProjectSearchRow>): ProjectSearchRow {
  return { id: 1, userid: "217", projectid: "p", projectname: "Projekt", projectnr: null, leadername: "", planningtype: 0, isfavorite: false, customernames: null, ismember: true, isleader: false, ...overrides };
}

describe("Milltime mapping", () => {
  it.each([
    [2, 15, 2.25],
    [8, null, 8],
    [1.5, null, 1.5],
    [0, 0, 0],
    [0, 59, 59 / 60],
  ])("hours of projtimehh %s + projtimemm %s = %s", (hh, mm, hours) => {
    expect(hoursOf(hh, mm)).toBe(hours);
  });

  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [null, 0],
    [3, 0],
    [-1, 0],
  ] as const)("attest level %s → %s", (wire, level) => {
    expect(toTimeEntry(registration({ attestlevel: wire })).lock).toEqual({ kind: "attestLevel", attestLevel: level });
  });

  it("maps a registration the way Toki's adapter did", () => {
    expect(toTimeEntry(registration({ usernote: null }))).toEqual({
      registrationId: "400000000000123456",
      projectId: "400000000000009876",
      projectName: "Intranät förnyelse",
      activityId: "400000000000000042",
      activityName: "Utveckling",
      date: "2026-05-12",
      hours: 2.25,
      note: "",
      startTime: null,
      endTime: null,
      weekNumber: 20,
      lock: { kind: "attestLevel", attestLevel: 1 },
    });
  });

  it.each([
    ["P-1042", "P-1042"],
    ["", undefined],
    [null, undefined],
    [1042, undefined],
  ])("project code from projectnr %j is %j; non-members are dropped", (projectnr, code) => {
    const [mapped, ...rest] = toProjects([project({ projectnr }), project({ projectid: "q", ismember: false })]);
    expect(rest).toEqual([]);
    expect(mapped?.code).toBe(code);
    expect(Object.hasOwn(mapped ?? {}, "code")).toBe(code !== undefined);
  });

  it("keeps only the days inside the range and uses each registration's own regday", () => {
    const day = (regday: string, regs: ProjectRegistrationWire[]) => ({
      regday, regweek: "20", week: 20, stdtime: 8, holiday: false, monthday: 1, month: 5, attestlevel: 0, weeklyattestlevel: 0, flexdiff: { hh: 0, mm: 0 }, projectregistrations: regs,
    });
    const calendar: UserCalendarRow = {
      previousAttestLevel: 0, attestLevel: 0, month: 5, user_startdate: "2019-08-01", user_enddate: null,
      weeks: [{ weeknr: 20, attestlevel: 0, days: [
        day("2026-05-11", [registration({ projectregistrationid: "a", regday: "2026-05-11" })]),
        day("2026-05-12", [registration({ projectregistrationid: "b" }), registration({ projectregistrationid: "c", regday: "2026-05-13" })]),
        day("2026-05-14", [registration({ projectregistrationid: "d", regday: "2026-05-14" })]),
      ] }],
    };
    const entries = toTimeEntries(calendar, { from: "2026-05-12", to: "2026-05-13" });
    expect(entries.map((e) => [e.registrationId, e.date])).toEqual([["b", "2026-05-12"], ["c", "2026-05-13"]]);
  });
});
