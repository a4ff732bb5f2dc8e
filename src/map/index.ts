/** The `map suggest` / `map check` glue: flags → options, sources → mapping inputs, summaries. */
export * from "./map-options.js";
export * from "./map-kleer.js";
export * from "./map-milltime.js";
export * from "./map-toki-users.js";
export * from "./map-run.js";
export * from "./map-format.js";
