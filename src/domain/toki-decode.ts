import type { DateRange, IsoDate } from "./time-entry.js";

/** One value of a Kleer reply that Toki's serde types (kleer/src/types.rs) would refuse. */
export interface TokiDecodeViolation {
  /** Concrete path, e.g. `event-readables[3].status.type`. */
  path: string;
  /** The path with array indices removed, e.g. `event-readables[].status.type` (one finding per reply and field). */
  field: string;
  /** What Toki's type expects, e.g. `OPEN, APPROVED or CERTIFIED`. */
  expected: string;
  /** The offending value as JSON text (`"Open"`, `null`, `(missing)`), cut to 120 characters. */
  value: string;
  /** Toki's file and line the rule mirrors, e.g. `kleer/src/types.rs:164`. */
  mirrors: string;
  /** The day of the row the value sits in, when the row has a readable one. */
  rowDate: IsoDate | null;
  /** The Kleer id of the row (event id), when it has one. */
  rowId: string | null;
}

/** One Kleer reply Toki could not decode: serde fails the whole reply, so Toki's request fails. */
export interface TokiDecodeReply {
  /** `GET /company/{companyId}/event?userId={userId}&…` (ids templated out). */
  endpoint: string;
  /** `user` for per-user endpoints, `company` for the company-wide lists every user shares. */
  scope: "user" | "company";
  /** The days the request asked for (per-user endpoints). */
  requestRange: DateRange | null;
  /** Toki's requests that fail with HTTP 500 when this reply arrives. */
  tokiRequests: readonly string[];
  violations: readonly TokiDecodeViolation[];
}
