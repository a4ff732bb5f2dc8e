import { realpath, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Dispatcher } from "undici";
import { ConfigError, TokiError } from "../domain/errors.js";
import { silentLogger, systemClock, type Clock, type Logger } from "../domain/ports.js";
import type { DateRange } from "../domain/time-entry.js";
import {
  buildMappingCoverage,
  buildMappingSuggestion,
  loadMappingFile,
  mergeSuggestionIntoDocument,
  writeMappingFile,
  type CoverageResult,
  type MappingDocument,
  type MappingSuggestion,
  type MilltimeAccount,
} from "../mapping/index.js";
import { openKleerSide } from "../run/run-sources.js";
import { createKleerMappingDirectory } from "./map-kleer.js";
import { openMilltimeAccounts, type MapMilltimeAccounts, type MapSourceError } from "./map-milltime.js";
import type { MapCheckOptions, MapSourceOptions, MapSuggestOptions } from "./map-options.js";
import { collectTokiUsers } from "./map-toki-users.js";

/** What the map commands inject (tests: dispatchers; the CLI: a progress line writer). */
export interface MapRunDeps {
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  kleerDispatcher?: Dispatcher | undefined;
  milltimeDispatcher?: Dispatcher | undefined;
  /** One line per phase ("reading Kleer and 10 Milltime accounts"). @default ignore */
  progress?: ((line: string) => void) | undefined;
}

/** Where a run read from, in words fit for a summary (no secrets). */
export interface MapSourcesRead {
  kleer: string;
  milltime: string;
  /** Accounts tried / read. */
  milltimeAccounts: { tried: number; read: number };
}

export interface MapSuggestResult {
  range: DateRange;
  outFile: string;
  mappingFile: string | undefined;
  minConfidence: number;
  sources: MapSourcesRead;
  tokiUsers: { count: number; describe: string };
  /** Milltime projects and activities the engine saw (listed or used in entries). */
  milltimeSeen: { projects: number; activities: number };
  kleerSeen: { users: number; projects: number; activities: number };
  suggestion: MappingSuggestion;
  /** Login failures first, then failed reads, by Toki user. */
  sourceErrors: MapSourceError[];
  /** The document written to `outFile`. */
  document: MappingDocument;
  warnings: string[];
}

export interface MapCheckResult {
  range: DateRange;
  mappingFile: string;
  sources: MapSourcesRead;
  coverage: CoverageResult;
  sourceErrors: MapSourceError[];
  /** Mapped users in scope with no Milltime account to read (no credentials row / not in the snapshot). */
  usersWithoutAccount: number[];
  /** Nothing unmapped, nothing Kleer would refuse, and every account read. */
  ok: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false;
  }
}

/** `--out` may replace the `--mapping` file itself, or anything with `--force`; nothing else. */
async function guardOut(options: MapSuggestOptions): Promise<void> {
  const dir = dirname(options.outFile);
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) throw new ConfigError(`--out ${options.outFile}: the directory ${dir} does not exist`);
  if (options.force || !(await exists(options.outFile))) return;
  if (options.mappingFile && (await sameFile(options.outFile, options.mappingFile))) return;
  throw new TokiError("REFUSED", `${options.outFile} exists; refusing to overwrite it (write to a new file, pass the same file as --mapping, or add --force)`);
}

interface OpenedSides {
  kleer: ReturnType<typeof createKleerMappingDirectory>;
  milltime: MapMilltimeAccounts;
  sources: MapSourcesRead;
  close(): Promise<void>;
}

async function openSides(options: MapSourceOptions, deps: MapRunDeps): Promise<OpenedSides> {
  const logger = deps.logger ?? silentLogger;
  const kleerSide = openKleerSide({ ...options.kleer, timeZone: options.timeZone, clock: deps.clock, logger, dispatcher: deps.kleerDispatcher });
  let milltime: MapMilltimeAccounts;
  try {
    // One cheap call first: a wrong token or an unreachable Kleer fails before any Milltime login.
    deps.progress?.("checking the Kleer token");
    await kleerSide.companyClient.getCurrentUser();
    deps.progress?.("logging in to Milltime");
    milltime = await openMilltimeAccounts({
      ...options.milltime,
      range: options.range,
      tokiUserIds: options.users,
      concurrency: options.concurrency,
      clock: deps.clock ?? systemClock,
      logger,
      dispatcher: deps.milltimeDispatcher,
    });
  } catch (error) {
    await kleerSide.close();
    throw error;
  }
  const kleerUrl = new URL(options.kleer.baseUrl);
  return {
    kleer: createKleerMappingDirectory(kleerSide.companyClient),
    milltime,
    sources: {
      kleer: `Kleer ${kleerUrl.host}${kleerUrl.pathname.replace(/\/+$/, "")}, company ${options.kleer.companyId}`,
      milltime: milltime.describe,
      milltimeAccounts: { tried: milltime.tried, read: milltime.accounts.length },
    },
    close: async () => {
      await Promise.all([kleerSide.close(), milltime.close()]);
    },
  };
}

