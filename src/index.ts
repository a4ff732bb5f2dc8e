/**
 * toki-parity as a library: Toki's domain types and ports, the Kleer client and adapter, the
 * read-only Milltime reader, timer-history sources, mapping, the parity run and the emulators.
 */
export * from "./domain/index.js";
export * from "./kleer/index.js";
export * from "./milltime/index.js";
export * from "./history/index.js";
export { loadMappingFile, writeMappingFile, suggestMapping, checkMappingCoverage } from "./mapping/index.js";
export { runCompare, formatCompareSummary, loadRulesFile, type RunCompareOptions, type CompareSummary } from "./compare/index.js";
export { compareFromConfig } from "./run/run-compare.js";
export { openRunSources } from "./run/run-sources.js";
export { parseRunConfig, runConfigSchema, type RunConfig, type RunConfigInput } from "./config/run-config.js";
export { resolveWriteMode } from "./config/write-guard.js";
export { openReportStore, createReportStore, exportReport, runGate, evaluateGate, mergeReports } from "./report/index.js";
export { writeHtmlReport } from "./report/html/index.js";
export { replayFromConfig, runReplay, cleanupReplayRun, runRelink } from "./replay/index.js";
export { startKleerEmulator, createKleerEmulatorHandlers, createKleerEmulatorState } from "./emulator/kleer/index.js";
export { startMilltimeEmulator } from "./emulator/milltime/milltime-emulator.js";
export { serveHandlers, type RunningEmulator, type ServeOptions } from "./emulator/emulator-server.js";
export { createMemoryRecorder, type RequestRecord, type RequestRecorder } from "./http/request-log.js";
