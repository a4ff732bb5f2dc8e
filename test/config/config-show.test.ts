import { describe, expect, it } from "vitest";
import type { LoadedConfigFile } from "../../src/config/config-file.js";
import { defaultOf, describeKey, formatEffectiveConfig, formatEffectiveConfigJson, resolveEffectiveConfig } from "../../src/config/config-show.js";
import type { ConfigFileValue } from "../../src/config/config-settings.js";

// `config show`: for every setting the value a command gets and where it came from, flag > env >
// file (a profile over the top level) > default; a secret is never shown.
const loaded = (values: ConfigFileValue[], profile?: string): LoadedConfigFile => ({
  file: "toki-parity.config.json",
  path: "/w/toki-parity.config.json",
  profile,
  profiles: profile === undefined ? [] : [profile],
  values: new Map(values.map((v) => [v.key, v])),
});
const at = (key: string, value: unknown, where: string, profile?: string): ConfigFileValue => ({ key, value, where: `toki-parity.config.json:${where}`, profile });

describe("resolveEffectiveConfig", () => {
  it("takes each setting from the first of flag, env, file, default; unset when none", () => {
    const file = loaded([at("kleer.url", "http://127.0.0.1:1/v1", "3:12"), at("kleer.companyId", 22, "4:18", "sandbox"), at("concurrency", 6, "9:18"), at("mapping", "/w/m.json", "5:14")], "sandbox");
    const config = resolveEffectiveConfig(new Map([["concurrency", "8"]]), { TOKI_KLEER__BASE_URL: "http://127.0.0.1:2/v1", TOKI_MILLTIME__URL: "" }, file);
    const by = Object.fromEntries(config.settings.map((s) => [s.key, [s.value, s.originText]]));
    expect(by).toMatchObject({
      concurrency: ["8", "flag --concurrency"],
      "kleer.url": ["http://127.0.0.1:2/v1", "env TOKI_KLEER__BASE_URL"],
      "kleer.companyId": [22, "file:sandbox toki-parity.config.json:4:18"],
      mapping: ["/w/m.json", "file toki-parity.config.json:5:14"],
      report: ["reports/parity.sqlite", "default"],
      "milltime.url": [null, "not set"],
      "kleer.token": [null, "not set"],
    });
    expect(config.settings.find((s) => s.key === "kleer.companyId")).toMatchObject({ origin: "file", profile: "sandbox", where: "toki-parity.config.json:4:18" });
    // `config show --json` gives the origin as a word too.
    expect(config.settings.find((s) => s.key === "report")).toMatchObject({ origin: "default" });
    expect(config.settings.find((s) => s.key === "milltime.url")).toMatchObject({ origin: "unset", value: null });
    expect(config).toMatchObject({ file: "toki-parity.config.json", profile: "sandbox" });
  });

  it("a token is masked from a flag, the environment or its file; kleer.tokenFile is listed right after it", () => {
    const file = loaded([at("kleer.tokenFile", "/w/secrets/token", "6:20")]);
    const fromFile = resolveEffectiveConfig(new Map(), {}, file);
    const keys = fromFile.settings.map((s) => s.key);
    expect(keys.slice(keys.indexOf("kleer.token"), keys.indexOf("kleer.token") + 3)).toEqual(["kleer.token", "kleer.tokenFile", "kleer.companyId"]);
    expect(fromFile.settings.find((s) => s.key === "kleer.token")).toMatchObject({ value: "********", origin: "file", originText: "file toki-parity.config.json:6:20 (read from /w/secrets/token)", secret: true });
    expect(fromFile.settings.find((s) => s.key === "kleer.tokenFile")).toMatchObject({ value: "/w/secrets/token", secret: false });
    expect(resolveEffectiveConfig(new Map([["kleer.token", "tok-123"]]), {}, undefined).settings.find((s) => s.key === "kleer.token")).toMatchObject({ value: "********", origin: "flag" });
    expect(resolveEffectiveConfig(new Map(), { TOKI_KLEER__TOKEN: "tok-123" }, undefined).settings.find((s) => s.key === "kleer.token")).toMatchObject({ value: "********", origin: "env" });
    expect(resolveEffectiveConfig(new Map(), {}, undefined).settings.map((s) => s.key)).not.toContain("kleer.tokenFile");
  });

  it("a URL's password from a flag or the environment is masked; a URL without one is shown as given", () => {
    const history = (flags: Map<string, string>) => resolveEffectiveConfig(flags, {}, undefined).settings.find((s) => s.key === "history")?.value;
    expect(history(new Map([["history", "postgres://toki:s3cret@db:5432/toki"]]))).toBe("postgres://toki:********@db:5432/toki");
    expect(history(new Map([["history", "postgres://toki@db:5432/toki"]]))).toBe("postgres://toki@db:5432/toki");
    expect(history(new Map([["history", "exports/history.csv"]]))).toBe("exports/history.csv");
    expect(history(new Map([["history", "postgres://[bad"]]))).toBe("postgres://[bad");
    // The URL parser alone decides what holds a password: after leading blanks, or with no slashes after the scheme.
    expect(history(new Map([["history", " postgres://toki:s3cret@db:5432/toki"]]))).toBe("postgres://toki:********@db:5432/toki");
    expect(resolveEffectiveConfig(new Map(), { TOKI_MILLTIME__URL: "https:u:pw-77@tenant.milltime.se/cgi/mt.cgi" }, undefined).settings.find((s) => s.key === "milltime.url")?.value).toBe(
      "https://u:********@tenant.milltime.se/cgi/mt.cgi",
    );
  });
});

