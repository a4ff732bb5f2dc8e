import { http, HttpResponse, type RequestHandler } from "msw";
import { isIsoDate } from "../../domain/calendar.js";
import type { Clock } from "../../domain/ports.js";
import type { EmulatedAuth } from "./milltime-emulator-auth.js";
import { parseCookieHeader } from "./milltime-emulator-auth.js";
import type { MilltimeEmulatorState } from "./milltime-emulator-state.js";
import type { MilltimeSeedUser } from "./milltime-emulator-seed.js";
import { failure, parseFilter, type FilterFields } from "./milltime-emulator-filter.js";
import { handleWrite, type MilltimeWriteLogEntry, type TimerState } from "./milltime-emulator-writes.js";

/** The CGI entry point the emulator serves, like a real tenant's `/cgi/mt.cgi`. */
export const MILLTIME_EMULATOR_PATH = "/cgi/mt.cgi";

/** A store-level reply fault: what a broken or unexpected Milltime answer looks like. */
export type MilltimeStoreFault =
  | "html"
  | "xml"
  | "truncated"
  | "success-false"
  | "zero-rows"
  | "duplicate-row"
  | "server-error"
  | "unauthorized"
  | "forbidden";

export const MILLTIME_STORE_FAULTS: readonly MilltimeStoreFault[] = [
  "html", "xml", "truncated", "success-false", "zero-rows", "duplicate-row", "server-error", "unauthorized", "forbidden",
];

/** Changes a read store's `{rows, success}` body before it is sent (tests plant malformed rows with it). */
export type MilltimeReplyTransform = (body: { rows: unknown[]; success: boolean }) => unknown;

export interface MilltimeHandlerContext {
  state: MilltimeEmulatorState;
  auth: EmulatedAuth;
  clock: Clock;
  storeFaults: Map<string, MilltimeStoreFault>;
  replyTransforms: Map<string, MilltimeReplyTransform>;
  writeLog: MilltimeWriteLogEntry[];
  timers: Map<string, TimerState>;
  /** Per-emulator id counters. */
  counters: { timer: number };
}

const LOGIN_PAGE = `<!DOCTYPE html><html><head><title>Milltime – Logga in</title></head><body><form action="/cgi/mt.cgi/api/login"><input name="userlogin"></form></body></html>`;

function dateRange(fields: FilterFields): { from: string; to: string } | { error: string } {
  const from = fields.get("fromDate") ?? "";
  const to = fields.get("toDate") ?? "";
  if (!isIsoDate(from) || !isIsoDate(to)) return { error: "fromDate and toDate must be dates (YYYY-MM-DD)" };
  if (from > to) return { error: "fromDate is after toDate" };
  return { from, to };
}

type ReadResult = { rows: unknown[] } | { error: string };

function readStore(ctx: MilltimeHandlerContext, store: string, url: URL, user: MilltimeSeedUser): ReadResult | undefined {
  const { state } = ctx;
  switch (store) {
    case "ProjectSearchMT": {
      const f = parseFilter(url, ["View"], ["View"]);
      if ("error" in f) return f;
      if (f.fields.get("View") !== "Overview") return { error: `unknown View ${f.fields.get("View")}` };
      return { rows: state.projectSearchRows(user) };
    }
    case "ProjectPhaseActivity": {
      const f = parseFilter(url, ["ProjectId", "fromDate", "toDate"], ["ProjectId", "fromDate", "toDate"]);
      if ("error" in f) return f;
      const range = dateRange(f.fields);
      if ("error" in range) return range;
      return { rows: state.projectPhaseActivityRows(user, f.fields.get("ProjectId") ?? "") };
    }
    case "UserCalendar":
    case "TimeInfo": {
      const f = parseFilter(url, ["fromDate", "toDate"], ["fromDate", "toDate"]);
      if ("error" in f) return f;
      const range = dateRange(f.fields);
      if ("error" in range) return range;
      const row = store === "UserCalendar" ? state.userCalendarRow(user, range.from, range.to) : state.timeInfoRow(user, range.from, range.to);
      return { rows: [row] };
    }
    case "TimerRegistration": {
      const f = parseFilter(url, [], []);
      if ("error" in f) return f;
      const timer = ctx.timers.get(user.userId);
      return { rows: timer ? [timer.row(ctx.clock.now())] : [] };
    }
    default:
      return undefined;
  }
}

