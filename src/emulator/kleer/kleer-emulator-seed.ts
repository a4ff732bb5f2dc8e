import { z } from "zod";
import { isIsoDate } from "../../domain/calendar.js";
import { ConfigError } from "../../domain/errors.js";

/**
 * The Kleer emulator's own seed format (camelCase, not Kleer's wire format): one company's
 * users, activities, projects with their assignments, events, day statuses and payroll rows.
 * `dump()` returns the same shape, so a dump can seed another emulator. Unknown keys are
 * rejected, so a typo in a seed file is an error rather than a silently empty company.
 */

const id = z.number().int().positive();
const isoDate = z.string().refine(isIsoDate, "expected a YYYY-MM-DD date");
const status = z.enum(["open", "approved", "certified"]);

export const kleerSeedUserSchema = z.strictObject({
  id,
  name: z.string().min(1),
  email: z.string(),
  active: z.boolean().default(true),
  foreignId: z.string().nullable().default(null),
  internalId: z.number().int().nullable().default(null),
  /** false: both payroll endpoints answer 500 `PayrollUserDoesNotExistException` for this user. */
  hasPayroll: z.boolean().default(true),
});

export const kleerSeedActivitySchema = z.strictObject({
  id,
  name: z.string().min(1),
  description: z.string().default(""),
  /** Writes without `child` on such an activity are rejected with 400 (Toki never sends `child`). */
  mandatoryChildWhenReporting: z.boolean().default(false),
});

export const kleerSeedProjectSchema = z.strictObject({
  id,
  number: z.string().default(""),
  name: z.string().min(1),
  active: z.boolean().default(true),
  /** XSD `client-project-status-type`. @default "Open" when active, else "Closed" */
  status: z.enum(["Draft", "Open", "Closed"]).optional(),
  allActivities: z.boolean().default(false),
  /** Activity ids assigned to the project (P). */
  activities: z.array(id).default([]),
  allUsers: z.boolean().default(false),
  /** User assignments; `activities` is the user's own restriction (U, empty = none). */
  users: z.array(z.strictObject({ userId: id, activities: z.array(id).default([]) })).default([]),
});

export const kleerSeedEventSchema = z.strictObject({
  id,
  userId: id,
  activityId: id,
  /** null or absent: a projectless event. */
  projectId: id.nullable().default(null),
  date: isoDate,
  hours: z.number().min(0),
  comment: z.string().default(""),
  /** @default the comment */
  internalComment: z.string().optional(),
  foreignId: z.string().default(""),
  /** The event's own status. @default "open" */
  status: status.default("open"),
  invoiceable: z.boolean().default(true),
  /** One event answered the way Toki's decoder refuses (see `quirks`): a PascalCase status, a null foreign id, a date-time registration date. */
  wireQuirk: z.enum(["pascal-status", "null-foreign-id", "datetime-registration-date"]).optional(),
});

/**
 * Wire spellings Kleer has been seen with, or the XSD allows, that Toki's serde types refuse.
 * All off by default (the emulator answers as Toki expects).
 */
export const kleerWireQuirksSchema = z.strictObject({
  /** `pascal`: status types as the XSD spells them (`Open`), on events and day statuses. @default "upper" */
  statusSpelling: z.enum(["upper", "pascal"]).default("upper"),
  /** Empty `String` fields (event foreign-id, project number, activity description) sent as null. @default false */
  nullStrings: z.boolean().default(false),
  /** `datetime`: registration-date and event-date as `YYYY-MM-DDT00:00:00`. @default "date" */
  dateFormat: z.enum(["date", "datetime"]).default("date"),
});
export type KleerWireQuirks = z.infer<typeof kleerWireQuirksSchema>;

export const kleerSeedDayStatusSchema = z.strictObject({
  userId: id,
  date: isoDate,
  status,
  /** Who set it (`registration-user`). @default the user */
  registrationUserId: id.optional(),
});

export const kleerSeedScheduleSchema = z.strictObject({
  userId: id,
  date: isoDate,
  levelOfEmployment: z.number().min(0).default(1),
  grossHours: z.number().min(0),
  netHours: z.number().min(0),
  actualHours: z.number().min(0),
});

export const kleerSeedPayrollEventSchema = z.strictObject({
  /** @default assigned on seeding, increasing */
  id: id.optional(),
  userId: id,
  date: isoDate,
  hours: z.number(),
  /** Emitted as given: XSD PascalCase (`Vacation`) or Toki's fixtures' SCREAMING_SNAKE (`VACATION`). */
  type: z.string().min(1),
  comment: z.string().default(""),
});

function checkUniqueIds(rows: ReadonlyArray<{ id?: number | undefined }>, key: string, ctx: z.RefinementCtx): void {
  const seen = new Set<number>();
  rows.forEach((row, index) => {
    if (row.id === undefined) return;
    if (seen.has(row.id)) ctx.addIssue({ code: "custom", path: [key, index, "id"], message: `duplicate id ${row.id}` });
    seen.add(row.id);
  });
}

export const kleerEmulatorSeedSchema = z
  .strictObject({
    /** The user `/user/me` answers with (the integration user). @default the first user */
    integrationUserId: id.optional(),
    users: z.array(kleerSeedUserSchema).default([]),
    activities: z.array(kleerSeedActivitySchema).default([]),
    projects: z.array(kleerSeedProjectSchema).default([]),
    /** Events may point at project/activity ids that do not exist (Toki skips those on listing). */
    events: z.array(kleerSeedEventSchema).default([]),
    dayStatuses: z.array(kleerSeedDayStatusSchema).default([]),
    payrollSchedule: z.array(kleerSeedScheduleSchema).default([]),
    payrollEvents: z.array(kleerSeedPayrollEventSchema).default([]),
    quirks: kleerWireQuirksSchema.default({ statusSpelling: "upper", nullStrings: false, dateFormat: "date" }),
  })
  .superRefine((seed, ctx) => {
    checkUniqueIds(seed.users, "users", ctx);
    checkUniqueIds(seed.activities, "activities", ctx);
    checkUniqueIds(seed.projects, "projects", ctx);
    checkUniqueIds(seed.events, "events", ctx);
    checkUniqueIds(seed.payrollEvents, "payrollEvents", ctx);
  });

/** A validated seed (defaults applied). */
export type KleerEmulatorSeed = z.infer<typeof kleerEmulatorSeedSchema>;
/** What a seed file may contain (defaults not yet applied). */
export type KleerEmulatorSeedInput = z.input<typeof kleerEmulatorSeedSchema>;
export type KleerSeedUser = z.infer<typeof kleerSeedUserSchema>;
export type KleerSeedActivity = z.infer<typeof kleerSeedActivitySchema>;
export type KleerSeedProject = z.infer<typeof kleerSeedProjectSchema>;
export type KleerSeedEvent = z.infer<typeof kleerSeedEventSchema>;
export type KleerSeedDayStatus = z.infer<typeof kleerSeedDayStatusSchema>;
export type KleerSeedSchedule = z.infer<typeof kleerSeedScheduleSchema>;
export type KleerSeedPayrollEvent = z.infer<typeof kleerSeedPayrollEventSchema>;

/** Validates a seed (a parsed JSON file); a bad seed is a ConfigError naming each bad path. */
export function parseKleerEmulatorSeed(input: unknown, source = "Kleer emulator seed"): KleerEmulatorSeed {
  const parsed = kleerEmulatorSeedSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  throw new ConfigError(`${source} is not valid`, issues, { cause: parsed.error });
}
