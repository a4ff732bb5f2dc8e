export * from "./time-entry.js";
export * from "./lock-state.js";
export * from "./time-info.js";
export * from "./timer-history.js";
export * from "./cutover-mapping.js";
export * from "./calendar.js";
export * from "./errors.js";
export * from "./ports.js";
