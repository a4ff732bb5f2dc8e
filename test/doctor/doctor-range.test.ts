import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { defaultDoctorRange } from "../../src/doctor/index.js";
import { parseKleerEmulatorSeed } from "../../src/emulator/kleer/index.js";
import { parseMilltimeSeed } from "../../src/emulator/milltime/index.js";
import { parseMappingDocument } from "../../src/mapping/index.js";
import { parseMilltimeCredentials } from "../../src/milltime/index.js";
import { fixture } from "./doctor-world.js";

describe("defaultDoctorRange: the last full calendar month in the zone", () => {
  it.each([
    ["2026-03-10T09:00:00Z", "Europe/Stockholm", { from: "2026-02-01", to: "2026-02-28" }],
    // 00:30 on 1 March in Stockholm is still 28 February in UTC.
    ["2026-02-28T23:30:00Z", "Europe/Stockholm", { from: "2026-02-01", to: "2026-02-28" }],
    ["2026-02-28T23:30:00Z", "UTC", { from: "2026-01-01", to: "2026-01-31" }],
    ["2026-01-01T12:00:00Z", "Europe/Stockholm", { from: "2025-12-01", to: "2025-12-31" }],
    ["2028-03-01T12:00:00Z", "Europe/Stockholm", { from: "2028-02-01", to: "2028-02-29" }],
  ])("now %s in %s", (now, zone, expected) => {
    expect(defaultDoctorRange(new Date(now), zone)).toEqual(expected);
  });

  it("names --time-zone when the zone is unknown", () => {
    expect(() => defaultDoctorRange(new Date("2026-03-10T09:00:00Z"), "Europe/Gothenburg")).toThrow(ConfigError);
    expect(() => defaultDoctorRange(new Date("2026-03-10T09:00:00Z"), "Europe/Gothenburg")).toThrow(/--time-zone/);
  });
});

describe("doctor fixtures parse with their schemas", () => {
  it("kleer seed, milltime seed, mapping and credentials", () => {
    expect(parseKleerEmulatorSeed(fixture("kleer-seed.json")).users).toHaveLength(4);
    expect(parseMilltimeSeed(fixture("milltime-seed.json")).registrations).toHaveLength(4);
    expect(parseMappingDocument(fixture("mapping.json")).mapping.users).toHaveLength(3);
    expect(parseMilltimeCredentials(fixture("credentials.json"))).toHaveLength(3);
  });
});
