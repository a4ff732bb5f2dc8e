import { describe, expect, it } from "vitest";
import { indexMapping } from "../../src/domain/cutover-mapping.js";
import { ConfigError, InvalidResponseError, isTokiError, ProviderHttpError, TokiError } from "../../src/domain/errors.js";
import { describeLockState, editabilityOf, toAttestLevel } from "../../src/domain/lock-state.js";
import { buildMapping, buildUserLink, IDS } from "../builders.js";

// Toki's lock rules (what a user may still edit), the mapping lookups every comparison uses and
// the error classes the CLI maps to exit codes.
describe("lock state", () => {
  it.each([
    [1, 1],
    [2, 2],
    [0, 0],
    [3, 0],
    [null, 0],
    ["1", 0],
  ])("Milltime attest level %j reads as %d", (value, level) => {
    expect(toAttestLevel(value)).toBe(level);
  });

  it.each([
    [{ kind: "attestLevel", attestLevel: 0 }, "editable", "none"],
    [{ kind: "attestLevel", attestLevel: 1 }, "locked", "week"],
    [{ kind: "attestLevel", attestLevel: 2 }, "locked", "month"],
    [{ kind: "status", status: "open" }, "editable", "open"],
    [{ kind: "status", status: "certified" }, "locked", "certified"],
    [{ kind: "status", status: "approved" }, "locked", "approved"],
  ] as const)("%j is %s, described as %s", (lock, editability, description) => {
    expect(editabilityOf(lock)).toBe(editability);
    expect(describeLockState(lock)).toBe(description);
  });
});

describe("mapping index", () => {
  it("looks up users, projects and activities by their Milltime (or Toki) id; unknown ids are undefined", () => {
    const user = buildUserLink({ tokiUserId: 3 });
    const index = indexMapping(buildMapping([user]));
    expect(index.userByToki(3)).toBe(user);
    expect(index.userByToki(4)).toBeUndefined();
    expect(index.kleerProjectFor(IDS.milltimeProject.portal)).toBe(IDS.kleerProject.portal);
    expect(index.kleerProjectFor(IDS.milltimeProject.unmapped)).toBeUndefined();
    expect(index.kleerActivityFor(IDS.milltimeActivity.meeting)).toBe(IDS.kleerActivity.meeting);
    expect(index.kleerActivityFor(IDS.milltimeProject.portal)).toBeUndefined();
  });
});

describe("errors", () => {
  it("carry their stable code, class name and cause", () => {
    const cause = new Error("socket hang up");
    const error = new TokiError("UNREACHABLE", "Kleer is down", { cause });
    expect(error).toMatchObject({ code: "UNREACHABLE", name: "TokiError", message: "Kleer is down", cause });
    expect("cause" in new TokiError("USAGE", "x")).toBe(false);
    expect(isTokiError(error)).toBe(true);
    expect(isTokiError(new Error("x"))).toBe(false);
    const http = new ProviderHttpError("PROVIDER_ERROR", "503", { system: "kleer", status: 503, method: "GET", route: "/company/{id}/event", bodyExcerpt: "busy" });
    expect(http).toMatchObject({ name: "ProviderHttpError", code: "PROVIDER_ERROR", system: "kleer", status: 503, method: "GET", route: "/company/{id}/event", bodyExcerpt: "busy" });
    expect(new InvalidResponseError("bad", "events[0].date")).toMatchObject({ name: "InvalidResponseError", code: "INVALID_RESPONSE", fieldPath: "events[0].date" });
    expect(new ConfigError("bad config", ["from: required"])).toMatchObject({ name: "ConfigError", code: "CONFIG", issues: ["from: required"] });
    expect(new ConfigError("bad config").issues).toEqual([]);
  });
});
