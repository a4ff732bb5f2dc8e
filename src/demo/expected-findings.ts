import { inRange, splitByPeriod, type PeriodKind } from "../domain/calendar.js";
import type { DateRange } from "../domain/time-entry.js";
import type { CompareSummary } from "../compare/index.js";
import type { SyntheticCompany } from "./synthetic-company.js";

/** TimeInfo/flex tolerance the default rules use (one minute). */
const TIME_INFO_TOLERANCE_HOURS = 1 / 60;

interface PeriodFigures {
  worked: number;
  scheduled: number;
  absence: number;
}

/** The default flex drift warning threshold (hours), restated here as a cross-check. */
const FLEX_DRIFT_WARNING_HOURS = 8;

const derived = (f: PeriodFigures) => {
  const covered = f.worked + f.absence;
  return { ...f, covered, remaining: Math.max(0, f.scheduled - covered), flex: covered - f.scheduled };
};

function figuresKinds(legacy: PeriodFigures, kleer: PeriodFigures): string[] {
  const a = derived(legacy);
  const b = derived(kleer);
  const differs = (x: number, y: number) => Math.abs(x - y) > TIME_INFO_TOLERANCE_HOURS + 1e-9;
  const kinds: string[] = [];
  if (differs(a.worked, b.worked)) kinds.push("timeinfo_worked_mismatch");
  if (differs(a.scheduled, b.scheduled)) kinds.push("timeinfo_scheduled_mismatch");
  if (differs(a.absence, b.absence)) kinds.push("timeinfo_absence_mismatch");
  if (differs(a.covered, b.covered)) kinds.push("timeinfo_covered_mismatch");
  if (differs(a.remaining, b.remaining)) kinds.push("timeinfo_remaining_mismatch");
  if (differs(a.flex, b.flex)) kinds.push("flex_period_mismatch");
  return kinds;
}

/**
 * The findings a compare run over the whole company must produce, derived independently from
 * the planted discrepancies and from both sides' raw figures (a cross-check of the engine).
 */
export function expectedFindingCounts(company: SyntheticCompany, period: PeriodKind = "week", range: DateRange = company.range): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (kind: string, n = 1) => {
    if (n > 0) counts[kind] = (counts[kind] ?? 0) + n;
  };
  const linked = new Set(company.historyLinks.map((l) => l.registrationId));
  for (const s of company.seeded) {
    if (!inRange(s.date, range)) continue;
    switch (s.kind) {
      case "schedule_difference":
      case "absence_difference":
        break;
      case "status_mismatch":
        // A month-attested entry stored certified: Toki shows every non-open status as locked, and
        // the default rules let any locked status stand for any lock, so nothing is reported.
        break;
      case "history_row_invalid":
        // The planted row's user is in the run and its history is read: one finding per row.
        add(s.kind);
        break;
      case "missing_in_kleer":
        add(s.kind);
        // Its timer-history row (when it was saved by timer) now points at nothing in Kleer.
        if (s.legacyId !== undefined && linked.has(s.legacyId)) add("link_orphan");
        break;
      case "unmapped_project":
      case "unmapped_activity":
        // Nothing in Kleer carries such an entry, so it is also missing there.
        add(s.kind);
        add("missing_in_kleer");
        break;
      default:
        add(s.kind);
    }
  }
  const periods = splitByPeriod(range, period);
  for (const user of company.users) {
    if (user.wrongPassword) {
      add("source_error");
      continue;
    }
    add("flex_balance_unavailable");
    if (user.kleerUserId === null) {
      add("unmapped_user");
      continue;
    }
    const regs = company.registrations.filter((r) => r.tokiUserId === user.tokiUserId);
    const events = company.kleerEvents.filter((e) => e.kleerUserId === user.kleerUserId && e.kleerProjectId !== null);
    const schedule = company.schedule.filter((s) => s.tokiUserId === user.tokiUserId);
    const absences = company.absences.filter((a) => a.tokiUserId === user.tokiUserId);
    let drift = 0;
    for (const p of periods) {
      const legacy: PeriodFigures = {
        worked: regs.filter((r) => inRange(r.date, p)).reduce((sum, r) => sum + r.minutes / 60, 0),
        scheduled: schedule.filter((s) => inRange(s.date, p)).reduce((sum, s) => sum + s.milltimeHours, 0),
        absence: absences.filter((a) => inRange(a.date, p)).reduce((sum, a) => sum + a.hours, 0),
      };
      const kleer: PeriodFigures = {
        worked: events.filter((e) => inRange(e.date, p)).reduce((sum, e) => sum + e.hours, 0),
        scheduled: user.hasPayroll ? schedule.filter((s) => inRange(s.date, p)).reduce((sum, s) => sum + s.kleerHours, 0) : 0,
        absence: user.hasPayroll ? absences.filter((a) => a.inKleer && inRange(a.date, p)).reduce((sum, a) => sum + a.hours, 0) : 0,
      };
      for (const kind of figuresKinds(legacy, kleer)) add(kind);
      drift += derived(kleer).flex - derived(legacy).flex;
    }
    if (Math.abs(drift) > FLEX_DRIFT_WARNING_HOURS + 1e-9) add("flex_drift");
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** A compare run's findings per kind (suppressed included), in the same shape as the expectation. */
export function findingCountsOf(summary: CompareSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, c] of Object.entries(summary.findingsByKind)) {
    const total = c.blocking + c.warning + c.info + c.suppressed;
    if (total > 0) out[kind] = total;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