function withEmails(accounts: readonly MilltimeAccount[], emails: ReadonlyMap<number, string>): MilltimeAccount[] {
  return accounts.map((a) => ({ ...a, email: a.email ?? emails.get(a.tokiUserId) }));
}

function sortErrors(errors: MapSourceError[]): MapSourceError[] {
  const order = (e: MapSourceError) => (e.step === "login" ? 0 : 1);
  return [...errors].sort((a, b) => a.tokiUserId - b.tokiUserId || order(a) - order(b));
}

/**
 * `map suggest`: reads Kleer's lists and every Milltime account's projects, activities and
 * entries in the range, suggests the pairs, merges them into the existing mapping (explicit
 * entries unchanged, extra keys kept) and writes `outFile`.
 */
export async function runMapSuggest(options: MapSuggestOptions, deps: MapRunDeps = {}): Promise<MapSuggestResult> {
  await guardOut(options);
  const existing = options.mappingFile ? await loadMappingFile(options.mappingFile) : undefined;
  const sides = await openSides(options, deps);
  try {
    deps.progress?.("reading Toki users");
    const tokiUsers = await collectTokiUsers({
      file: options.tokiUsersFile,
      history: options.history,
      timeZone: options.timeZone,
      existing: existing?.document,
      accountEmails: sides.milltime.accounts,
      logger: deps.logger,
    });
    const emails = new Map(tokiUsers.users.map((u) => [u.tokiUserId, u.email]));
    deps.progress?.(`reading Kleer and ${sides.milltime.accounts.length} Milltime account(s) for ${options.range.from}..${options.range.to}`);
    const run = await buildMappingSuggestion(
      { kleer: sides.kleer, tokiUsers: tokiUsers.users, milltimeAccounts: withEmails(sides.milltime.accounts, emails) },
      { range: options.range, existing: existing?.mapping, concurrency: options.concurrency, logger: deps.logger },
    );
    const document = mergeSuggestionIntoDocument(existing?.document, run.suggestion, { minConfidence: options.minConfidence });
    await writeMappingFile(options.outFile, document).catch((error: unknown) => {
      if (error instanceof TokiError) throw error;
      throw new ConfigError(`cannot write ${options.outFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, [], { cause: error });
    });
    const warnings: string[] = [];
    if (tokiUsers.users.length === 0) {
      warnings.push("no Toki user with an email was found, so no user was matched to Kleer: give --history (Toki's database or an export with user_email) or --toki-users FILE");
    }
    return {
      range: options.range,
      outFile: options.outFile,
      mappingFile: options.mappingFile,
      minConfidence: options.minConfidence,
      sources: sides.sources,
      tokiUsers: { count: tokiUsers.users.length, describe: tokiUsers.describe },
      milltimeSeen: { projects: run.input.milltimeProjects.length, activities: run.input.milltimeActivities.length },
      kleerSeen: { users: run.input.kleerUsers.length, projects: run.input.kleerProjects.length, activities: run.input.kleerActivities.length },
      suggestion: run.suggestion,
      sourceErrors: sortErrors([...sides.milltime.loginErrors, ...run.sourceErrors]),
      document,
      warnings,
    };
  } finally {
    await sides.close();
  }
}

/**
 * `map check`: reads each Milltime account's entries in the range and Kleer's lists, and
 * reports what the mapping leaves unmapped and which mapped Kleer targets would refuse the
 * entries. `ok` also requires every selected account to have been read.
 */
export async function runMapCheck(options: MapCheckOptions, deps: MapRunDeps = {}): Promise<MapCheckResult> {
  const { mapping } = await loadMappingFile(options.mappingFile);
  const sides = await openSides(options, deps);
  try {
    // Emails label the users the mapping does not know (mapped users carry their own).
    const emails = new Map<number, string>();
    if (options.tokiUsersFile || options.history) {
      deps.progress?.("reading Toki users");
      const tokiUsers = await collectTokiUsers({ file: options.tokiUsersFile, history: options.history, timeZone: options.timeZone, logger: deps.logger });
      for (const u of tokiUsers.users) emails.set(u.tokiUserId, u.email);
    }
    deps.progress?.(`reading Kleer and ${sides.milltime.accounts.length} Milltime account(s) for ${options.range.from}..${options.range.to}`);
    const run = await buildMappingCoverage(
      { kleer: sides.kleer, milltimeAccounts: withEmails(sides.milltime.accounts, emails) },
      { range: options.range, mapping, tokiUserIds: options.users, concurrency: options.concurrency, logger: deps.logger },
    );
    const loginFailed = new Set(sides.milltime.loginErrors.map((e) => e.tokiUserId));
    const sourceErrors = sortErrors([...sides.milltime.loginErrors, ...run.sourceErrors]);
    return {
      range: options.range,
      mappingFile: options.mappingFile,
      sources: sides.sources,
      coverage: run.coverage,
      sourceErrors,
      usersWithoutAccount: run.usersWithoutSource.filter((id) => !loginFailed.has(id)),
      ok: run.coverage.ok && sourceErrors.length === 0,
    };
  } finally {
    await sides.close();
  }
}
