import type { PeriodKind } from "../domain/calendar.js";
import type { IsoDate, TimeEntryStatus } from "../domain/time-entry.js";
import { DEFAULT_SEVERITIES, type FindingKind, type Severity } from "./finding-kinds.js";

/** Tolerances, all in hours. */
export interface ParityTolerances {
  /** Per entry (hours of a pair). @default 0.5 minute */
  entryHours: number;
  /** Per period for every TimeInfo figure. @default 1 minute */
  timeInfoHours: number;
  /**
   * Timer-history link duration vs its entry's hours. @default 2 minutes: Milltime's timer save
   * sent end = now + 1 minute and dropped seconds (legacy hours exceed the link by 1–60 s), a
   * manual create only dropped seconds (legacy short by 0–59 s); 2 minutes covers both with margin.
   */
  linkHours: number;
}

/**
 * Which Kleer statuses a locked legacy attest level may become. Attest level None always
 * corresponds to `open` (the editability check covers it).
 */
export interface StatusCorrespondence {
  /** Attest level 1 (week). @default ["approved", "certified"] */
  week: readonly TimeEntryStatus[];
  /** Attest level 2 (month). @default ["approved", "certified"] */
  month: readonly TimeEntryStatus[];
}

/** Keeps matching findings in the report, marked suppressed; they no longer count for the gate. */
export interface Suppression {
  kind: FindingKind;
  userKey?: number | undefined;
  /** Inclusive date range the finding's date must fall in (a finding without date never matches). */
  from?: IsoDate | undefined;
  to?: IsoDate | undefined;
  legacyId?: string | undefined;
  kleerId?: string | undefined;
  reason: string;
}

/** When a user's cumulative flex drift (Kleer − Milltime period flex, summed) is a finding. */
export interface FlexDriftThreshold {
  /** Above this many hours (either sign) the drift is a `warning`. @default 8 */
  warningHours: number;
  /** Above this many hours the drift is `blocking`; null: never. @default null (opt-in) */
  blockingHours: number | null;
}

export interface FlexDriftRules {
  default: FlexDriftThreshold;
  /** Per Toki user id. */
  users: ReadonlyMap<number, FlexDriftThreshold>;
}

/**
 * 8 h: one full working day. Toki shows the flex balance to the user every day, so a drift of a
 * day's hours over the range is what a user notices on their own balance and asks payroll about;
 * below that, the per-period flex findings (`flex_period_mismatch`, info) record the detail.
 * Blocking is opt-in because Kleer's period flex is an estimate (scheduled hours come from
 * payroll), and whether a drift stops the cutover is the team's decision.
 */
export const DEFAULT_FLEX_DRIFT_THRESHOLD: Readonly<FlexDriftThreshold> = { warningHours: 8, blockingHours: null };

export const DEFAULT_FLEX_DRIFT_RULES: Readonly<FlexDriftRules> = { default: DEFAULT_FLEX_DRIFT_THRESHOLD, users: new Map() };

/** Everything configurable about a parity comparison (the rules file, normalised). */
export interface ParityRules {
  severities: Readonly<Record<FindingKind, Severity>>;
  /**
   * Kinds whose severity the rules file sets: they override a case's own severity too (e.g. a
   * `link_orphan` that predates the migration, `info` unless the file names the kind).
   * @default none
   */
  explicitSeverities?: ReadonlySet<FindingKind> | undefined;
  tolerances: ParityTolerances;
  statusCorrespondence: StatusCorrespondence;
  /** Period for TimeInfo comparison when the caller gives none. */
  period: PeriodKind | undefined;
  suppressions: readonly Suppression[];
  /** Cumulative flex drift thresholds. @default warning above 8 h, never blocking */
  flexDrift?: FlexDriftRules | undefined;
}

export const MINUTE_IN_HOURS = 1 / 60;

export const DEFAULT_TOLERANCES: Readonly<ParityTolerances> = {
  entryHours: 0.5 * MINUTE_IN_HOURS,
  timeInfoHours: 1 * MINUTE_IN_HOURS,
  linkHours: 2 * MINUTE_IN_HOURS,
};

/**
 * Any locked Kleer status corresponds to any lock. Toki maps Kleer's statuses 1:1
 * (toki-api/src/adapters/outbound/kleer/conversions.rs:27-31) and its UI treats every status
 * but `open` as locked (app/src/routes/_layout/time-tracking/-components/time-entries-list.tsx:363,
 * timeline-view.tsx:470); which Kleer stage a team's attest level becomes is its own workflow,
 * so only a rules file that states it can produce `status_mismatch`.
 */
export const DEFAULT_STATUS_CORRESPONDENCE: Readonly<StatusCorrespondence> = {
  week: ["approved", "certified"],
  month: ["approved", "certified"],
};

export const DEFAULT_PARITY_RULES: Readonly<ParityRules> = {
  severities: DEFAULT_SEVERITIES,
  explicitSeverities: new Set<FindingKind>(),
  tolerances: DEFAULT_TOLERANCES,
  statusCorrespondence: DEFAULT_STATUS_CORRESPONDENCE,
  period: undefined,
  suppressions: [],
  flexDrift: DEFAULT_FLEX_DRIFT_RULES,
};

/** Floating-point slack so that exactly-at-tolerance differences (0.5 min) are not findings. */
const EPSILON = 1e-9;

export function exceedsTolerance(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) > tolerance + EPSILON;
}
