import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatZodIssues, parseRunConfig, RUN_CONFIG_OPTION_NAMES, runConfigSchema } from "../../src/config/run-config.js";

// A run's configuration, refused with an error naming the flag (or where the value came from),
// never run with a value the user did not mean.
const valid = (change: Record<string, unknown> = {}) => ({
  from: "2026-03-01",
  to: "2026-03-31",
  kleer: { token: "t-1", companyId: 11 },
  milltime: { snapshotDir: "snap" },
  mappingFile: "mapping.json",
  reportFile: "r.sqlite",
  ...change,
});

describe("parseRunConfig", () => {
  it("fills the defaults and drops a trailing slash of the Kleer URL", () => {
    const { config, errors, warnings } = parseRunConfig(valid({ kleer: { token: "t-1", companyId: "11", baseUrl: "http://127.0.0.1:4010/v1//" } }));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({ timeZone: "Europe/Stockholm", concurrency: 4, kleer: { baseUrl: "http://127.0.0.1:4010/v1", companyId: 11 } });
    expect(parseRunConfig(valid()).config?.kleer.baseUrl).toBe("https://api.kleer.se/v1");
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["a range running backwards", { from: "2026-04-01" }, ["--from 2026-04-01 is after --to 2026-03-31"]],
    ["a date that does not exist", { to: "2026-02-30" }, ["--to: expected a real date in YYYY-MM-DD form"]],
    ["a shard index past its count", { shard: { index: 3, count: 2 } }, ["--shard: shard index must be between 1 and the shard count"]],
    ["concurrency 0", { concurrency: 0 }, ["--concurrency: Too small: expected number to be >=1"]],
    ["concurrency 65", { concurrency: 65 }, ["--concurrency: Too big: expected number to be <=64"]],
    ["a word for a number", { concurrency: "four" }, ['--concurrency: "four" is not a number']],
    ["a long word for a number is cut", { concurrency: "x".repeat(50) }, [`--concurrency: "${"x".repeat(40)}…" is not a number`]],
    ["a word of 40 characters for a number, shown whole", { concurrency: "x".repeat(40) }, [`--concurrency: "${"x".repeat(40)}" is not a number`]],
    // A blank text is no word to quote: zod's own message says what was given.
    ["a blank text for a number", { concurrency: "   " }, ["--concurrency: Invalid input: expected number, received string"]],
    ["an empty text for a number", { concurrency: "" }, ["--concurrency: Invalid input: expected number, received string"]],
    ["a Kleer read span of 0 months", { kleer: { token: "t", companyId: 1, maxSpanMonths: 0 } }, ["--kleer-max-span-months: Too small: expected number to be >=1"]],
    ["a Kleer read span of 121 months", { kleer: { token: "t", companyId: 1, maxSpanMonths: 121 } }, ["--kleer-max-span-months: Too big: expected number to be <=120"]],
    ["a Kleer URL that is no URL", { kleer: { token: "t", companyId: 1, baseUrl: "nope" } }, ["--kleer-url / TOKI_KLEER__BASE_URL: Invalid URL"]],
    ["a first day that is no date", { from: "2026-13-01" }, ["--from: expected a real date in YYYY-MM-DD form"]],
    ["a period of a day", { period: "day" }, ['--period: Invalid option: expected one of "week"|"month"']],
    ["users as one text", { users: "1,2" }, ["--users: Invalid input: expected array, received string"]],
    ["a time zone that is a number", { timeZone: 5 }, ["--time-zone: Invalid input: expected string, received number"]],
    ["a history that is a number", { history: 5 }, ["--history: Invalid input: expected string, received number"]],
    ["a missing mapping file", { mappingFile: undefined }, ["--mapping: is required but was not given"]],
    ["a rules file that is a number", { rulesFile: 5 }, ["--rules: Invalid input: expected string, received number"]],
    ["an empty token", { kleer: { token: "", companyId: 11 } }, ["--kleer-token / TOKI_KLEER__TOKEN: the Kleer token is empty"]],
    ["a company id that is not a number", { kleer: { token: "t", companyId: "abc" } }, ['--kleer-company / TOKI_KLEER__COMPANY_ID: "abc" is not a number']],
    ["a missing company id", { kleer: { token: "t" } }, ["--kleer-company / TOKI_KLEER__COMPANY_ID: is required but was not given"]],
    ["a missing report file", { reportFile: undefined }, ["--report: is required but was not given"]],
    ["both a snapshot and live Milltime", { milltime: { snapshotDir: "snap", url: "https://t.milltime.se/cgi/mt.cgi", credentialsFile: "c.json" } }, [
      "give either --milltime-snapshot or --milltime-url with --milltime-credentials, not both: the snapshot comes from --milltime-snapshot, the Milltime URL from --milltime-url / TOKI_MILLTIME__URL and the credentials from --milltime-credentials",
    ]],
    ["a snapshot and only a URL", { milltime: { snapshotDir: "snap", url: "https://t.milltime.se/cgi/mt.cgi" } }, [
      "give either --milltime-snapshot or --milltime-url with --milltime-credentials, not both: the snapshot comes from --milltime-snapshot, the Milltime URL from --milltime-url / TOKI_MILLTIME__URL",
    ]],
    ["a snapshot and only credentials", { milltime: { snapshotDir: "snap", credentialsFile: "c.json" } }, [
      "give either --milltime-snapshot or --milltime-url with --milltime-credentials, not both: the snapshot comes from --milltime-snapshot, the credentials from --milltime-credentials",
    ]],
    ["live Milltime without credentials", { milltime: { url: "https://t.milltime.se/cgi/mt.cgi" } }, ["the Milltime side needs --milltime-snapshot DIR, or --milltime-url URL with --milltime-credentials FILE"]],
    ["no Milltime side at all", { milltime: {} }, ["the Milltime side needs --milltime-snapshot DIR, or --milltime-url URL with --milltime-credentials FILE"]],
  ])("refuses %s", (_label, change, errors) => {
    const result = parseRunConfig(valid(change));
    expect(result.errors).toEqual(errors);
    expect(result.config).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a one-day range", { from: "2026-03-31", to: "2026-03-31" }],
    ["the last shard", { shard: { index: 2, count: 2 } }],
    ["a Kleer read span of 1 month", { kleer: { token: "t-1", companyId: 11, maxSpanMonths: 1 } }],
    ["a Kleer read span of 120 months", { kleer: { token: "t-1", companyId: 11, maxSpanMonths: 120 } }],
    ["period week", { period: "week" }],
    ["period month", { period: "month" }],
  ])("accepts %s as given", (_label, change) => {
    const result = parseRunConfig(valid(change));
    expect(result.errors).toEqual([]);
    expect(result.config).toMatchObject(change);
  });

  it("a missing value names the config key too when there is one; an unnamed path is shown as it is", () => {
    expect(parseRunConfig(valid({ reportFile: undefined }), RUN_CONFIG_OPTION_NAMES, { reportFile: "report" }).errors).toEqual([
      "--report: is required but was not given (or set report in the config file)",
    ]);
    expect(parseRunConfig(valid({ reportFile: undefined }), {}).errors).toEqual(["reportFile: is required but was not given"]);
    expect(parseRunConfig("nothing", {}).errors).toEqual(["(root): Invalid input: expected object, received string"]);
  });

  it("live Milltime with credentials is accepted; Kleer's test API is accepted with a warning", () => {
    expect(parseRunConfig(valid({ milltime: { url: "https://t.milltime.se/cgi/mt.cgi", credentialsFile: "c.json" } })).errors).toEqual([]);
    const test = parseRunConfig(valid({ kleer: { token: "t", companyId: 1, baseUrl: "https://test-api.kleer.se/v1" } }));
    expect(test.errors).toEqual([]);
    expect(test.warnings).toEqual(["Kleer's test API keeps its own storage: what it holds is invisible in my.kleer.se"]);
    expect(test.config?.kleer.baseUrl).toBe("https://test-api.kleer.se/v1");
  });

  it("a cross-field error keeps the warnings and gives no config", () => {
    const result = parseRunConfig(valid({ from: "2026-04-01", kleer: { token: "t", companyId: 1, baseUrl: "https://test-api.kleer.se/v1" } }));
    expect(result).toEqual({ config: undefined, errors: ["--from 2026-04-01 is after --to 2026-03-31"], warnings: ["Kleer's test API keeps its own storage: what it holds is invisible in my.kleer.se"] });
  });
});

