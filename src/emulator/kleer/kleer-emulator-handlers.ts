import { http, HttpResponse, type RequestHandler } from "msw";
import { z } from "zod";
import { isIsoDate } from "../../domain/calendar.js";
import { daysIn } from "../../domain/date-span.js";
import { ConfigError } from "../../domain/errors.js";
import type { DateRange } from "../../domain/time-entry.js";
import type { KleerEmulatorEventInput, KleerEmulatorState, KleerEmulatorWriteResult } from "./kleer-emulator-state.js";
import {
  toXml,
  wireActivity,
  wireDayStatus,
  wireEvent,
  wireMe,
  wirePayrollEvent,
  wireProject,
  wireSchedule,
  wireUser,
  type Json,
} from "./kleer-emulator-wire.js";

export interface KleerEmulatorHandlerOptions {
  /** The integration token every request must carry in `X-Token`. */
  token: string;
  /** The one company this emulator holds; other company ids answer 404. */
  companyId: number;
  /**
   * Ranged per-user reads (events, day statuses, both payroll endpoints) over more days than this
   * answer 400, so a client's span splitting can be tested. @default unlimited
   */
  maxSpanDays?: number | undefined;
}

/** Message of the 400 a span above `maxSpanDays` is answered with (emulator switch). */
export const SPAN_TOO_LONG_MESSAGE = "Date range too long";

/** Message of the 500 both payroll endpoints answer for a user without a payroll record (observed). */
export const PAYROLL_USER_MISSING_MESSAGE =
  "se.kleer.payroll.exception.PayrollUserDoesNotExistException: Payroll user does not exist";

type Params = Record<string, string | readonly string[] | undefined>;
interface Ctx {
  request: Request;
  params: Params;
}

const param = (params: Params, name: string) => {
  const value = params[name];
  return typeof value === "string" ? value : "";
};
const intOf = (text: string | null) => (text !== null && /^\d{1,10}$/.test(text) ? Number(text) : undefined);

/** JSON when the request declared a JSON Content-Type; otherwise XML, as Kleer has been seen to do. */
function reply(request: Request, status: number, rootName: string, body: Json): Response {
  const wantsJson = (request.headers.get("content-type") ?? "").toLowerCase().includes("application/json");
  if (wantsJson) return HttpResponse.json(body, { status });
  return new HttpResponse(toXml(rootName, body), { status, headers: { "content-type": "application/xml;charset=UTF-8" } });
}
const fail = (request: Request, status: number, message: string) => reply(request, status, "error", { message });

const ref = z.object({ id: z.number().int() });
/** The event-writable the emulator accepts (XSD `event-writable`). */
const eventWritableSchema = z.object({
  "foreign-id": z.string().optional(),
  user: ref,
  activity: ref,
  "client-project": ref.nullish(),
  child: z.string().nullish(),
  date: z.string().refine(isIsoDate, "expected a YYYY-MM-DD date"),
  hours: z.number().min(0),
  comment: z.string(),
  "internal-comment": z.string().nullish(),
});

async function readWritable(request: Request): Promise<KleerEmulatorEventInput | Response> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return fail(request, 400, "Malformed request body");
  }
  // Checked before the rest: the live API failed a PUT without foreign-id with a bare 500.
  if (typeof body === "object" && body !== null && !("foreign-id" in body && typeof body["foreign-id"] === "string" && body["foreign-id"] !== ""))
    return fail(request, 500, "Tekniskt fel");
  const parsed = eventWritableSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(request, 400, `Invalid event: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "bad body"}`);
  }
  const w = parsed.data;
  return {
    foreignId: w["foreign-id"] ?? "",
    userId: w.user.id,
    activityId: w.activity.id,
    projectId: w["client-project"]?.id ?? null,
    child: w.child ?? null,
    date: w.date,
    hours: w.hours,
    comment: w.comment,
    internalComment: w["internal-comment"] ?? null,
  };
}

