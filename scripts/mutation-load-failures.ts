import type { Reporter, Vitest } from "vitest/node";

type FileTask = ReturnType<Vitest["state"]["getFiles"]>[number];
type TestTask = Extract<FileTask["tasks"][number], { type: "test" }>;

/**
 * Stryker's vitest runner (9.6, stryker-js#6150) builds a mutant's result from the tests it
 * collected, and a test file whose import throws collects none: a mutant that stops a module from
 * loading, which every test of that file catches, would count as survived. For mutation runs only
 * (vitest.mutation.config.ts), each such file gets one failed test carrying the file's load error.
 */
export class LoadFailureAsFailedTest implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(): void {
    for (const file of this.vitest?.state.getFiles() ?? []) {
      if (file.result?.state !== "fail" || file.tasks.length > 0) continue;
      // Only the fields Stryker's runner reads; vitest's own reporters have already run.
      const loads = { type: "test", name: "loads", id: `${file.id}_loads`, mode: "run", file, suite: file, meta: {}, result: { state: "fail", errors: file.result.errors } };
      file.tasks.push(loads as unknown as TestTask);
    }
  }
}
