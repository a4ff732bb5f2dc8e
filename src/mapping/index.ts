export * from "./mapping-file.js";
export * from "./mapping-normalise.js";
export * from "./mapping-suggest-types.js";
export { suggestMapping } from "./mapping-suggest.js";
export * from "./mapping-merge.js";
export * from "../domain/project-access.js";
export * from "./mapping-coverage.js";
export * from "./mapping-sources.js";
