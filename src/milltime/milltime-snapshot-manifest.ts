import { createHash } from "node:crypto";
import { z } from "zod";
import { isIsoDate } from "../domain/calendar.js";
import { filterValue, MILLTIME_READ_STORES, type MilltimeStoreRequest } from "./milltime-stores.js";

/** The `manifest.json` of a Milltime snapshot directory: what was read, for whom, with checksums. */

export const MILLTIME_SNAPSHOT_FORMAT = "toki-parity/milltime-snapshot";
export const MILLTIME_SNAPSHOT_MANIFEST = "manifest.json";

const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });

export const snapshotFileSchema = z.object({
  /** Relative to the snapshot directory, `/`-separated. */
  path: z.string().regex(/^users\/\d+\/[A-Za-z]+(\/[A-Za-z0-9._-]+)?\.json$/, "expected users/<tokiUserId>/<Store>[/<name>].json"),
  tokiUserId: z.number().int().positive(),
  store: z.enum(MILLTIME_READ_STORES),
  /** The exact filter the request was sent with. */
  filter: z.array(z.tuple([z.string(), z.literal("="), z.string()])),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
});
export type SnapshotFile = z.infer<typeof snapshotFileSchema>;

export const snapshotUserSchema = z.object({
  tokiUserId: z.number().int().positive(),
  username: z.string(),
  /** From the session JWT's `userid`; null when the login failed. */
  milltimeUserId: z.string().nullable(),
  status: z.enum(["ok", "failed"]),
  /** Why the export of this user failed (already free of secrets). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type SnapshotUser = z.infer<typeof snapshotUserSchema>;

export const snapshotManifestSchema = z.object({
  format: z.literal(MILLTIME_SNAPSHOT_FORMAT),
  formatVersion: z.literal(1),
  toolVersion: z.string(),
  createdAt: z.string(),
  range: z.object({ from: isoDate, to: isoDate }),
  /** The Milltime URL read from (no user info). */
  milltimeUrl: z.string(),
  instanceId: z.string(),
  users: z.array(snapshotUserSchema),
  files: z.array(snapshotFileSchema),
});
export type MilltimeSnapshotManifest = z.infer<typeof snapshotManifestSchema>;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** `users/3/UserCalendar/2026-05.json`, `users/3/TimeInfo/2026-05-04_2026-05-10.json`, … */
export function snapshotFilePath(tokiUserId: number, request: MilltimeStoreRequest): string {
  const dir = `users/${tokiUserId}/${request.store}`;
  const from = filterValue(request.filter, "fromDate") ?? "";
  const to = filterValue(request.filter, "toDate") ?? "";
  switch (request.store) {
    case "ProjectSearchMT":
      return `${dir}.json`;
    case "ProjectPhaseActivity":
      return `${dir}/${safeName(filterValue(request.filter, "ProjectId") ?? "")}.json`;
    case "UserCalendar":
      return `${dir}/${from.slice(0, 7)}.json`;
    case "TimeInfo":
      return `${dir}/${from}_${to}.json`;
  }
}

/** The URL without user info, for the manifest. */
export function displayUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}
