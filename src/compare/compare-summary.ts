import type { PeriodKind } from "../domain/calendar.js";
import type { DateRange } from "../domain/time-entry.js";
import { isFindingKind, kindOrder } from "../parity/finding-kinds.js";
import type { UserParityResult } from "../parity/user-parity.js";
import type { SourceFailure } from "../parity/user-parity.js";
import type { CompareSummary, SeverityCounts, SourceErrorLine } from "./compare-options.js";

/** The first thing to check for a source error, by its error code and system. */
export function hintForSourceError(failure: SourceFailure): string {
  const code = /^([A-Z_]+):/.exec(failure.message)?.[1];
  const where = { milltime: "the user's Milltime credentials row", kleer: "the Kleer token, company id and the user's Kleer id in the mapping", history: "the --history database or export" }[failure.system];
  switch (code) {
    case "AUTH_FAILED":
    case "FORBIDDEN":
      return `check ${where}; \`toki-parity doctor --users <id>\` names the failing login`;
    case "UNREACHABLE":
      return `check that ${failure.system === "milltime" ? "--milltime-url" : failure.system === "kleer" ? "--kleer-url" : "--history"} is reachable from this machine, then re-run`;
    case "NOT_FOUND":
      return `check ${where}: the server does not know what was asked for`;
    case "PROVIDER_ERROR":
      return `the ${failure.system} server answered with an error after the retries: check its status, then re-run`;
    case "CONFIG":
      return `check ${where}: the run's configuration does not cover this user`;
    case "INVALID_RESPONSE":
      return "the reply does not have the shape Toki expects: see the field path; re-run with TOKI_PARITY_DEBUG=1 and report it";
    default:
      return `run \`toki-parity doctor --users <id>\` to check ${where}`;
  }
}

const emptyCounts = (): SeverityCounts => ({ blocking: 0, warning: 0, info: 0, suppressed: 0 });

/** Running totals over users, kept small: only counts, never a user's rows. */
export function createSummaryAccumulator(range: DateRange, period: PeriodKind) {
  const totals = {
    users: 0, usersCompared: 0, usersUnmapped: 0, usersWithSourceErrors: 0,
    legacyEntries: 0, entriesCompared: 0, matches: 0, mismatches: 0, missing: 0, extra: 0, unmapped: 0, skipped: 0, kleerSkipped: 0,
  };
  const findings = emptyCounts();
  const byKind = new Map<string, SeverityCounts>();
  const sourceErrors: SourceErrorLine[] = [];
  let historyRowsInvalid = 0;
  return {
    /** Counts findings that belong to no user's batch (e.g. history rows of an unknown user). */
    addFindings(list: ReadonlyArray<Pick<UserParityResult["findings"][number], "kind" | "severity" | "suppressed">>): void {
      for (const f of list) {
        if (f.kind === "history_row_invalid") historyRowsInvalid++;
        const kind = byKind.get(f.kind) ?? emptyCounts();
        byKind.set(f.kind, kind);
        const key = f.suppressed ? "suppressed" : f.severity;
        kind[key]++;
        findings[key]++;
      }
    },
    add(result: UserParityResult, failures: readonly SourceFailure[] = []): void {
      for (const failure of failures) sourceErrors.push({ tokiUserId: result.userKey, system: failure.system, reason: failure.message, hint: hintForSourceError(failure) });
      totals.users++;
      if (result.status === "compared") totals.usersCompared++;
      else if (result.status === "unmapped") totals.usersUnmapped++;
      else totals.usersWithSourceErrors++;
      const c = result.counts;
      totals.legacyEntries += c.legacyEntries;
      totals.entriesCompared += c.compared;
      totals.matches += c.matches;
      totals.mismatches += c.mismatches;
      totals.missing += c.missing;
      totals.extra += c.extra;
      totals.unmapped += c.unmapped;
      totals.skipped += c.skipped;
      totals.kleerSkipped += c.kleerSkipped;
      this.addFindings(result.findings);
    },
    finish(runId: string, durationMs: number): CompareSummary {
      const order = (k: string) => (isFindingKind(k) ? kindOrder(k) : Number.MAX_SAFE_INTEGER);
      const findingsByKind = Object.fromEntries([...byKind].sort(([a], [b]) => order(a) - order(b)));
      return {
        runId,
        status: "completed",
        range,
        period,
        ...totals,
        matchRate: totals.entriesCompared === 0 ? null : totals.matches / totals.entriesCompared,
        findings,
        findingsByKind,
        historyRowsInvalid,
        sourceErrors: [...sourceErrors].sort((a, b) => a.tokiUserId - b.tokiUserId),
        durationMs,
      };
    },
  };
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));

