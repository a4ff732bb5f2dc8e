import { inRange } from "../domain/calendar.js";
import type { MappingIndex, UserLink } from "../domain/cutover-mapping.js";
import type { DateRange, IsoDate, TimeEntry, TimeEntryListing } from "../domain/time-entry.js";
import type { TimeInfo, WeeklyStats } from "../domain/time-info.js";
import type { TokiDecodeReply } from "../domain/toki-decode.js";
import type { TimerHistoryLink, TimerHistoryRowProblem } from "../domain/timer-history.js";
import { checkHistoryRows } from "./history-row-check.js";
import { compareEntryPair } from "./entry-comparison.js";
import { legacyIdFromForeignId, matchEntries, type MatchEvidence } from "./entry-matching.js";
import { ENTRY_LEVEL_KINDS } from "./finding-kinds.js";
import { compareIds, draftFinding, finaliseFindings, formatHours, type Finding, type FindingDraft } from "./finding.js";
import { checkHistoryLinks } from "./link-check.js";
import type { ParityRules } from "./parity-rules.js";
import { checkTokiDecodeReplies } from "./toki-decode-check.js";
import { compareTimeInfo, type TimeInfoRow } from "./time-info-comparison.js";
import { checkFlexDrift } from "./flex-drift.js";

/** Outcome of one row of the report's `entries` table. */
export type EntryOutcome = "match" | "mismatch" | "missing_in_kleer" | "extra_in_kleer" | "unmapped" | "skipped";

/** One legacy entry, or one unpaired Kleer event, of the range. */
export interface EntryRow {
  userKey: number;
  /** Legacy date when there is a legacy entry, else the Kleer date. */
  date: IsoDate;
  legacyId: string | null;
  kleerId: string | null;
  outcome: EntryOutcome;
  evidence: MatchEvidence | null;
  legacyHours: number | null;
  kleerHours: number | null;
}

/** A source that could not be read for the user; becomes a `source_error` finding. */
export interface SourceFailure {
  system: "milltime" | "kleer" | "history";
  /** Already free of secrets. */
  message: string;
}

export type UserStatus = "compared" | "unmapped" | "source_error";

export interface UserCounts {
  legacyEntries: number;
  /** Legacy entries that count for the match rate (all but `skipped`). */
  compared: number;
  kleerEvents: number;
  matches: number;
  mismatches: number;
  missing: number;
  extra: number;
  unmapped: number;
  /** Legacy entries not compared because a source of the user could not be read. */
  skipped: number;
  /** Kleer events Toki's listing skips (no project, unknown project or activity): not legacy entries. */
  kleerSkipped: number;
}

export interface UserParityInput {
  user: UserLink;
  /** The compared range; entries and links outside it are read for pairing only. */
  range: DateRange;
  periods: readonly DateRange[];
  timeZone: string;
  mapping: MappingIndex;
  /** legacy registration id → Kleer event id; may hold every user's relinks. */
  relinks: ReadonlyMap<string, string>;
  /** The Kleer ids of `relinks`, computed once per run by the caller (else per user). */
  relinkTargets?: ReadonlySet<string> | undefined;
  /** Legacy entries of the range plus margin; null when Milltime could not be read. */
  legacyEntries: readonly TimeEntry[] | null;
  /** One per period; null when not read. */
  legacyTimeInfo: readonly TimeInfo[] | null;
  /** Kleer listing of the range plus margin; null when the user is unmapped or Kleer could not be read. */
  kleerListing: TimeEntryListing | null;
  /** One per period; null when not read. */
  kleerStats: readonly WeeklyStats[] | null;
  /** null when the history could not be read. */
  historyLinks: readonly TimerHistoryLink[] | null;
  /** The user's timer-history rows that could not be read. @default none */
  historyProblems?: readonly TimerHistoryRowProblem[] | undefined;
  failures: readonly SourceFailure[];
  /** Kleer replies of this user's read that Toki's serde types refuse (Toki's decode contract). @default none */
  tokiDecodeReplies?: readonly TokiDecodeReply[] | undefined;
}

export interface UserParityResult {
  userKey: number;
  status: UserStatus;
  entries: EntryRow[];
  findings: Finding[];
  timeInfo: TimeInfoRow[];
  counts: UserCounts;
  /** Milltime FlexTimeCurrent at the end of the range (null when not read). */
  flexBalance: number | null;
}

/**
 * The pure per-user parity core: matches entries, compares pairs, TimeInfo and timer-history
 * links, and turns source failures and mapping gaps into findings. Same input, same output.
 */
