import type { TokiReplyType } from "./kleer-toki-contract.js";

/**
 * Which of Toki's own HTTP requests (toki-api/src/routes/time_tracking/mod.rs) fail when Toki's
 * Kleer client cannot decode a reply: the adapter (toki-api/src/adapters/outbound/kleer/mod.rs)
 * maps `KleerError::Deserialize` to `TimeTrackingError::Unknown` (mod.rs:506-515), which the
 * routes answer with HTTP 500 (toki-api/src/routes/error.rs:106).
 */
export const TOKI_REQUESTS_BY_REPLY: Readonly<Record<TokiReplyType, readonly string[]>> = {
  // admin.rs:128 (import_kleer_users)
  users: ["POST /time-tracking/admin/kleer-users/import"],
  // mod.rs:352-356 (get_time_entries)
  clientProjects: ["GET /time-tracking/time-entries"],
  // mod.rs:153-157, 267-272, 287-291 (ensure_project_activity_allowed, get_projects, get_activities)
  activeClientProjects: [
    "GET /time-tracking/projects",
    "GET /time-tracking/projects/{projectId}/activities",
    "POST /time-tracking/time-entries",
    "PUT /time-tracking/time-entries",
    "PUT /time-tracking/timer (save)",
  ],
  // mod.rs:158-162, 292-296, 357-361
  activities: [
    "GET /time-tracking/time-entries",
    "GET /time-tracking/projects/{projectId}/activities",
    "POST /time-tracking/time-entries",
    "PUT /time-tracking/time-entries",
    "PUT /time-tracking/timer (save)",
  ],
  // mod.rs:316-320, 362-366 (get_time_info, get_time_entries)
  events: ["GET /time-tracking/time-entries", "GET /time-tracking/time-info"],
  // mod.rs:185-193 (ensure_event_owned)
  event: ["PUT /time-tracking/time-entries", "DELETE /time-tracking/time-entries"],
  // mod.rs:367-371, 435-439 (get_time_entries, get_time_entry_day_statuses)
  eventStatuses: ["GET /time-tracking/time-entries", "GET /time-tracking/time-entry-day-statuses"],
  // mod.rs:321-330 (get_time_info)
  payrollSchedule: ["GET /time-tracking/time-info"],
  payrollEvents: ["GET /time-tracking/time-info"],
  // mod.rs:459-463, 485-489, 498-501: the write was made, but Toki reports it failed
  saved: ["POST /time-tracking/time-entries", "PUT /time-tracking/time-entries", "DELETE /time-tracking/time-entries"],
};
