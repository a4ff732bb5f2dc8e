export * from "./compare-options.js";
export { runCompare } from "./compare-run.js";
export { describeSourceError, readRangeOf } from "./compare-sources.js";
export { formatCompareSummary, formatMatchRate } from "./compare-summary.js";
export { loadRulesFile } from "./compare-rules-file.js";
export * from "./compare-rules-schema.js";