export function compareUserParity(input: UserParityInput, rules: ParityRules): UserParityResult {
  const { user, range } = input;
  const userKey = user.tokiUserId;
  const drafts: FindingDraft[] = [];
  const rowsWithoutOutcome: Array<Omit<EntryRow, "outcome"> & { base: EntryOutcome | "pair" }> = [];
  const kleerUser = user.kleerUserId !== undefined;
  const status: UserStatus = input.failures.length > 0 ? "source_error" : kleerUser ? "compared" : "unmapped";

  for (const failure of input.failures) {
    drafts.push(
      draftFinding({
        kind: "source_error",
        userKey,
        date: range.from,
        field: failure.system,
        message: `${failure.system}: ${failure.message}`,
      }),
    );
  }
  drafts.push(...checkTokiDecodeReplies(userKey, range, input.tokiDecodeReplies ?? []));
  const legacyAll = input.legacyEntries ?? [];
  const legacyInRange = legacyAll.filter((e) => inRange(e.date, range));
  if (!kleerUser) {
    drafts.push(
      draftFinding({
        kind: "unmapped_user",
        userKey,
        date: range.from,
        field: "kleer_user_id",
        legacyValue: user.milltimeUserId ?? null,
        message: `Toki user ${userKey}${user.email ? ` (${user.email})` : ""} has no Kleer user in the mapping; ${legacyInRange.length} legacy entries not compared`,
      }),
    );
  }

  const canCompareEntries = kleerUser && input.legacyEntries !== null && input.kleerListing !== null;
  let legacyWithKleer: Set<string> | null = null;
  if (canCompareEntries && input.kleerListing) {
    const compared = compareEntries(input, input.kleerListing, legacyAll, rules, rowsWithoutOutcome);
    drafts.push(...compared.drafts);
    legacyWithKleer = compared.legacyWithKleer;
  } else {
    const outcome: EntryOutcome = kleerUser ? "skipped" : "unmapped";
    for (const e of legacyInRange) {
      rowsWithoutOutcome.push({ userKey, date: e.date, legacyId: e.registrationId, kleerId: null, base: outcome, evidence: null, legacyHours: e.hours, kleerHours: null });
    }
  }

  const timeInfo = compareTimeInfo({
    userKey,
    periods: input.periods,
    legacy: input.legacyTimeInfo,
    kleer: kleerUser ? input.kleerStats : null,
    toleranceHours: rules.tolerances.timeInfoHours,
  });
  drafts.push(...timeInfo.findings);
  const drift = checkFlexDrift(userKey, timeInfo.rows, rules.flexDrift);
  if (drift) drafts.push(drift);

  if (input.historyLinks && input.legacyEntries) {
    const listing = input.kleerListing;
    drafts.push(
      ...checkHistoryLinks({
        userKey,
        links: input.historyLinks,
        range,
        timeZone: input.timeZone,
        legacyEntries: legacyAll,
        kleerEntries: listing ? listing.entries : null,
        kleerEventIds: new Set(listing ? [...listing.entries, ...listing.skipped].map((e) => e.registrationId) : []),
        relinks: input.relinks,
        relinkTargets: input.relinkTargets,
        legacyWithKleer,
        missingInKleer: new Map(drafts.filter((d) => d.kind === "missing_in_kleer" && d.legacyId !== null).map((d) => [d.legacyId as string, d])),
        toleranceHours: rules.tolerances.linkHours,
      }),
    );
  }

  drafts.push(...checkHistoryRows(userKey, input.historyProblems ?? []));

  const findings = finaliseFindings(drafts, rules);
  const entries = resolveOutcomes(rowsWithoutOutcome, findings);
  return { userKey, status, entries, findings, timeInfo: timeInfo.rows, counts: countEntries(entries), flexBalance: timeInfo.flexBalance };
}

