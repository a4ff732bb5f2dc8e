import { describe, expect, it } from "vitest";
import { indexMapping } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { matchEntries, scoreContent } from "../../src/parity/entry-matching.js";
import { DEFAULT_TOLERANCES } from "../../src/parity/parity-rules.js";
import { buildKleerEntry, buildLegacyEntry, buildMapping, IDS } from "../builders.js";

// Which events without a foreign id pair by content. Each row is a pairing a user would see as
// right or wrong in the report: one weight (project, activity, near hours) decides it.
const mapping = indexMapping(buildMapping());
const paired = (legacy: TimeEntry, kleer: TimeEntry): boolean =>
  matchEntries({ legacy: [legacy], kleer: [kleer], relinks: new Map(), mapping, hoursTolerance: DEFAULT_TOLERANCES.entryHours }).pairs.length === 1;
const legacy = (o: Parameters<typeof buildLegacyEntry>[0]) => buildLegacyEntry({ registrationId: "401", ...o });
const kleer = (o: Parameters<typeof buildKleerEntry>[0]) => buildKleerEntry({ registrationId: "7001", ...o });
const portal = String(IDS.kleerProject.portal);
const meeting = String(IDS.kleerActivity.meeting);

describe("content pairing", () => {
  it.each([
    {
      why: "a different project, hours an hour or more apart: only activity and note agree",
      legacy: legacy({ hours: 1, note: "Login bug" }),
      kleer: kleer({ projectId: portal, hours: 3, note: "Login bug" }),
      pairs: false,
    },
    {
      why: "a different activity and note, hours far apart: only the project agrees",
      legacy: legacy({ hours: 1, note: "Login bug" }),
      kleer: kleer({ activityId: meeting, hours: 3, note: "Weekly meeting" }),
      pairs: false,
    },
    {
      why: "project and activity agree although hours are three hours apart",
      legacy: legacy({ hours: 1, note: "Login bug" }),
      kleer: kleer({ hours: 4, note: "Weekly meeting" }),
      pairs: true,
    },
    {
      why: "the project, half an hour apart and a similar note",
      legacy: legacy({ hours: 2, note: "Login bug fix" }),
      kleer: kleer({ activityId: meeting, hours: 2.5, note: "login bug" }),
      pairs: true,
    },
    {
      why: "the project, over an hour apart and the same similar note",
      legacy: legacy({ hours: 2, note: "Login bug fix" }),
      kleer: kleer({ activityId: meeting, hours: 3.5, note: "login bug" }),
      pairs: false,
    },
    {
      why: "an unmapped legacy project never agrees with any Kleer project",
      legacy: legacy({ projectId: IDS.milltimeProject.unmapped, activityId: IDS.milltimeActivity.unmapped, hours: 1, note: "Login bug" }),
      kleer: kleer({ projectId: "999", activityId: "99999", hours: 3, note: "Login bug" }),
      pairs: false,
    },
  ])("$why → pairs: $pairs", ({ legacy: l, kleer: k, pairs }) => {
    expect(paired(l, k)).toBe(pairs);
  });

  it("reports which fields agree", () => {
    const agreement = scoreContent(legacy({ hours: 2, note: "Login bug" }), kleer({ activityId: meeting, hours: 2, note: "Login bug" }), mapping, DEFAULT_TOLERANCES.entryHours);
    expect(agreement).toMatchObject({ project: true, activity: false, hours: true, noteSimilarity: 1 });
    const unmapped = scoreContent(
      legacy({ projectId: IDS.milltimeProject.unmapped, activityId: IDS.milltimeActivity.unmapped }),
      kleer({ projectId: "undefined", activityId: "undefined" }),
      mapping,
      DEFAULT_TOLERANCES.entryHours,
    );
    expect(unmapped).toMatchObject({ project: false, activity: false });
  });
});
