import { describe, expect, it } from "vitest";
import { CONFIG_SETTINGS, describeFileValue, envValue, settingForAttribute } from "../../src/config/config-settings.js";
import { unknownKeyMessage, unknownKeysMessage } from "../../src/config/unknown-keys.js";

// Which config key a flag fills, when an environment variable counts as given, and how a file
// value is named in messages.
describe("config settings", () => {
  it("a flag attribute maps to its key, renamed flags included, but not in a command whose flag of that name means something else", () => {
    expect(settingForAttribute("kleerUrl", "compare")?.key).toBe("kleer.url");
    expect(settingForAttribute("credentials", "compare")?.key).toBe("milltime.credentials");
    expect(settingForAttribute("milltimeCredentials", "replay")?.key).toBe("milltime.credentials");
    expect(settingForAttribute("rules", "compare")?.key).toBe("rules");
    expect(settingForAttribute("rules", "audit")).toBeUndefined();
    expect(settingForAttribute("from", "probe")).toBeUndefined();
    expect(settingForAttribute("from", "replay")?.key).toBe("range.from");
    expect(settingForAttribute("apply", "replay")).toBeUndefined();
  });

  it("only the token is a secret, and it points at kleer.tokenFile", () => {
    expect(CONFIG_SETTINGS.filter((s) => s.secret).map((s) => [s.key, s.fileKey])).toEqual([["kleer.token", "kleer.tokenFile"]]);
  });

  it("an environment variable set to the empty string is not given", () => {
    expect(envValue({ A: "x" }, "A")).toBe("x");
    expect(envValue({ A: "" }, "A")).toBeUndefined();
    expect(envValue({}, "A")).toBeUndefined();
    expect(envValue({ A: "x" }, undefined)).toBeUndefined();
  });

  it("a file value is named by key, place and profile", () => {
    expect(describeFileValue({ key: "kleer.url", value: "u", where: "c.json:3:12" })).toBe("kleer.url (c.json:3:12)");
    expect(describeFileValue({ key: "kleer.url", value: "u", where: "c.json:3:12", profile: "sandbox" })).toBe("kleer.url (c.json:3:12, profile sandbox)");
  });

  it("an unknown key offers the nearest known one only when it is near", () => {
    expect(unknownKeyMessage("pasword", ["password", "url"])).toBe('unknown key "pasword" (did you mean "password"?)');
    expect(unknownKeyMessage("colour", ["password", "url"])).toBe('unknown key "colour"');
    expect(unknownKeysMessage(["pasword", "colour"], ["password"])).toBe('unknown key "pasword" (did you mean "password"?), unknown key "colour"');
  });
});
