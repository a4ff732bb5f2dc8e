export * from "./history-source.js";
export { assertTimeZone, classifyHistoryRow, parseTimestamp, rangeBounds, type RawHistoryRow } from "./history-row.js";
export * from "./postgres-url.js";
export * from "./postgres-history-source.js";
export * from "./file-history-source.js";
export * from "./open-history-source.js";
