import type { z } from "zod";
import {
  createKleerEmulatorState,
  type KleerEmulatorSeedInput,
} from "../../src/emulator/kleer/index.js";
import {
  wireActivity,
  wireDayStatus,
  wireEvent,
  wireMe,
  wirePayrollEvent,
  wireProject,
  wireSchedule,
  wireUser,
} from "../../src/emulator/kleer/kleer-emulator-wire.js";
import type { KleerClient } from "../../src/kleer/kleer-client.js";
import {
  kleerActivitiesSchema,
  kleerClientProjectsSchema,
  kleerEventRestrictionsSchema,
  kleerEventSchema,
  kleerEventsSchema,
  kleerPayrollEventsSchema,
  kleerPayrollSchedulesSchema,
  kleerUserMeSchema,
  kleerUsersSchema,
} from "../../src/kleer/kleer-schema.js";
import { readDemoFixture } from "./fuzz-support.js";

/** A demo Kleer user with events, day statuses, a payroll schedule and payroll events. */
export const KLEER_USER = 5501;
const RANGE = { from: "2026-09-28", to: "2026-11-22" };

/** One Kleer read endpoint: its wire schema, a real reply of the demo company and how the client calls it. */
export interface KleerEndpoint {
  name: string;
  /** Route as errors name it (after `/company/{companyId}`). */
  route: string;
  schema: z.ZodType;
  sample: unknown;
  call(client: KleerClient): Promise<unknown>;
}

/** Valid replies of every read endpoint, built from the demo seed with the emulator's wire functions (a few rows each). */
export function kleerEndpoints(): KleerEndpoint[] {
  const state = createKleerEmulatorState(readDemoFixture<KleerEmulatorSeedInput>("kleer-seed.json"));
  const q = { userId: KLEER_USER, range: { from: "2026-11-01", to: "2026-11-30" } };
  const events = state.events({ userId: KLEER_USER, ...RANGE }).slice(0, 4).map((row) => wireEvent(row));
  const me = state.integrationUser();
  if (!me) throw new Error("the demo seed has no integration user");
  return [
    { name: "user/me", route: "/user/me", schema: kleerUserMeSchema, sample: wireMe(me), call: (c) => c.getCurrentUser() },
    { name: "users", route: "/user", schema: kleerUsersSchema, sample: { users: state.users().slice(0, 3).map(wireUser) }, call: (c) => c.listUsers() },
    {
      name: "client-projects",
      route: "/client-project",
      schema: kleerClientProjectsSchema,
      sample: { "client-project-readables": state.projects({ activeOnly: false }).slice(0, 3).map((row) => wireProject(row)) },
      call: (c) => c.listClientProjects(),
    },
    {
      name: "activities",
      route: "/activity",
      schema: kleerActivitiesSchema,
      sample: { "activity-readables": state.activities().slice(0, 3).map((row) => wireActivity(row)) },
      call: (c) => c.listActivities(),
    },
    { name: "events", route: "/event", schema: kleerEventsSchema, sample: { "event-readables": events }, call: (c) => c.listEvents(q) },
    { name: "event", route: "/event/{eventId}", schema: kleerEventSchema, sample: events[0], call: (c) => c.getEvent(7000001) },
    {
      name: "event statuses",
      route: "/event/statuses",
      schema: kleerEventRestrictionsSchema,
      sample: { "event-restriction-readables": state.dayStatuses(KLEER_USER, RANGE).slice(0, 3).map((row) => wireDayStatus(row)) },
      call: (c) => c.listEventStatuses(q),
    },
    {
      name: "payroll schedule",
      route: "/payroll/user/{userId}/schedule/{startDate}/to/{endDate}",
      schema: kleerPayrollSchedulesSchema,
      sample: { "payroll-user-schedule-metadatas": state.schedule(KLEER_USER, RANGE).slice(0, 3).map(wireSchedule) },
      call: (c) => c.getPayrollSchedule(q),
    },
    {
      name: "payroll events",
      route: "/payroll/user/{userId}/event/from/{fromDate}/to/{toDate}",
      schema: kleerPayrollEventsSchema,
      sample: { "payroll-events": state.payrollEvents(KLEER_USER, RANGE).slice(0, 3).map(wirePayrollEvent) },
      call: (c) => c.listPayrollEvents(q),
    },
  ];
}
