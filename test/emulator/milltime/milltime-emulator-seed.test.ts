import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/domain/errors.js";
import { milltimeSeedSchema, parseMilltimeSeed, smallCompanySeedPath } from "../../../src/emulator/milltime/milltime-emulator-seed.js";
import { tinySeed } from "../../milltime/milltime-test-support.js";

describe("Milltime emulator seed", () => {
  const fixture = JSON.parse(readFileSync(smallCompanySeedPath(), "utf8")) as unknown;

  it("parses the bundled small-company fixture with the seed schema", () => {
    const seed = milltimeSeedSchema.parse(fixture);
    expect(seed.users.length).toBeGreaterThanOrEqual(3);
    expect(seed.registrations.some((r) => r.minutes === null)).toBe(true);
    expect(new Set(seed.registrations.map((r) => r.attestLevel))).toEqual(new Set([0, 1, 2, null, 3]));
    expect(seed.projects.map((p) => p.name)).toContain("Intranät förnyelse");
    expect(seed.projects.flatMap((p) => p.phases.flatMap((ph) => ph.activities.map((a) => a.name)))).toContain("Möte");
  });

  it("holds an empty month: Maria has no registrations in April, Lars none before May", () => {
    const seed = milltimeSeedSchema.parse(fixture);
    const months = (userId: string) => new Set(seed.registrations.filter((r) => r.userId === userId).map((r) => r.date.slice(0, 7)));
    expect(months("203")).toEqual(new Set(["2026-03", "2026-05"]));
    expect(months("204")).toEqual(new Set(["2026-05"]));
  });

  it("parses the tiny test seed", () => {
    expect(() => parseMilltimeSeed(tinySeed())).not.toThrow();
  });

  it("rejects broken references with the path of each bad field", () => {
    const seed = tinySeed();
    seed.registrations![1] = { ...seed.registrations![1]!, activityId: "200000000000000099" };
    seed.projects[0]!.memberUserIds.push("999");
    try {
      parseMilltimeSeed(seed);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        "projects[0].memberUserIds[2]: unknown user 999",
        "registrations[1].activityId: activity 200000000000000099 is not in project 300000000000000001",
      ]);
    }
  });
});
