import type { FindingRecord } from "./report-records.js";

/**
 * Fields whose stored values are hours: only these have a numeric difference. Every other field
 * holds an id, a date, a lock state or a path, where "Kleer − Milltime" means nothing (a project
 * mismatch 902 vs 901 is not "−1").
 */
export const HOURS_FIELDS: ReadonlySet<string> = new Set([
  "hours",
  "worked",
  "scheduled",
  "absence",
  "covered",
  "remaining",
  "flex_period",
  "flex_balance",
  "flex_drift",
  "duration",
  "entry",
]);

export function isHoursField(field: string | null): boolean {
  return field !== null && HOURS_FIELDS.has(field);
}

function parseHours(value: string | null): number | null {
  if (value === null || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Kleer − Milltime in hours for an hours field with both values; null otherwise. */
export function hoursDifferenceOf(finding: Pick<FindingRecord, "field" | "legacyValue" | "kleerValue">): number | null {
  if (!isHoursField(finding.field)) return null;
  const legacy = parseHours(finding.legacyValue);
  const kleer = parseHours(finding.kleerValue);
  return legacy === null || kleer === null ? null : kleer - legacy;
}

function detail(finding: Pick<FindingRecord, "details">, key: string): string | null {
  const value = finding.details?.[key];
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

const named = (id: string, name: string | null) => (name === null ? id : `${id} "${name}"`);

function dayShift(legacy: string, kleer: string): string {
  const days = Math.round((Date.parse(`${kleer}T00:00:00Z`) - Date.parse(`${legacy}T00:00:00Z`)) / 86_400_000);
  if (!Number.isFinite(days) || days === 0) return "";
  return ` (${Math.abs(days)} day${Math.abs(days) === 1 ? "" : "s"} ${days < 0 ? "earlier" : "later"} in Kleer)`;
}

/**
 * A non-hours difference in words: `Milltime X → Kleer Y`, with the names the finding carries.
 * For a project or activity mismatch the stored legacy value is the Kleer id the mapping gives
 * the Milltime project, so the text names the Milltime project, the id it maps to and the event's:
 * `Milltime 3000… "Kundportal" (mapped to Kleer 902) → Kleer 901 "Intranät"`.
 * Null when the field is an hours field or a side has no value.
 */
export function describeValueChange(finding: Pick<FindingRecord, "kind" | "field" | "legacyValue" | "kleerValue" | "details">): string | null {
  const { legacyValue: legacy, kleerValue: kleer } = finding;
  if (isHoursField(finding.field) || legacy === null || kleer === null) return null;
  if (finding.kind === "project_mismatch" || finding.kind === "activity_mismatch") {
    const what = finding.kind === "project_mismatch" ? "Project" : "Activity";
    const milltimeId = detail(finding, what === "Project" ? "milltimeProjectId" : "milltimeActivityId");
    const milltimeName = detail(finding, what === "Project" ? "milltimeProjectName" : "milltimeActivityName");
    const kleerName = detail(finding, what === "Project" ? "kleerProjectName" : "kleerActivityName");
    const source = milltimeId !== null ? `Milltime ${named(milltimeId, milltimeName)} (mapped to Kleer ${legacy})` : `Milltime (mapped to Kleer ${legacy})`;
    return `${source} → Kleer ${named(kleer, kleerName)}`;
  }
  if (finding.kind === "editability_regression" || finding.kind === "editability_change" || finding.kind === "status_mismatch") return `Milltime attest level ${legacy} → Kleer ${kleer}`;
  if (finding.kind === "date_mismatch") return `Milltime ${legacy} → Kleer ${kleer}${dayShift(legacy, kleer)}`;
  return `Milltime ${legacy} → Kleer ${kleer}`;
}
