// One row of the bench's request plan: what the compare child writes for every request it made,
// and the I/O floor replays. Its own module, importing nothing at run time, so that the compare
// child, compiled on its own (scripts/bench/compare-child-build.ts), needs no TypeScript loader.
import type { RequestRecord } from "../../src/http/request-log.js";

/** One request of the compare as the floor replays it. */
export interface PlannedRequest {
  /** The Toki user whose batch held it; null for the company-wide calls before the first user. */
  tokiUserId: number | null;
  system: "kleer" | "milltime";
  method: string;
  /** Below the system's base URL, with the query. */
  path: string;
  /** The status the compare got (null: no reply); the floor expects the same. */
  status: number | null;
}

/** The record the compare's request hook saw, as a plan row; history and path-less records have no reply to fetch. */
export function plannedRequestOf(tokiUserId: number | undefined, record: RequestRecord): PlannedRequest | undefined {
  if (record.system === "history" || record.path === undefined) return undefined;
  return { tokiUserId: tokiUserId ?? null, system: record.system, method: record.method, path: record.path, status: record.status ?? null };
}
