import { describe, expect, it } from "vitest";
import { MILLTIME_OPTION_KEYS } from "../../src/emulator/milltime/milltime-emulator-seed.js";
import { createMilltimeClient } from "../../src/milltime/milltime-client.js";
import { createMilltimeReader } from "../../src/milltime/milltime-reader.js";
import { SVEN, tinySeed, useMilltimeEmulators } from "./milltime-test-support.js";

const start = useMilltimeEmulators();
const FEBRUARY = { from: "2026-02-01", to: "2026-02-28" };

async function readFebruary(omitOptionKeys: Array<(typeof MILLTIME_OPTION_KEYS)[number]>) {
  const em = await start({ seed: { ...tinySeed(), omitOptionKeys } });
  const client = createMilltimeClient({ baseUrl: em.milltimeUrl, credentials: SVEN });
  const reader = createMilltimeReader({ source: { kind: "live", client } });
  return { entries: await reader.getTimeEntries(FEBRUARY), info: await reader.getTimeInfo({ from: "2026-02-02", to: "2026-02-08" }) };
}

/**
 * Toki's Milltime crate (2d8ab9e^) declares these `Option<T>`: user_calendar.rs:127 (user_enddate),
 * 144 (stdtime), 157 (attestlevel), 167 (projtimemm), 168 (usernote), 169 (customernames), 175-176
 * (flexdiff hh, mm); time_info.rs:8 (Overtimes), 10 (FlexTimePreviousPeriod). A missing key reads
 * as absent, exactly like null, instead of failing the reply.
 */
describe("Milltime keys Toki declares Option<T>", () => {
  it.each(MILLTIME_OPTION_KEYS)("a reply without %s is read, the value absent", async (key) => {
    const { entries, info } = await readFebruary([key]);
    expect(entries).toHaveLength(5);
    expect(info.scheduledPeriodTime).toBeGreaterThan(0);
    if (key === "FlexTimePreviousPeriod") expect(info.flexTimePreviousPeriod).toBeNull();
  });

  it("reads missing keys as their null reading: no minutes, empty note, attest level none", async () => {
    const omitted = await readFebruary(["projtimemm", "usernote", "attestlevel"]);
    expect(omitted.entries.map((e) => [e.registrationId, e.hours, e.note, e.lock])).toEqual([
      ["400000000000000001", 7, "", { kind: "attestLevel", attestLevel: 0 }],
      ["400000000000000002", 8, "", { kind: "attestLevel", attestLevel: 0 }],
      ["400000000000000003", 6, "", { kind: "attestLevel", attestLevel: 0 }],
      ["400000000000000004", 2, "", { kind: "attestLevel", attestLevel: 0 }],
      ["400000000000000005", 5, "", { kind: "attestLevel", attestLevel: 0 }],
    ]);
  });

  it("the emulator's default still sends every key", async () => {
    const { entries } = await readFebruary([]);
    expect(entries.map((e) => e.note)).toEqual(["Startmöte", "", "Bygg", "", "Eftermiddag"]);
  });
});
