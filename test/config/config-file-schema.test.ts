import { describe, expect, it } from "vitest";
import { z } from "zod";
import { configFileSchema, SECRET_REFUSED } from "../../src/config/config-file-schema.js";
import { parseJsonDocument, validateJsonDocument } from "../../src/config/json-document.js";
import { configError } from "../config-error.js";

// What toki-parity.config.json accepts, key by key, and what it says about a value it refuses
// (at the key's place, never echoing a secret).
const check = (value: unknown) => validateJsonDocument(parseJsonDocument(JSON.stringify(value), "c.json"), configFileSchema, "the config file");
const refused = (value: unknown) => configError(() => check(value)).issues.map((issue) => issue.replace(/^c\.json:\d+:\d+: /, ""));

describe("configFileSchema", () => {
  it.each<[string, unknown, string[]]>([
    ["a day that does not exist", { range: { from: "2026-02-30" } }, ["range.from: expected a real date in YYYY-MM-DD form"]],
    ["a Kleer read span of 0 months", { kleer: { maxSpanMonths: 0 } }, ["kleer.maxSpanMonths: Too small: expected number to be >=1"]],
    ["a Kleer read span of 121 months", { kleer: { maxSpanMonths: 121 } }, ["kleer.maxSpanMonths: Too big: expected number to be <=120"]],
    ["a period of a day", { period: "day" }, ['period: Invalid option: expected one of "week"|"month"']],
    ["a profile name starting with a dash", { profiles: { "-ci": {} } }, ["profiles.-ci: a profile name is letters, digits, _ . -"]],
    ["a profile name ending in a sign", { profiles: { "ci!": {} } }, ["profiles.ci!: a profile name is letters, digits, _ . -"]],
  ])("refuses %s", (_label, value, issues) => {
    expect(refused(value)).toEqual(issues);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a Kleer read span of 1 month", { kleer: { maxSpanMonths: 1 } }],
    ["a Kleer read span of 120 months", { kleer: { maxSpanMonths: 120 } }],
    ["a period of a month", { period: "month" }],
    ["a period of a week", { period: "week" }],
    ["a Milltime instance id", { milltime: { instanceId: "000224.1" } }],
    ["a rules file", { rules: "rules.json" }],
    ["a time zone", { timeZone: "Europe/Helsinki" }],
    ["profile names of letters, digits, _ . -", { profiles: { "ci_2.a-b": {}, S: {} } }],
  ])("accepts %s as written", (_label, value) => {
    expect(check(value)).toMatchObject(value);
  });

  it("a URL holding a password is refused with the fix for its key, the password never shown", () => {
    const holds = (what: string, instead: string) => `${SECRET_REFUSED}: ${what} holds a password; leave it out and ${instead}`;
    const issues = refused({
      kleer: { url: "https://u:pw-kleer-1@api.kleer.se/v1" },
      milltime: { url: "https://u:pw-milltime-2@tenant.milltime.se/cgi/mt.cgi" },
      history: "postgres://toki:pw-history-3@db/toki",
    });
    expect(issues).toEqual([
      `kleer.url: ${holds("the URL", "give the token by TOKI_KLEER__TOKEN or kleer.tokenFile")}`,
      `milltime.url: ${holds("the URL", "keep the passwords in the credentials file")}`,
      `history: ${holds("the history URL", "set PGPASSWORD or use ~/.pgpass")}`,
    ]);
    expect(issues.join("\n")).not.toMatch(/pw-kleer-1|pw-milltime-2|pw-history-3/);
  });

  it("a password is found wherever the URL parser finds one: after leading blanks, or with no slashes after the scheme", () => {
    expect(refused({ history: " postgres://toki:pw@db/toki" })).toEqual([`history: ${SECRET_REFUSED}: the history URL holds a password; leave it out and set PGPASSWORD or use ~/.pgpass`]);
    expect(refused({ milltime: { url: "https:u:pw@tenant.milltime.se/cgi/mt.cgi" } })).toEqual([
      `milltime.url: ${SECRET_REFUSED}: the URL holds a password; leave it out and keep the passwords in the credentials file`,
    ]);
    // A user without a password, and paths that only look like user-info, are no secrets.
    expect(check({ history: "postgres://toki@db/toki" })).toMatchObject({ history: "postgres://toki@db/toki" });
    expect(check({ history: "exports/a:b@c.csv" })).toMatchObject({ history: "exports/a:b@c.csv" });
    expect(check({ history: "postgres:toki:pw@db" })).toMatchObject({ history: "postgres:toki:pw@db" });
  });

  // Editors read the file's JSON schema (the $schema hint): every key says what it is for.
  it("describes the file, each key, each section's keys and a profile's keys", () => {
    type Node = { description?: string; properties?: Record<string, Node>; additionalProperties?: Node };
    const root = z.toJSONSchema(configFileSchema, { io: "input" }) as Node;
    const profile = root.properties!.profiles!.additionalProperties!;
    const described = (prefix: string, node: Node): Array<[string, string | undefined]> =>
      Object.entries(node.properties ?? {}).flatMap(([key, n]) => [[`${prefix}${key}`, n.description] as [string, string | undefined], ...described(`${prefix}${key}.`, n)]);
    const keys = [...described("", root), ...described("profile:", profile)];
    expect(root.description).toBe("toki-parity configuration file");
    expect(profile.description).toBe("One layer of settings: the file's top level or one profile.");
    expect(keys.map(([key]) => key).filter((key) => !key.startsWith("profile:"))).toEqual([
      "$schema", "$comment",
      "kleer", "kleer.url", "kleer.companyId", "kleer.tokenFile", "kleer.token", "kleer.maxSpanMonths",
      "milltime", "milltime.url", "milltime.credentials", "milltime.snapshot", "milltime.instanceId",
      "mapping", "history", "report", "rules", "range", "range.from", "range.to", "period", "timeZone", "concurrency", "users",
      "profiles",
    ]);
    expect(keys.filter(([, description]) => !description)).toEqual([]);
  });
});
