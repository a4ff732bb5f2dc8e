import type { FindingRecord } from "./report-records.js";
import { describeValueChange } from "./report-values.js";

/** What kind of cause a group is (stable strings: the JSON export carries them). */
export type CausePattern =
  | "no_kleer_schedule"
  | "no_milltime_schedule"
  | "schedule_rate"
  | "no_kleer_absence"
  | "period_difference"
  | "unmapped"
  | "value_change"
  | "consequences";

const FIGURE: Readonly<Record<string, string>> = {
  timeinfo_worked_mismatch: "worked hours",
  timeinfo_scheduled_mismatch: "scheduled hours",
  timeinfo_absence_mismatch: "absence hours",
  timeinfo_covered_mismatch: "worked + absence hours",
  timeinfo_remaining_mismatch: "remaining hours",
  flex_period_mismatch: "period flex",
};

const num = (v: string | null): number | null => (v === null || v.trim() === "" || !Number.isFinite(Number(v)) ? null : Number(v));

/** The one ratio Kleer/Milltime every period shares (within 1 %), else null. */
function commonRatio(findings: readonly FindingRecord[]): number | null {
  const ratios = findings.map((f) => {
    const a = num(f.legacyValue);
    const b = num(f.kleerValue);
    return a === null || b === null || a === 0 ? null : b / a;
  });
  const first = ratios[0];
  if (first === null || first === undefined || ratios.some((r) => r === null || Math.abs(r - first) > 0.01)) return null;
  return first;
}

function periodsText(n: number, period: string | null): string {
  const noun = period === "week" ? "week" : period === "month" ? "month" : "period";
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function quotedName(f: FindingRecord, key: string): string {
  const name = f.details?.[key];
  return typeof name === "string" && name !== "" ? ` "${name}"` : "";
}

/** A cause's pattern and its title in words, from its root findings (one kind, in report order). */
export function describeCause(roots: readonly FindingRecord[], period: string | null): { pattern: CausePattern; title: string } {
  const first = roots[0]!;
  const n = roots.length;
  if (FIGURE[first.kind] !== undefined) {
    const kleer = roots.map((f) => num(f.kleerValue));
    const legacy = roots.map((f) => num(f.legacyValue));
    const during = periodsText(n, period);
    if (first.kind === "timeinfo_scheduled_mismatch") {
      if (kleer.every((v) => v === 0)) return { pattern: "no_kleer_schedule", title: `No Kleer schedule: Kleer schedules 0 h in ${during} that Milltime schedules` };
      if (legacy.every((v) => v === 0)) return { pattern: "no_milltime_schedule", title: `No Milltime schedule: Milltime schedules 0 h in ${during} that Kleer schedules` };
      const ratio = commonRatio(roots);
      if (ratio !== null && n > 1) {
        return { pattern: "schedule_rate", title: `Kleer schedules ${Math.round(ratio * 100)} % of Milltime's hours in ${during}: the employment rate differs` };
      }
    }
    if (first.kind === "timeinfo_absence_mismatch" && kleer.every((v) => v === 0)) {
      return { pattern: "no_kleer_absence", title: `Absence missing in Kleer: Kleer has 0 h absence in ${during} where Milltime has some` };
    }
    return { pattern: "period_difference", title: `The ${FIGURE[first.kind]} differ in ${during}` };
  }
  if (first.kind === "unmapped_project") {
    return { pattern: "unmapped", title: `Milltime project ${first.legacyValue ?? "?"}${quotedName(first, "milltimeProjectName")} has no Kleer project in the mapping (${n} entr${n === 1 ? "y" : "ies"})` };
  }
  if (first.kind === "unmapped_activity") {
    return { pattern: "unmapped", title: `Milltime activity ${first.legacyValue ?? "?"}${quotedName(first, "milltimeActivityName")} has no Kleer activity in the mapping (${n} entr${n === 1 ? "y" : "ies"})` };
  }
  if (n > 1) {
    // Members share the value pair; the Milltime side's name only when they share it too.
    const texts = new Set(roots.map((f) => describeValueChange(f)));
    const change = (texts.size === 1 ? describeValueChange(first) : null) ?? describeValueChange({ ...first, details: null }) ?? `${first.legacyValue ?? "—"} → ${first.kleerValue ?? "—"}`;
    const what = first.kind === "editability_regression" ? "Locked in Milltime, open in Kleer" : first.kind === "editability_change" ? "Editable in Milltime, locked in Kleer" : first.kind.replace(/_/g, " ");
    return { pattern: "value_change", title: `${what} on ${n} entries: ${change}` };
  }
  return { pattern: "consequences", title: first.message };
}
