import { performance } from "node:perf_hooks";
import { TokiError } from "../domain/errors.js";
import { globalRedactor } from "../http/redact.js";
import type { BufferedRequestRecorder } from "../report/index.js";
import type { ProbeReportWriter, ProbeStepRecord, ProbeVerdict } from "./probe-store.js";

/** The steps of a probe, in the order they run. Names are stable: the report keys on them. */
export const PROBE_STEPS = [
  "list-projects",
  "list-activities",
  "day-statuses",
  "create",
  "read-back",
  "edit",
  "read-back-edited",
  "delete",
  "verify-deleted",
  "locked-create",
  "locked-guard",
  "cleanup",
] as const;
export type ProbeStepName = (typeof PROBE_STEPS)[number];

export interface StepOutcome {
  verdict: ProbeVerdict;
  detail: string;
}

export const stepPass = (detail: string): StepOutcome => ({ verdict: "pass", detail });
export const stepFail = (detail: string): StepOutcome => ({ verdict: "fail", detail });
export const stepSkip = (detail: string): StepOutcome => ({ verdict: "skip", detail });

/** `CODE: message` of a thrown value, free of secrets and line breaks. */
export function describeError(error: unknown): string {
  const text = error instanceof TokiError ? `${error.code}: ${error.message}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return globalRedactor.redact(text).replace(/[\r\n\t]+/g, " ");
}

/**
 * Runs steps one at a time: times each, turns a throw into a `fail`, and records the verdict
 * with the requests the step made (drained from the recorder) before the next step starts.
 */
export interface ProbeStepRunner {
  run(step: ProbeStepName, body: () => Promise<StepOutcome>): Promise<ProbeStepRecord>;
  readonly steps: ProbeStepRecord[];
}

export function createStepRunner(writer: ProbeReportWriter, recorder: BufferedRequestRecorder): ProbeStepRunner {
  const steps: ProbeStepRecord[] = [];
  return {
    steps,
    async run(step, body) {
      const started = performance.now();
      let outcome: StepOutcome;
      try {
        outcome = await body();
      } catch (error) {
        outcome = stepFail(describeError(error));
      }
      const record = writer.writeStep({ step, ...outcome, durationMs: Math.round((performance.now() - started) * 10) / 10 }, recorder.drain());
      steps.push(record);
      return record;
    },
  };
}
