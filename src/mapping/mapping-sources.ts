import pLimit from "p-limit";
import type { CutoverMapping } from "../domain/cutover-mapping.js";
import { isTokiError } from "../domain/errors.js";
import { silentLogger, type Logger } from "../domain/ports.js";
import type { Activity, DateRange, Project, TimeEntry } from "../domain/time-entry.js";
import { globalRedactor } from "../http/redact.js";
import type { KleerProjectAccess } from "../domain/project-access.js";
import { checkMappingCoverage, type CoverageResult, type LegacyUserUsage } from "./mapping-coverage.js";
import { compareIds } from "./mapping-normalise.js";
import { suggestMapping } from "./mapping-suggest.js";
import type {
  KleerActivityRef,
  KleerProjectRef,
  KleerUserRef,
  MappingSuggestion,
  MilltimeActivityRef,
  MilltimeProjectRef,
  SuggestMappingInput,
  TokiUserRef,
} from "./mapping-suggest-types.js";

/** Milltime accounts read at once (each is its own login and session). */
export const MILLTIME_ACCOUNT_CONCURRENCY = 4;

/** A Kleer project with what the suggestion engine and the visibility rules need. */
export type KleerProjectListing = KleerProjectRef & KleerProjectAccess;

/** The company-wide Kleer lists (the Kleer client implements this; tests use fakes). */
export interface KleerMappingDirectory {
  listKleerUsers(): Promise<KleerUserRef[]>;
  /** All projects, inactive included. */
  listKleerProjects(): Promise<KleerProjectListing[]>;
  listKleerActivities(): Promise<KleerActivityRef[]>;
}

/** What the mapping needs from one Milltime user's read-only session (a subset of TimeTrackingReader). */
export interface MilltimeMappingReader {
  getProjects(): Promise<Project[]>;
  getActivities(projectId: string, range: DateRange): Promise<Activity[]>;
  getTimeEntries(range: DateRange): Promise<TimeEntry[]>;
}

/** One Milltime account and the Toki user it belongs to (from the credentials file). */
export interface MilltimeAccount {
  tokiUserId: number;
  /** The JWT's `userid`, when the session already knows it. */
  milltimeUserId?: string | undefined;
  username?: string | undefined;
  email?: string | undefined;
  reader: MilltimeMappingReader;
}

/** A Milltime read that failed; the run goes on without that account's (or project's) data. */
export interface MappingSourceError {
  tokiUserId: number;
  step: "projects" | "time-entries" | "activities";
  projectId?: string | undefined;
  code: string | undefined;
  message: string;
}

export interface MappingRunOptions {
  range: DateRange;
  /** @default MILLTIME_ACCOUNT_CONCURRENCY (4) */
  concurrency?: number | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
}

function sourceError(tokiUserId: number, step: MappingSourceError["step"], error: unknown, projectId?: string): MappingSourceError {
  const message = globalRedactor.redact(error instanceof Error ? error.message : String(error));
  return { tokiUserId, step, ...(projectId === undefined ? {} : { projectId }), code: isTokiError(error) ? error.code : undefined, message };
}

async function attempt<T>(errors: MappingSourceError[], make: (e: unknown) => MappingSourceError, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    errors.push(make(error));
    return undefined;
  }
}

interface AccountRead {
  account: MilltimeAccount;
  projects: Project[] | undefined;
  entries: TimeEntry[] | undefined;
}

async function readAccounts(accounts: readonly MilltimeAccount[], options: MappingRunOptions, withProjects: boolean, errors: MappingSourceError[]): Promise<AccountRead[]> {
  const limit = pLimit(options.concurrency ?? MILLTIME_ACCOUNT_CONCURRENCY);
  const logger = options.logger ?? silentLogger;
  const sorted = [...accounts].sort((a, b) => a.tokiUserId - b.tokiUserId);
  const reads = await Promise.all(
    sorted.map((account) =>
      limit(async (): Promise<AccountRead & { errors: MappingSourceError[] }> => {
        const own: MappingSourceError[] = [];
        const projects = withProjects ? await attempt(own, (e) => sourceError(account.tokiUserId, "projects", e), () => account.reader.getProjects()) : undefined;
        const entries = await attempt(own, (e) => sourceError(account.tokiUserId, "time-entries", e), () => account.reader.getTimeEntries(options.range));
        logger.debug("Milltime account read", { tokiUserId: account.tokiUserId, projects: projects?.length, entries: entries?.length, failed: own.length });
        return { account, projects, entries, errors: own };
      }),
    ),
  );
  for (const read of reads) errors.push(...read.errors);
  return reads;
}

export interface MappingSuggestionRun {
  suggestion: MappingSuggestion;
  /** Exactly what the engine was given (for a report or a re-run). */
  input: SuggestMappingInput;
  sourceErrors: MappingSourceError[];
}

/**
 * Fetches the Kleer lists and, per Milltime account, its projects and time entries in the range,
 * then the activities of every listed project (once per project, through the first account
 * that lists it), and runs `suggestMapping`. Kleer failures throw; a failing Milltime account
 * or project is reported in `sourceErrors` and the rest goes on.
 */
