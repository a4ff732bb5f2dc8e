import {
  kleerActivitySchema,
  kleerClientProjectSchema,
  kleerEventRestrictionSchema,
  kleerEventSchema,
  kleerPayrollEventSchema,
  kleerPayrollScheduleSchema,
  type KleerActivity,
  type KleerClientProject,
  type KleerEvent,
  type KleerEventRestriction,
  type KleerPayrollEvent,
  type KleerPayrollSchedule,
} from "../../src/kleer/kleer-schema.js";

/** Builders of parsed wire rows: each goes through the wire schema, so tests exercise real parsing. */

export function buildEvent(wire: Record<string, unknown> = {}): KleerEvent {
  return kleerEventSchema.parse({
    id: { id: 7001 },
    "foreign-id": "",
    user: { id: 5512 },
    activity: { id: 44310 },
    "client-project": { id: 880021 },
    date: "2026-05-04",
    hours: 1,
    comment: "Arbete",
    "internal-comment": "Arbete",
    status: { type: "OPEN", "registration-user": { id: 5512 }, "registration-date": "2026-05-04" },
    ...wire,
  });
}

export function buildProject(wire: Record<string, unknown> = {}): KleerClientProject {
  return kleerClientProjectSchema.parse({ id: { id: 880021 }, number: "P-1", name: "Projekt", active: true, ...wire });
}

export function buildActivity(id: number, name = `Aktivitet ${id}`): KleerActivity {
  return kleerActivitySchema.parse({ id: { id }, name, description: "", "mandatory-child-when-reporting": false });
}

export function buildDayStatus(date: string | null, type: string): KleerEventRestriction {
  return kleerEventRestrictionSchema.parse({
    status: { type, "registration-user": { id: 1 }, ...(date === null ? {} : { "event-date": date }) },
  });
}

export function buildSchedule(date: string, actualHours: number): KleerPayrollSchedule {
  return kleerPayrollScheduleSchema.parse({
    date,
    "level-of-employment": 1,
    "gross-hours": 8,
    "net-hours": actualHours,
    "actual-hours": actualHours,
  });
}

export function buildPayrollEvent(date: string, hours: number, type: string): KleerPayrollEvent {
  return kleerPayrollEventSchema.parse({ id: 1, date, hours, type, comment: "" });
}

/** `{activity:{id}}` entries. */
export const acts = (...ids: number[]) => ids.map((id) => ({ activity: { id } }));
