export * from "./replay-types.js";
export {
  addMinutes,
  chooseStart,
  countPlan,
  legacyMinutesOf,
  planUserEntries,
  replayForeignId,
  REPLAY_MISSING_NOTE,
  SYNTHETIC_START_TIME,
  type KleerUserFacts,
  type PlanUserInput,
} from "./replay-plan.js";
export { createReplayPlanStore, type ReplayPlanStore } from "./replay-store.js";
export { createReplayJournal, settledEventsOf, type EntryJournalState, type ReplayJournal } from "./replay-journal.js";
export {
  adoptJournaledEvents,
  indexForeignIds,
  listingRangeOf,
  planUser,
  REPLAY_LISTING_MARGIN_DAYS,
  ReplaySourceError,
  type PlannedUser,
  type ReplayKleerClient,
  type ReplayMappedUser,
  type ReplaySources,
} from "./replay-read.js";
export { applyUserRows, isAmbiguousWriteFailure, MAX_CREATE_ATTEMPTS, type ApplyUserOptions, type EntryApplyOutcome } from "./replay-apply.js";
export {
  DEFAULT_PLAN_PREVIEW_ROWS,
  DEFAULT_REPLAY_CONCURRENCY,
  runReplay,
  type ReplayProgress,
  type ReplayRunResult,
  type RunReplayOptions,
} from "./replay-run.js";
export { readReplayRunRange, replayFromConfig, type ReplayFromConfigDeps, type ReplayFromConfigResult, type ReplayOptions } from "./replay-from-config.js";
export { formatPlanRows, formatReplaySummary, isReplayIncomplete } from "./replay-format.js";
export { CLEANUP_CONCURRENCY, cleanupReplayRun, formatCleanupResult, type CleanupAction, type CleanupItem, type CleanupOptions, type CleanupResult } from "./replay-cleanup.js";
export { cleanupDuplicates, formatCleanupDuplicatesResult, type CleanupDuplicatesOptions, type CleanupDuplicatesResult, type DuplicateItem } from "./replay-duplicates-run.js";
export { decideDuplicate, mergeDuplicates, type DuplicateDecision, type DuplicateHolder } from "./replay-duplicates.js";
export { duplicateFinding, findKleerDuplicates, legacyIdOfForeignId, readBackUser } from "./replay-readback.js";
export {
  applyRelink,
  buildRelinkPlan,
  classifyHistoryLinks,
  relinkCsv,
  relinkSqlScript,
  revertFileFor,
  runRelink,
  type BuildRelinkPlanOptions,
  type RelinkApplyResult,
  type RelinkOptions,
  type RelinkPlan,
  type RelinkResult,
  type UnrelinkedLink,
} from "./relink-run.js";
export { DEFAULT_RELINK_SHOWN, formatRelinkResult } from "./relink-format.js";
export { relinkStatements, relinkTableName, revertStatements, sqlIdentifier, sqlLiteral, toSqlScript, type Relink, type RelinkRow } from "./relink-sql.js";
