import { describe, expect, it, onTestFinished } from "vitest";
import { isoWeekOf, splitByIsoWeek } from "../../src/domain/calendar.js";
import { editabilityOf } from "../../src/domain/lock-state.js";
import type { TimeTrackingReader } from "../../src/domain/ports.js";
import type { DateRange, TimeEntry } from "../../src/domain/time-entry.js";
import type { TimeInfo, WeeklyStats } from "../../src/domain/time-info.js";

/**
 * The reader-port contract: generic checks every `TimeTrackingReader` must pass (the Kleer
 * adapter against its emulator, the Milltime reader against its own), given a factory and the
 * facts its fixture guarantees. Every test builds its own subject and closes it.
 */

export interface ReaderContractSubject<TStats> {
  reader: TimeTrackingReader<TStats>;
  /** Releases what the factory started (emulator, client). */
  close(): Promise<void>;
}

export interface ReaderContractFacts<TStats> {
  /** A range that holds the fixture's entries for the reader's user. */
  range: DateRange;
  /** A range in which the user has no entries at all. */
  emptyRange: DateRange;
  /** Every registration id the listing must show for `range` (any order). */
  registrationIds: string[];
  /** Provider entries of `range` that the listing must skip. @default [] */
  skippedRegistrationIds?: string[];
  /** Ids of the projects the user may report on. */
  projectIds: string[];
  /** Expected activity ids (any order) for some or all of `projectIds`. */
  activityIdsByProject: Record<string, string[]>;
  /** A project that exists but is not the user's: its activities must never be listed. */
  hiddenProjectId?: string;
  /** One entry of `range` exactly as the listing must return it. */
  sampleEntry: TimeEntry;
  /** Entries of `range` that must be locked; every other listed entry must be editable. */
  lockedRegistrationIds: string[];
  /** Statistics the reader must compute for `range` (compared to 1e-9). */
  timeInfo: TStats;
}

const sortedIds = (entries: Array<{ registrationId: string }>) => entries.map((e) => e.registrationId).sort();

function expectNumbersClose(actual: unknown, expected: unknown): void {
  expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected as object).sort());
  for (const [key, value] of Object.entries(expected as Record<string, number | null>)) {
    const got = (actual as Record<string, number | null>)[key];
    if (value === null) expect(got, key).toBeNull();
    else expect(got, key).toBeCloseTo(value, 9);
  }
}

/** Registers the reader contract as a vitest `describe` block named `reader contract: <name>`. */
export function runReaderContract<TStats extends TimeInfo | WeeklyStats>(
  name: string,
  createSubject: () => Promise<ReaderContractSubject<TStats>>,
  facts: ReaderContractFacts<TStats>,
): void {
  const subject = async () => {
    const s = await createSubject();
    onTestFinished(() => s.close());
    return s.reader;
  };

  describe(`reader contract: ${name}`, () => {
    it("lists exactly the user's projects, each with an id and a name", async () => {
      const projects = await (await subject()).getProjects();
      expect(projects.map((p) => p.id).sort()).toEqual([...facts.projectIds].sort());
      expect(new Set(projects.map((p) => p.id)).size).toBe(projects.length);
      for (const p of projects) expect(p.name.trim()).not.toBe("");
    });

    it("lists the allowed activities of a project, tied to that project", async () => {
      const reader = await subject();
      for (const [projectId, expected] of Object.entries(facts.activityIdsByProject)) {
        const activities = await reader.getActivities(projectId, facts.range);
        expect(activities.map((a) => a.id).sort(), projectId).toEqual([...expected].sort());
        for (const a of activities) {
          expect(a.projectId).toBe(projectId);
          expect(a.name.trim()).not.toBe("");
        }
      }
    });

    it.runIf(facts.hiddenProjectId !== undefined)("never lists activities of a project the user cannot see", async () => {
      const reader = await subject();
      const outcome = await reader.getActivities(facts.hiddenProjectId!, facts.range).then(
        (activities) => activities,
        (error: unknown) => error,
      );
      if (Array.isArray(outcome)) expect(outcome).toEqual([]);
      else expect(outcome).toMatchObject({ code: expect.stringMatching(/NOT_FOUND/) });
    });

    it("lists the range's entries, well-formed and without local times", async () => {
      const entries = await (await subject()).getTimeEntries(facts.range);
      expect(sortedIds(entries)).toEqual([...facts.registrationIds].sort());
      expect(new Set(entries.map((e) => e.registrationId)).size).toBe(entries.length);
      for (const e of entries) {
        expect(e.date >= facts.range.from && e.date <= facts.range.to, `${e.registrationId} date ${e.date}`).toBe(true);
        expect(e.weekNumber).toBe(isoWeekOf(e.date));
        expect([e.startTime, e.endTime]).toEqual([null, null]);
        expect(Number.isFinite(e.hours) && e.hours >= 0).toBe(true);
        expect(e.projectName.trim()).not.toBe("");
        expect(e.activityName.trim()).not.toBe("");
      }
    });

    it("returns the sample entry exactly", async () => {
      const entries = await (await subject()).getTimeEntries(facts.range);
      expect(entries.find((e) => e.registrationId === facts.sampleEntry.registrationId)).toEqual(facts.sampleEntry);
    });

    it("marks exactly the locked entries as not editable", async () => {
      const entries = await (await subject()).getTimeEntries(facts.range);
      const locked = entries.filter((e) => editabilityOf(e.lock) === "locked").map((e) => e.registrationId);
      expect(locked.sort()).toEqual([...facts.lockedRegistrationIds].sort());
    });

    it("lists the same entries as getTimeEntries plus what Toki skips, disjoint", async () => {
      const reader = await subject();
      const listing = await reader.listTimeEntries(facts.range);
      expect(listing.entries).toEqual(await reader.getTimeEntries(facts.range));
      expect(sortedIds(listing.skipped)).toEqual([...(facts.skippedRegistrationIds ?? [])].sort());
      const shown = new Set(listing.entries.map((e) => e.registrationId));
      expect(listing.skipped.filter((s) => shown.has(s.registrationId))).toEqual([]);
    });

    it("returns nothing for a range without entries", async () => {
      const listing = await (await subject()).listTimeEntries(facts.emptyRange);
      expect(listing).toEqual({ entries: [], skipped: [] });
    });

    it("gives the same entries when the range is read week by week", async () => {
      const reader = await subject();
      const whole = await reader.getTimeEntries(facts.range);
      const parts = [];
      for (const week of splitByIsoWeek(facts.range)) parts.push(...(await reader.getTimeEntries(week)));
      expect(sortedIds(parts)).toEqual(sortedIds(whole));
    });

    it("computes the range's statistics", async () => {
      expectNumbersClose(await (await subject()).getTimeInfo(facts.range), facts.timeInfo);
    });

    it("reads idempotently", async () => {
      const reader = await subject();
      const first = await reader.listTimeEntries(facts.range);
      expect(await reader.listTimeEntries(facts.range)).toEqual(first);
    });
  });
}
