import type { RunReport } from "./report-data.js";
import { evaluateGate } from "./report-gate.js";
import { groupRootCauses, type RootCause } from "./report-root-causes.js";
import { personLabels } from "./report-people.js";
import { selectTopCauses } from "./report-top-causes.js";

/** A root cause as the JSON export carries it: the figures and the ids of its findings. */
export function rootCauseJson(cause: RootCause) {
  return {
    key: cause.key,
    kind: cause.kind,
    pattern: cause.pattern,
    title: cause.title,
    severity: cause.severity,
    userKeys: cause.userKeys,
    count: cause.count,
    counts: cause.counts,
    firstDate: cause.firstDate,
    lastDate: cause.lastDate,
    hours: cause.hours,
    hoursMeaning: cause.hoursMeaning,
    findingIds: cause.items.map((i) => i.finding.id),
    explainedIds: cause.explained.map((i) => i.finding.id),
    consequenceIds: [...cause.items, ...cause.explained].flatMap((i) => i.consequences.map((c) => c.id)),
  };
}

/** Version of the JSON export's shape; bumped only on incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/**
 * The JSON export: the run, the default gate verdict, totals, counts by severity and kind,
 * per-user totals, every finding, the root causes behind several findings, every TimeInfo row, the
 * suppressions and request totals.
 */
export function formatJsonReport(report: RunReport): string {
  const { totals } = report;
  const verdict = evaluateGate(report);
  const groups = groupRootCauses(report.findings, { period: report.run.period, ...(report.entryHours ? { entryHours: report.entryHours } : {}) });
  const people = new Map(report.users.map((u) => [u.userKey, u]));
  return `${JSON.stringify(
    {
      format: "toki-parity-report",
      version: JSON_REPORT_VERSION,
      run: report.run,
      verdict: { passed: verdict.passed, reason: verdict.reason },
      totals,
      counts: {
        bySeverity: { blocking: totals.blocking, warning: totals.warning, info: totals.info, suppressed: totals.suppressed },
        byKind: report.kinds,
      },
      users: report.users,
      // Each finding names its user (name, email) beside the Toki id, as the users list does.
      findings: report.findings.map((f) => {
        const person = f.userKey === null ? undefined : people.get(f.userKey);
        return { ...f, userName: person?.name ?? null, userEmail: person?.email ?? null };
      }),
      // Presentation only (additive): causes behind two or more findings; `findings` still lists every one.
      rootCauses: groups.causes.map(rootCauseJson),
      // Additive: the overview's "Top causes" in words; `key` is a root cause's key or `finding:ID`.
      topCauses: selectTopCauses(groups, { labelOf: personLabels(report.users), fromDate: report.run.fromDate, toDate: report.run.toDate, period: report.run.period }),
      timeInfo: report.timeInfo,
      suppressions: report.suppressions,
      requests: report.requests,
    },
    null,
    2,
  )}\n`;
}
