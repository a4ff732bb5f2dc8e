import { describe, expect, it } from "vitest";
import { indexMapping } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";
import { compareEntryPair } from "../../src/parity/entry-comparison.js";
import type { MatchEvidence } from "../../src/parity/entry-matching.js";
import { DEFAULT_PARITY_RULES, type ParityRules } from "../../src/parity/parity-rules.js";
import { buildKleerEntry, buildKleerTwin, buildLegacyEntry, buildMapping, IDS } from "../builders.js";

// One pair, field by field, as the findings table states it: which fields differ, both values,
// and a message that names the pair and how it was paired.
const mapping = indexMapping(buildMapping());
const compare = (legacy: TimeEntry, kleer: TimeEntry, evidence: MatchEvidence = "foreign_id", rules: ParityRules = DEFAULT_PARITY_RULES) =>
  compareEntryPair({ legacy, kleer, evidence }, { userKey: 1, mapping, rules }).map((f) => [f.kind, f.field, f.legacyValue, f.kleerValue, f.message, f.details]);
const legacy = buildLegacyEntry({ registrationId: "401", date: "2026-05-12", hours: 2, note: " Login bug ", attestLevel: 1 });

describe("compareEntryPair", () => {
  it("a faithful twin has no finding", () => {
    expect(compare(legacy, buildKleerTwin(legacy))).toEqual([]);
  });

  it("states every differing field of a relinked pair", () => {
    const kleer = buildKleerEntry({
      registrationId: "7001", date: "2026-05-11", hours: 2.5, note: "Login", status: "open",
      projectId: String(IDS.kleerProject.portal), activityId: String(IDS.kleerActivity.meeting),
    });
    const paired = "Milltime 401 ↔ Kleer 7001 (by timer-history relink)";
    expect(compare(legacy, kleer, "relink")).toEqual([
      ["date_mismatch", "date", "2026-05-12", "2026-05-11", `${paired}: dated 2026-05-12 in Milltime but 2026-05-11 in Kleer (one day earlier: likely the UTC date of an early-morning start)`, null],
      ["hours_mismatch", "hours", "2", "2.5", `${paired}: 2 h (2:00) in Milltime, 2.5 h (2:30) in Kleer (30 min more in Kleer)`, null],
      [
        "project_mismatch", "project", "901", "902",
        `${paired}: Milltime project ${IDS.milltimeProject.intranet} "Intranet revamp" maps to Kleer project 901, the event is on 902 "Customer portal"`,
        { milltimeProjectId: IDS.milltimeProject.intranet, milltimeProjectName: "Intranet revamp", kleerProjectName: "Customer portal" },
      ],
      [
        "activity_mismatch", "activity", "22427", "22428",
        `${paired}: Milltime activity ${IDS.milltimeActivity.development} "Development" maps to Kleer activity 22427, the event has 22428 "Meeting"`,
        { milltimeActivityId: IDS.milltimeActivity.development, milltimeActivityName: "Development", kleerActivityName: "Meeting" },
      ],
      ["note_mismatch", "note", "Login bug", "Login", `${paired}: note "Login bug" in Milltime, "Login" in Kleer`, null],
      ["editability_regression", "editability", "week", "open", `${paired}: locked in Milltime (attest level week) but editable in Kleer (open)`, null],
    ]);
  });

  it("a date a day later is no early-morning shift; content pairs say so", () => {
    expect(compare(legacy, buildKleerTwin(legacy, { date: "2026-05-13" }), "content")).toEqual([
      ["date_mismatch", "date", "2026-05-12", "2026-05-13", "Milltime 401 ↔ Kleer 7401 (by content): dated 2026-05-12 in Milltime but 2026-05-13 in Kleer", null],
    ]);
  });

  it("an unmapped project or activity is not also a mismatch (its own finding says it)", () => {
    const unmapped = buildLegacyEntry({ registrationId: "401", projectId: IDS.milltimeProject.unmapped, activityId: IDS.milltimeActivity.unmapped });
    expect(compare(unmapped, buildKleerTwin(unmapped, { projectId: "999", activityId: "99999" }))).toEqual([]);
  });

  it("an editable entry locked in Kleer is an editability change", () => {
    const open = buildLegacyEntry({ registrationId: "401", attestLevel: 0 });
    expect(compare(open, buildKleerTwin(open, { status: "approved" }))).toEqual([
      ["editability_change", "editability", "none", "approved", "Milltime 401 ↔ Kleer 7401 (by foreign id): editable in Milltime (attest level none) but locked in Kleer (approved)", null],
    ]);
  });

  it("two locked states that do not correspond are a status mismatch naming the expected statuses", () => {
    const rules: ParityRules = { ...DEFAULT_PARITY_RULES, statusCorrespondence: { week: ["certified"], month: ["approved"] } };
    const month = buildLegacyEntry({ registrationId: "401", attestLevel: 2 });
    expect(compare(month, buildKleerTwin(month, { status: "certified" }), "foreign_id", rules)).toEqual([
      ["status_mismatch", "status", "month", "certified", "Milltime 401 ↔ Kleer 7401 (by foreign id): attest level month corresponds to approved, Kleer has certified", null],
    ]);
    expect(compare(month, buildKleerTwin(month, { status: "approved" }), "foreign_id", rules)).toEqual([]);
    const week = buildLegacyEntry({ registrationId: "401", attestLevel: 1 });
    expect(compare(week, buildKleerTwin(week, { status: "approved" }), "foreign_id", rules).map((f) => f[4])).toEqual([
      "Milltime 401 ↔ Kleer 7401 (by foreign id): attest level week corresponds to certified, Kleer has approved",
    ]);
    const both: ParityRules = { ...DEFAULT_PARITY_RULES, statusCorrespondence: { week: ["certified", "approved"], month: ["approved"] } };
    expect(compare(week, buildKleerTwin(week, { status: "approved" }), "foreign_id", both)).toEqual([]);
  });

  it("a Kleer-side lock on both sides (a Kleer-to-Kleer pair) expects the same status", () => {
    const kleerLegacy = { ...buildKleerEntry({ registrationId: "401", status: "approved" }) };
    expect(compare(kleerLegacy, buildKleerEntry({ registrationId: "7001", status: "certified" })).map((f) => [f[0], f[4]])).toEqual([
      ["status_mismatch", "Milltime 401 ↔ Kleer 7001 (by foreign id): attest level approved corresponds to approved, Kleer has certified"],
    ]);
  });
});
