import { isoWeekOf, isoWeekYearOf, splitByIsoWeek } from "../domain/calendar.js";
import type { IsoDate } from "../domain/time-entry.js";
import type { RunReport } from "./report-data.js";
import { groupConsequences } from "./report-consequences.js";
import type { FindingRecord } from "./report-records.js";

/** `2026-W20` for a date in ISO week 20 of 2026 (the ISO week-numbering year). */
export function isoWeekLabel(date: IsoDate): string {
  return `${isoWeekYearOf(date)}-W${String(isoWeekOf(date)).padStart(2, "0")}`;
}

// XML 1.0 forbids these characters even when escaped; they are dropped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Attribute values also keep their line breaks and tabs as character references. */
function attr(text: string): string {
  return escapeXml(text).replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

function details(f: FindingRecord, consequences: readonly FindingRecord[] = []): string {
  const lines = [
    `finding #${f.id}${f.causedBy === null ? "" : ` (a consequence of finding #${f.causedBy})`}`,
    `${f.kind} (${f.severity})`,
    f.message,
    `user: ${f.userKey ?? "-"}  date: ${f.date ?? "-"}`,
    `milltime id: ${f.legacyId ?? "-"}  kleer id: ${f.kleerId ?? "-"}`,
  ];
  if (f.field !== null) lines.push(`field: ${f.field}  milltime: ${f.legacyValue ?? "-"}  kleer: ${f.kleerValue ?? "-"}`);
  for (const c of consequences) lines.push(`consequence #${c.id} ${c.kind} (${c.severity}): ${c.message}`);
  return lines.join("\n");
}

/**
 * The JUnit export: one testsuite per user, one testcase per user and ISO week of the run's
 * range (classname = the user, name = the week), a `<failure>` per unsuppressed blocking
 * finding; unsuppressed warnings go to the testcase's system-out. Findings without a date
 * belong to the first week. A consequence shown beside its root (see `foldsIntoRoot`) is listed
 * in its root's failure or output, not as a failure of its own: one problem once.
 */
export function formatJunitReport(report: RunReport): string {
  const { run } = report;
  const rangeWeeks = run.fromDate && run.toDate ? splitByIsoWeek({ from: run.fromDate, to: run.toDate }).map((w) => isoWeekLabel(w.from)) : [];
  const groups = groupConsequences(report.findings);
  const consequencesOf = (f: FindingRecord) => groups.consequencesOf.get(f.id) ?? [];
  const byUser = new Map<number | null, FindingRecord[]>();
  for (const f of groups.roots) {
    if (f.suppressed || f.severity === "info") continue;
    const list = byUser.get(f.userKey) ?? [];
    list.push(f);
    byUser.set(f.userKey, list);
  }
  const userKeys = [...new Set<number | null>([...report.users.map((u) => u.userKey), ...byUser.keys()])].sort((a, b) => (a ?? -1) - (b ?? -1));

  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  for (const userKey of userKeys) {
    const classname = userKey === null ? "run" : `user ${userKey}`;
    const weeks = new Map<string, FindingRecord[]>(rangeWeeks.map((w) => [w, []]));
    for (const f of byUser.get(userKey) ?? []) {
      const week = f.date ? isoWeekLabel(f.date) : (rangeWeeks[0] ?? "run");
      const list = weeks.get(week) ?? [];
      list.push(f);
      weeks.set(week, list);
    }
    const cases: string[] = [];
    let failures = 0;
    for (const [week, findings] of [...weeks].sort(([a], [b]) => a.localeCompare(b))) {
      const blocking = findings.filter((f) => f.severity === "blocking");
      const warnings = findings.filter((f) => f.severity === "warning");
      // `failures` counts failed testcases (what JUnit consumers expect), not failure elements.
      if (blocking.length > 0) failures++;
      const body = [
        ...blocking.map((f) => `      <failure message="${attr(`${f.kind}: ${f.message}`)}" type="${attr(f.kind)}">${escapeXml(details(f, consequencesOf(f)))}</failure>`),
        ...(warnings.length > 0
          ? [`      <system-out>${escapeXml(warnings.map((f) => [`warning ${f.kind}: ${f.message}`, ...consequencesOf(f).map((c) => `  consequence ${c.kind} (${c.severity}): ${c.message}`)].join("\n")).join("\n"))}</system-out>`]
          : []),
      ];
      const open = `    <testcase classname="${attr(classname)}" name="${attr(week)}"`;
      cases.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join("\n")}\n    </testcase>`);
    }
    totalTests += cases.length;
    totalFailures += failures;
    suites.push(
      `  <testsuite name="${attr(classname)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${attr(run.startedAt)}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  const header = `<testsuites name="${attr(`toki-parity ${run.runId}`)}" tests="${totalTests}" failures="${totalFailures}" errors="0">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', header, ...suites, "</testsuites>", ""].join("\n");
}
