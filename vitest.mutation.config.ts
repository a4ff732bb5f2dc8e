import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";
import { LoadFailureAsFailedTest } from "./scripts/mutation-load-failures.js";

// Stryker's vitest runner loads this file: the test files of the area under mutation come from
// MUTATION_TESTS (comma-separated globs, set by scripts/mutation.ts), so a run over src/parity
// never starts the replay, emulator or browser suites. (mergeConfig would concatenate include.)
const include = (process.env.MUTATION_TESTS ?? "test/**/*.test.ts").split(",").filter((g) => g !== "");

export default defineConfig({ ...base, test: { ...base.test, include, reporters: ["default", new LoadFailureAsFailedTest()] } });