function compareEntries(
  input: UserParityInput,
  listing: TimeEntryListing,
  legacyAll: readonly TimeEntry[],
  rules: ParityRules,
  rows: Array<Omit<EntryRow, "outcome"> & { base: EntryOutcome | "pair" }>,
): { drafts: FindingDraft[]; legacyWithKleer: Set<string> } {
  const { range, mapping } = input;
  const userKey = input.user.tokiUserId;
  const drafts: FindingDraft[] = [];
  const match = matchEntries({ legacy: legacyAll, kleer: listing.entries, relinks: input.relinks, mapping, hoursTolerance: rules.tolerances.entryHours });
  const unmapped = new Set<string>();
  const legacyWithKleer = new Set([...match.pairs, ...match.duplicates].map((p) => p.legacy.registrationId));

  for (const entry of legacyAll) {
    if (!inRange(entry.date, range)) continue;
    const base = { userKey, date: entry.date, legacyId: entry.registrationId };
    if (mapping.kleerProjectFor(entry.projectId) === undefined) {
      unmapped.add(entry.registrationId);
      drafts.push(draftFinding({ ...base, kind: "unmapped_project", field: "project", legacyValue: entry.projectId, message: `Milltime project ${entry.projectId} "${entry.projectName}" of registration ${entry.registrationId} has no Kleer project in the mapping`, details: { milltimeProjectName: entry.projectName } }));
    }
    if (mapping.kleerActivityFor(entry.activityId) === undefined) {
      unmapped.add(entry.registrationId);
      drafts.push(draftFinding({ ...base, kind: "unmapped_activity", field: "activity", legacyValue: entry.activityId, message: `Milltime activity ${entry.activityId} "${entry.activityName}" of registration ${entry.registrationId} has no Kleer activity in the mapping`, details: { milltimeActivityName: entry.activityName } }));
    }
  }

  for (const pair of match.pairs) {
    if (!inRange(pair.legacy.date, range)) continue;
    drafts.push(...compareEntryPair(pair, { userKey, mapping, rules }));
    rows.push({
      userKey,
      date: pair.legacy.date,
      legacyId: pair.legacy.registrationId,
      kleerId: pair.kleer.registrationId,
      base: unmapped.has(pair.legacy.registrationId) ? "unmapped" : "pair",
      evidence: pair.evidence,
      legacyHours: pair.legacy.hours,
      kleerHours: pair.kleer.hours,
    });
  }

  for (const dup of match.duplicates) {
    if (!inRange(dup.legacy.date, range)) continue;
    drafts.push(
      draftFinding({
        kind: "duplicate_in_kleer",
        userKey,
        date: dup.legacy.date,
        legacyId: dup.legacy.registrationId,
        kleerId: dup.kleer.registrationId,
        field: dup.evidence,
        kleerValue: dup.kleer.registrationId,
        message: `Kleer event ${dup.kleer.registrationId} (${dup.kleer.date}, ${formatHours(dup.kleer.hours)}) is a second event for Milltime registration ${dup.legacy.registrationId} (by ${dup.evidence.replace("_", " ")})`,
      }),
    );
    rows.push({ userKey, date: dup.kleer.date, legacyId: dup.legacy.registrationId, kleerId: dup.kleer.registrationId, base: "extra_in_kleer", evidence: dup.evidence, legacyHours: null, kleerHours: dup.kleer.hours });
  }

  // Kleer events Toki's listing skips, by the registration their foreign id or a relink names.
  const skippedFor = new Map<string, string>();
  const relinkedTo = new Map<string, string>();
  // Two registrations relinked to one skipped event: the lower registration id is named, whatever order Milltime listed them in.
  // Only the relinked registrations are sorted (a user has few; sorting all of them cost ~1 ms a user).
  const relinked = legacyAll.filter((entry) => input.relinks.has(entry.registrationId)).sort((a, b) => compareIds(a.registrationId, b.registrationId));
  for (const entry of relinked) {
    const kleerId = input.relinks.get(entry.registrationId) as string;
    if (!relinkedTo.has(kleerId)) relinkedTo.set(kleerId, entry.registrationId);
  }
  for (const s of [...listing.skipped].sort((a, b) => compareIds(a.registrationId, b.registrationId))) {
    const named = legacyIdFromForeignId(s.foreignId) ?? relinkedTo.get(s.registrationId) ?? null;
    if (named !== null && !skippedFor.has(named)) skippedFor.set(named, s.registrationId);
    if (!inRange(s.date, range)) continue;
    const projectless = s.reason === "projectless";
    drafts.push(
      draftFinding({
        kind: projectless ? "projectless_event" : "unlisted_event",
        userKey,
        date: s.date,
        legacyId: named,
        kleerId: s.registrationId,
        field: projectless ? "project" : s.reason === "unknown_project" ? "project" : "activity",
        kleerValue: projectless ? null : ((s.reason === "unknown_project" ? s.projectId : s.activityId) ?? null),
        message: projectless
          ? `Kleer event ${s.registrationId} (${formatHours(s.hours)}) has no project: Toki neither lists it nor counts it as worked`
          : `Kleer event ${s.registrationId} (${formatHours(s.hours)}) has an ${s.reason === "unknown_project" ? `unknown project ${s.projectId ?? "?"}` : `unknown activity ${s.activityId ?? "?"}`}: counted as worked but not listed by Toki`,
      }),
    );
    rows.push({ userKey, date: s.date, legacyId: named, kleerId: s.registrationId, base: "skipped", evidence: null, legacyHours: null, kleerHours: s.hours });
  }

  for (const entry of match.missing) {
    if (!inRange(entry.date, range)) continue;
    const skipped = skippedFor.get(entry.registrationId);
    drafts.push(
      draftFinding({
        kind: "missing_in_kleer",
        userKey,
        date: entry.date,
        legacyId: entry.registrationId,
        kleerId: skipped ?? null,
        legacyValue: String(entry.hours),
        field: "entry",
        message:
          `Milltime registration ${entry.registrationId} (${entry.date}, ${formatHours(entry.hours)}, "${entry.projectName}" / "${entry.activityName}") has no Kleer event` +
          (skipped ? `; Kleer event ${skipped} names it but Toki's listing skips that event` : ""),
      }),
    );
    rows.push({ userKey, date: entry.date, legacyId: entry.registrationId, kleerId: null, base: unmapped.has(entry.registrationId) ? "unmapped" : "missing_in_kleer", evidence: null, legacyHours: entry.hours, kleerHours: null });
  }

  for (const { kleer, claimedLegacyId } of match.extra) {
    if (!inRange(kleer.date, range)) continue;
    drafts.push(
      draftFinding({
        kind: "extra_in_kleer",
        userKey,
        date: kleer.date,
        legacyId: claimedLegacyId,
        kleerId: kleer.registrationId,
        field: "entry",
        kleerValue: String(kleer.hours),
        message:
          `Kleer event ${kleer.registrationId} (${kleer.date}, ${formatHours(kleer.hours)}, "${kleer.projectName}" / "${kleer.activityName}") pairs with no Milltime registration` +
          (claimedLegacyId ? `; its foreign id names registration ${claimedLegacyId}, which is not among the user's legacy entries` : ""),
      }),
    );
    rows.push({ userKey, date: kleer.date, legacyId: null, kleerId: kleer.registrationId, base: "extra_in_kleer", evidence: null, legacyHours: null, kleerHours: kleer.hours });
  }
  return { drafts, legacyWithKleer };
}

