import type { z } from "zod";
import type { DateRange } from "../domain/time-entry.js";
import { InvalidResponseError, ProviderHttpError } from "../domain/errors.js";
import { sanitisedExcerpt } from "./milltime-http.js";
import { envelopeSchema } from "./milltime-schema.js";

/** The only stores the reader may touch, and only with GET (reference §10). */
export const MILLTIME_READ_STORES = ["ProjectSearchMT", "ProjectPhaseActivity", "UserCalendar", "TimeInfo"] as const;
export type MilltimeReadStore = (typeof MILLTIME_READ_STORES)[number];

/** `[field, "=", value]` triples; field names are case-sensitive and vary per store. */
export type MilltimeFilter = ReadonlyArray<readonly [field: string, operator: "=", value: string]>;

/** One GET on a store: what the live client sends and what a snapshot file answers. */
export interface MilltimeStoreRequest {
  store: MilltimeReadStore;
  filter: MilltimeFilter;
}

export function projectSearchRequest(): MilltimeStoreRequest {
  return { store: "ProjectSearchMT", filter: [["View", "=", "Overview"]] };
}

export function projectPhaseActivityRequest(projectId: string, range: DateRange): MilltimeStoreRequest {
  return {
    store: "ProjectPhaseActivity",
    filter: [
      ["ProjectId", "=", projectId],
      ["fromDate", "=", range.from],
      ["toDate", "=", range.to],
    ],
  };
}

export function userCalendarRequest(range: DateRange): MilltimeStoreRequest {
  return { store: "UserCalendar", filter: [["fromDate", "=", range.from], ["toDate", "=", range.to]] };
}

export function timeInfoRequest(range: DateRange): MilltimeStoreRequest {
  return { store: "TimeInfo", filter: [["fromDate", "=", range.from], ["toDate", "=", range.to]] };
}

/** `encodeURIComponent` of the properly serialised array (values are JSON-escaped, unlike Toki). */
export function encodeFilter(filter: MilltimeFilter): string {
  return encodeURIComponent(JSON.stringify(filter));
}

export function storePath(request: MilltimeStoreRequest): string {
  const path = `/data/store/${request.store}`;
  return request.filter.length > 0 ? `${path}?filter=${encodeFilter(request.filter)}` : path;
}

/** The path with the filter templated out, for the request log. */
export function storeRoute(request: MilltimeStoreRequest): string {
  const path = `/data/store/${request.store}`;
  return request.filter.length > 0 ? `${path}?filter={filter}` : path;
}

export function filterValue(filter: MilltimeFilter, field: string): string | undefined {
  return filter.find(([f]) => f === field)?.[2];
}

/** `UserCalendar 2026-05-01..2026-05-31`, `ProjectPhaseActivity of project 4000… 2026-05-01..2026-05-31`. */
export function describeRequest(request: MilltimeStoreRequest): string {
  const from = filterValue(request.filter, "fromDate");
  const to = filterValue(request.filter, "toDate");
  const project = filterValue(request.filter, "ProjectId");
  const parts: string[] = [request.store];
  if (project !== undefined) parts.push(`of project ${project}`);
  if (from !== undefined || to !== undefined) parts.push(`${from ?? "?"}..${to ?? "?"}`);
  return parts.join(" ");
}

/** `rows[0].weeks[1].days[2].regday` */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

/** The innermost `regday` found walking the raw value along the issue path. */
function dayAlong(raw: unknown, path: ReadonlyArray<PropertyKey>): string | undefined {
  let node: unknown = raw;
  let day: string | undefined;
  for (const key of path) {
    if (node !== null && typeof node === "object" && typeof (node as Record<string, unknown>).regday === "string") {
      day = (node as Record<string, string>).regday;
    }
    if (node === null || typeof node !== "object") break;
    node = (node as Record<PropertyKey, unknown>)[key as string];
  }
  return day;
}

export interface StoreParseContext {
  /** Names the user, e.g. `Toki user 3 (anna)`. */
  who: string;
  request: MilltimeStoreRequest;
}

function schemaError(error: z.ZodError, raw: unknown, ctx: StoreParseContext, prefix: ReadonlyArray<PropertyKey>): InvalidResponseError {
  const issue = error.issues[0];
  const fullPath = [...prefix, ...(issue?.path ?? [])];
  const fieldPath = formatIssuePath(fullPath);
  const day = dayAlong(raw, fullPath);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : "";
  return new InvalidResponseError(
    `Milltime ${describeRequest(ctx.request)} for ${ctx.who}${day ? `, day ${day}` : ""}: ${fieldPath}: ${issue?.message ?? "invalid"}${more}`,
    fieldPath,
    { cause: error },
  );
}

/** A parsed reply as JSON text for an excerpt; one nested too deeply for JSON.stringify is named, not thrown. */
function replyText(raw: unknown): string {
  try {
    return JSON.stringify(raw);
  } catch {
    return "(the reply is nested too deeply to quote)";
  }
}

/** Checks the `{rows, success}` envelope; `success:false` is a failure even with HTTP 200. */
export function parseEnvelope(raw: unknown, ctx: StoreParseContext): unknown[] {
  const result = envelopeSchema.safeParse(raw);
  if (!result.success) throw schemaError(result.error, raw, ctx, []);
  if (!result.data.success) {
    const excerpt = sanitisedExcerpt(replyText(raw));
    throw new ProviderHttpError(
      "PROVIDER_ERROR",
      `Milltime reported success:false for ${describeRequest(ctx.request)} for ${ctx.who}: ${excerpt}`,
      { system: "milltime", status: 200, method: "GET", route: storeRoute(ctx.request), bodyExcerpt: excerpt },
    );
  }
  return result.data.rows;
}

/** Every row of a list store, validated; a bad row names its index and field. */
export function parseRows<S extends z.ZodType>(raw: unknown, schema: S, ctx: StoreParseContext): Array<z.infer<S>> {
  const rows = parseEnvelope(raw, ctx);
  return rows.map((row, index) => {
    const result = schema.safeParse(row);
    if (!result.success) throw schemaError(result.error, raw, ctx, ["rows", index]);
    return result.data as z.infer<S>;
  });
}

/** Toki's "exactly one row" rule: 0 rows → NOT_FOUND, 2 or more → INVALID_RESPONSE. */
export function parseSingleRow<S extends z.ZodType>(raw: unknown, schema: S, ctx: StoreParseContext): z.infer<S> {
  const rows = parseEnvelope(raw, ctx);
  if (rows.length === 0) {
    throw new ProviderHttpError(
      "NOT_FOUND",
      `Milltime ${describeRequest(ctx.request)} for ${ctx.who}: Expected exactly one row, got 0 (not found)`,
      { system: "milltime", status: 200, method: "GET", route: storeRoute(ctx.request) },
    );
  }
  if (rows.length > 1) {
    throw new InvalidResponseError(
      `Milltime ${describeRequest(ctx.request)} for ${ctx.who}: Expected exactly one row, got ${rows.length}`,
      "rows",
    );
  }
  const result = schema.safeParse(rows[0]);
  if (!result.success) throw schemaError(result.error, raw, ctx, ["rows", 0]);
  return result.data as z.infer<S>;
}
