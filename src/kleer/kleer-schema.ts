import { z } from "zod";
import { isIsoDate } from "../domain/calendar.js";

/**
 * Kleer's JSON wire format (kleer-api.md §2–§4): kebab-case keys, `{id}` references, plain
 * `YYYY-MM-DD` dates, decimal hours as JSON numbers, list roots holding one plural-keyed array.
 * Only `src/kleer` imports these; the rest of the toolkit sees domain types.
 */

// A real calendar date: the pattern alone let 2026-02-30 through to the week-number maths.
const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });

/**
 * Hours of one row (an event, a payroll event, a day's schedule) belong to one day. The XSD
 * decimal has no bound, so a generous one keeps absurd values (1e308) from summing to Infinity.
 */
export const KLEER_MAX_ROW_HOURS = 1000;
const hours = z
  .number()
  .min(-KLEER_MAX_ROW_HOURS, { message: `hours below -${KLEER_MAX_ROW_HOURS} cannot belong to one day` })
  .max(KLEER_MAX_ROW_HOURS, { message: `hours above ${KLEER_MAX_ROW_HOURS} cannot belong to one day` });

/** XSD `*-reference`: `{"id": <int>}`. */
export const kleerReferenceSchema = z.object({ id: z.number().int() });
export type KleerReference = z.infer<typeof kleerReferenceSchema>;

/** Toki treats a missing array as empty. */
const listOf = <T extends z.ZodType>(item: T) => z.array(item).default([]);

/**
 * An `Option` field: absent and null both read as null. A default, not a transform: zod runs each
 * transform as a pipe of its own per field of every row, several times the cost of the row itself.
 */
const orNull = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);

/**
 * XSD `event-status-type` is `Open|Approved|Certified`; Kleer's JSON has been seen upper-case.
 * Both spellings (any case) are accepted and normalised to the domain's lower-case status.
 */
export const kleerStatusTypeSchema = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(["open", "approved", "certified"]));
export type KleerStatusType = z.infer<typeof kleerStatusTypeSchema>;

/** XSD `payroll-event-type`, in its PascalCase spelling. */
export const KLEER_PAYROLL_EVENT_TYPES = [
  "Sick",
  "Vacation",
  "LeaveOfAbsence",
  "LeaveOfAbsenceVacationEarned",
  "WorkHour",
  "ParentalLeave",
  "Childcare",
  "CloseRelativeCare",
  "PaternityLeave",
  "Furlough",
  "OtherLeave",
  "OtherLeaveVacationNotEarned",
] as const;
export type KleerPayrollEventType = (typeof KLEER_PAYROLL_EVENT_TYPES)[number] | "unknown";

const screamingSnake = (pascal: string) => pascal.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
const PAYROLL_TYPE_BY_SPELLING = new Map<string, KleerPayrollEventType>(
  KLEER_PAYROLL_EVENT_TYPES.flatMap((t) => [
    [t, t],
    [screamingSnake(t), t],
  ]),
);

/** PascalCase (`WorkHour`) or SCREAMING_SNAKE_CASE (`WORK_HOUR`); anything else becomes "unknown". */
export const kleerPayrollEventTypeSchema = z
  .string()
  .transform((value): KleerPayrollEventType => PAYROLL_TYPE_BY_SPELLING.get(value) ?? "unknown");

/** `foreign-id` / `internal-id` of a user: string, number or null, kept as text. */
const textish = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => (value === null || value === undefined ? null : String(value)));

/** GET `/user/me`: Toki reads only these four, all required. */
export const kleerUserMeSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string(),
  active: z.boolean(),
});
export type KleerUserMe = z.infer<typeof kleerUserMeSchema>;

/** One row of GET `/user` (XSD `user`; the id is a plain integer). */
export const kleerUserSchema = z.object({
  id: z.number().int(),
  "foreign-id": textish,
  "internal-id": textish,
  name: z.string(),
  email: orNull(z.string()),
  active: z.boolean(),
});
export type KleerUser = z.infer<typeof kleerUserSchema>;
export const kleerUsersSchema = z.object({ users: listOf(kleerUserSchema) });

