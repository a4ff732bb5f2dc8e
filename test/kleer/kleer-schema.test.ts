import { describe, expect, it } from "vitest";
import {
  kleerClientProjectsSchema,
  kleerEventSchema,
  kleerEventsSchema,
  kleerPayrollEventTypeSchema,
  kleerStatusTypeSchema,
  kleerUsersSchema,
} from "../../src/kleer/kleer-schema.js";

describe("Kleer wire schemas", () => {
  it.each([
    ["OPEN", "open"],
    ["Open", "open"],
    ["APPROVED", "approved"],
    ["Approved", "approved"],
    ["CERTIFIED", "certified"],
    ["certified", "certified"],
  ])("accepts the status type %s as %s", (wire, domain) => {
    expect(kleerStatusTypeSchema.parse(wire)).toBe(domain);
  });

  it("rejects an unknown status type", () => {
    expect(kleerStatusTypeSchema.safeParse("LOCKED").success).toBe(false);
  });

  it.each([
    ["Vacation", "Vacation"],
    ["VACATION", "Vacation"],
    ["LeaveOfAbsence", "LeaveOfAbsence"],
    ["LEAVE_OF_ABSENCE", "LeaveOfAbsence"],
    ["LEAVE_OF_ABSENCE_VACATION_EARNED", "LeaveOfAbsenceVacationEarned"],
    ["WORK_HOUR", "WorkHour"],
    ["OTHER_LEAVE_VACATION_NOT_EARNED", "OtherLeaveVacationNotEarned"],
    ["Overtime", "unknown"],
    ["vacation", "unknown"],
    ["", "unknown"],
  ])("reads the payroll type %j as %s", (wire, type) => {
    expect(kleerPayrollEventTypeSchema.parse(wire)).toBe(type);
  });

  it("treats missing arrays as empty, at the root and inside a project", () => {
    expect(kleerEventsSchema.parse({})).toEqual({ "event-readables": [] });
    const [project] = kleerClientProjectsSchema.parse({ "client-project-readables": [{ id: { id: 1 }, name: "P", active: true }] })[
      "client-project-readables"
    ];
    expect(project).toEqual({ id: { id: 1 }, number: "", name: "P", active: true, "all-activities": false, activities: [], "all-users": false, users: [] });
  });

  it("reads user foreign-id and internal-id from a string, a number or null as text", () => {
    const { users } = kleerUsersSchema.parse({
      users: [
        { id: 1, "foreign-id": 42, "internal-id": "17", name: "A", email: "a@x", active: true },
        { id: 2, "foreign-id": null, name: "B", active: false },
      ],
    });
    expect(users).toEqual([
      { id: 1, "foreign-id": "42", "internal-id": "17", name: "A", email: "a@x", active: true },
      { id: 2, "foreign-id": null, "internal-id": null, name: "B", email: null, active: false },
    ]);
  });

  it("reads an event with only the fields Toki requires", () => {
    expect(kleerEventSchema.parse({ id: { id: 1 }, user: { id: 2 }, activity: { id: 3 }, date: "2026-05-04", hours: 0.25 })).toEqual({
      id: { id: 1 },
      "foreign-id": "",
      user: { id: 2 },
      activity: { id: 3 },
      "client-project": null,
      date: "2026-05-04",
      hours: 0.25,
      comment: null,
      "internal-comment": null,
      status: null,
    });
  });
});
