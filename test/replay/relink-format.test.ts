import { describe, expect, it } from "vitest";
import { DEFAULT_RELINK_SHOWN, formatRelinkResult, type RelinkResult } from "../../src/replay/index.js";

function resultWith(unrelinked: number, removedByCleanup = 0): RelinkResult {
  return {
    plan: {
      runId: "20261202T120000Z-ab12",
      table: "toki_parity_relink_x",
      relinks: [{ tokiUserId: 1, oldRegistrationId: "4001", newRegistrationId: "7001" }],
      rows: [],
      unrelinked: Array.from({ length: unrelinked }, (_, i) => ({ historyId: i + 1, tokiUserId: 1, registrationId: `40${i}`, startTime: "2026-10-01T08:00:00Z", reason: "not in the plan" })),
      alreadyRelinked: 0,
      removedByCleanup: Array.from({ length: removedByCleanup }, (_, i) => ({ tokiUserId: 2, legacyId: `50${i}`, kleerEventId: `80${i}` })),
    },
    text: null,
    files: [],
    applied: null,
  };
}

const listed = (text: string) => text.split("\n").filter((l) => /^  #\d+ /.test(l));

describe("relink's list of links left alone", () => {
  it(`lists ${DEFAULT_RELINK_SHOWN} by default and counts the rest`, () => {
    const text = formatRelinkResult(resultWith(125));
    expect(text).toContain("125 timer_history link(s) NOT relinked:");
    expect(listed(text)).toHaveLength(DEFAULT_RELINK_SHOWN);
    expect(text).toContain(`  … and ${125 - DEFAULT_RELINK_SHOWN} more (--show 125 lists all)`);
  });

  it("lists all of them within the cap, without a count line", () => {
    const text = formatRelinkResult(resultWith(3), false, 3);
    expect(listed(text)).toHaveLength(3);
    expect(text).not.toContain("more (");
  });

  it("with --show 0 lists none but still says how many there are", () => {
    const text = formatRelinkResult(resultWith(7, 2), false, 0);
    expect(listed(text)).toEqual([]);
    expect(text).toContain("7 timer_history link(s) NOT relinked:");
    expect(text).toContain("  … and 7 more (none shown; --show 7 lists all)");
    expect(text).toContain("2 replayed entries whose Kleer event cleanup deleted (not relinked):");
    expect(text).toContain("  … and 2 more (none shown; --show 2 lists all)");
  });
});

describe("relink --show", () => {
  it("defaults to the library's cap", async () => {
    const { defineRelinkCommand } = await import("../../src/cli/commands/relink.js");
    const show = defineRelinkCommand().options.find((o) => o.long === "--show");
    expect(show?.defaultValue).toBe(DEFAULT_RELINK_SHOWN);
  });
});
