import { z } from "zod";

/**
 * Hours of one registration or one day's schedule belong to one day, and a period's TimeInfo
 * figures to one period: generous bounds keep absurd values (1e308) from summing to Infinity.
 */
export const MILLTIME_MAX_DAY_HOURS = 1000;
export const MILLTIME_MAX_PERIOD_HOURS = 1_000_000;
const dayHours = z.number().min(-MILLTIME_MAX_DAY_HOURS).max(MILLTIME_MAX_DAY_HOURS);
const periodHours = z.number().min(-MILLTIME_MAX_PERIOD_HOURS).max(MILLTIME_MAX_PERIOD_HOURS);
import { isIsoDate } from "../domain/calendar.js";

/**
 * Milltime's wire types, as strict as Toki's deserializer was (see
 * shared/reference/milltime-api.md §5) plus sanity bounds on hours. Only this folder imports them.
 */

const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });

/**
 * A field Toki's Milltime crate declares `Option<T>` (2d8ab9e^, milltime/src/domain/*.rs): serde
 * reads a missing key and `null` alike as `None`, so both read as absent (null) here too. A
 * default, not a transform: zod runs a transform as a pipe of its own for every field of every
 * row, four times the cost of the whole row on a long calendar.
 */
const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);

/** `{"rows": [...], "success": true|false}`; write replies may add `data`, failures a message. */
export const envelopeSchema = z.object({
  rows: z.array(z.unknown()),
  success: z.boolean(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const projectSearchRowSchema = z.object({
  id: z.number().int(),
  userid: z.string(),
  projectid: z.string(),
  projectname: z.string(),
  projectnr: z.unknown(),
  leadername: z.string(),
  planningtype: z.number().int(),
  isfavorite: z.boolean(),
  customernames: z.string().nullable(),
  ismember: z.boolean(),
  isleader: z.boolean(),
});
export type ProjectSearchRow = z.infer<typeof projectSearchRowSchema>;

export const phaseActivitySchema = z.object({
  userid: z.string(),
  projectid: z.string(),
  activity: z.string(),
  activityname: z.string(),
  name: z.string(),
  phaseid: z.string(),
  phasename: z.string(),
  phaseorder: z.number().int(),
  isfavorite: z.boolean(),
  requirenote: z.boolean().nullable(),
  planningtype: z.number().int(),
  variationid: z.unknown(),
  absencetype: z.unknown(),
  projplandescription: z.unknown(),
  planningtaskid: z.unknown(),
  planningtaskname: z.unknown(),
  timedistributiontype: z.unknown(),
});

export const projectPhaseActivityRowSchema = z.object({
  phaseid: z.string(),
  phasename: z.string(),
  activities: z.array(phaseActivitySchema),
});
export type ProjectPhaseActivityRow = z.infer<typeof projectPhaseActivityRowSchema>;

export const projectRegistrationSchema = z.object({
  projectregistrationid: z.string(),
  userid: z.string(),
  regday: isoDate,
  projectid: z.string(),
  projectname: z.string(),
  activity: z.string(),
  activityname: z.string(),
  /** The hours part; a float in Toki's deserializer. */
  projtimehh: dayHours,
  /** The minutes part; null happens. */
  projtimemm: optional(z.number().int()), // user_calendar.rs:167
  usernote: optional(z.string()), // user_calendar.rs:168
  /** 0/1/2 in practice; any other number counts as 0, null too. */
  attestlevel: optional(z.number().int()), // user_calendar.rs:157
  favoritetype: z.unknown(),
  customernames: optional(z.string()), // user_calendar.rs:169
});
export type ProjectRegistrationWire = z.infer<typeof projectRegistrationSchema>;

export const calendarDaySchema = z.object({
  regday: isoDate,
  regweek: z.string(),
  week: z.number().int(),
  stdtime: optional(dayHours), // user_calendar.rs:144
  holiday: z.boolean(),
  monthday: z.number().int(),
  month: z.number().int(),
  attestlevel: z.number().int(),
  weeklyattestlevel: z.number().int(),
  flexdiff: z.object({ hh: optional(z.number()), mm: optional(z.number().int()) }), // user_calendar.rs:175-176
  projectregistrations: z.array(projectRegistrationSchema),
});
export type CalendarDayWire = z.infer<typeof calendarDaySchema>;

export const calendarWeekSchema = z.object({
  weeknr: z.number().int(),
  attestlevel: z.number().int(),
  days: z.array(calendarDaySchema),
});

export const userCalendarRowSchema = z.object({
  previousAttestLevel: z.number().int(),
  attestLevel: z.number().int(),
  month: z.number().int(),
  user_startdate: z.string(),
  user_enddate: optional(z.string()), // user_calendar.rs:127
  weeks: z.array(calendarWeekSchema),
});
export type UserCalendarRow = z.infer<typeof userCalendarRowSchema>;

export const timeInfoRowSchema = z.object({
  FlexTimePreviousPeriod: optional(periodHours), // time_info.rs:10
  FlexTimePeriodExcl: periodHours,
  FlexTimePeriodIncl: periodHours,
  FlexTimeCurrent: periodHours,
  FlexWithdrawal: periodHours,
  ScheduledPeriodTime: periodHours,
  WorkedPeriodTime: periodHours,
  AbsencePeriodTime: periodHours,
  WorkedPeriodWithAbsenceTime: periodHours,
  PeriodTimeLeft: periodHours,
  Overtimes: optional(z.array(z.object({ key: z.string(), value: z.number(), label: z.string() }))), // time_info.rs:8
  MTInfoDetailRow: z.array(z.unknown()),
});
export type TimeInfoRow = z.infer<typeof timeInfoRowSchema>;

/** JWT header of `milltimesessionid` (never verified, only read). */
export const sessionJwtHeaderSchema = z.object({
  alg: z.string(),
  typ: z.string(),
  sub: z.string(),
});

/** Unix seconds that a Date can hold (±8.64e12 s); beyond that the expiry would be an Invalid Date. */
const unixSeconds = z.number().refine((s) => Math.abs(s) <= 8.64e12, { message: "expected a Unix time in seconds" });

/** JWT payload of `milltimesessionid`; `userid` is the Milltime user id. */
export const sessionJwtPayloadSchema = z.object({
  exp: unixSeconds,
  iat: z.number(),
  instancedb: z.string(),
  instanceid: z.string(),
  instancename: z.string(),
  ruserid: z.string(),
  sid: z.string(),
  sub: z.string(),
  userid: z.string(),
});
export type SessionJwtPayload = z.infer<typeof sessionJwtPayloadSchema>;
