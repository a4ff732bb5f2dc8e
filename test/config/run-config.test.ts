import { describe, expect, it } from "vitest";
import { parseRunConfig, RUN_CONFIG_OPTION_NAMES } from "../../src/config/run-config.js";

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
