import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { initConfigFile, renderStarterConfig } from "../../src/config/config-init.js";
import { configFileSchema } from "../../src/config/config-file-schema.js";
import { parseJsonDocument, validateJsonDocument } from "../../src/config/json-document.js";
import { ConfigError } from "../../src/domain/errors.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-init-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The starter file `init` writes is read by people: every key in a fixed order with its
// description, the values given active, the others commented out with their default or an example.
describe("renderStarterConfig", () => {
  it("writes every key with its description; given values active, the rest commented out", () => {
    const text = renderStarterConfig({ kleer: { url: "http://127.0.0.1:8787/v1", companyId: 4875 }, range: { from: "2026-09-28" }, concurrency: 3 });
    expect(text).toBe(
      [
      "// toki-parity configuration (JSON with comments). Everything but secrets lives here.",
      "// Precedence: a flag wins over an environment variable, which wins over this file (a --profile's",
      "// keys over the top level's), which wins over the defaults shown commented out below.",
      "// Secrets never go here: the Kleer token comes from TOKI_KLEER__TOKEN or the file kleer.tokenFile",
      "// names; Milltime passwords stay in the credentials file. Check the result: toki-parity config show",
      "{",
      "  // The Kleer side.",
      "  \"kleer\": {",
      "    // Kleer API base URL ending in /v1 (flag --kleer-url, env TOKI_KLEER__BASE_URL).",
      "    \"url\": \"http://127.0.0.1:8787/v1\",",
      "    // Kleer company id (flag --kleer-company, env TOKI_KLEER__COMPANY_ID).",
      "    \"companyId\": 4875",
      "    // A file holding only the Kleer integration token, e.g. outside the repository (the flag --kleer-token and env TOKI_KLEER__TOKEN win over it).",
      "    // \"tokenFile\": \"secrets/kleer-token\",",
      "    // Longest date span one per-user Kleer read asks for, in months; a refused span is retried as two halves (flag --kleer-max-span-months).",
      "    // \"maxSpanMonths\": 12,",
      "  },",
      "  // The legacy Milltime side: live (url + credentials) or a snapshot.",
      "  \"milltime\": {",
      "    // Milltime CGI entry point, e.g. https://tenant.milltime.se/cgi/mt.cgi (flag --milltime-url, env TOKI_MILLTIME__URL).",
      "    // \"url\": \"https://tenant.milltime.se/cgi/mt.cgi\",",
      "    // Per-user Milltime credentials JSON file for live reads; the passwords stay in that file (flag --milltime-credentials).",
      "    // \"credentials\": \"milltime-credentials.json\",",
      "    // Offline snapshot directory written by `milltime export`, instead of url + credentials (flag --milltime-snapshot).",
      "    // \"snapshot\": \"snapshots/milltime\",",
      "    // Milltime tenant instance id sent at login (flag --instance-id, env TOKI_MILLTIME__INSTANCE_ID).",
      "    // \"instanceId\": \"000224.1\",",
      "  },",
      "  // Milltime→Kleer id mapping file (flag --mapping).",
      "  // \"mapping\": \"mapping.json\",",
      "  // Timer history: a postgres:// URL (no password) or a CSV/JSON export (flag --history).",
      "  // \"history\": \"postgres://toki@127.0.0.1:5432/toki\",",
      "  // SQLite report file, created when missing (flag --report).",
      "  // \"report\": \"reports/parity.sqlite\",",
      "  // Rules file: severities, tolerances, suppressions (flag --rules).",
      "  // \"rules\": \"rules.json\",",
      "  // The date range compare, replay, doctor and map read.",
      "  \"range\": {",
      "    // First day of the range, inclusive (flag --from).",
      "    \"from\": \"2026-09-28\"",
      "    // Last day of the range, inclusive (flag --to).",
      "    // \"to\": \"2026-03-31\",",
      "  },",
      "  // TimeInfo period to compare; the rules file's, else week, when absent (flag --period).",
      "  // \"period\": \"week\",",
      "  // Zone of the local registration day (flag --time-zone).",
      "  // \"timeZone\": \"Europe/Stockholm\",",
      "  // Users whose Kleer and Milltime data are read at once (flag --concurrency).",
      "  \"concurrency\": 3",
      "  // Toki user ids to process; every mapped user when absent (flag --users).",
      "  // \"users\": [1,2,3],",
      "  // Named profiles, chosen with --profile NAME; each may hold any key above, e.g.",
      "  // \"profiles\": { \"sandbox\": { \"kleer\": { \"url\": \"https://test-api.kleer.se/v1\", \"companyId\": 1 } } }",
      "}",
        "",
      ].join("\n"),
    );
    // What it writes is a valid config file holding exactly the given values (and the defaults).
    const doc = parseJsonDocument(text, "toki-parity.config.json", { comments: true });
    expect(doc.value).toEqual({ kleer: { url: "http://127.0.0.1:8787/v1", companyId: 4875 }, milltime: {}, range: { from: "2026-09-28" }, concurrency: 3 });
    expect(validateJsonDocument(doc, configFileSchema, "config file")).toMatchObject({ concurrency: 3, report: "reports/parity.sqlite", kleer: { maxSpanMonths: 12 } });
  });

  it("the last given key of a section or of the file has no trailing comma", () => {
    const text = renderStarterConfig({ users: [4, 5], milltime: { snapshot: "snap" } });
    expect(text).toContain('    "snapshot": "snap"\n');
    expect(text).toContain('  "users": [4,5]\n');
    expect(text).toContain("  },\n  // Milltime");
    expect(parseJsonDocument(text, "c.json", { comments: true }).value).toEqual({ kleer: {}, milltime: { snapshot: "snap" }, range: {}, users: [4, 5] });
    // Nothing given after the range: the range section closes the file's members, without a comma.
    const rangeLast = renderStarterConfig({ kleer: { companyId: 1 } });
    expect(rangeLast).toContain('    // "from": "2026-01-01",\n');
    expect(rangeLast).toContain('  // "users": [1,2,3],\n  // Named profiles');
    expect(rangeLast).toContain('    // "to": "2026-03-31",\n  }\n  // TimeInfo period');
  });
});

