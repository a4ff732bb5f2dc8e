import pLimit from "p-limit";
import type { CutoverMapping } from "../domain/cutover-mapping.js";
import type { DateRange } from "../domain/time-entry.js";
import { checkMappingCoverage, usageFromEntries, type CoverageProblem, type KleerProjectInfo, type LegacyUserUsage } from "../mapping/index.js";
import type { KleerCompanyLists, KleerProjectRow } from "./doctor-kleer.js";
import type { LegacyEntrySource } from "./doctor-milltime.js";
import { fail, listSome, messageOf, pass, plural, warn, type CheckOutcome } from "./doctor-types.js";

/** The access fields of a Kleer project as the pure coverage check takes them. */
export function toProjectInfo(project: KleerProjectRow): KleerProjectInfo {
  return {
    id: project.id.id,
    name: project.name,
    active: project.active,
    allUsers: project["all-users"],
    users: project.users.map((u) => ({ userId: u.user.id, activityIds: u.activities.map((a) => a.activity.id) })),
    allActivities: project["all-activities"],
    activityIds: project.activities.map((a) => a.activity.id),
  };
}

const entries = (n: number) => plural(n, "entry", "entries");
const usersText = (ids: readonly number[]) => `${ids.length === 1 ? "user" : "users"} ${ids.join(", ")}`;

/** Problems that mean the mapping points at nothing; the others are Kleer access settings. */
const BROKEN_KINDS = new Set<CoverageProblem["kind"]>(["kleer-user-missing", "kleer-project-missing", "kleer-activity-missing"]);

function describeProblem(p: CoverageProblem): string {
  switch (p.kind) {
    case "kleer-user-missing":
      return `Kleer user ${p.kleerUserId} of Toki user ${p.tokiUserId} does not exist (${entries(p.entryCount)})`;
    case "kleer-user-inactive":
      return `Kleer user ${p.kleerUserId} of Toki user ${p.tokiUserId} is inactive (${entries(p.entryCount)})`;
    case "kleer-project-missing":
      return `Kleer project ${p.kleerProjectId} (mapped from Milltime ${p.milltimeProjectIds.join(", ")}) does not exist (${entries(p.entryCount)})`;
    case "project-inactive":
      return `Kleer project ${p.kleerProjectId} is inactive (${entries(p.entryCount)} of ${usersText(p.tokiUserIds)})`;
    case "project-not-visible":
      return `Kleer project ${p.kleerProjectId} is not visible to Kleer user ${p.kleerUserId} (Toki user ${p.tokiUserId}, ${entries(p.entryCount)})`;
    case "kleer-activity-missing":
      return `Kleer activity ${p.kleerActivityId} (mapped from Milltime ${p.milltimeActivityIds.join(", ")}) does not exist (${entries(p.entryCount)})`;
    case "activity-not-allowed":
      return `Kleer activity ${p.kleerActivityId} may not be reported on project ${p.kleerProjectId} by Kleer user ${p.kleerUserId} (Toki user ${p.tokiUserId}, rule "${p.rule}", ${entries(p.entryCount)})`;
  }
}

export interface CoverageCheckInput {
  mapping: CutoverMapping;
  mappingFile: string;
  range: DateRange;
  sources: readonly LegacyEntrySource[];
  /** Users in scope whose legacy data could not be read (already reported by the Milltime check). */
  unreadable: ReadonlyArray<{ tokiUserId: number; reason: string }>;
  kleer: KleerCompanyLists;
  concurrency: number;
}

/**
 * `mapping-coverage`: reads each readable user's legacy entries of the range and runs
 * `checkMappingCoverage` against Kleer's lists. Unmapped users, projects and activities, and
 * mapped ids Kleer does not have, FAIL (compare reports those entries as blocking `unmapped_*`
 * findings and replay cannot write them). Inactive or hidden projects and disallowed activities
 * WARN: compare can still pair the entries, but they cannot be written or edited through Toki.
 */
export async function checkCoverage(input: CoverageCheckInput): Promise<CheckOutcome> {
  const limit = pLimit(input.concurrency);
  const readErrors: string[] = [];
  const usage = (
    await Promise.all(
      input.sources.map((source) =>
        limit(async (): Promise<LegacyUserUsage | undefined> => {
          try {
            return usageFromEntries(source.tokiUserId, await source.readEntries(input.range));
          } catch (error) {
            readErrors.push(messageOf(error));
            return undefined;
          }
        }),
      ),
    )
  ).filter((u): u is LegacyUserUsage => u !== undefined);
  const coverage = checkMappingCoverage({
    mapping: input.mapping,
    range: input.range,
    usage,
    kleerProjects: input.kleer.projects.map(toProjectInfo),
    kleerActivities: input.kleer.activities.map((a) => ({ id: a.id.id, name: a.name })),
    kleerUsers: input.kleer.users.map((u) => ({ id: u.id, active: u.active })),
  });

  const blocking: string[] = [...readErrors.sort()];
  for (const u of coverage.unmappedUsers)
    blocking.push(`Toki user ${u.tokiUserId}${u.email ? ` <${u.email}>` : ""} ${u.reason === "not-in-mapping" ? "is not in the mapping" : "has no Kleer user"} (${entries(u.entryCount)})`);
  for (const p of coverage.unmappedProjects)
    blocking.push(`Milltime project ${p.milltimeId}${p.name ? ` "${p.name}"` : ""} is unmapped (${entries(p.entryCount)} of ${usersText(p.tokiUserIds)})`);
  for (const a of coverage.unmappedActivities)
    blocking.push(`Milltime activity ${a.milltimeId}${a.name ? ` "${a.name}"` : ""} is unmapped (${entries(a.entryCount)} of ${usersText(a.tokiUserIds)})`);
  const access: string[] = [];
  for (const p of coverage.problems) (BROKEN_KINDS.has(p.kind) ? blocking : access).push(describeProblem(p));

  const unread = [...input.unreadable].sort((a, b) => a.tokiUserId - b.tokiUserId);
  const scope =
    `${entries(coverage.entries)} of ${plural(usage.length, "user")} in ${input.range.from}..${input.range.to}, ${coverage.entriesReady} ready` +
    (unread.length > 0 ? `; not checked for ${listSome(unread.map((u) => `Toki user ${u.tokiUserId} (${u.reason})`))}` : "");
  if (blocking.length > 0) {
    return fail(
      `${scope}. ${plural(blocking.length, "blocking gap")}: ${listSome(blocking)}` + (access.length > 0 ? `. Also: ${listSome(access, 3)}` : ""),
      `add the Milltime ids named above to ${input.mappingFile} with the Kleer ids they move to (\`toki-parity map suggest\` proposes them), ` +
        "and fix mapped ids Kleer does not know; unmapped legacy entries are blocking findings in compare and replay cannot write them",
    );
  }
  if (access.length > 0) {
    return warn(
      `${scope}. ${listSome(access)}`,
      "entries on inactive or hidden projects, or on activities the user may not report, can be compared but not written or edited through Toki: " +
        "reactivate the project, add the user or allow the activity in my.kleer.se before replay",
    );
  }
  if (unread.length > 0) return warn(scope, "fix the milltime check so every user's legacy entries can be read");
  return pass(`${scope}: every user, project and activity is mapped and Kleer accepts them`);
}