const activityEntrySchema = z.object({ activity: kleerReferenceSchema });

/** XSD `client-project-readable` (repeated `activity`/`user` arrive as plural keys). */
export const kleerClientProjectSchema = z.object({
  id: kleerReferenceSchema,
  number: z.string().nullish().transform((v) => v ?? ""),
  name: z.string(),
  active: z.boolean(),
  "all-activities": z.boolean().default(false),
  activities: listOf(activityEntrySchema),
  "all-users": z.boolean().default(false),
  users: listOf(
    z.object({
      user: kleerReferenceSchema,
      activities: listOf(activityEntrySchema),
    }),
  ),
});
export type KleerClientProject = z.infer<typeof kleerClientProjectSchema>;
export const kleerClientProjectsSchema = z.object({ "client-project-readables": listOf(kleerClientProjectSchema) });

/** XSD `activity-readable`. */
export const kleerActivitySchema = z.object({
  id: kleerReferenceSchema,
  name: z.string(),
  description: z.string().nullish().transform((v) => v ?? ""),
  "mandatory-child-when-reporting": z.boolean().default(false),
});
export type KleerActivity = z.infer<typeof kleerActivitySchema>;
export const kleerActivitiesSchema = z.object({ "activity-readables": listOf(kleerActivitySchema) });

/** XSD `event-readable`; Toki requires only id, user, activity, date, hours (and `type` inside status). */
export const kleerEventSchema = z.object({
  id: kleerReferenceSchema,
  "foreign-id": z.string().nullish().transform((v) => v ?? ""),
  user: kleerReferenceSchema,
  activity: kleerReferenceSchema,
  "client-project": orNull(kleerReferenceSchema),
  date: isoDate,
  hours,
  comment: orNull(z.string()),
  "internal-comment": orNull(z.string()),
  status: orNull(z.object({ type: kleerStatusTypeSchema })),
});
export type KleerEvent = z.infer<typeof kleerEventSchema>;
export const kleerEventsSchema = z.object({ "event-readables": listOf(kleerEventSchema) });

/** XSD `event-restriction-readable` (day-level status). Rows without `event-date` are dropped later. */
export const kleerEventRestrictionSchema = z.object({
  status: z.object({
    type: kleerStatusTypeSchema,
    "event-date": orNull(isoDate),
  }),
});
export type KleerEventRestriction = z.infer<typeof kleerEventRestrictionSchema>;
export const kleerEventRestrictionsSchema = z.object({
  "event-restriction-readables": listOf(kleerEventRestrictionSchema),
});

/** XSD `payroll-user-schedule-metadata`: all five fields required. */
export const kleerPayrollScheduleSchema = z.object({
  date: isoDate,
  "level-of-employment": z.number(),
  "gross-hours": hours,
  "net-hours": hours,
  "actual-hours": hours,
});
export type KleerPayrollSchedule = z.infer<typeof kleerPayrollScheduleSchema>;
export const kleerPayrollSchedulesSchema = z.object({
  "payroll-user-schedule-metadatas": listOf(kleerPayrollScheduleSchema),
});

/** XSD `payroll-event` (plain integer id, set when reading). */
export const kleerPayrollEventSchema = z.object({
  id: orNull(z.number().int()),
  date: isoDate,
  hours,
  type: kleerPayrollEventTypeSchema,
  comment: z.string().nullish().transform((v) => v ?? ""),
});
export type KleerPayrollEvent = z.infer<typeof kleerPayrollEventSchema>;
export const kleerPayrollEventsSchema = z.object({ "payroll-events": listOf(kleerPayrollEventSchema) });

/** Write responses (`saved`/`deleted`): Toki requires the id. */
export const kleerSavedSchema = z.object({ id: z.number().int() });

/** XSD `error`. */
export const kleerErrorBodySchema = z.object({ message: z.string().nullish() });

/** Body of PUT `/event` and POST `/event/{id}`, keys in XSD order. `child` is never sent. */
export interface KleerEventWritable {
  "foreign-id": string;
  user: KleerReference;
  activity: KleerReference;
  "client-project"?: KleerReference;
  date: string;
  hours: number;
  comment: string;
  "internal-comment"?: string;
}
