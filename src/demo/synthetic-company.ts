import { createDice } from "../emulator/emulator-faults.js";
import { addDays, eachDay, instantAt } from "../domain/calendar.js";
import type { AttestLevel, DateRange, IsoDate, TimeEntryStatus } from "../domain/time-entry.js";
import type { CutoverMapping } from "../domain/cutover-mapping.js";
import type { TimerHistoryLink } from "../domain/timer-history.js";

/**
 * A synthetic company as both providers would hold it, in neutral terms. The demo writes a small
 * one to fixtures/demo/, the benchmark generates a large one; both turn it into emulator seeds.
 */
export interface SyntheticUser {
  tokiUserId: number;
  name: string;
  email: string;
  username: string;
  password: string;
  milltimeUserId: string;
  /** null: the user has no Kleer account in the mapping (an unmapped user). */
  kleerUserId: number | null;
  hasPayroll: boolean;
  employment: number;
  /** The credentials row carries a wrong password (the run must record a source error). */
  wrongPassword: boolean;
  flexOpeningBalance: number;
}

export interface SyntheticProject {
  milltimeProjectId: string;
  kleerProjectId: number;
  name: string;
  number: string;
  activityIndexes: number[];
  /** Present in the mapping file. */
  mapped: boolean;
}

export interface SyntheticActivity {
  milltimeActivityId: string;
  kleerActivityId: number;
  name: string;
  mapped: boolean;
}

export interface LegacyRegistration {
  registrationId: string;
  tokiUserId: number;
  projectIndex: number;
  activityIndex: number;
  date: IsoDate;
  /** Whole minutes: Milltime's HH:MM precision. */
  minutes: number;
  /** Milltime stores null for some empty notes. */
  note: string | null;
  attestLevel: AttestLevel;
}

export interface KleerEventSeed {
  id: number;
  kleerUserId: number;
  /** null: a projectless event. */
  kleerProjectId: number | null;
  kleerActivityId: number;
  date: IsoDate;
  hours: number;
  comment: string;
  foreignId: string;
  status: TimeEntryStatus;
  /** Answered the way Toki's decoder refuses (the Kleer emulator's per-event wire quirk). */
  wireQuirk?: "pascal-status" | undefined;
}

export interface DaySchedule {
  tokiUserId: number;
  date: IsoDate;
  /** Milltime `stdtime`. */
  milltimeHours: number;
  /** Kleer payroll `actual-hours`. */
  kleerHours: number;
}

export interface AbsenceDay {
  tokiUserId: number;
  date: IsoDate;
  hours: number;
  type: "Vacation" | "Sick";
  /** false: the absence exists in Milltime only (a seeded absence difference). */
  inKleer: boolean;
}

export type SeededDiscrepancyKind =
  | "missing_in_kleer"
  | "extra_in_kleer"
  | "duplicate_in_kleer"
  | "date_mismatch"
  | "hours_mismatch"
  | "project_mismatch"
  | "activity_mismatch"
  | "note_mismatch"
  | "status_mismatch"
  | "editability_regression"
  | "editability_change"
  | "unmapped_project"
  | "unmapped_activity"
  | "projectless_event"
  | "link_orphan"
  | "link_duration_mismatch"
  | "schedule_difference"
  | "absence_difference"
  | "history_row_invalid"
  | "toki_decode_error";

/** One discrepancy planted on purpose, with where it was planted. */
export interface SeededDiscrepancy {
  kind: SeededDiscrepancyKind;
  tokiUserId: number;
  date: IsoDate;
  legacyId?: string | undefined;
  kleerId?: number | undefined;
}

export interface SyntheticCompany {
  range: DateRange;
  timeZone: string;
  users: SyntheticUser[];
  projects: SyntheticProject[];
  activities: SyntheticActivity[];
  registrations: LegacyRegistration[];
  kleerEvents: KleerEventSeed[];
  schedule: DaySchedule[];
  absences: AbsenceDay[];
  historyLinks: TimerHistoryLink[];
  /** Raw `timer_history` rows that cannot be read (planted: an end before its start). */
  invalidHistoryRows: Array<Record<string, string | number | null>>;
  seeded: SeededDiscrepancy[];
}

