import { describe, expect, it } from "vitest";
import { toActivities, toTimeEntry, toTimeInfo } from "../../src/milltime/milltime-mapping.js";
import { projectPhaseActivityRowSchema, projectRegistrationSchema, timeInfoRowSchema } from "../../src/milltime/milltime-schema.js";

// What the Milltime reader hands the comparison besides registrations' hours and locks.
describe("Milltime mapping: activities, notes and time info", () => {
  it("an activity is named by activityname (not the phase's name) and tied to the project it was listed for", () => {
    const activity = (id: string, activityname: string) => ({
      userid: "217", projectid: "p-wire", activity: id, activityname, name: `fas ${id}`, phaseid: "ph", phasename: "Fas", phaseorder: 1, isfavorite: false,
      requirenote: null, planningtype: 0, variationid: null, absencetype: null, projplandescription: null, planningtaskid: null, planningtaskname: null, timedistributiontype: null,
    });
    const row = projectPhaseActivityRowSchema.parse({ phaseid: "ph", phasename: "Fas", activities: [activity("42", "Utveckling"), activity("43", "Möten")] });
    expect(toActivities(row, "400000000000009876")).toEqual([
      { id: "42", name: "Utveckling", projectId: "400000000000009876" },
      { id: "43", name: "Möten", projectId: "400000000000009876" },
    ]);
  });

  it("keeps a registration's note as written", () => {
    const reg = projectRegistrationSchema.parse({
      projectregistrationid: "1", userid: "217", regday: "2026-05-12", projectid: "p", projectname: "Projekt", activity: "a", activityname: "Utveckling",
      projtimehh: 1, projtimemm: 0, usernote: " Sprintplanering ", attestlevel: 0, favoritetype: 0, customernames: null,
    });
    expect(toTimeEntry(reg).note).toBe(" Sprintplanering ");
  });

  it("maps every TimeInfo figure from its own field", () => {
    const row = timeInfoRowSchema.parse({
      FlexTimePreviousPeriod: 1, FlexTimePeriodExcl: 2, FlexTimePeriodIncl: 3, FlexTimeCurrent: 4, FlexWithdrawal: 5, ScheduledPeriodTime: 6, WorkedPeriodTime: 7,
      AbsencePeriodTime: 8, WorkedPeriodWithAbsenceTime: 9, PeriodTimeLeft: 10, MTInfoDetailRow: [],
    });
    expect(toTimeInfo(row)).toEqual({
      flexTimePreviousPeriod: 1, flexTimePeriodExcl: 2, flexTimePeriodIncl: 3, flexTimeCurrent: 4, flexWithdrawal: 5, scheduledPeriodTime: 6, workedPeriodTime: 7,
      absencePeriodTime: 8, workedPeriodWithAbsenceTime: 9, periodTimeLeft: 10,
    });
  });
});