export async function buildMappingSuggestion(
  sources: { kleer: KleerMappingDirectory; tokiUsers: readonly TokiUserRef[]; milltimeAccounts: readonly MilltimeAccount[] },
  options: MappingRunOptions & { existing?: CutoverMapping | undefined },
): Promise<MappingSuggestionRun> {
  const [kleerUsers, kleerProjects, kleerActivities] = await Promise.all([
    sources.kleer.listKleerUsers(),
    sources.kleer.listKleerProjects(),
    sources.kleer.listKleerActivities(),
  ]);
  const sourceErrors: MappingSourceError[] = [];
  const reads = await readAccounts(sources.milltimeAccounts, options, true, sourceErrors);

  const projects = new Map<string, MilltimeProjectRef>();
  const projectOwner = new Map<string, MilltimeAccount>();
  for (const read of reads) {
    for (const p of read.projects ?? []) {
      if (!projects.has(p.id)) projects.set(p.id, { id: p.id, name: p.name, code: p.code });
      if (!projectOwner.has(p.id)) projectOwner.set(p.id, read.account);
    }
  }
  const activities = new Map<string, MilltimeActivityRef>();
  for (const read of reads) {
    for (const e of read.entries ?? []) {
      if (!projects.has(e.projectId)) projects.set(e.projectId, { id: e.projectId, name: e.projectName });
      if (!activities.has(e.activityId)) activities.set(e.activityId, { id: e.activityId, name: e.activityName });
    }
  }
  const limit = pLimit(options.concurrency ?? MILLTIME_ACCOUNT_CONCURRENCY);
  const owned = [...projectOwner.entries()].sort(([a], [b]) => compareIds(a, b));
  const listed = await Promise.all(
    owned.map(([projectId, account]) =>
      limit(() => attempt(sourceErrors, (e) => sourceError(account.tokiUserId, "activities", e, projectId), () => account.reader.getActivities(projectId, options.range))),
    ),
  );
  for (const list of listed) for (const a of list ?? []) if (!activities.has(a.id)) activities.set(a.id, { id: a.id, name: a.name });

  const input: SuggestMappingInput = {
    existing: options.existing,
    tokiUsers: sources.tokiUsers,
    milltimeUsers: sources.milltimeAccounts
      .filter((a) => a.milltimeUserId !== undefined)
      .map((a) => ({ milltimeUserId: a.milltimeUserId as string, tokiUserId: a.tokiUserId, username: a.username, email: a.email })),
    kleerUsers,
    milltimeProjects: [...projects.values()],
    kleerProjects: kleerProjects.map((p) => ({ id: p.id, name: p.name, number: p.number, active: p.active })),
    milltimeActivities: [...activities.values()],
    kleerActivities,
  };
  return { suggestion: suggestMapping(input), input, sourceErrors: sourceErrors.sort(compareSourceErrors) };
}

function compareSourceErrors(a: MappingSourceError, b: MappingSourceError): number {
  return a.tokiUserId - b.tokiUserId || a.step.localeCompare(b.step) || compareIds(a.projectId ?? "", b.projectId ?? "");
}

/** Groups a user's legacy entries by (project, activity) with entry counts. Pure. */
export function usageFromEntries(tokiUserId: number, entries: readonly TimeEntry[], email?: string): LegacyUserUsage {
  const pairs = new Map<string, LegacyUserUsage["entries"][number] & { entryCount: number }>();
  for (const e of entries) {
    const key = `${e.projectId}\u0000${e.activityId}`;
    const pair = pairs.get(key) ?? { milltimeProjectId: e.projectId, projectName: e.projectName, milltimeActivityId: e.activityId, activityName: e.activityName, entryCount: 0 };
    pair.entryCount += 1;
    pairs.set(key, pair);
  }
  const sorted = [...pairs.values()].sort((a, b) => compareIds(a.milltimeProjectId, b.milltimeProjectId) || compareIds(a.milltimeActivityId, b.milltimeActivityId));
  return { tokiUserId, email, entries: sorted };
}

export interface MappingCoverageRun {
  coverage: CoverageResult;
  sourceErrors: MappingSourceError[];
  /** Mapped users in scope that have no Milltime account to read (their usage is unknown). */
  usersWithoutSource: number[];
}

/**
 * Reads each Milltime account's entries in the range, the Kleer lists, and runs
 * `checkMappingCoverage`. `tokiUserIds` limits the accounts and mapped users considered.
 */
export async function buildMappingCoverage(
  sources: { kleer: KleerMappingDirectory; milltimeAccounts: readonly MilltimeAccount[] },
  options: MappingRunOptions & { mapping: CutoverMapping; tokiUserIds?: readonly number[] | undefined },
): Promise<MappingCoverageRun> {
  const scope = options.tokiUserIds ? new Set(options.tokiUserIds) : undefined;
  const inScope = (id: number) => scope === undefined || scope.has(id);
  const [kleerUsers, kleerProjects, kleerActivities] = await Promise.all([
    sources.kleer.listKleerUsers(),
    sources.kleer.listKleerProjects(),
    sources.kleer.listKleerActivities(),
  ]);
  const sourceErrors: MappingSourceError[] = [];
  const accounts = sources.milltimeAccounts.filter((a) => inScope(a.tokiUserId));
  const reads = await readAccounts(accounts, options, false, sourceErrors);
  const usage = reads
    .filter((r) => r.entries !== undefined)
    .map((r) => usageFromEntries(r.account.tokiUserId, r.entries ?? [], r.account.email));
  const withAccount = new Set(accounts.map((a) => a.tokiUserId));
  const usersWithoutSource = options.mapping.users
    .map((u) => u.tokiUserId)
    .filter((id) => inScope(id) && !withAccount.has(id))
    .sort((a, b) => a - b);
  const coverage = checkMappingCoverage({ mapping: options.mapping, range: options.range, usage, kleerProjects, kleerActivities, kleerUsers });
  return { coverage, sourceErrors: sourceErrors.sort(compareSourceErrors), usersWithoutSource };
}