describe("initConfigFile", () => {
  const values = (entries: Array<[string, string]>) => new Map(entries);

  it("types the given texts: numbers, a user list, paths relative to the file's folder; a history URL stays as given", () => {
    const out = join(dir, "conf", "toki-parity.config.json");
    const result = initConfigFile({ cwd: dir, outFile: "conf/toki-parity.config.json", force: false, values: values([
      ["kleer.companyId", " 4875 "], ["concurrency", "6"], ["users", "1, 2 "], ["mapping", "maps/mapping.json"], ["history", "postgres://toki@127.0.0.1:5432/toki"], ["report", join(dir, "abs.sqlite")], ["rules", "conf"],
    ]) });
    expect(result).toEqual({ file: join("conf", "toki-parity.config.json"), written: ["kleer.companyId", "concurrency", "users", "mapping", "history", "report", "rules"] });
    const written = parseJsonDocument(readFileSync(out, "utf8"), out, { comments: true }).value;
    expect(written).toMatchObject({ kleer: { companyId: 4875 }, concurrency: 6, users: [1, 2], mapping: "../maps/mapping.json", history: "postgres://toki@127.0.0.1:5432/toki", report: join(dir, "abs.sqlite"), rules: "." });
  });

  it("every numeric key is a number, a token file and other paths are relative to the file's folder, a URL setting is no path", () => {
    const out = join(dir, "typed", "toki-parity.config.json");
    initConfigFile({ cwd: dir, outFile: "typed/toki-parity.config.json", force: false, values: values([
      ["kleer.maxSpanMonths", "24"], ["kleer.url", "http://127.0.0.1:8787/v1"], ["kleer.tokenFile", "secrets/kleer-token"], ["users", "12,3"], ["range.from", "2026-01-05"],
      // The history reader takes a blank-led database URL as one; a mapping is always a file.
      ["history", " postgres://toki@db/toki"], ["mapping", "postgres://toki@db/toki"],
    ]) });
    expect(parseJsonDocument(readFileSync(out, "utf8"), out, { comments: true }).value).toMatchObject({
      kleer: { maxSpanMonths: 24, url: "http://127.0.0.1:8787/v1", tokenFile: "../secrets/kleer-token" },
      users: [12, 3],
      range: { from: "2026-01-05" },
      history: " postgres://toki@db/toki",
      mapping: "../postgres:/toki@db/toki",
    });
  });

  it.each<[string, Array<[string, string]>, string[]]>([
    ["a number with a letter after it", [["kleer.companyId", "4x"]], ['--kleer-company: "4x" is not a number']],
    ["a number with a letter before it", [["concurrency", "x4"]], ['--concurrency: "x4" is not a number']],
    ["words among the users, blanks trimmed", [["users", "12, x4 ,5y"]], ['users.1: "x4" is not a number', 'users.2: "5y" is not a number']],
    ["a period of a day", [["period", "day"]], ['--period: Invalid option: expected one of "week"|"month"']],
    ["the Kleer token", [["kleer.token", "tok-1"]], [
      "--kleer-token: secrets do not belong in the config file (it is shared and committed): set TOKI_KLEER__TOKEN, or write the token to a file of its own and name that file in kleer.tokenFile",
    ]],
  ])("refuses %s, naming the flag", (_label, entries, issues) => {
    const out = join(dir, "refused.json");
    let error: unknown;
    try {
      initConfigFile({ cwd: dir, outFile: "refused.json", force: false, values: values(entries) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual(issues);
    expect(() => readFileSync(out)).toThrow();
  });

  it("a bad value names its flag and writes nothing; a word for a number says so", () => {
    const out = join(dir, "bad.json");
    const error = (() => {
      try {
        initConfigFile({ cwd: dir, outFile: "bad.json", force: false, values: values([["kleer.companyId", "abc"], ["concurrency", "0"], ["users", "1,x"]]) });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("invalid options");
    expect(error.issues).toEqual(['--kleer-company: "abc" is not a number', "--concurrency: Too small: expected number to be >=1", 'users.1: "x" is not a number']);
    expect(() => readFileSync(out)).toThrow();
  });

  it("an existing file is kept unless --force; a file outside the working directory is named by its full path", () => {
    const out = join(dir, "kept.json");
    writeFileSync(out, "{}\n");
    expect(() => initConfigFile({ cwd: dir, outFile: "kept.json", force: false, values: values([]) })).toThrow("kept.json exists already; give --force to overwrite it");
    expect(readFileSync(out, "utf8")).toBe("{}\n");
    expect(initConfigFile({ cwd: dir, outFile: "kept.json", force: true, values: values([]) }).file).toBe("kept.json");
    expect(readFileSync(out, "utf8")).toMatch(/^\/\/ toki-parity configuration/);
    const outside = join(dir, "..", `toki-parity-init-outside-${process.pid}.json`);
    try {
      expect(initConfigFile({ cwd: join(dir, "conf"), outFile: outside, force: false, values: values([]) }).file).toBe(outside);
    } finally {
      rmSync(outside, { force: true });
    }
  });
});
