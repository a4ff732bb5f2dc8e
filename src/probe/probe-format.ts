import type { ProbeResult } from "./probe-run.js";

const LABEL = { pass: "[pass]", fail: "[FAIL]", skip: "[skip]" } as const;

/** The human report: a header, one line per step with its requests, warnings and a verdict. */
export function formatProbeText(result: ProbeResult): string {
  const lines = [
    `toki-parity probe (${result.mode === "apply" ? "apply" : "dry run"}) against ${result.kleerHost} company ${result.companyId} ` +
      `as Toki user ${result.tokiUserId} (Kleer user ${result.kleerUserId}), window ${result.window.from}..${result.window.to}`,
    `run ${result.runId} in ${result.reportFile}; foreign id ${result.foreignId}`,
    "",
  ];
  for (const step of result.steps) {
    lines.push(`${LABEL[step.verdict]} ${step.step} (${step.durationMs} ms): ${step.detail}`);
    for (const request of step.requests) lines.push(`         ${request}`);
  }
  if (result.warnings.length > 0) lines.push("", ...result.warnings.map((w) => `warning: ${w}`));
  if (result.leftovers.length > 0) lines.push("", `left behind (delete by hand): ${result.leftovers.map((id) => `event ${id}`).join(", ")}`);
  lines.push("", probeVerdict(result));
  return `${lines.join("\n")}\n`;
}

/** The machine report (`--json`). */
export function formatProbeJson(result: ProbeResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** One line: passed, or which steps failed. */
export function probeVerdict(result: ProbeResult): string {
  const n = (v: string) => result.steps.filter((s) => s.verdict === v).length;
  const counts = `${n("pass")} passed, ${n("fail")} failed, ${n("skip")} skipped`;
  if (result.ok) return `probe: ok (${counts})`;
  const failed = result.steps.filter((s) => s.verdict === "fail").map((s) => s.step);
  return `probe: failed at ${failed.join(", ")} (${counts})`;
}