/** A pair is a `match` unless an unsuppressed entry-level finding names its legacy entry. */
function resolveOutcomes(rows: ReadonlyArray<Omit<EntryRow, "outcome"> & { base: EntryOutcome | "pair" }>, findings: readonly Finding[]): EntryRow[] {
  const flagged = new Set(findings.filter((f) => !f.suppressed && ENTRY_LEVEL_KINDS.has(f.kind) && f.legacyId !== null).map((f) => f.legacyId));
  // Each row built whole, in one shape: a rest/spread copy made ~1,500 objects a user in
  // dictionary mode, which every later read (the counts, the report write) paid for again.
  return rows
    .map(
      (row): EntryRow => ({
        userKey: row.userKey,
        date: row.date,
        legacyId: row.legacyId,
        kleerId: row.kleerId,
        evidence: row.evidence,
        legacyHours: row.legacyHours,
        kleerHours: row.kleerHours,
        outcome: row.base === "pair" ? (flagged.has(row.legacyId) ? "mismatch" : "match") : row.base,
      }),
    )
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || compareIds(a.legacyId ?? "~", b.legacyId ?? "~") || compareIds(a.kleerId ?? "", b.kleerId ?? ""));
}

export function countEntries(entries: readonly EntryRow[]): UserCounts {
  const counts: UserCounts = { legacyEntries: 0, compared: 0, kleerEvents: 0, matches: 0, mismatches: 0, missing: 0, extra: 0, unmapped: 0, skipped: 0, kleerSkipped: 0 };
  for (const e of entries) {
    // A skipped row with a Kleer id is a Kleer event Toki's listing skips (its legacy id, if any,
    // only names the registration it came from): counting it as a skipped legacy entry too made
    // the legacy outcomes add up to one more than the legacy entries.
    const kleerSideSkip = e.outcome === "skipped" && e.kleerId !== null;
    const isLegacyRow = e.legacyId !== null && e.outcome !== "extra_in_kleer" && !kleerSideSkip;
    if (isLegacyRow) {
      counts.legacyEntries++;
      if (e.outcome !== "skipped") counts.compared++;
    }
    if (e.kleerId !== null) counts.kleerEvents++;
    if (e.outcome === "match") counts.matches++;
    else if (e.outcome === "mismatch") counts.mismatches++;
    else if (e.outcome === "missing_in_kleer") counts.missing++;
    else if (e.outcome === "extra_in_kleer") counts.extra++;
    else if (e.outcome === "unmapped") counts.unmapped++;
    else if (kleerSideSkip) counts.kleerSkipped++;
    else counts.skipped++;
  }
  return counts;
}