export interface SyntheticCompanyOptions {
  users: number;
  /** Last day of the generated history. */
  to: IsoDate;
  days: number;
  seed: number;
  /** Share of legacy entries that get a planted entry-level discrepancy. @default 0.002 */
  discrepancyRate?: number;
  /** Plant at least one of every discrepancy kind (the demo). @default false */
  plantEveryKind?: boolean;
  /** One user without Kleer mapping and one with a wrong password. @default false */
  plantUserProblems?: boolean;
  /** One Kleer user without a payroll record (scheduled and absence read as zero). @default false */
  plantPayrollMissing?: boolean;
  timeZone?: string;
}

const FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Elin", "Mikael", "Sara", "Oskar", "Ingrid", "Nils", "Sofia", "Gustav", "Linnea", "Axel", "Ebba", "Viktor", "Maja", "Henrik"];
const LAST_NAMES = ["Lindqvist", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Berg", "Ström", "Åberg", "Öberg", "Sandberg", "Holm", "Lund"];
const PROJECTS = [
  { name: "Intranät förnyelse", number: "P-1042" },
  { name: "Kundportal Västra Götaland", number: "P-1057" },
  { name: "Drift och förvaltning", number: "P-0900" },
  { name: "Ekonomisystem migrering", number: "P-1101" },
  { name: "Intern administration", number: "" },
  { name: "Kompetensutveckling", number: "P-0010" },
  { name: "Tidrapportering Toki", number: "P-1200" },
];
const ACTIVITIES = ["Utveckling", "Möte", "Projektledning", "Test", "Dokumentation", "Support", "Administration", "Utbildning", "Konferens"];
const PROJECT_ACTIVITIES = [[0, 1, 2, 3], [0, 1, 3, 4], [5, 1, 0], [0, 2, 3, 4], [6, 1], [7, 1], [0, 1, 3]];
const NOTES = ["Sprintplanering", "Kodgranskning", "Felsökning i rapporter", "Kundmöte", "", "Daglig avstämning", "Releaseförberedelser", "Dokumenterade API:t", "Test av inloggning", "Veckomöte", "Workshop med kund", "Migrering av data"];
const HOLIDAYS = new Set(["2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-06-19", "2026-12-24", "2026-12-25", "2026-12-31", "2025-12-24", "2025-12-25", "2025-12-26", "2025-12-31", "2025-06-20", "2025-05-01", "2025-05-29", "2025-04-18", "2025-04-21", "2025-01-01", "2025-01-06"]);

export const KLEER_PLACEHOLDER_NOTE = "missing note";

function isWeekday(date: IsoDate): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

function milltimeId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(18 - prefix.length, "0")}`;
}

function attestLevelFor(date: IsoDate, to: IsoDate): AttestLevel {
  // Months before the last month of the range were approved; weeks older than two weeks attested.
  if (date.slice(0, 7) < to.slice(0, 7) && date < addDays(to, -35)) return 2;
  if (date < addDays(to, -14)) return 1;
  return 0;
}

export const STATUS_FOR_ATTEST_LEVEL: Record<AttestLevel, TimeEntryStatus> = { 0: "open", 1: "certified", 2: "approved" };

/** Generates a deterministic company: the same options always give the same data. */
export function generateSyntheticCompany(options: SyntheticCompanyOptions): SyntheticCompany {
  const roll = createDice(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(roll() * items.length)] as T;
  const timeZone = options.timeZone ?? "Europe/Stockholm";
  const range: DateRange = { from: addDays(options.to, -(options.days - 1)), to: options.to };
  const rate = options.discrepancyRate ?? 0.002;

  const users: SyntheticUser[] = [];
  for (let i = 1; i <= options.users; i++) {
    const first = FIRST_NAMES[(i - 1) % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[Math.floor((i - 1) / FIRST_NAMES.length + (i - 1) * 7) % LAST_NAMES.length] as string;
    const suffix = i > FIRST_NAMES.length ? String(i) : "";
    const username = `${first.toLowerCase()}${suffix}`;
    users.push({
      tokiUserId: i,
      name: `${first} ${last}`,
      email: `${username}.${last.toLowerCase().replace(/[åä]/g, "a").replace(/ö/g, "o")}@example.se`,
      username,
      password: `pw-${username}-${options.seed}`,
      milltimeUserId: String(200 + i),
      kleerUserId: 5500 + i,
      hasPayroll: true,
      employment: i % 5 === 0 ? 0.8 : 1,
      wrongPassword: false,
      flexOpeningBalance: Math.round((roll() * 20 - 5) * 4) / 4,
    });
  }
  if (options.plantUserProblems && users.length >= 4) {
    (users[users.length - 1] as SyntheticUser).kleerUserId = null;
    (users[users.length - 2] as SyntheticUser).wrongPassword = true;
  }
  if (options.plantPayrollMissing && users.length >= 3) (users[2] as SyntheticUser).hasPayroll = false;

  const projects: SyntheticProject[] = PROJECTS.map((p, i) => ({
    milltimeProjectId: milltimeId("3000000000", 241970 + i * 13),
    kleerProjectId: 901 + i,
    name: p.name,
    number: p.number,
    activityIndexes: PROJECT_ACTIVITIES[i] as number[],
    mapped: true,
  }));
  const activities: SyntheticActivity[] = ACTIVITIES.map((name, i) => ({
    milltimeActivityId: milltimeId("2012011114", 20550010 + i * 7),
    kleerActivityId: 22427 + i,
    name,
    mapped: true,
  }));
  // The last project ("Tidrapportering Toki") and activity ("Konferens", on no project until
  // planted) are left out of the mapping when asked.
  const unmappedProjectIndex = projects.length - 1;
  const unmappedActivityIndex = ACTIVITIES.length - 1;

  const registrations: LegacyRegistration[] = [];
  const schedule: DaySchedule[] = [];
  const absences: AbsenceDay[] = [];
  let regCounter = 123456;
  for (const user of users) {
    for (const date of eachDay(range)) {
      const working = isWeekday(date) && !HOLIDAYS.has(date);
      const std = working ? 8 * user.employment : 0;
      schedule.push({ tokiUserId: user.tokiUserId, date, milltimeHours: std, kleerHours: std });
      if (!working) continue;
      if (roll() < 0.04) {
        absences.push({ tokiUserId: user.tokiUserId, date, hours: std, type: roll() < 0.6 ? "Vacation" : "Sick", inKleer: true });
        continue;
      }
      let remaining = Math.round(std * 60) + (roll() < 0.2 ? pick([-30, 15, 30, 45, 60]) : 0);
      const parts = 2 + Math.floor(roll() * 3);
      for (let p = 0; p < parts && remaining > 0; p++) {
        const minutes = p === parts - 1 ? remaining : Math.max(15, Math.round((remaining / (parts - p)) / 15) * 15 + (roll() < 0.15 ? 7 : 0));
        remaining -= minutes;
        const projectIndex = Math.floor(roll() * (projects.length - 1));
        const activityIndex = pick((projects[projectIndex] as SyntheticProject).activityIndexes);
        const noteText = pick(NOTES);
        registrations.push({
          registrationId: milltimeId("4000000000", regCounter++),
          tokiUserId: user.tokiUserId,
          projectIndex,
          activityIndex,
          date,
          minutes,
          note: noteText === "" && roll() < 0.5 ? null : noteText,
          attestLevel: attestLevelFor(date, range.to),
        });
      }
    }
  }

  let eventCounter = 7000001;
  const kleerEvents: KleerEventSeed[] = [];
  const seeded: SeededDiscrepancy[] = [];
  const historyLinks: TimerHistoryLink[] = [];
  let historyCounter = 1;
  const userById = new Map(users.map((u) => [u.tokiUserId, u]));
  const planted = new Set<SeededDiscrepancyKind>();

  const entryKinds: SeededDiscrepancyKind[] = [
    "missing_in_kleer", "extra_in_kleer", "duplicate_in_kleer", "date_mismatch", "hours_mismatch", "project_mismatch",
    "activity_mismatch", "note_mismatch", "status_mismatch", "editability_regression", "editability_change",
    "projectless_event", "link_orphan", "link_duration_mismatch",
  ];

  registrations.forEach((reg, index) => {
    const user = userById.get(reg.tokiUserId) as SyntheticUser;
    const project = projects[reg.projectIndex] as SyntheticProject;
    const activity = activities[reg.activityIndex] as SyntheticActivity;
    // Timer-saved entries have a history link whose duration is the minutes minus the 1-minute save bonus plus seconds.
    const start = instantAt(reg.date, `${String(8 + (index % 3)).padStart(2, "0")}:${String((index * 7) % 60).padStart(2, "0")}`, timeZone);
    const hasLink = roll() < 0.6;
    if (hasLink) {
      const seconds = Math.max(60, reg.minutes * 60 - 60 + Math.floor(roll() * 60));
      historyLinks.push({
        historyId: historyCounter++,
        tokiUserId: user.tokiUserId,
        userEmail: user.email,
        registrationId: reg.registrationId,
        startTime: start,
        endTime: new Date(new Date(start).getTime() + seconds * 1000).toISOString(),
        projectId: project.milltimeProjectId,
        projectName: project.name,
        activityId: activity.milltimeActivityId,
        activityName: activity.name,
        note: reg.note,
      });
    }
    if (user.kleerUserId === null || user.wrongPassword) return;
    const note = reg.note ?? "";
    const event: KleerEventSeed = {
      id: eventCounter++,
      kleerUserId: user.kleerUserId,
      kleerProjectId: project.kleerProjectId,
      kleerActivityId: activity.kleerActivityId,
      date: reg.date,
      hours: reg.minutes / 60,
      comment: note.trim() === "" ? KLEER_PLACEHOLDER_NOTE : note,
      // Most events were migrated with the legacy id; some by hand without it (matched on content).
      foreignId: roll() < 0.9 ? `milltime:${reg.registrationId}` : `manual-import-${reg.registrationId.slice(-6)}`,
      status: STATUS_FOR_ATTEST_LEVEL[reg.attestLevel],
    };
    let kind: SeededDiscrepancyKind | undefined;
    if (options.plantEveryKind) kind = entryKinds.find((k) => !planted.has(k) && fits(k, reg, hasLink) && index % 9 === 4);
    if (!kind && roll() < rate) {
      const candidates = entryKinds.filter((k) => fits(k, reg, hasLink));
      kind = candidates.length > 0 ? pick(candidates) : undefined;
    }
    if (kind) {
      planted.add(kind);
      applyDiscrepancy(kind, reg, event);
    }
    if (kind !== "missing_in_kleer") kleerEvents.push(event);
    if (kind === "duplicate_in_kleer") kleerEvents.push({ ...event, id: eventCounter++ });
  });

  function fits(kind: SeededDiscrepancyKind, reg: LegacyRegistration, hasLink: boolean): boolean {
    switch (kind) {
      case "status_mismatch":
        return reg.attestLevel === 2;
      case "editability_regression":
        return reg.attestLevel !== 0;
      case "editability_change":
        return reg.attestLevel === 0;
      case "link_duration_mismatch":
        return hasLink;
      case "note_mismatch":
        return (reg.note ?? "").trim() !== "";
      case "activity_mismatch":
        return (projects[reg.projectIndex] as SyntheticProject).activityIndexes.length > 1;
      default:
        return true;
    }
  }

  function applyDiscrepancy(kind: SeededDiscrepancyKind, reg: LegacyRegistration, event: KleerEventSeed): void {
    const mark = (extra: Partial<SeededDiscrepancy> = {}): void => {
      seeded.push({ kind, tokiUserId: reg.tokiUserId, date: reg.date, legacyId: reg.registrationId, kleerId: event.id, ...extra });
    };
    // Entry-level discrepancies keep the legacy id in the foreign-id, so they pair by evidence (a).
    if (kind !== "extra_in_kleer" && kind !== "projectless_event") event.foreignId = `milltime:${reg.registrationId}`;
    switch (kind) {
      case "missing_in_kleer":
        return mark({ kleerId: undefined });
      case "extra_in_kleer": {
        const extra: KleerEventSeed = { ...event, id: eventCounter++, foreignId: `toki-${event.kleerUserId}-${event.kleerProjectId}-${event.kleerActivityId}-1767596400000000000`, hours: 0.5, comment: "Extra möte", status: "open" };
        kleerEvents.push(extra);
        return mark({ legacyId: undefined, kleerId: extra.id });
      }
      case "duplicate_in_kleer":
        event.foreignId = `milltime:${reg.registrationId}`;
        return mark({ kleerId: eventCounter });
      case "date_mismatch":
        // The pitfall: an early-morning start stored under the UTC date, one day earlier.
        event.foreignId = `milltime:${reg.registrationId}`;
        event.date = addDays(reg.date, -1);
        return mark();
      case "hours_mismatch":
        event.hours = reg.minutes / 60 + 0.25;
        return mark();
      case "project_mismatch": {
        event.foreignId = `milltime:${reg.registrationId}`;
        const other = projects.find((p, i) => i !== reg.projectIndex && i !== unmappedProjectIndex && p.activityIndexes.includes(reg.activityIndex));
        if (other) event.kleerProjectId = other.kleerProjectId;
        else event.kleerProjectId = (projects[(reg.projectIndex + 1) % unmappedProjectIndex] as SyntheticProject).kleerProjectId;
        return mark();
      }
      case "activity_mismatch": {
        event.foreignId = `milltime:${reg.registrationId}`;
        const project = projects[reg.projectIndex] as SyntheticProject;
        const other = project.activityIndexes.find((a) => a !== reg.activityIndex) as number;
        event.kleerActivityId = (activities[other] as SyntheticActivity).kleerActivityId;
        return mark();
      }
      case "note_mismatch":
        event.foreignId = `milltime:${reg.registrationId}`;
        event.comment = `${event.comment} (ändrad)`;
        return mark();
      case "status_mismatch":
        event.status = "certified";
        return mark();
      case "editability_regression":
        event.status = "open";
        return mark();
      case "editability_change":
        event.status = "approved";
        return mark();
      case "projectless_event": {
        const projectless: KleerEventSeed = { ...event, id: eventCounter++, kleerProjectId: null, foreignId: "", hours: 1, comment: "Utan projekt", status: "open" };
        kleerEvents.push(projectless);
        return mark({ legacyId: undefined, kleerId: projectless.id });
      }
      case "link_orphan": {
        const user = userById.get(reg.tokiUserId) as SyntheticUser;
        const start = instantAt(reg.date, "16:00", timeZone);
        const orphanId = milltimeId("4999999999", historyCounter);
        historyLinks.push({
          historyId: historyCounter++,
          tokiUserId: user.tokiUserId,
          userEmail: user.email,
          registrationId: orphanId,
          startTime: start,
          endTime: new Date(new Date(start).getTime() + 30 * 60_000).toISOString(),
          projectId: (projects[reg.projectIndex] as SyntheticProject).milltimeProjectId,
          projectName: (projects[reg.projectIndex] as SyntheticProject).name,
          activityId: (activities[reg.activityIndex] as SyntheticActivity).milltimeActivityId,
          activityName: (activities[reg.activityIndex] as SyntheticActivity).name,
          note: "Borttagen registrering",
        });
        return mark({ legacyId: orphanId, kleerId: undefined });
      }
      case "link_duration_mismatch": {
        const link = historyLinks[historyLinks.length - 1] as TimerHistoryLink;
        link.endTime = new Date(new Date(link.endTime).getTime() + 30 * 60_000).toISOString();
        return mark({ kleerId: undefined });
      }
      default:
        return undefined;
    }
  }

  const invalidHistoryRows: Array<Record<string, string | number | null>> = [];
  if (options.plantEveryKind) {
    plantPeriodDiscrepancies();
    plantUnmapped();
    plantInvalidHistoryRow();
    plantTokiDecodeError();
  }

  function plantInvalidHistoryRow(): void {
    // A row whose end_time is before its start_time (a clock fixed by hand in the database).
    const user = users.filter((u) => u.kleerUserId !== null && !u.wrongPassword)[2] ?? (users[0] as SyntheticUser);
    const date = eachDay(range).filter((d) => isWeekday(d) && !HOLIDAYS.has(d))[5] as IsoDate;
    const start = instantAt(date, "13:00", timeZone);
    invalidHistoryRows.push({
      id: historyCounter++,
      user_id: user.tokiUserId,
      start_time: start,
      end_time: new Date(new Date(start).getTime() - 15 * 60_000).toISOString(),
      project_id: null,
      project_name: null,
      activity_id: null,
      activity_name: null,
      note: "Klockan ställdes om",
      created_at: start,
      registration_id: milltimeId("4888888888", historyCounter),
      user_email: user.email,
    });
    seeded.push({ kind: "history_row_invalid", tokiUserId: user.tokiUserId, date });
  }

  /** One event of a clean pair whose status Kleer spells `Open`/`Approved` (the XSD form): Toki fails that reply. */
  function plantTokiDecodeError(): void {
    const touched = new Set(seeded.map((d) => d.kleerId).filter((id) => id !== undefined));
    const seededLegacy = new Set(seeded.map((d) => d.legacyId).filter((id) => id !== undefined));
    const event = kleerEvents.find(
      (e) =>
        e.kleerProjectId !== null &&
        !touched.has(e.id) &&
        !seededLegacy.has(e.foreignId.replace(/^milltime:/, "")) &&
        e.foreignId.startsWith("milltime:") &&
        e.date > range.from &&
        e.date < range.to,
    );
    const user = event && users.find((u) => u.kleerUserId === event.kleerUserId);
    if (!event || !user) return;
    event.wireQuirk = "pascal-status";
    seeded.push({ kind: "toki_decode_error", tokiUserId: user.tokiUserId, date: event.date, kleerId: event.id });
  }

  function plantPeriodDiscrepancies(): void {
    const user = users.find((u) => u.kleerUserId !== null && !u.wrongPassword) as SyntheticUser;
    // A public holiday Kleer's payroll schedule does not know: scheduled differs that week.
    const day = schedule.find((s) => s.tokiUserId === user.tokiUserId && s.milltimeHours > 0 && s.date >= addDays(range.to, -20));
    if (day) {
      day.kleerHours = 0;
      seeded.push({ kind: "schedule_difference", tokiUserId: user.tokiUserId, date: day.date });
    }
    // A sick day registered in Milltime but never reported to payroll.
    const other = users.filter((u) => u.kleerUserId !== null && !u.wrongPassword)[1] ?? user;
    const absence = absences.find((a) => a.tokiUserId === other.tokiUserId);
    if (absence) {
      absence.inKleer = false;
      seeded.push({ kind: "absence_difference", tokiUserId: other.tokiUserId, date: absence.date });
    }
  }

  function plantUnmapped(): void {
    (projects[unmappedProjectIndex] as SyntheticProject).mapped = false;
    (activities[unmappedActivityIndex] as SyntheticActivity).mapped = false;
    // Give the unmapped project and activity one registration each, on a mapped, healthy user.
    const user = users.find((u) => u.kleerUserId !== null && !u.wrongPassword) as SyntheticUser;
    const date = eachDay(range).filter((d) => isWeekday(d) && !HOLIDAYS.has(d)).slice(-3)[0] as IsoDate;
    const add = (projectIndex: number, activityIndex: number, kind: SeededDiscrepancyKind) => {
      const reg: LegacyRegistration = {
        registrationId: milltimeId("4000000000", regCounter++),
        tokiUserId: user.tokiUserId,
        projectIndex,
        activityIndex,
        date,
        minutes: 30,
        note: "Planerat möte",
        attestLevel: 0,
      };
      registrations.push(reg);
      seeded.push({ kind, tokiUserId: user.tokiUserId, date, legacyId: reg.registrationId });
    };
    add(unmappedProjectIndex, 1, "unmapped_project");
    add(4, unmappedActivityIndex, "unmapped_activity");
    (projects[4] as SyntheticProject).activityIndexes = [6, 1, unmappedActivityIndex];
  }

  return { range, timeZone, users, projects, activities, registrations, kleerEvents, schedule, absences, historyLinks, invalidHistoryRows, seeded };
}

/** The mapping file a careful admin would have written for the company (planted gaps stay gaps). */
export function mappingOf(company: SyntheticCompany): CutoverMapping {
  return {
    users: company.users.map((u) => ({
      tokiUserId: u.tokiUserId,
      email: u.email,
      milltimeUserId: u.milltimeUserId,
      ...(u.kleerUserId === null ? {} : { kleerUserId: u.kleerUserId }),
    })),
    projects: company.projects.filter((p) => p.mapped).map((p) => ({ milltimeProjectId: p.milltimeProjectId, kleerProjectId: p.kleerProjectId })),
    activities: company.activities.filter((a) => a.mapped).map((a) => ({ milltimeActivityId: a.milltimeActivityId, kleerActivityId: a.kleerActivityId })),
  };
}