describe("formatZodIssues", () => {
  const issuesOf = (input: unknown) => runConfigSchema.safeParse(input).error!;

  it("without the input (as the probe and map options call it) names zod's message; without config keys a missing value is still named", () => {
    const input = valid({ concurrency: "four", kleer: { token: "t" } });
    expect(formatZodIssues(issuesOf(input), {})).toEqual(["concurrency: Invalid input: expected number, received string", "kleer.companyId: is required but was not given"]);
    expect(formatZodIssues(issuesOf(input), RUN_CONFIG_OPTION_NAMES, { input })).toEqual([
      '--concurrency: "four" is not a number',
      "--kleer-company / TOKI_KLEER__COMPANY_ID: is required but was not given",
    ]);
  });
});

describe("runConfigSchema", () => {
  // The schema is public (src/index.ts): its JSON schema documents every key of a run's configuration.
  it("describes the configuration, each key and each key of the Kleer and Milltime sections", () => {
    type Node = { description?: string; properties?: Record<string, Node> };
    const root = z.toJSONSchema(runConfigSchema, { io: "input" }) as Node;
    const described = (node: Node): Array<[string, string | undefined]> => Object.entries(node.properties ?? {}).map(([key, n]) => [key, n.description]);
    const keys = [...described(root), ...described(root.properties!.kleer!), ...described(root.properties!.milltime!)];
    expect(root.description).toBe("toki-parity run configuration");
    expect(keys.map(([key]) => key)).toEqual([
      "from", "to", "period", "users", "timeZone", "concurrency", "shard", "kleer", "milltime", "history", "mappingFile", "rulesFile", "reportFile",
      "baseUrl", "token", "companyId", "maxSpanMonths",
      "url", "credentialsFile", "snapshotDir", "instanceId",
    ]);
    expect(keys.filter(([, description]) => !description)).toEqual([]);
  });
});
