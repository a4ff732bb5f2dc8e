import type { z } from "zod";
import { parseMilltimeSeed, type MilltimeSeedInput } from "../../src/emulator/milltime/milltime-emulator-seed.js";
import { MilltimeEmulatorState } from "../../src/emulator/milltime/milltime-emulator-state.js";
import type { DateRange } from "../../src/domain/time-entry.js";
import type { MilltimeReader } from "../../src/milltime/milltime-reader.js";
import {
  projectPhaseActivityRowSchema,
  projectSearchRowSchema,
  timeInfoRowSchema,
  userCalendarRowSchema,
} from "../../src/milltime/milltime-schema.js";
import {
  projectPhaseActivityRequest,
  projectSearchRequest,
  timeInfoRequest,
  userCalendarRequest,
  type MilltimeReadStore,
  type MilltimeStoreRequest,
} from "../../src/milltime/milltime-stores.js";
import { readDemoFixture } from "./fuzz-support.js";

/** One week of the demo with registrations on several days. */
export const MILLTIME_WEEK: DateRange = { from: "2026-10-05", to: "2026-10-11" };

/** One Milltime read store: a real `{rows, success}` reply of the demo company and how it is parsed and read. */
export interface MilltimeStoreCase {
  store: MilltimeReadStore;
  request: MilltimeStoreRequest;
  schema: z.ZodType;
  /** List store (every row) or a one-row store. */
  shape: "rows" | "single";
  sample: { rows: unknown[]; success: boolean };
  /** The reader call that ends in this store. */
  read(reader: MilltimeReader): Promise<unknown>;
}

/** Real store replies for demo user anna (Milltime user 201), built by the emulator's state. */
export function milltimeStoreCases(): MilltimeStoreCase[] {
  const seed = parseMilltimeSeed(readDemoFixture<MilltimeSeedInput>("milltime-seed.json"));
  const state = new MilltimeEmulatorState(seed);
  const user = state.user("201");
  if (!user) throw new Error("the demo seed has no Milltime user 201");
  const searchRows = state.projectSearchRows(user);
  const member = searchRows.find((r) => r.ismember === true);
  if (!member) throw new Error("anna is a member of no demo project");
  const projectId = String(member.projectid);
  const ok = (rows: unknown[]) => ({ rows, success: true });
  return [
    {
      store: "ProjectSearchMT",
      request: projectSearchRequest(),
      schema: projectSearchRowSchema,
      shape: "rows",
      sample: ok(searchRows.slice(0, 3)),
      read: (r) => r.getProjects(),
    },
    {
      store: "ProjectPhaseActivity",
      request: projectPhaseActivityRequest(projectId, MILLTIME_WEEK),
      schema: projectPhaseActivityRowSchema,
      shape: "single",
      sample: ok(state.projectPhaseActivityRows(user, projectId).slice(0, 1)),
      read: (r) => r.getActivities(projectId, MILLTIME_WEEK),
    },
    {
      store: "UserCalendar",
      request: userCalendarRequest(MILLTIME_WEEK),
      schema: userCalendarRowSchema,
      shape: "single",
      sample: ok([state.userCalendarRow(user, MILLTIME_WEEK.from, MILLTIME_WEEK.to)]),
      read: (r) => r.getTimeEntries(MILLTIME_WEEK),
    },
    {
      store: "TimeInfo",
      request: timeInfoRequest(MILLTIME_WEEK),
      schema: timeInfoRowSchema,
      shape: "single",
      sample: ok([state.timeInfoRow(user, MILLTIME_WEEK.from, MILLTIME_WEEK.to)]),
      read: (r) => r.getTimeInfo(MILLTIME_WEEK),
    },
  ];
}
