import { HttpResponse } from "msw";
import { z } from "zod";
import { isIsoDate } from "../../domain/calendar.js";
import { failure, parseFilter } from "./milltime-emulator-filter.js";
import type { MilltimeHandlerContext } from "./milltime-emulator-handlers.js";
import type { MilltimeSeedUser } from "./milltime-emulator-seed.js";

/**
 * Milltime's write stores (ProjectRegistrationReact, TimerRegistration POST/PUT/DELETE). A reader
 * must never call them; they exist so that tests can prove it, and every call is logged.
 */

export interface MilltimeWriteLogEntry {
  method: "POST" | "PUT" | "DELETE";
  store: string;
  /** The parsed filter, or null without one. */
  filter: Array<[string, string]> | null;
  body: unknown;
  userId: string;
  outcome: "ok" | "refused";
  message?: string | undefined;
}

/** Milltime's own running timer of one user. */
export interface TimerState {
  timerId: string;
  projectId: string;
  activityId: string;
  note: string;
  startedAt: Date;
  row(now: Date): Record<string, unknown>;
}

const HHMM = /^(\d{1,3}):([0-5]\d)$/;

const registrationBodySchema = z.object({
  userid: z.string().optional(),
  projectid: z.string(),
  activity: z.string(),
  regday: z.string().refine(isIsoDate, "expected YYYY-MM-DD"),
  usernote: z.string().nullable().default(""),
  projtime: z.string().regex(HHMM, "expected HH:MM"),
});

const ZERO = { hh: 0, mm: 0 };
const COUNTERS = { OverTime1: ZERO, OverTime2: ZERO, OverTime3: ZERO, OverTime4: ZERO, PlusTime: ZERO, TravelTime1: ZERO, TravelTime2: ZERO };

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function createTimer(ctx: MilltimeHandlerContext, user: MilltimeSeedUser, projectId: string, activityId: string, note: string): TimerState {
  const project = ctx.state.project(projectId);
  const activityName = (project && ctx.state.activityName(project, activityId)) ?? "";
  const timer: TimerState = {
    timerId: String(500000000000000000n + BigInt(++ctx.counters.timer)),
    projectId,
    activityId,
    note,
    startedAt: ctx.clock.now(),
    row(now) {
      const elapsed = Math.max(0, Math.floor((now.getTime() - timer.startedAt.getTime()) / 1000));
      const [h, m, s] = [Math.floor(elapsed / 3600), Math.floor((elapsed % 3600) / 60), elapsed % 60];
      return {
        timerregistrationid: timer.timerId,
        projectregistrationid: "",
        userid: user.userId,
        projectid: timer.projectId,
        activity: timer.activityId,
        phaseid: "Default",
        starttime: timer.startedAt.toISOString(),
        usernote: timer.note,
        attendencelogid: "",
        difference: [h, m, s].map((n) => String(n).padStart(2, "0")).join(":"),
        projectname: project?.name ?? "",
        activityname: activityName,
        hours: h,
        minutes: m,
        seconds: s,
        favoritetype: 0,
        planningtaskid: null,
        ticketdata: null,
        internalnote: null,
        typeof: null,
        variationid: null,
        projtimehh: null,
        projtimemm: null,
        attributevalue: null,
        requirenote: null,
        projectnr: project?.projectNr ?? null,
        projectregistration: null,
      };
    },
  };
  return timer;
}

