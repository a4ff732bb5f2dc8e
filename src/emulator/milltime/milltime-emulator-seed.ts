import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { isIsoDate } from "../../domain/calendar.js";
import { ConfigError } from "../../domain/errors.js";
import { parseJsonFileText } from "../../config/json-file.js";

const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });
const numericId = z.string().regex(/^\d+$/, "expected a numeric string id");

export const milltimeSeedUserSchema = z.object({
  userId: numericId.describe("Milltime user id: the JWT's `userid`."),
  username: z.string().min(1).describe("Login name (`userlogin`)."),
  password: z.string().min(1),
  name: z.string().describe("Display name."),
  startDate: isoDate.describe("`user_startdate`: flex is summed from here."),
  endDate: isoDate.nullable().default(null).describe("`user_enddate`."),
  hoursPerDay: z.number().min(0).max(24).default(8).describe("Scheduled hours (`stdtime`) Monday–Friday unless `schedule` overrides a day."),
  flexOpeningBalance: z.number().default(0).describe("Flex balance (hours) on the start date."),
});

export const milltimeSeedActivitySchema = z.object({
  activityId: numericId,
  name: z.string().min(1),
  requireNote: z.boolean().nullable().default(false),
});

export const milltimeSeedProjectSchema = z.object({
  projectId: numericId,
  name: z.string().min(1),
  projectNr: z.string().nullable().default(null).describe("`projectnr`; null or \"\" means no code."),
  leaderName: z.string().default(""),
  customerNames: z.string().nullable().default(null),
  memberUserIds: z.array(numericId).describe("Users for whom ProjectSearchMT says `ismember: true`."),
  phases: z
    .array(z.object({ phaseId: z.string().min(1), name: z.string(), activities: z.array(milltimeSeedActivitySchema) }))
    .describe("One ProjectPhaseActivity row per phase (Toki's reader needs exactly one)."),
});

export const milltimeSeedRegistrationSchema = z.object({
  registrationId: numericId,
  userId: numericId,
  projectId: numericId,
  activityId: numericId,
  date: isoDate,
  hours: z.number().min(0).describe("`projtimehh`"),
  minutes: z.number().int().min(0).max(59).nullable().describe("`projtimemm`; null happens in Milltime."),
  note: z.string().nullable(),
  attestLevel: z.number().int().nullable().describe("0 none, 1 week, 2 month; other numbers and null are served as given."),
});

export const milltimeSeedScheduleDaySchema = z.object({
  userId: numericId,
  date: isoDate,
  hours: z.number().min(0).max(24).nullable().describe("`stdtime` of that day (null: no schedule)."),
  holiday: z.boolean().default(false),
});

export const milltimeSeedAbsenceSchema = z.object({
  userId: numericId,
  date: isoDate,
  hours: z.number().positive(),
  type: z.string().default("Vacation"),
});

/** Every field Toki's Milltime crate (2d8ab9e^) declares `Option<T>`: user_calendar.rs:127-176, time_info.rs:8-10. */
export const MILLTIME_OPTION_KEYS = [
  "user_enddate",
  "stdtime",
  "attestlevel",
  "projtimemm",
  "usernote",
  "customernames",
  "hh",
  "mm",
  "Overtimes",
  "FlexTimePreviousPeriod",
] as const;

