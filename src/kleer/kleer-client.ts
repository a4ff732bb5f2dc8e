import { performance } from "node:perf_hooks";
import { Pool, type Dispatcher } from "undici";
import { exchangeHttp } from "../http/http-exchange.js";
import type { z } from "zod";
import { ConfigError, InvalidResponseError, ProviderHttpError, TokiError } from "../domain/errors.js";
import { daysIn } from "../domain/date-span.js";
import type { DateRange } from "../domain/time-entry.js";
import type { TokiDecodeReply } from "../domain/toki-decode.js";
import { excerptBody, globalRedactor, SecretRedactor } from "../http/redact.js";
import { nullRecorder, type RequestRecorder } from "../http/request-log.js";
import { createRetryPolicy, gaveUpPhrase, runWithRetry, type RetryOptions } from "../http/retry.js";
import {
  codeForStatus,
  describeNonJson,
  invalidResponseFromZod,
  isSpanRefusalStatus,
  kleerMessageOf,
  KleerPayrollUserMissingError,
  KleerSpanRefusedError,
  type KleerSpanRefusal,
} from "./kleer-errors.js";
import {
  kleerActivitiesSchema,
  kleerClientProjectsSchema,
  kleerEventRestrictionsSchema,
  kleerEventSchema,
  kleerEventsSchema,
  kleerPayrollEventsSchema,
  kleerPayrollSchedulesSchema,
  kleerSavedSchema,
  kleerUserMeSchema,
  kleerUsersSchema,
  type KleerActivity,
  type KleerClientProject,
  type KleerEvent,
  type KleerEventRestriction,
  type KleerEventWritable,
  type KleerPayrollEvent,
  type KleerPayrollSchedule,
  type KleerUser,
  type KleerUserMe,
} from "./kleer-schema.js";
import { checkTokiDecode, type TokiReplyType } from "./kleer-toki-contract.js";
import { TOKI_REQUESTS_BY_REPLY } from "./kleer-toki-requests.js";

/** Keep-alive connections the client's own pool opens to Kleer at most. */
export const KLEER_POOL_CONNECTIONS = 8;
/** How long an idle keep-alive connection is kept. */
export const KLEER_KEEP_ALIVE_MS = 30_000;
/** Default per-request deadline (connect, headers and body together). Toki itself sets none. */
export const KLEER_DEFAULT_TIMEOUT_MS = 30_000;
/** Largest reply body read (bytes); a larger one is not parsed (a ranged read is then split). */
export const KLEER_DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;

export interface KleerClientOptions {
  /** e.g. `https://api.kleer.se/v1`; a trailing `/` is trimmed. */
  baseUrl: string;
  /** Integration token sent as `X-Token`; never appears in errors or logs. */
  token: string;
  companyId: number;
  /** Injected undici dispatcher (a MockAgent, a shared Agent). @default a keep-alive Pool owned by the client */
  dispatcher?: Dispatcher | undefined;
  /** Receives one record per request. @default nullRecorder */
  recorder?: RequestRecorder | undefined;
  /** Per-try deadline. @default 30000 */
  timeoutMs?: number | undefined;
  /** Reply bodies above this many bytes are refused unread. @default 33554432 (32 MiB) */
  maxReplyBytes?: number | undefined;
  /** Connections of the client's own pool (ignored with an injected dispatcher). @default 8 */
  connections?: number | undefined;
  /**
   * Retries of transient read failures (connection errors, timeouts, 429, 502/503/504); writes
   * (PUT/POST/DELETE) are never retried. `false` turns retries off. @default 5 tries, 200 ms base, 5 s cap
   */
  retry?: RetryOptions | false | undefined;
  /**
   * Receives every 2xx JSON reply that Toki's own Kleer client would fail to decode (Toki's decode
   * contract, kleer-toki-contract.ts). The reply is still read leniently. @default none
   */
  onTokiDecode?: ((reply: TokiDecodeReply) => void) | undefined;
  /**
   * Write paths (replay, cleanup) decide what to create from list replies. Toki reads a missing
   * list key as an empty list (kleer/src/types.rs: `#[serde(default)]` on every list); with this
   * set, a list reply without its key, or whose key is not an array, is an INVALID_RESPONSE
   * error instead, so a well-formed `{}` is never read as "no events". @default false
   */
  strictLists?: boolean | undefined;
}

