import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexMapping } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { matchEntries, type MatchEntriesResult } from "../../src/parity/entry-matching.js";
import { DEFAULT_TOLERANCES } from "../../src/parity/parity-rules.js";
import { buildKleerEntry, buildLegacyEntry, buildMapping, IDS } from "../builders.js";

// Invariants of the matcher every report relies on, over random days of one user: no entry
// is counted twice or lost, the order the APIs list entries in never changes a pairing, a
// foreign id beats look-alike content, and content never pairs across days.
const mapping = indexMapping(buildMapping());
const match = (legacy: readonly TimeEntry[], kleer: readonly TimeEntry[], relinks = new Map<string, string>()): MatchEntriesResult =>
  matchEntries({ legacy, kleer, relinks, mapping, hoursTolerance: DEFAULT_TOLERANCES.entryHours });

const DAYS = ["2026-05-11", "2026-05-12", "2026-05-13"] as const;
const NOTES = ["Sprint planning", "Login bug", "Weekly meeting", "", "login bug fix"] as const;
const HOURS = [0.5, 1, 2.25, 3, 8] as const;
const PROJECTS = [
  [IDS.milltimeProject.intranet, String(IDS.kleerProject.intranet)],
  [IDS.milltimeProject.portal, String(IDS.kleerProject.portal)],
  [IDS.milltimeProject.unmapped, "999"],
] as const;
const ACTIVITIES = [
  [IDS.milltimeActivity.development, String(IDS.kleerActivity.development)],
  [IDS.milltimeActivity.meeting, String(IDS.kleerActivity.meeting)],
] as const;

const content = fc.record({
  day: fc.constantFrom(...DAYS),
  note: fc.constantFrom(...NOTES),
  hours: fc.constantFrom(...HOURS),
  project: fc.constantFrom(...PROJECTS),
  activity: fc.constantFrom(...ACTIVITIES),
});

/** A day of legacy entries and Kleer events; some events name a legacy entry (or an unknown one) in their foreign id. */
const company = fc
  .tuple(
    fc.array(content, { maxLength: 7 }),
    fc.array(fc.record({ c: content, foreign: fc.option(fc.nat({ max: 9 }), { nil: undefined }) }), { maxLength: 8 }),
  )
  .map(([legacyContent, kleerContent]) => ({
    legacy: legacyContent.map((c, i) =>
      buildLegacyEntry({ registrationId: `40${i}`, date: c.day, note: c.note, hours: c.hours, projectId: c.project[0], activityId: c.activity[0] }),
    ),
    kleer: kleerContent.map(({ c, foreign }, i) =>
      buildKleerEntry({
        registrationId: `700${i}`,
        date: c.day,
        note: c.note === "" ? "missing note" : c.note,
        hours: c.hours,
        projectId: c.project[1],
        activityId: c.activity[1],
        foreignId: foreign === undefined ? "" : `milltime:40${foreign}`,
      }),
    ),
  }));

const outcome = (r: MatchEntriesResult) => ({
  pairs: r.pairs.map((p) => `${p.legacy.registrationId}=${p.kleer.registrationId}:${p.evidence}`),
  duplicates: r.duplicates.map((d) => `${d.legacy.registrationId}+${d.kleer.registrationId}:${d.evidence}`),
  missing: r.missing.map((e) => e.registrationId),
  extra: r.extra.map((e) => `${e.kleer.registrationId}:${e.claimedLegacyId}`),
});

describe("matchEntries invariants", () => {
  it("ends every legacy entry in exactly one outcome and accounts for every Kleer event exactly once", () => {
    fc.assert(
      fc.property(company, ({ legacy, kleer }) => {
        const r = match(legacy, kleer);
        const legacyOutcomes = [...r.pairs.map((p) => p.legacy.registrationId), ...r.missing.map((e) => e.registrationId)];
        expect(legacyOutcomes.sort()).toEqual(legacy.map((e) => e.registrationId).sort());
        const kleerOutcomes = [...r.pairs, ...r.duplicates, ...r.extra].map((o) => o.kleer.registrationId);
        expect(kleerOutcomes.sort()).toEqual(kleer.map((e) => e.registrationId).sort());
        // A duplicate always names an entry that is paired with another event.
        for (const d of r.duplicates) expect(r.pairs.some((p) => p.legacy === d.legacy && p.kleer !== d.kleer)).toBe(true);
      }),
    );
  });

  it("pairs the same way whatever order the two APIs list entries in", () => {
    fc.assert(
      fc.property(
        company.chain(({ legacy, kleer }) =>
          fc.tuple(fc.constant({ legacy, kleer }), fc.shuffledSubarray(legacy, { minLength: legacy.length }), fc.shuffledSubarray(kleer, { minLength: kleer.length })),
        ),
        ([{ legacy, kleer }, shuffledLegacy, shuffledKleer]) => {
          expect(outcome(match(shuffledLegacy, shuffledKleer))).toEqual(outcome(match(legacy, kleer)));
        },
      ),
    );
  });

  it("pairs an entry with the event naming it in its foreign id, even when another event matches its content exactly", () => {
    fc.assert(
      fc.property(company, content, fc.constantFrom(...DAYS), ({ legacy, kleer }, c, foreignDay) => {
        const target = buildLegacyEntry({ registrationId: "499", date: c.day, note: c.note, hours: c.hours, projectId: c.project[0], activityId: c.activity[0] });
        const lookAlike = buildKleerEntry({
          registrationId: "7998",
          date: c.day,
          note: c.note === "" ? "missing note" : c.note,
          hours: c.hours,
          projectId: c.project[1],
          activityId: c.activity[1],
        });
        const named = buildKleerEntry({ registrationId: "7999", date: foreignDay, hours: 7.5, note: "Unrelated", foreignId: "milltime:499" });
        const r = match([...legacy, target], [...kleer, lookAlike, named]);
        expect(r.pairs.find((p) => p.legacy.registrationId === "499")).toMatchObject({ kleer: { registrationId: "7999" }, evidence: "foreign_id" });
        expect(r.pairs.some((p) => p.kleer.registrationId === "7998" && p.legacy.registrationId === "499")).toBe(false);
      }),
    );
  });

  it("never pairs by content across days: an event moved by one day loses to a same-day candidate", () => {
    fc.assert(
      fc.property(content, fc.constantFrom(-1, 1), fc.constantFrom(...NOTES), ({ note, hours, project, activity }, shift, otherNote) => {
        const day = "2026-05-12";
        const moved = shift < 0 ? "2026-05-11" : "2026-05-13";
        const entry = buildLegacyEntry({ registrationId: "401", date: day, note, hours, projectId: project[0], activityId: activity[0] });
        const kleerNote = note === "" ? "missing note" : note;
        const twinMoved = buildKleerEntry({ registrationId: "7001", date: moved, note: kleerNote, hours, projectId: project[1], activityId: activity[1] });
        // Same day, same project/activity/hours: enough to pair by content whatever the note.
        const sameDay = buildKleerEntry({ registrationId: "7002", date: day, note: otherNote === "" ? "missing note" : otherNote, hours, projectId: project[1], activityId: activity[1] });
        const r = match([entry], [twinMoved, sameDay]);
        expect(r.pairs.some((p) => p.kleer.registrationId === "7001")).toBe(false);
        expect(r.extra.map((e) => e.kleer.registrationId)).toContain("7001");
        for (const p of r.pairs) if (p.evidence === "content") expect(p.kleer.date).toBe(p.legacy.date);
        if (project[0] !== IDS.milltimeProject.unmapped) expect(outcome(r).pairs).toEqual(["401=7002:content"]);
      }),
    );
  });
});