describe("describeKey and defaultOf", () => {
  it("read the schema's description and default through its wrappers", () => {
    expect(describeKey("kleer")).toBe("The Kleer side.");
    expect(describeKey("kleer.maxSpanMonths")).toMatch(/^Longest date span one per-user Kleer read asks for/);
    expect(describeKey("no.such")).toBe("");
    expect(describeKey("kleer.url.deeper")).toBe("");
    expect(defaultOf("no.such")).toBeUndefined();
    expect(defaultOf("kleer.url")).toBe("https://api.kleer.se/v1");
    expect(defaultOf("concurrency")).toBe(4);
    expect(defaultOf("kleer.companyId")).toBeUndefined();
  });
});

describe("formatEffectiveConfig", () => {
  it("an aligned table of key, value and origin, with the file and profile on top", () => {
    const config = { file: "c.json", profile: "sandbox", settings: [
      { key: "kleer.url", value: "http://x/v1", origin: "file" as const, originText: "file:sandbox c.json:3:12", secret: false },
      { key: "users", value: [1, 2], origin: "flag" as const, originText: "flag --users", secret: false },
      { key: "rules", value: null, origin: "unset" as const, originText: "not set", secret: false },
    ] };
    expect(formatEffectiveConfig(config)).toBe(
      [
        "Config file: c.json (profile sandbox)",
        "",
        "key        value        origin",
        "kleer.url  http://x/v1  file:sandbox c.json:3:12",
        "users      1,2          flag --users",
        "rules      –            not set",
        "",
        "Precedence: flag > env > file (a profile over the top level) > default. Secrets are shown as ********.",
        "",
      ].join("\n"),
    );
    expect(formatEffectiveConfig({ file: undefined, profile: undefined, settings: [{ key: "a", value: 1, origin: "default", originText: "default", secret: false }] }).split("\n").slice(0, 4)).toEqual([
      "Config file: none (no --config, no toki-parity.config.json here)",
      "",
      "key  value  origin",
      "a    1      default",
    ]);
    expect(JSON.parse(formatEffectiveConfigJson({ file: undefined, profile: undefined, settings: [] }))).toEqual({ file: null, profile: null, settings: [] });
    expect(formatEffectiveConfig({ file: "c.json", profile: undefined, settings: [{ key: "a", value: undefined, origin: "unset", originText: "not set", secret: false }] }).split("\n").slice(0, 4)).toEqual([
      "Config file: c.json",
      "",
      "key  value  origin",
      "a    –      not set",
    ]);
  });
});