function writeReply(request: Request, result: KleerEmulatorWriteResult, rootName: "saved" | "deleted"): Response {
  return result.ok ? reply(request, 200, rootName, { id: result.id }) : fail(request, result.status, result.message);
}

function rangeOf(from: string | null, to: string | null): DateRange | undefined {
  return from !== null && to !== null && isIsoDate(from) && isIsoDate(to) ? { from, to } : undefined;
}

const hookDayStatusSchema = z.object({
  userId: z.number().int().positive(),
  from: z.string().refine(isIsoDate),
  to: z.string().refine(isIsoDate),
  status: z.enum(["open", "approved", "certified"]),
  registrationUserId: z.number().int().positive().optional(),
});

/**
 * msw handlers for the Kleer endpoints Toki uses (kleer-api.md §3) over one in-memory company,
 * plus emulator-only test hooks under `/__emulator/`. Paths match under any base prefix
 * (`http://127.0.0.1:8787/v1/company/4875/...` as well as without `/v1`).
 */
export function createKleerEmulatorHandlers(state: KleerEmulatorState, options: KleerEmulatorHandlerOptions): RequestHandler[] {
  const company = `*/company/:companyId`;

  /** Token first (401), then the company (404), then the endpoint. */
  const guarded =
    (resolve: (ctx: Ctx) => Response | Promise<Response>) =>
    async ({ request, params }: { request: Request; params: Params }): Promise<Response> => {
      if (request.headers.get("x-token") !== options.token) return fail(request, 401, "Unauthorized: missing or invalid X-Token");
      if (params.companyId !== undefined && param(params, "companyId") !== String(options.companyId))
        return fail(request, 404, `Company ${param(params, "companyId")} not found`);
      return resolve({ request, params });
    };
  const query = (request: Request) => new URL(request.url).searchParams;
  /** A 400 when the span switch is on and the range is longer than it allows. */
  const spanRefusal = (request: Request, range: DateRange | { from?: string | undefined; to?: string | undefined }): Response | undefined => {
    const max = options.maxSpanDays;
    if (max === undefined || range.from === undefined || range.to === undefined) return undefined;
    const days = daysIn({ from: range.from, to: range.to });
    return days > max ? fail(request, 400, `${SPAN_TOO_LONG_MESSAGE}: ${days} days asked, at most ${max}`) : undefined;
  };

  const payroll = (kind: "schedule" | "event") =>
    guarded(({ request, params }) => {
      const userId = intOf(param(params, "userId"));
      const range = rangeOf(param(params, "from"), param(params, "to"));
      if (userId === undefined || !range) return fail(request, 400, "Invalid user id or date");
      const tooLong = spanRefusal(request, range);
      if (tooLong) return tooLong;
      const user = state.user(userId);
      if (!user || !user.hasPayroll) return fail(request, 500, PAYROLL_USER_MISSING_MESSAGE);
      return kind === "schedule"
        ? reply(request, 200, "payroll-user-schedule-metadatas", { "payroll-user-schedule-metadatas": state.schedule(userId, range).map(wireSchedule) })
        : reply(request, 200, "payroll-events", { "payroll-events": state.payrollEvents(userId, range).map(wirePayrollEvent) });
    });

  return [
    http.get(`${company}/user/me`, guarded(({ request }) => {
      const me = state.integrationUser();
      return me ? reply(request, 200, "user", wireMe(me)) : fail(request, 404, "User not found");
    })),
    http.get(`${company}/user`, guarded(({ request }) => reply(request, 200, "users", { users: state.users().map(wireUser) }))),
    http.get(`${company}/client-project`, guarded(({ request }) => {
      const activeOnly = query(request).get("filter") === "active";
      return reply(request, 200, "client-project-readables", {
        "client-project-readables": state.projects({ activeOnly }).map((p) => wireProject(p, state.quirks())),
      });
    })),
    http.get(`${company}/activity`, guarded(({ request }) =>
      reply(request, 200, "activity-readables", { "activity-readables": state.activities().map((a) => wireActivity(a, state.quirks())) }))),
    http.get(`${company}/event/statuses`, guarded(({ request }) => {
      const q = query(request);
      const userId = intOf(q.get("userId"));
      const range = rangeOf(q.get("fromDate"), q.get("toDate"));
      if (userId === undefined || !range) return fail(request, 400, "userId, fromDate and toDate are required");
      const tooLong = spanRefusal(request, range);
      if (tooLong) return tooLong;
      return reply(request, 200, "event-restriction-readables", {
        "event-restriction-readables": state.dayStatuses(userId, range).map((row) => wireDayStatus(row, state.quirks())),
      });
    })),
    http.get(`${company}/event`, guarded(({ request }) => {
      const q = query(request);
      const userIdText = q.get("userId");
      const userId = intOf(userIdText);
      const from = q.get("startDate") ?? undefined;
      const to = q.get("endDate") ?? undefined;
      if ((userIdText !== null && userId === undefined) || (from !== undefined && !isIsoDate(from)) || (to !== undefined && !isIsoDate(to)))
        return fail(request, 400, "Invalid userId, startDate or endDate");
      const tooLong = spanRefusal(request, { from, to });
      if (tooLong) return tooLong;
      return reply(request, 200, "event-readables", { "event-readables": state.events({ userId, from, to }).map((e) => wireEvent(e, state.quirks())) });
    })),
    http.get(`${company}/event/:eventId`, guarded(({ request, params }) => {
      const id = intOf(param(params, "eventId"));
      const event = id === undefined ? undefined : state.event(id);
      return event ? reply(request, 200, "event-readable", wireEvent(event, state.quirks())) : fail(request, 404, `Event ${param(params, "eventId")} not found`);
    })),
    http.put(`${company}/event`, guarded(async ({ request }) => {
      const input = await readWritable(request);
      return input instanceof Response ? input : writeReply(request, state.createEvent(input), "saved");
    })),
    http.post(`${company}/event/:eventId`, guarded(async ({ request, params }) => {
      const id = intOf(param(params, "eventId"));
      if (id === undefined) return fail(request, 404, `Event ${param(params, "eventId")} not found`);
      const input = await readWritable(request);
      return input instanceof Response ? input : writeReply(request, state.updateEvent(id, input), "saved");
    })),
    http.delete(`${company}/event/:eventId`, guarded(({ request, params }) => {
      const id = intOf(param(params, "eventId"));
      if (id === undefined) return fail(request, 404, `Event ${param(params, "eventId")} not found`);
      return writeReply(request, state.deleteEvent(id), "deleted");
    })),
    http.get(`${company}/payroll/user/:userId/schedule/:from/to/:to`, payroll("schedule")),
    http.get(`${company}/payroll/user/:userId/event/from/:from/to/:to`, payroll("event")),

    // Emulator-only test hooks (not part of Kleer's API); they require the same X-Token.
    http.post("*/__emulator/day-status", guarded(async ({ request }) => {
      const parsed = hookDayStatusSchema.safeParse(await request.json().catch(() => null));
      if (!parsed.success || parsed.data.from > parsed.data.to)
        return fail(request, 400, "expected {userId, from, to, status: open|approved|certified, registrationUserId?}");
      const { userId, from, to, status, registrationUserId } = parsed.data;
      return reply(request, 200, "day-status", { days: state.setDayStatus(userId, { from, to }, status, registrationUserId) });
    })),
    http.post("*/__emulator/seed", guarded(async ({ request }) => {
      try {
        state.seed(await request.json());
      } catch (error) {
        const issues = error instanceof ConfigError ? error.issues.join("; ") : (error as Error).message;
        return fail(request, 400, `Invalid seed: ${issues}`);
      }
      return reply(request, 200, "seeded", { seeded: true });
    })),
    http.get("*/__emulator/dump", guarded(() => HttpResponse.json(state.dump() as unknown as Json))),
  ];
}
