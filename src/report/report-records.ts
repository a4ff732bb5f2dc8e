import type { PeriodKind } from "../domain/calendar.js";
import type { IsoDate } from "../domain/time-entry.js";
import type { FindingKind, Severity } from "../parity/finding-kinds.js";
import type { FindingDetails } from "../parity/finding.js";
import type { EntryOutcome, UserCounts, UserStatus } from "../parity/user-parity.js";

export type RunStatus = "running" | "completed" | "failed";

/** A row of `runs`. */
export interface RunRecord {
  runId: string;
  command: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  fromDate: IsoDate | null;
  toDate: IsoDate | null;
  period: PeriodKind | null;
  /** Parsed `options_json`. */
  options: Record<string, unknown>;
  toolVersion: string;
  errorMessage: string | null;
  /** Parsed `summary_json` (written when the run completes). */
  summary: unknown;
}

/** A row of `run_users`: one user's totals in a run. */
export interface RunUserRecord extends UserCounts {
  userKey: number;
  milltimeUserId: string | null;
  kleerUserId: string | null;
  status: UserStatus;
  blocking: number;
  warnings: number;
  infos: number;
  suppressed: number;
  flexBalance: number | null;
  /** The mapping's email, else Kleer's; null when neither knows it (older files: always null). */
  email: string | null;
  /** Kleer's display name of the user; null when unknown. */
  name: string | null;
}

/** A row of `findings` (`kind` is a string: a file may hold kinds a newer tool added). */
export interface FindingRecord {
  id: number;
  kind: FindingKind | string;
  severity: Severity;
  userKey: number | null;
  date: IsoDate | null;
  legacyId: string | null;
  kleerId: string | null;
  field: string | null;
  legacyValue: string | null;
  kleerValue: string | null;
  message: string;
  details: FindingDetails | null;
  suppressed: boolean;
  suppressionReason: string | null;
  /** Id of the root finding (same run and user) this one is a consequence of; null for a root. */
  causedBy: number | null;
}

export interface EntryRecord {
  userKey: number;
  date: IsoDate;
  legacyId: string | null;
  kleerId: string | null;
  outcome: EntryOutcome;
  evidence: string | null;
  legacyHours: number | null;
  kleerHours: number | null;
}

/** A row of `suppressions`: a rule in effect for the run and how many findings it matched. */
export interface SuppressionRecord {
  kind: string;
  userKey: number | null;
  fromDate: IsoDate | null;
  toDate: IsoDate | null;
  legacyId: string | null;
  kleerId: string | null;
  reason: string;
  matchedFindings: number;
}

/** Requests of a run grouped by system. */
export interface RequestSummaryRecord {
  system: string;
  requests: number;
  /** Requests without a 2xx status (including those with no response). */
  failed: number;
  attempts: number;
  totalDurationMs: number;
}

/** Finding counts of one kind; severities count unsuppressed findings only. */
export interface KindCount {
  kind: string;
  blocking: number;
  warning: number;
  info: number;
  suppressed: number;
  /**
   * Of the unsuppressed ones, those shown beside their root (see `foldsIntoRoot`): the same
   * problem again, not a problem of their own. @default all zero
   */
  consequences: { blocking: number; warning: number; info: number };
}