/** Formats a match rate as `98.72 %` (or `n/a`). */
export function formatMatchRate(rate: number | null): string {
  return rate === null ? "n/a" : `${(Math.floor(rate * 10000) / 100).toFixed(2)} %`;
}

/**
 * The entry tallies, each line a sum that adds up: every legacy entry has exactly one outcome;
 * Kleer-only events (extra, or skipped by Toki's listing) are counted on a line of their own.
 */
export function formatEntryLines(s: Pick<CompareSummary, "legacyEntries" | "entriesCompared" | "matches" | "mismatches" | "missing" | "unmapped" | "skipped" | "extra" | "kleerSkipped" | "matchRate">): string[] {
  const kleerSkipped = s.kleerSkipped ?? 0;
  return [
    `Entries  ${s.legacyEntries} legacy = ${s.matches} match + ${s.mismatches} mismatch + ${s.missing} missing in Kleer + ${s.unmapped} unmapped + ${s.skipped} not read (source error)`,
    `Kleer    ${s.extra + kleerSkipped} Kleer-only event${s.extra + kleerSkipped === 1 ? "" : "s"} = ${s.extra} extra in Kleer + ${kleerSkipped} skipped by Toki's listing`,
    `Match rate ${formatMatchRate(s.matchRate)} (${s.matches} match of the ${s.entriesCompared} legacy entries compared: all but those not read)`,
  ];
}

/** The table the CLI prints after `compare`. */
export function formatCompareSummary(summary: CompareSummary): string {
  const s = summary;
  const lines = [
    `Run ${s.runId} completed in ${(s.durationMs / 1000).toFixed(1)} s: ${s.range.from} … ${s.range.to} by ${s.period}`,
    `Users    ${s.users} = ${s.usersCompared} compared + ${s.usersUnmapped} unmapped + ${s.usersWithSourceErrors} with source errors`,
    ...formatEntryLines(s),
    "",
  ];
  if ((s.historyRowsInvalid ?? 0) > 0) {
    lines.push(`History  ${s.historyRowsInvalid} timer-history row${s.historyRowsInvalid === 1 ? "" : "s"} could not be read (history_row_invalid): not checked, not relinked`, "");
  }
  const errors = s.sourceErrors ?? [];
  if (errors.length > 0) {
    lines.push(`Not (fully) read — ${new Set(errors.map((e) => e.tokiUserId)).size} user(s) block the verdict:`);
    for (const e of errors) lines.push(`  user ${e.tokiUserId}  ${e.system}: ${e.reason}`, `    hint: ${e.hint}`);
    lines.push("");
  }
  const kinds = Object.entries(s.findingsByKind);
  if (kinds.length === 0) {
    lines.push("No findings.");
    return lines.join("\n");
  }
  const width = Math.max(5, ...kinds.map(([k]) => k.length));
  const header = ["Blocking", "Warning", "Info", "Suppressed"];
  const row = (label: string, c: SeverityCounts) =>
    `${pad(label, width)}  ${[c.blocking, c.warning, c.info, c.suppressed].map((n, i) => pad(String(n), (header[i] as string).length, true)).join("  ")}`;
  lines.push(`${pad("Kind", width)}  ${header.join("  ")}`);
  for (const [kind, counts] of kinds) lines.push(row(kind, counts));
  lines.push(row("Total", s.findings));
  return lines.join("\n");
}
