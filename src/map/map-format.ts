import type {
  AmbiguousItem,
  CoverageProblem,
  SuggestionCandidate,
  SuggestionConflict,
  SuggestionKind,
  UnmatchedItem,
} from "../mapping/index.js";
import type { MapSourceError } from "./map-milltime.js";
import type { MapCheckResult, MapSourcesRead, MapSuggestResult } from "./map-run.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const quote = (s: string | undefined) => (s === undefined ? "" : ` "${s}"`);
const list = (ids: readonly (number | string)[]) => ids.join(", ");

/** "email 1.0 ×9, name 0.9 ×2": suggestions counted by reason and confidence, most common first. */
export function countByReason(items: ReadonlyArray<{ reason: string; confidence: number }>): string {
  const counts = new Map<string, number>();
  for (const i of items) {
    const key = `${i.reason} ${i.confidence.toFixed(1)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, n]) => `${key} ×${n}`)
    .join(", ");
}

const ITEM_NAMES: Record<SuggestionKind, string> = { user: "Toki user", "milltime-user": "Milltime user", project: "Milltime project", activity: "Milltime activity" };

function candidateName(kind: SuggestionKind, c: SuggestionCandidate): string {
  const target =
    kind === "project" ? "Kleer project" : kind === "activity" ? "Kleer activity" : kind === "milltime-user" ? "Toki user" : typeof c.id === "number" ? "Kleer user" : "Milltime user";
  const detail = c.detail ? ` (${c.detail})` : "";
  return `${target} ${c.id}${quote(c.name)}${detail}${c.active === false ? " [inactive]" : ""}`;
}

function itemLine(item: AmbiguousItem | UnmatchedItem, hints: string): string {
  const head = `  ${ITEM_NAMES[item.kind]} ${item.key}${quote(item.label)}`;
  if (item.candidates.length === 0) return `${head}: no candidate`;
  return `${head}: ${hints}\n${item.candidates.map((c) => `      - ${candidateName(item.kind, c)}`).join("\n")}`;
}

const CONFLICT_NAMES: Record<SuggestionConflict["kind"], string> = {
  "user-kleer": "Toki user",
  "user-milltime": "Toki user",
  project: "Milltime project",
  activity: "Milltime activity",
};

function conflictLine(c: SuggestionConflict): string {
  return `  ${CONFLICT_NAMES[c.kind]} ${c.key}: the mapping has ${c.existing}; ${c.reason} ${c.confidence.toFixed(1)} suggests ${c.suggested}`;
}

function sourceErrorLine(e: MapSourceError): string {
  const where = e.step === "activities" && e.projectId ? `activities of project ${e.projectId}` : e.step;
  return `  Toki user ${e.tokiUserId}, ${where}: ${e.code ? `${e.code}: ` : ""}${e.message}`;
}

function sourcesBlock(sources: MapSourcesRead): string[] {
  const { tried, read } = sources.milltimeAccounts;
  return [`  ${sources.kleer}`, `  ${sources.milltime}: ${read} of ${plural(tried, "account")} read`];
}

/** `Title (3) — hint:` and the lines, or `Title: none`. */
function section(title: string, lines: string[], hint?: string): string[] {
  return lines.length === 0 ? [`${title}: none`] : [`${title} (${lines.length})${hint ? ` — ${hint}` : ""}:`, ...lines];
}

/** The text `map suggest` prints: sources, suggestions by reason and confidence, what needs a person. */
export function formatMapSuggestSummary(result: MapSuggestResult): string {
  const s = result.suggestion;
  const min = result.minConfidence;
  const kleerUsers = s.users.filter((u) => u.target === "kleer");
  const milltimeUsers = s.users.filter((u) => u.target === "milltime");
  const row = (label: string, items: ReadonlyArray<{ reason: string; confidence: number }>) => {
    const written = items.filter((i) => i.confidence >= min);
    const below = items.length - written.length;
    const counts = written.length > 0 ? `  ${countByReason(written)}` : "";
    return `  ${label.padEnd(24)}${String(written.length).padStart(4)}${counts}${below > 0 ? `  (+${below} below --min-confidence ${min}, not written)` : ""}`;
  };
  const out: string[] = [
    `Mapping suggestion for ${result.range.from}..${result.range.to}`,
    ...sourcesBlock(result.sources),
    `  Toki users: ${result.tokiUsers.count} with an email (${result.tokiUsers.describe})`,
    `  Seen: ${plural(result.milltimeSeen.projects, "Milltime project")}, ${plural(result.milltimeSeen.activities, "Milltime activity", "Milltime activities")}; ` +
      `${plural(result.kleerSeen.users, "Kleer user")}, ${plural(result.kleerSeen.projects, "Kleer project")}, ${plural(result.kleerSeen.activities, "Kleer activity", "Kleer activities")}`,
    "",
    "Suggested (written to the file):",
    row("users → Kleer user", kleerUsers),
    row("users → Milltime user", milltimeUsers),
    row("projects", s.projects),
    row("activities", s.activities),
    `Confirmed (already in the mapping): ${plural(s.confirmed.users, "user field")}, ${plural(s.confirmed.projects, "project")}, ${plural(s.confirmed.activities, "activity", "activities")}`,
  ];
  const inactive = s.projects.filter((p) => !p.kleerActive && p.confidence >= min);
  if (inactive.length > 0) {
    out.push(`Suggested Kleer projects that are inactive: ${inactive.map((p) => `${p.kleerProjectId}${quote(p.kleerName)} (for Milltime ${p.milltimeProjectId})`).join(", ")}`);
  }
  out.push(
    "",
    ...section("Ambiguous", s.ambiguous.map((a) => itemLine(a, `${a.reason} matches ${plural(a.candidates.length, "candidate")}`)), "several candidates match equally; add the right one by hand"),
    ...section("Unmatched", s.unmatched.map((u) => itemLine(u, "hints")), "nothing matched; hints share the email's local part or contain the name"),
    ...section("Conflicts", s.conflicts.map(conflictLine), "a suggestion disagrees with an explicit entry, which is kept"),
    ...section("Source errors", result.sourceErrors.map(sourceErrorLine), "these accounts were not (fully) read"),
  );
  if (result.warnings.length > 0) out.push("", ...result.warnings.map((w) => `warning: ${w}`));
  const d = result.document;
  out.push(
    "",
    `Wrote ${result.outFile}: ${plural(d.users.length, "user")}, ${plural(d.projects.length, "project")}, ${plural(d.activities.length, "activity", "activities")}.` +
      " New entries carry reason/confidence (users: \"suggested\"); review them, then run `toki-parity map check`.",
  );
  return `${out.join("\n")}\n`;
}

function problemLine(p: CoverageProblem): string {
  const entries = plural(p.entryCount, "entry", "entries");
  switch (p.kind) {
    case "kleer-user-missing":
      return `  Toki user ${p.tokiUserId}: Kleer user ${p.kleerUserId} does not exist — ${entries}`;
    case "kleer-user-inactive":
      return `  Toki user ${p.tokiUserId}: Kleer user ${p.kleerUserId} is inactive — ${entries}`;
    case "kleer-project-missing":
      return `  Kleer project ${p.kleerProjectId} does not exist (Milltime ${list(p.milltimeProjectIds)}; Toki users ${list(p.tokiUserIds)}) — ${entries}`;
    case "project-inactive":
      return `  Kleer project ${p.kleerProjectId} is inactive (Milltime ${list(p.milltimeProjectIds)}; Toki users ${list(p.tokiUserIds)}) — ${entries}`;
    case "project-not-visible":
      return `  Kleer project ${p.kleerProjectId} is not open to Toki user ${p.tokiUserId} (Kleer user ${p.kleerUserId}: not all-users, not in users) — ${entries}`;
    case "kleer-activity-missing":
      return `  Kleer activity ${p.kleerActivityId} does not exist (Milltime ${list(p.milltimeActivityIds)}; Toki users ${list(p.tokiUserIds)}) — ${entries}`;
    case "activity-not-allowed":
      return `  Kleer activity ${p.kleerActivityId} is not allowed on Kleer project ${p.kleerProjectId} for Toki user ${p.tokiUserId} (Kleer user ${p.kleerUserId}; rule ${p.rule}) — ${entries}`;
  }
}

/** The counts behind a failed check, e.g. "1 unmapped user, 1 unmapped project, 2 source errors". */
function failureCounts(result: MapCheckResult): string[] {
  const c = result.coverage;
  const parts: string[] = [];
  if (c.unmappedUsers.length > 0) parts.push(plural(c.unmappedUsers.length, "unmapped user"));
  if (c.unmappedProjects.length > 0) parts.push(plural(c.unmappedProjects.length, "unmapped project"));
  if (c.unmappedActivities.length > 0) parts.push(plural(c.unmappedActivities.length, "unmapped activity", "unmapped activities"));
  if (c.problems.length > 0) parts.push(plural(c.problems.length, "mapped target Kleer would refuse", "mapped targets Kleer would refuse"));
  const unread = new Set(result.sourceErrors.map((e) => e.tokiUserId)).size;
  if (unread > 0) parts.push(`${plural(unread, "user")} not (fully) read`);
  return parts;
}

/** The one-line reason of a failed `map check`, or undefined when coverage is complete. */
export function mapCheckFailureReason(result: MapCheckResult): string | undefined {
  if (result.ok) return undefined;
  const c = result.coverage;
  return `map check failed: ${failureCounts(result).join(", ")} (${c.entries - c.entriesReady} of ${plural(c.entries, "legacy entry", "legacy entries")} not ready)`;
}

/** The text `map check` prints. */
export function formatMapCheckReport(result: MapCheckResult): string {
  const c = result.coverage;
  const share = c.entries === 0 ? "" : ` (${((100 * c.entriesReady) / c.entries).toFixed(1)}%)`;
  const out: string[] = [
    `Mapping coverage for ${result.range.from}..${result.range.to} — ${result.mappingFile}`,
    ...sourcesBlock(result.sources),
    `Legacy entries: ${c.entries} of ${plural(c.users, "user")}; ${c.entriesReady} ready for Kleer${share}`,
    "",
    ...section(
      "Unmapped users",
      c.unmappedUsers.map(
        (u) => `  Toki user ${u.tokiUserId}${u.email ? ` ${u.email}` : ""}: ${u.reason === "no-kleer-user" ? "in the mapping without a Kleer user" : "not in the mapping"} — ${plural(u.entryCount, "entry", "entries")}`,
      ),
    ),
    ...section(
      "Unmapped projects",
      c.unmappedProjects.map((p) => `  Milltime project ${p.milltimeId}${quote(p.name)} — ${plural(p.entryCount, "entry", "entries")} (Toki users ${list(p.tokiUserIds)})`),
    ),
    ...section(
      "Unmapped activities",
      c.unmappedActivities.map((a) => `  Milltime activity ${a.milltimeId}${quote(a.name)} — ${plural(a.entryCount, "entry", "entries")} (Toki users ${list(a.tokiUserIds)})`),
    ),
    ...section("Refused by Kleer", c.problems.map(problemLine), "mapped, but missing, inactive, not open to the user or activity not allowed"),
    ...section("Source errors", result.sourceErrors.map(sourceErrorLine), "these users' entries were not (fully) checked"),
  ];
  if (result.usersWithoutAccount.length > 0) {
    out.push(`Not checked (mapped, but no Milltime account was given): Toki users ${list(result.usersWithoutAccount)}`);
  }
  out.push(
    "",
    result.ok
      ? `Coverage complete: all ${plural(c.entries, "legacy entry", "legacy entries")} of ${plural(c.users, "user")} are mapped and accepted by Kleer.`
      : `Coverage incomplete: ${failureCounts(result).join(", ")}.`,
  );
  return `${out.join("\n")}\n`;
}

/** What `map check --json` prints (stable keys; the coverage as the library returns it). */
export function mapCheckJson(result: MapCheckResult): string {
  return `${JSON.stringify(
    {
      range: result.range,
      mappingFile: result.mappingFile,
      ok: result.ok,
      sources: result.sources,
      coverage: result.coverage,
      sourceErrors: result.sourceErrors,
      usersWithoutAccount: result.usersWithoutAccount,
    },
    null,
    2,
  )}\n`;
}