export interface KleerEventQuery {
  userId: number;
  range: DateRange;
  /**
   * The caller retries a refused span as two halves: a refusal (an HTTP error other than auth or
   * rate limit, a timeout, a reply above the size bound) of a range of two days or more then
   * throws KleerSpanRefusedError and its requests row is marked as split. @default false
   */
  splittable?: boolean | undefined;
}

/** One method per endpoint of kleer-api.md §3; results are parsed wire rows. */
export interface KleerClient {
  readonly companyId: number;
  /** #1 GET `/user/me` (credential check). */
  getCurrentUser(): Promise<KleerUserMe>;
  /** #2 GET `/user`. */
  listUsers(): Promise<KleerUser[]>;
  /** #3 GET `/client-project` (all, including inactive). */
  listClientProjects(): Promise<KleerClientProject[]>;
  /** #4 GET `/client-project?filter=active`. */
  listActiveClientProjects(): Promise<KleerClientProject[]>;
  /** #5 GET `/activity`. */
  listActivities(): Promise<KleerActivity[]>;
  /** #6 GET `/event?userId&startDate&endDate`. */
  listEvents(query: KleerEventQuery): Promise<KleerEvent[]>;
  /** #7 GET `/event/{eventId}`. */
  getEvent(eventId: number): Promise<KleerEvent>;
  /** #8 PUT `/event` (create); returns the new id. */
  createEvent(event: KleerEventWritable): Promise<number>;
  /** #9 POST `/event/{eventId}` (update in place); returns the id Kleer answers with. */
  updateEvent(eventId: number, event: KleerEventWritable): Promise<number>;
  /** #10 DELETE `/event/{eventId}`; returns the id Kleer answers with. */
  deleteEvent(eventId: number): Promise<number>;
  /** #11 GET `/event/statuses?userId&fromDate&toDate`. */
  listEventStatuses(query: KleerEventQuery): Promise<KleerEventRestriction[]>;
  /** #12 GET `/payroll/user/{userId}/schedule/{startDate}/to/{endDate}`; throws KleerPayrollUserMissingError for users without payroll. */
  getPayrollSchedule(query: KleerEventQuery): Promise<KleerPayrollSchedule[]>;
  /** #13 GET `/payroll/user/{userId}/event/from/{fromDate}/to/{toDate}`; throws KleerPayrollUserMissingError for users without payroll. */
  listPayrollEvents(query: KleerEventQuery): Promise<KleerPayrollEvent[]>;
  /** Resolves once every request in flight has finished (its reply decoded and checked). */
  settled(): Promise<void>;
  /** Closes the client's own pool (an injected dispatcher is left alone). */
  close(): Promise<void>;
}

interface SendSpec<S extends z.ZodType> {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** Path after `/company/{companyId}`, with real values. */
  path: string;
  /** The same path with values templated out, e.g. `/event/{eventId}`. */
  route: string;
  query?: Record<string, string>;
  body?: unknown;
  schema: S;
  payroll?: boolean;
  /** Toki's reply type for this endpoint (Toki's decode contract). */
  toki?: TokiReplyType;
  /** The days a per-user read asked for. */
  range?: DateRange;
  /** The plural key of a list reply (checked with `strictLists`). */
  listKey?: string;
  splittable?: boolean | undefined;
}

const PAYROLL_MISSING = "PayrollUserDoesNotExistException";