export async function handleWrite(
  ctx: MilltimeHandlerContext,
  method: "POST" | "PUT" | "DELETE",
  store: string,
  request: Request,
  user: MilltimeSeedUser,
): Promise<Response> {
  const url = new URL(request.url);
  const body = await readJson(request);
  const rawFilter = url.searchParams.get("filter");
  const entry: MilltimeWriteLogEntry = { method, store, filter: null, body, userId: user.userId, outcome: "refused" };
  ctx.writeLog.push(entry);
  const refuse = (message: string, status = 200) => {
    entry.message = message;
    return failure(message, status);
  };
  const done = (rows: unknown[], extra: Record<string, unknown> = {}) => {
    entry.outcome = "ok";
    return HttpResponse.json({ rows, success: true, ...extra });
  };
  const filterOf = (allowed: string[], required: string[]) => {
    const f = parseFilter(url, allowed, required);
    if ("fields" in f) entry.filter = [...f.fields.entries()];
    else if (rawFilter !== null) entry.filter = null;
    return f;
  };
  const { state } = ctx;

  if (store === "ProjectRegistrationReact") {
    if (method === "POST" || method === "PUT") {
      const f = method === "POST" ? filterOf([], []) : filterOf(["ProjectRegistrationId"], ["ProjectRegistrationId"]);
      if ("error" in f) return refuse(f.error);
      const parsed = registrationBodySchema.safeParse(body);
      if (!parsed.success) return refuse(`invalid registration: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
      const b = parsed.data;
      if (b.userid !== undefined && b.userid !== user.userId) return refuse("userid does not match the session");
      const project = state.project(b.projectid);
      if (!project || state.activityName(project, b.activity) === undefined) return refuse("unknown project or activity");
      if (state.isLocked(user.userId, b.regday)) return refuse(`${b.regday} is attested`);
      const [, hh, mm] = HHMM.exec(b.projtime) as RegExpExecArray;
      const fields = { projectId: b.projectid, activityId: b.activity, date: b.regday, hours: Number(hh), minutes: Number(mm), note: b.usernote };
      if (method === "POST") {
        const created = state.addRegistration({ ...fields, userId: user.userId, attestLevel: 0 });
        return done([{ ...state.registrationWire(created), attendencelog: null, ticket: null }], { data: COUNTERS });
      }
      const id = f.fields.get("ProjectRegistrationId") ?? "";
      const existing = state.findRegistration(id);
      if (!existing || existing.userId !== user.userId) return refuse(`no registration ${id}`);
      if (state.isLocked(user.userId, existing.date)) return refuse(`${existing.date} is attested`);
      const updated = state.updateRegistration(id, fields);
      return done(updated ? [state.registrationWire(updated)] : []);
    }
    const f = filterOf(["ProjectRegistrationId", "TimeDistributionType"], ["ProjectRegistrationId", "TimeDistributionType"]);
    if ("error" in f) return refuse(f.error);
    const id = f.fields.get("ProjectRegistrationId") ?? "";
    const existing = state.findRegistration(id);
    if (!existing || existing.userId !== user.userId) return refuse(`no registration ${id}`);
    if (state.isLocked(user.userId, existing.date)) return refuse(`${existing.date} is attested`);
    state.deleteRegistration(id);
    return done([]);
  }

  if (store === "TimerRegistration") {
    const running = ctx.timers.get(user.userId);
    if (method === "POST") {
      const f = filterOf(["UserId", "ProjectId", "Activity"], ["UserId", "ProjectId", "Activity"]);
      if ("error" in f) return refuse(f.error);
      if (f.fields.get("UserId") !== user.userId) return refuse("UserId does not match the session");
      if (running) return refuse("a timer is already running");
      const project = state.project(f.fields.get("ProjectId") ?? "");
      const activityId = f.fields.get("Activity") ?? "";
      if (!project || state.activityName(project, activityId) === undefined) return refuse("unknown project or activity");
      const note = typeof (body as { usernote?: unknown } | undefined)?.usernote === "string" ? (body as { usernote: string }).usernote : "";
      const timer = createTimer(ctx, user, project.projectId, activityId, note);
      ctx.timers.set(user.userId, timer);
      return done([timer.row(ctx.clock.now())]);
    }
    if (method === "PUT") {
      const f = filterOf(["UserNote", "Updated"], []);
      if ("error" in f) return refuse(f.error);
      if (!running) return refuse("no timer is running");
      const note = (body as { usernote?: unknown } | undefined)?.usernote;
      if (typeof note === "string") running.note = note;
      if (f.fields.get("Updated") === "true") return done([running.row(ctx.clock.now())]);
      // Save: the elapsed whole minutes become a registration on the UTC date of now.
      const now = ctx.clock.now();
      const minutes = Math.floor((now.getTime() - running.startedAt.getTime()) / 60_000);
      const date = now.toISOString().slice(0, 10);
      if (state.isLocked(user.userId, date)) return refuse(`${date} is attested`);
      const created = state.addRegistration({
        userId: user.userId,
        projectId: running.projectId,
        activityId: running.activityId,
        date,
        hours: Math.floor(minutes / 60),
        minutes: minutes % 60,
        note: running.note,
        attestLevel: 0,
      });
      ctx.timers.delete(user.userId);
      return done([{ ...running.row(now), projectregistration: state.registrationWire(created) }]);
    }
    const f = filterOf([], []);
    if ("error" in f) return refuse(f.error);
    if (!running) return refuse("no timer is running");
    ctx.timers.delete(user.userId);
    return done([]);
  }

  return refuse(`store ${store} does not accept ${method}`, 404);
}
