import { describe, expect, it } from "vitest";
import { CONFIG_SETTINGS, describeFileValue, envValue, settingForAttribute } from "../../src/config/config-settings.js";
import { resolveEffectiveConfig } from "../../src/config/config-show.js";
import { runConfigSchema } from "../../src/config/run-config.js";
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
    expect(envValue({ undefined: "x" }, undefined)).toBeUndefined();
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

  // Flags and environment variables are public: each key's flag, the option attributes that fill it,
  // its environment variable, its kind of path and the run-config option it ends up in.
  it.each<[string, string, string[], string | undefined, "file" | "file-or-url" | undefined, string]>([
    ["kleer.url", "--kleer-url", ["kleerUrl"], "TOKI_KLEER__BASE_URL", undefined, "kleer.baseUrl"],
    ["kleer.token", "--kleer-token", ["kleerToken"], "TOKI_KLEER__TOKEN", undefined, "kleer.token"],
    ["kleer.companyId", "--kleer-company", ["kleerCompany"], "TOKI_KLEER__COMPANY_ID", undefined, "kleer.companyId"],
    ["kleer.maxSpanMonths", "--kleer-max-span-months", ["kleerMaxSpanMonths"], undefined, undefined, "kleer.maxSpanMonths"],
    ["milltime.url", "--milltime-url", ["milltimeUrl"], "TOKI_MILLTIME__URL", undefined, "milltime.url"],
    ["milltime.credentials", "--milltime-credentials", ["milltimeCredentials", "credentials"], undefined, "file", "milltime.credentialsFile"],
    ["milltime.snapshot", "--milltime-snapshot", ["milltimeSnapshot"], undefined, "file", "milltime.snapshotDir"],
    ["milltime.instanceId", "--instance-id", ["instanceId"], "TOKI_MILLTIME__INSTANCE_ID", undefined, "milltime.instanceId"],
    ["mapping", "--mapping", ["mapping"], undefined, "file", "mappingFile"],
    ["history", "--history", ["history"], undefined, "file-or-url", "history"],
    ["report", "--report", ["report"], undefined, "file", "reportFile"],
    ["rules", "--rules", ["rules"], undefined, "file", "rulesFile"],
    ["range.from", "--from", ["from"], undefined, undefined, "from"],
    ["range.to", "--to", ["to"], undefined, undefined, "to"],
    ["period", "--period", ["period"], undefined, undefined, "period"],
    ["timeZone", "--time-zone", ["timeZone"], undefined, undefined, "timeZone"],
    ["concurrency", "--concurrency", ["concurrency"], undefined, undefined, "concurrency"],
    ["users", "--users", ["users"], undefined, undefined, "users"],
  ])("%s: flag %s", (key, flag, attributes, env, path, runConfigPath) => {
    const shown = (flags: Map<string, string>, environment: NodeJS.ProcessEnv) => resolveEffectiveConfig(flags, environment, undefined).settings.find((s) => s.key === key);
    for (const attribute of attributes) expect(settingForAttribute(attribute, "compare")?.key).toBe(key);
    expect(shown(new Map([[key, "v"]]), {})?.originText).toBe(`flag ${flag}`);
    if (env !== undefined) expect(shown(new Map(), { [env]: "v" })?.originText).toBe(`env ${env}`);
    const setting = CONFIG_SETTINGS.find((s) => s.key === key);
    expect([setting?.flag, setting?.attributes, setting?.env, setting?.path, setting?.runConfigPath]).toEqual([flag, attributes, env, path, runConfigPath]);
    // The option exists in the run configuration.
    const [section, leaf] = runConfigPath.split(".");
    const shape = runConfigSchema.shape as Record<string, { shape?: Record<string, unknown> }>;
    expect(leaf === undefined ? shape[section!] : shape[section!]?.shape?.[leaf]).toBeDefined();
  });

  it("the table holds exactly these keys; probe's --from and --to are its own window", () => {
    expect(CONFIG_SETTINGS.map((s) => s.key)).toEqual([
      "kleer.url", "kleer.token", "kleer.companyId", "kleer.maxSpanMonths", "milltime.url", "milltime.credentials", "milltime.snapshot", "milltime.instanceId",
      "mapping", "history", "report", "rules", "range.from", "range.to", "period", "timeZone", "concurrency", "users",
    ]);
    expect(settingForAttribute("to", "probe")).toBeUndefined();
    expect(settingForAttribute("to", "replay")?.key).toBe("range.to");
  });
});
