import type { DoctorCheck, DoctorResult } from "./doctor-types.js";

const LABEL: Record<DoctorCheck["status"], string> = { pass: "[pass]", warn: "[warn]", fail: "[FAIL]" };

/** The human report: one line per check, the fix hint under each warning or failure, a verdict. */
export function formatDoctorText(result: DoctorResult): string {
  const lines = ["toki-parity doctor", ""];
  for (const check of result.checks) {
    // A check that could not run (it depends on one that failed) is a skip, not a failure of its own.
    const label = check.status === "fail" && !check.blocking ? "[skip]" : LABEL[check.status];
    lines.push(`${label} ${check.title} (${check.id}): ${check.detail}`);
    if (check.hint) lines.push(`       fix: ${check.hint}`);
  }
  lines.push("", doctorVerdict(result));
  return `${lines.join("\n")}\n`;
}

/** The machine report (`--json`): `{checks: [{id, title, status, blocking, detail, hint}], ok}`. */
export function formatDoctorJson(result: DoctorResult): string {
  const checks = result.checks.map(({ id, title, status, blocking, detail, hint }) => ({ id, title, status, blocking, detail, hint }));
  return `${JSON.stringify({ checks, ok: result.ok }, null, 2)}\n`;
}

/** One line: ready, or which checks block. */
export function doctorVerdict(result: DoctorResult): string {
  const blocking = result.checks.filter((c) => c.blocking);
  const warnings = result.checks.filter((c) => c.status === "warn").length;
  const warnText = warnings === 0 ? "" : `, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  if (blocking.length === 0) return `doctor: ready${warnText}`;
  return `doctor: not ready — ${blocking.length} blocking check${blocking.length === 1 ? "" : "s"} failed (${blocking.map((c) => c.id).join(", ")})${warnText}`;
}