function checkOptions(options: KleerClientOptions): { base: URL; timeoutMs: number; maxReplyBytes: number } {
  let base: URL;
  try {
    base = new URL(options.baseUrl.replace(/\/+$/, ""));
  } catch (error) {
    throw new ConfigError(`Kleer base URL is not a URL: ${globalRedactor.redact(options.baseUrl)}`, ["kleer.baseUrl"], { cause: error });
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new ConfigError("Kleer base URL must be http(s)", ["kleer.baseUrl"]);
  if (!options.token || options.token.trim() === "") throw new ConfigError("the Kleer token is empty", ["kleer.token"]);
  if (!Number.isInteger(options.companyId) || options.companyId <= 0) throw new ConfigError("the Kleer company id must be a positive integer", ["kleer.companyId"]);
  const timeoutMs = options.timeoutMs ?? KLEER_DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ConfigError("the Kleer timeout must be a positive number of milliseconds", ["kleer.timeoutMs"]);
  const maxReplyBytes = options.maxReplyBytes ?? KLEER_DEFAULT_MAX_REPLY_BYTES;
  if (!Number.isInteger(maxReplyBytes) || maxReplyBytes <= 0) throw new ConfigError("the Kleer reply size bound must be a positive number of bytes", ["kleer.maxReplyBytes"]);
  return { base, timeoutMs, maxReplyBytes };
}

const dateRoute = (d: string) => encodeURIComponent(d);

/** Creates a Kleer API client bound to one company; every call goes through one internal `send`. */
export function createKleerClient(options: KleerClientOptions): KleerClient {
  const { base, timeoutMs, maxReplyBytes } = checkOptions(options);
  const baseHref = base.href.replace(/\/+$/, "");
  const companyId = options.companyId;
  const recorder = options.recorder ?? nullRecorder;
  const retryPolicy = createRetryPolicy(options.retry);
  globalRedactor.add(options.token);
  const redactor = new SecretRedactor();
  redactor.add(options.token);
  const sanitize = (text: string) => globalRedactor.redact(redactor.redact(text));
  const ownPool = options.dispatcher
    ? undefined
    : new Pool(base.origin, { connections: options.connections ?? KLEER_POOL_CONNECTIONS, keepAliveTimeout: KLEER_KEEP_ALIVE_MS, connect: { timeout: timeoutMs } });
  const dispatcher: Dispatcher = options.dispatcher ?? (ownPool as Pool);
  const headers = {
    "x-token": options.token,
    accept: "application/json",
    // Kleer has answered JSON endpoints with XML when only Accept was sent (kleer-api.md §1).
    "content-type": "application/json",
  };

  const inFlight = new Set<Promise<unknown>>();
  function send<S extends z.ZodType>(spec: SendSpec<S>): Promise<z.infer<S>> {
    const pending = sendOnce(spec);
    inFlight.add(pending);
    const forget = () => inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  async function sendOnce<S extends z.ZodType>(spec: SendSpec<S>): Promise<z.infer<S>> {
    const started = performance.now();
    const route = `/company/{companyId}${spec.route}${spec.query ? `?${Object.keys(spec.query).map((k) => `${k}={${k}}`).join("&")}` : ""}`;
    const { retried, refusal, path } = await exchange(spec);
    const { outcome, attempts } = retried;
    const split = refusal !== undefined && spec.splittable === true && spec.range !== undefined && daysIn(spec.range) >= 2;
    recorder.record({
      system: "kleer",
      method: spec.method,
      route,
      status: outcome.ok ? outcome.reply.status : undefined,
      attempts,
      durationMs: performance.now() - started,
      ...(spec.range ? { spanFrom: spec.range.from, spanTo: spec.range.to } : {}),
      ...(split ? { split: true } : {}),
      path,
    });
    try {
      return interpret(spec, route, retried);
    } catch (error) {
      if (!split || !(error instanceof Error)) throw error;
      throw new KleerSpanRefusedError(error.message, refusal, error);
    }
  }

  /** One request with its retries; `refusal` says whether the outcome refuses a ranged read's span. */
  async function exchange(spec: SendSpec<z.ZodType>) {
    const search = spec.query ? `?${new URLSearchParams(spec.query).toString()}` : "";
    const path = `/company/${companyId}${spec.path}${search}`;
    // Only reads are retried: a write whose reply was lost may have been carried out, and the
    // replay resolves that through its foreign-id lookup instead of writing again.
    const retried = await runWithRetry(retryPolicy, spec.method === "GET", async () => {
      // One deadline per try for headers and body (undici's own timers are only accurate to ~1 s).
      const reply = await exchangeHttp(dispatcher, {
        url: `${baseHref}${path}`,
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        timeoutMs,
        maxBytes: maxReplyBytes,
      });
      const ct = reply.headers["content-type"];
      const retryAfter = reply.headers["retry-after"];
      return {
        status: reply.status,
        contentType: (Array.isArray(ct) ? ct.join(",") : (ct ?? "")).toLowerCase(),
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        text: reply.text,
        oversize: reply.oversize,
      };
    });
    const { outcome } = retried;
    let refusal: KleerSpanRefusal | undefined;
    if (!outcome.ok) refusal = outcome.error instanceof Error && outcome.error.name === "TimeoutError" ? "timeout" : undefined;
    else if (outcome.reply.oversize) refusal = "oversize";
    else if (isSpanRefusalStatus(outcome.reply.status) && !(spec.payroll && outcome.reply.status === 500 && outcome.reply.text.includes(PAYROLL_MISSING)))
      refusal = "status";
    return { retried, refusal, path };
  }

  /** The parsed body of a reply, or the error a failed exchange or a bad reply is. */
  function interpret<S extends z.ZodType>(spec: SendSpec<S>, route: string, retried: Awaited<ReturnType<typeof exchange>>["retried"]): z.infer<S> {
    const where = `${spec.method} ${route}`;
    const { outcome } = retried;
    const gaveUp = gaveUpPhrase(retried);
    if (!outcome.ok) {
      const { error } = outcome;
      const reason =
        error instanceof Error && error.name === "TimeoutError"
          ? `no complete reply within ${timeoutMs} ms`
          : error instanceof Error
            ? `${(error as { code?: string }).code ?? error.name}: ${error.message}`
            : String(error);
      throw new TokiError("UNREACHABLE", sanitize(`Kleer is unreachable (${where}): ${gaveUp}${reason}`), { cause: error });
    }
    const { status, contentType, text } = outcome.reply;
    if (outcome.reply.oversize) {
      throw new InvalidResponseError(`Kleer's reply to ${where} (HTTP ${status}) is larger than ${maxReplyBytes} bytes; it was not read`, "(body)");
    }

    if (status < 200 || status > 299) {
      const details = { system: "kleer" as const, status, method: spec.method, route, bodyExcerpt: excerptBody(sanitize(text), redactor) };
      const detail = kleerMessageOf(text) ?? (text.trim() === "" ? "empty response body" : details.bodyExcerpt);
      if (spec.payroll && status === 500 && text.includes(PAYROLL_MISSING)) {
        throw new KleerPayrollUserMissingError(sanitize(`Kleer has no payroll record for the user (${where}): ${detail}`), details);
      }
      const lead =
        status === 401
          ? "Kleer rejected the integration token (invalid or expired)"
          : status === 403
            ? "Kleer forbade access"
            : status === 404
              ? "Kleer found nothing"
              : "Kleer failed";
      throw new ProviderHttpError(codeForStatus(status), sanitize(`${lead}: ${gaveUp}HTTP ${status} on ${where}: ${detail}`), details);
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const got = describeNonJson(text, contentType);
      const excerpt = excerptBody(sanitize(text), redactor);
      throw new InvalidResponseError(
        sanitize(`expected JSON, got ${got} from ${where} (HTTP ${status}${contentType ? `, ${contentType}` : ""})${excerpt ? `: ${excerpt}` : ""}`),
        "(body)",
        { cause: error },
      );
    }
    if (spec.toki && options.onTokiDecode) {
      const violations = checkTokiDecode(spec.toki, json);
      if (violations.length > 0) {
        const toki = TOKI_REQUESTS_BY_REPLY[spec.toki];
        options.onTokiDecode({
          endpoint: `${spec.method} ${route}`,
          scope: spec.range ? "user" : "company",
          requestRange: spec.range ?? null,
          tokiRequests: toki,
          violations: violations.map((v) => ({ ...v, value: sanitize(v.value) })),
        });
      }
    }
    if (options.strictLists && spec.listKey !== undefined) {
      const list = json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>)[spec.listKey] : undefined;
      if (!Array.isArray(list)) {
        const got = list === undefined ? "missing" : `${list === null ? "null" : typeof list}, not a list`;
        throw new InvalidResponseError(
          `${spec.listKey}: ${got} — in Kleer's reply to ${where} (HTTP ${status}); a write decision cannot rest on a reply that does not list anything`,
          spec.listKey,
        );
      }
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) throw invalidResponseFromZod(parsed.error, where);
    return parsed.data;
  }

  const rangeQuery = (q: KleerEventQuery, fromKey: string, toKey: string) => ({
    userId: String(q.userId),
    [fromKey]: q.range.from,
    [toKey]: q.range.to,
  });

  return {
    companyId,
    getCurrentUser: () => send({ method: "GET", path: "/user/me", route: "/user/me", schema: kleerUserMeSchema }),
    listUsers: async () => (await send({ method: "GET", path: "/user", route: "/user", schema: kleerUsersSchema, listKey: "users", toki: "users" })).users,
    listClientProjects: async () =>
      (await send({ method: "GET", path: "/client-project", route: "/client-project", schema: kleerClientProjectsSchema, listKey: "client-project-readables", toki: "clientProjects" }))["client-project-readables"],
    listActiveClientProjects: async () =>
      (
        await send({
          method: "GET",
          path: "/client-project",
          route: "/client-project",
          query: { filter: "active" },
          schema: kleerClientProjectsSchema,
          listKey: "client-project-readables",
          toki: "activeClientProjects",
        })
      )["client-project-readables"],
    listActivities: async () =>
      (await send({ method: "GET", path: "/activity", route: "/activity", schema: kleerActivitiesSchema, listKey: "activity-readables", toki: "activities" }))["activity-readables"],
    listEvents: async (q) =>
      (
        await send({
          method: "GET",
          path: "/event",
          route: "/event",
          query: rangeQuery(q, "startDate", "endDate"),
          splittable: q.splittable,
          schema: kleerEventsSchema,
          listKey: "event-readables",
          toki: "events",
          range: q.range,
        })
      )["event-readables"],
    getEvent: (eventId) =>
      send({ method: "GET", path: `/event/${encodeURIComponent(eventId)}`, route: "/event/{eventId}", schema: kleerEventSchema, toki: "event" }),
    createEvent: async (event) => (await send({ method: "PUT", path: "/event", route: "/event", body: event, schema: kleerSavedSchema })).id,
    updateEvent: async (eventId, event) =>
      (
        await send({
          method: "POST",
          path: `/event/${encodeURIComponent(eventId)}`,
          route: "/event/{eventId}",
          body: event,
          schema: kleerSavedSchema,
        })
      ).id,
    deleteEvent: async (eventId) =>
      (await send({ method: "DELETE", path: `/event/${encodeURIComponent(eventId)}`, route: "/event/{eventId}", schema: kleerSavedSchema })).id,
    listEventStatuses: async (q) =>
      (
        await send({
          method: "GET",
          path: "/event/statuses",
          route: "/event/statuses",
          query: rangeQuery(q, "fromDate", "toDate"),
          splittable: q.splittable,
          schema: kleerEventRestrictionsSchema,
          listKey: "event-restriction-readables",
          toki: "eventStatuses",
          range: q.range,
        })
      )["event-restriction-readables"],
    getPayrollSchedule: async (q) =>
      (
        await send({
          method: "GET",
          path: `/payroll/user/${q.userId}/schedule/${dateRoute(q.range.from)}/to/${dateRoute(q.range.to)}`,
          route: "/payroll/user/{userId}/schedule/{startDate}/to/{endDate}",
          schema: kleerPayrollSchedulesSchema,
          listKey: "payroll-user-schedule-metadatas",
          payroll: true,
          toki: "payrollSchedule",
          range: q.range,
          splittable: q.splittable,
        })
      )["payroll-user-schedule-metadatas"],
    listPayrollEvents: async (q) =>
      (
        await send({
          method: "GET",
          path: `/payroll/user/${q.userId}/event/from/${dateRoute(q.range.from)}/to/${dateRoute(q.range.to)}`,
          route: "/payroll/user/{userId}/event/from/{fromDate}/to/{toDate}",
          schema: kleerPayrollEventsSchema,
          listKey: "payroll-events",
          payroll: true,
          toki: "payrollEvents",
          range: q.range,
          splittable: q.splittable,
        })
      )["payroll-events"],
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close: async () => {
      if (ownPool) await ownPool.close();
    },
  };
}