function applyFault(fault: MilltimeStoreFault | undefined, body: unknown): Response {
  const json = JSON.stringify(body);
  switch (fault) {
    case undefined:
      return new Response(json, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
    case "html":
      return new Response(LOGIN_PAGE, { status: 200, headers: { "content-type": "text/html; charset=utf-8" } });
    case "xml":
      return new Response(`<?xml version="1.0" encoding="utf-8"?><error><message>Internt fel</message></error>`, {
        status: 200,
        headers: { "content-type": "application/xml" },
      });
    case "truncated":
      return new Response(json.slice(0, Math.max(1, Math.floor(json.length / 2))), { status: 200, headers: { "content-type": "application/json" } });
    case "success-false":
      return failure("Ett fel uppstod vid hämtning av data");
    case "zero-rows":
      return HttpResponse.json({ rows: [], success: true });
    case "duplicate-row": {
      const rows = (body as { rows?: unknown[] }).rows ?? [];
      return HttpResponse.json({ rows: [...rows, ...rows], success: true });
    }
    case "server-error":
      return new Response(`<html><body><h1>500 Internal Server Error</h1></body></html>`, { status: 500, headers: { "content-type": "text/html" } });
    case "unauthorized":
      return HttpResponse.json({ success: false, message: "Unauthorized" }, { status: 401 });
    case "forbidden":
      return HttpResponse.json({ success: false, message: "Forbidden" }, { status: 403 });
  }
}

/** msw handlers for Milltime's login and store API, over one emulator's state. */
export function createMilltimeHandlers(ctx: MilltimeHandlerContext): RequestHandler[] {
  const authenticate = (request: Request) => ctx.auth.authenticate(request.headers.get("cookie"), request.headers.get("x-csrf-token"));

  return [
    http.post(`*${MILLTIME_EMULATOR_PATH}/api/login`, async ({ request }) => {
      const contentType = request.headers.get("content-type") ?? "";
      if (!contentType.startsWith("multipart/form-data")) {
        // Step 1: a bare POST hands out the CSRF token as a cookie.
        const token = ctx.auth.issueCsrfToken();
        return new Response(JSON.stringify({ success: true }), {
          status: 200,
          headers: { "content-type": "application/json", "set-cookie": `CSRFToken=${token}; Path=/; Secure; SameSite=Lax` },
        });
      }
      let form: FormData;
      try {
        form = await request.formData();
      } catch {
        return HttpResponse.json({ success: false, message: "Malformed form data" }, { status: 400 });
      }
      const field = (name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : "");
      const outcome = ctx.auth.login(
        { userlogin: field("userlogin"), password: field("password"), instanceid: field("instanceid") },
        request.headers.get("x-csrf-token"),
        parseCookieHeader(request.headers.get("cookie")).get("CSRFToken"),
      );
      if (!outcome.ok) return HttpResponse.json({ success: false, message: outcome.message }, { status: outcome.status });
      const headers = new Headers({ "content-type": "application/json" });
      headers.append("set-cookie", `milltimesessionid=${outcome.jwt}; Expires=${outcome.expires.toUTCString()}; Path=/; Secure; HttpOnly; SameSite=Lax`);
      headers.append("set-cookie", `milltimeinstanceid=${ctx.state.seed.instance.instanceId}; Path=/; SameSite=Lax`);
      return new Response(JSON.stringify({ success: true }), { status: 200, headers });
    }),

    http.get(`*${MILLTIME_EMULATOR_PATH}/data/store/:store`, ({ request, params }) => {
      const store = String(params.store);
      const auth = authenticate(request);
      if (!auth.ok) return HttpResponse.json({ success: false, message: auth.message }, { status: auth.status });
      const result = readStore(ctx, store, new URL(request.url), auth.user);
      if (result === undefined) return failure(`Unknown store ${store}`, 404);
      if ("error" in result) return failure(result.error);
      const body = { rows: result.rows, success: true };
      const transform = ctx.replyTransforms.get(store);
      return applyFault(ctx.storeFaults.get(store), transform ? transform(body) : body);
    }),

    ...(["post", "put", "delete"] as const).map((method) =>
      http[method](`*${MILLTIME_EMULATOR_PATH}/data/store/:store`, async ({ request, params }) => {
        const store = String(params.store);
        const auth = authenticate(request);
        if (!auth.ok) return HttpResponse.json({ success: false, message: auth.message }, { status: auth.status });
        return handleWrite(ctx, method.toUpperCase() as "POST" | "PUT" | "DELETE", store, request, auth.user);
      }),
    ),
  ];
}
