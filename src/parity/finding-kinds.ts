/**
 * The finding vocabulary. Kinds are stable strings: reports, rules files, CI gates and
 * suppressions key on them. Kinds may be added, never renamed.
 */
export const FINDING_KINDS = [
  "missing_in_kleer",
  "extra_in_kleer",
  "duplicate_in_kleer",
  "date_mismatch",
  "hours_mismatch",
  "project_mismatch",
  "activity_mismatch",
  "note_mismatch",
  "status_mismatch",
  "editability_regression",
  "editability_change",
  "unmapped_user",
  "unmapped_project",
  "unmapped_activity",
  "projectless_event",
  "unlisted_event",
  "link_orphan",
  "link_duration_mismatch",
  "timeinfo_worked_mismatch",
  "timeinfo_scheduled_mismatch",
  "timeinfo_absence_mismatch",
  "timeinfo_covered_mismatch",
  "timeinfo_remaining_mismatch",
  "flex_period_mismatch",
  "flex_balance_unavailable",
  "source_error",
  "flex_drift",
  "toki_decode_error",
  "history_row_invalid",
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

/** blocking: fails the gate; warning: needs a look; info: recorded for the cutover, never fails. */
export const SEVERITIES = ["blocking", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isFindingKind(value: string): value is FindingKind {
  return (FINDING_KINDS as readonly string[]).includes(value);
}

/** Default severity of each kind; a rules file can override any of them. */
export const DEFAULT_SEVERITIES: Readonly<Record<FindingKind, Severity>> = {
  missing_in_kleer: "blocking",
  extra_in_kleer: "blocking",
  duplicate_in_kleer: "blocking",
  date_mismatch: "blocking",
  hours_mismatch: "blocking",
  project_mismatch: "blocking",
  activity_mismatch: "blocking",
  note_mismatch: "warning",
  status_mismatch: "warning",
  editability_regression: "blocking",
  editability_change: "warning",
  unmapped_user: "blocking",
  unmapped_project: "blocking",
  unmapped_activity: "blocking",
  projectless_event: "warning",
  unlisted_event: "warning",
  link_orphan: "warning",
  link_duration_mismatch: "warning",
  timeinfo_worked_mismatch: "warning",
  timeinfo_scheduled_mismatch: "warning",
  timeinfo_absence_mismatch: "warning",
  timeinfo_covered_mismatch: "warning",
  timeinfo_remaining_mismatch: "warning",
  flex_period_mismatch: "info",
  flex_balance_unavailable: "info",
  source_error: "blocking",
  flex_drift: "warning",
  toki_decode_error: "blocking",
  history_row_invalid: "warning",
};

/** One-line meaning of each kind (the README table and the Markdown export use it). */
export const FINDING_KIND_MEANINGS: Readonly<Record<FindingKind, string>> = {
  missing_in_kleer: "A legacy Milltime entry has no Kleer event.",
  extra_in_kleer: "A Kleer event pairs with no legacy entry.",
  duplicate_in_kleer: "A second Kleer event claims a legacy entry that already has one (foreign id, relink or identical content).",
  date_mismatch: "A pair (by foreign id or relink) sits on different dates; often the UTC date of an early-morning start.",
  hours_mismatch: "Hours of a pair differ beyond the entry tolerance.",
  project_mismatch: "The Kleer event's project is not the mapped legacy project.",
  activity_mismatch: "The Kleer event's activity is not the mapped legacy activity.",
  note_mismatch: "Notes differ after normalisation (trim; `missing note` and null equal an empty legacy note).",
  status_mismatch: "Both sides are locked but the Kleer status does not correspond to the attest level as the rules file states it (by default any locked status corresponds to any lock).",
  editability_regression: "Locked in Milltime (attest level week/month) but editable (open) in Kleer.",
  editability_change: "Editable in Milltime (attest level none) but locked in Kleer.",
  unmapped_user: "The Toki user has no Kleer user in the mapping; its entries were not compared.",
  unmapped_project: "A legacy entry's Milltime project has no Kleer project in the mapping.",
  unmapped_activity: "A legacy entry's Milltime activity has no Kleer activity in the mapping.",
  projectless_event: "A Kleer event without a project: Toki neither lists it nor counts it as worked.",
  unlisted_event: "A Kleer event whose project or activity is unknown to the lookups: counted as worked, never listed.",
  link_orphan: "A timer-history link points at nothing after the cutover: a Milltime registration without Kleer counterpart (warning), or one in neither system (info: a row kept after a delete).",
  link_duration_mismatch: "A timer-history link's start–end duration disagrees with its entry's hours beyond the link tolerance.",
  timeinfo_worked_mismatch: "Worked hours of a period differ (WorkedPeriodTime vs workedHours).",
  timeinfo_scheduled_mismatch: "Scheduled hours of a period differ (ScheduledPeriodTime vs scheduledHours).",
  timeinfo_absence_mismatch: "Absence hours of a period differ (AbsencePeriodTime vs absenceHours).",
  timeinfo_covered_mismatch: "Worked + absence of a period differ (WorkedPeriodWithAbsenceTime vs coveredHours).",
  timeinfo_remaining_mismatch: "Remaining hours of a period differ (max(0, PeriodTimeLeft) vs remainingHours).",
  flex_period_mismatch: "Period flex differs (FlexTimePeriodIncl vs periodFlexHours, an estimate in Kleer).",
  flex_balance_unavailable: "Milltime's running flex balance has no Kleer equivalent; the value is the opening balance Kleer-era Toki needs.",
  source_error: "Reading a source (Milltime, Kleer, timer history) failed for this user; the user was not (fully) compared.",
  flex_drift: "A user's period flex, summed over the range, drifts beyond the rules file's threshold (warning above 8 h by default; blocking above an opt-in threshold).",
  toki_decode_error: "A Kleer reply the toolkit read leniently but Toki's own serde types refuse (one per reply and field): the named Toki request fails with HTTP 500.",
  history_row_invalid: "A timer-history row cannot be read (row id or CSV line, and why): it is neither checked as a link nor relinked.",
};

/** Kinds about one pair or one legacy entry: they decide whether the entry is a match. */
export const ENTRY_LEVEL_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  "duplicate_in_kleer",
  "date_mismatch",
  "hours_mismatch",
  "project_mismatch",
  "activity_mismatch",
  "note_mismatch",
  "status_mismatch",
  "editability_regression",
  "editability_change",
]);

export function kindOrder(kind: FindingKind): number {
  return FINDING_KINDS.indexOf(kind);
}