/** The emulator's whole state as data: fixtures, the demo and the benchmark write this. */
export const milltimeSeedSchema = z
  .object({
    instance: z
      .object({
        instanceId: z.string().min(1).default("000224.1"),
        instanceName: z.string().default("Emulerat AB"),
        instanceDb: z.string().default("milltime_emulator"),
      })
      .prefault({}),
    users: z.array(milltimeSeedUserSchema).min(1),
    projects: z.array(milltimeSeedProjectSchema),
    registrations: z.array(milltimeSeedRegistrationSchema).default([]),
    schedule: z.array(milltimeSeedScheduleDaySchema).default([]),
    absences: z.array(milltimeSeedAbsenceSchema).default([]),
    /**
     * Keys Toki's Milltime crate declares `Option<T>` that replies leave out entirely (Milltime has
     * been seen omitting them; Toki reads them as absent). @default none: every key is sent
     */
    omitOptionKeys: z.array(z.enum(MILLTIME_OPTION_KEYS)).default([]),
  })
  .superRefine((seed, ctx) => {
    const users = new Set<string>();
    const usernames = new Set<string>();
    seed.users.forEach((u, i) => {
      if (users.has(u.userId)) ctx.addIssue({ code: "custom", path: ["users", i, "userId"], message: `duplicate userId ${u.userId}` });
      if (usernames.has(u.username)) ctx.addIssue({ code: "custom", path: ["users", i, "username"], message: `duplicate username ${u.username}` });
      users.add(u.userId);
      usernames.add(u.username);
    });
    const activitiesOf = new Map<string, Set<string>>();
    seed.projects.forEach((p, i) => {
      if (activitiesOf.has(p.projectId)) ctx.addIssue({ code: "custom", path: ["projects", i, "projectId"], message: `duplicate projectId ${p.projectId}` });
      activitiesOf.set(p.projectId, new Set(p.phases.flatMap((ph) => ph.activities.map((a) => a.activityId))));
      p.memberUserIds.forEach((m, j) => {
        if (!users.has(m)) ctx.addIssue({ code: "custom", path: ["projects", i, "memberUserIds", j], message: `unknown user ${m}` });
      });
    });
    const ids = new Set<string>();
    seed.registrations.forEach((r, i) => {
      if (ids.has(r.registrationId)) ctx.addIssue({ code: "custom", path: ["registrations", i, "registrationId"], message: `duplicate registrationId ${r.registrationId}` });
      ids.add(r.registrationId);
      if (!users.has(r.userId)) ctx.addIssue({ code: "custom", path: ["registrations", i, "userId"], message: `unknown user ${r.userId}` });
      const activities = activitiesOf.get(r.projectId);
      if (!activities) ctx.addIssue({ code: "custom", path: ["registrations", i, "projectId"], message: `unknown project ${r.projectId}` });
      else if (!activities.has(r.activityId))
        ctx.addIssue({ code: "custom", path: ["registrations", i, "activityId"], message: `activity ${r.activityId} is not in project ${r.projectId}` });
    });
    for (const key of ["schedule", "absences"] as const) {
      seed[key].forEach((d, i) => {
        if (!users.has(d.userId)) ctx.addIssue({ code: "custom", path: [key, i, "userId"], message: `unknown user ${d.userId}` });
      });
    }
  });

export type MilltimeSeed = z.infer<typeof milltimeSeedSchema>;
export type MilltimeSeedInput = z.input<typeof milltimeSeedSchema>;
export type MilltimeSeedUser = MilltimeSeed["users"][number];
export type MilltimeSeedProject = MilltimeSeed["projects"][number];
export type MilltimeSeedRegistration = MilltimeSeed["registrations"][number];

/** Validates a seed; issues name the path (`registrations[3].activityId: …`). */
export function parseMilltimeSeed(value: unknown, sourceName = "the Milltime emulator seed"): MilltimeSeed {
  const result = milltimeSeedSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("").replace(/^\./, "") || "(root)"}: ${i.message}`);
    throw new ConfigError(`${sourceName} is invalid`, issues);
  }
  return result.data;
}

export async function loadMilltimeSeed(path: string): Promise<MilltimeSeed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the Milltime emulator seed ${path}`, [], { cause: error });
  }
  const value = parseJsonFileText(text, path, `the Milltime emulator seed ${path} is not valid JSON`);
  return parseMilltimeSeed(value, `the Milltime emulator seed ${path}`);
}

/** The bundled fixture (works from src/ and from dist/). */
export function smallCompanySeedPath(): string {
  const candidates = ["../../../fixtures/milltime/small-company.json", "../../../../fixtures/milltime/small-company.json"].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}
