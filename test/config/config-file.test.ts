import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfigFile, readSecretFile } from "../../src/config/config-file.js";
import { closestName } from "../../src/config/did-you-mean.js";
import type { ConfigError } from "../../src/domain/errors.js";
import { globalRedactor } from "../../src/http/redact.js";
import { configError } from "../config-error.js";

const root = mkdtempSync(join(tmpdir(), "toki-parity-config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh folder holding `toki-parity.config.json` with `text`. */
function folderWith(text: string): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "toki-parity.config.json"), text);
  return dir;
}

const allText = (e: ConfigError) => [e.message, ...e.issues].join("\n");

describe("config file: finding and parsing", () => {
  it("no file and no --config: nothing is loaded; --profile without a file is an error", () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    expect(loadConfigFile({ cwd: dir })).toBeUndefined();
    expect(configError(() => loadConfigFile({ cwd: dir, profile: "sandbox" })).message).toMatch(/--profile sandbox needs a config file/);
    expect(configError(() => loadConfigFile({ cwd: dir, configFile: "missing.json" })).message).toBe("--config missing.json: no such file");
  });

  it("reads JSON with comments and trailing commas; values carry file:line:column", () => {
    const dir = folderWith(`{\n  // the sandbox company\n  "kleer": { "companyId": 4875, },\n  "concurrency": 8,\n}\n`);
    const loaded = loadConfigFile({ cwd: dir });
    expect(loaded?.file).toBe("toki-parity.config.json");
    expect(loaded?.values.get("kleer.companyId")).toEqual({ key: "kleer.companyId", value: 4875, profile: undefined, where: "toki-parity.config.json:3:27" });
    expect(loaded?.values.get("concurrency")?.where).toBe("toki-parity.config.json:4:18");
  });

  it("a syntax error names line and column, not a character offset", () => {
    const dir = folderWith(`{\n  "kleer": {\n    "companyId": 4875\n    "url": "http://127.0.0.1:8787/v1"\n  }\n}\n`);
    const error = configError(() => loadConfigFile({ cwd: dir }));
    expect(error.message).toBe("toki-parity.config.json is not valid JSON");
    expect(error.issues[0]).toBe("toki-parity.config.json:4:5: a comma expected");
  });

  it("a wrong value names the key path and its line:column; a quoted number says so", () => {
    const dir = folderWith(`{\n  "kleer": { "companyId": "4875" },\n  "profiles": { "sandbox": { "concurrency": 500 } }\n}\n`);
    const error = configError(() => loadConfigFile({ cwd: dir }));
    expect(error.issues).toEqual([
      'toki-parity.config.json:2:27: kleer.companyId: expected a number, got the string "4875" (write it without quotes)',
      "toki-parity.config.json:3:45: profiles.sandbox.concurrency: Too big: expected number to be <=64",
    ]);
  });

  it("an unknown key is rejected where it is written, with the closest known key", () => {
    const dir = folderWith(`{\n  "mappnig": "mapping.json",\n  "kleer": { "URL": "http://127.0.0.1:8787/v1" },\n  "colour": "blue"\n}\n`);
    const error = configError(() => loadConfigFile({ cwd: dir }));
    expect(error.issues).toEqual([
      'toki-parity.config.json:2:3: mappnig: unknown key (did you mean "mapping"?)',
      'toki-parity.config.json:3:14: kleer.URL: unknown key (did you mean "url"?)',
      "toki-parity.config.json:4:3: colour: unknown key",
    ]);
  });

  it("closestName: a case slip always, otherwise at most a third of the letters", () => {
    expect(closestName("kleerUserID", ["kleerUserId", "tokiUserId"])).toBe("kleerUserId");
    expect(closestName("histroy", ["history", "report"])).toBe("history");
    expect(closestName("url", ["users", "rules"])).toBeUndefined();
    expect(closestName("URL", ["users", "url"])).toBe("url");
    // The closest of those near enough, wherever it stands; of names equally close, the first.
    expect(closestName("raport", ["report", "rapport2"])).toBe("report");
    expect(closestName("raport", ["rapport2", "report"])).toBe("report");
    expect(closestName("mappin", ["mapping", "mappins"])).toBe("mapping");
  });

  it("range.to before range.from is an error naming both positions", () => {
    const dir = folderWith(`{ "range": { "from": "2026-02-01", "to": "2026-01-31" } }`);
    expect(configError(() => loadConfigFile({ cwd: dir })).issues).toEqual([
      "toki-parity.config.json:1:42: range.to: 2026-01-31 is before range.from 2026-02-01 (toki-parity.config.json:1:22)",
    ]);
  });
});

describe("config file: secrets are refused and never echoed", () => {
  it("kleer.token in the file (top level or a profile) is refused, pointing at the env var and kleer.tokenFile", () => {
    const dir = folderWith(`{\n  "profiles": { "production": { "kleer": { "token": "s3cr3t-kleer-token" } } }\n}\n`);
    const error = configError(() => loadConfigFile({ cwd: dir }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(/^toki-parity\.config\.json:2:53: profiles\.production\.kleer\.token: secrets do not belong in the config file/);
    expect(error.issues[0]).toContain("TOKI_KLEER__TOKEN");
    expect(error.issues[0]).toContain("kleer.tokenFile");
    expect(allText(error)).not.toContain("s3cr3t-kleer-token");
  });

  it("a password inside a URL is refused without printing it", () => {
    const dir = folderWith(`{ "history": "postgres://toki:hunter2-pw@127.0.0.1/toki", "milltime": { "url": "https://u:pw-9876@tenant.milltime.se/cgi/mt.cgi" } }`);
    const error = configError(() => loadConfigFile({ cwd: dir }));
    expect(error.issues.map((i) => i.split(": ")[1])).toEqual(["history", "milltime.url"]);
    expect(error.issues[0]).toContain("PGPASSWORD");
    expect(allText(error)).not.toMatch(/hunter2-pw|pw-9876/);
  });

  it("an unknown key that looks like a secret says why it cannot be here", () => {
    const dir = folderWith(`{ "milltime": { "password": "letmein-42" } }`);
    const error = configError(() => loadConfigFile({ cwd: dir }));
    expect(error.issues[0]).toMatch(/milltime\.password: unknown key; secrets do not belong in the config file/);
    expect(allText(error)).not.toContain("letmein-42");
  });

  it("kleer.tokenFile: the token is read from that file, trimmed, and registered with the redactor", () => {
    const dir = folderWith(`{ "kleer": { "tokenFile": "secrets/kleer-token" } }`);
    mkdirSync(join(dir, "secrets"));
    writeFileSync(join(dir, "secrets", "kleer-token"), "tok-from-file-7731\n");
    const pointer = loadConfigFile({ cwd: root, configFile: join(dir, "toki-parity.config.json") })?.values.get("kleer.tokenFile");
    // Outside the working directory, so absolute.
    expect(pointer?.value).toBe(join(dir, "secrets", "kleer-token"));
    expect(readSecretFile(pointer!)).toBe("tok-from-file-7731");
    expect(globalRedactor.redact("sent tok-from-file-7731")).not.toContain("tok-from-file-7731");
    writeFileSync(join(dir, "secrets", "kleer-token"), " \n");
    expect(configError(() => readSecretFile(pointer!)).message).toMatch(/kleer\.tokenFile \(.*toki-parity\.config\.json:1:27\): .* is empty/);
  });
});

describe("config file: profiles and paths", () => {
  const text = JSON.stringify(
    {
      kleer: { url: "https://test-api.kleer.se/v1", companyId: 1 },
      milltime: { snapshot: "snapshots/2026" },
      report: "reports/sandbox.sqlite",
      profiles: {
        production: { kleer: { url: "https://api.kleer.se/v1", companyId: 4875 }, milltime: { url: "https://tenant.milltime.se/cgi/mt.cgi", credentials: "milltime-credentials.json" } },
        small: { concurrency: 2 },
      },
    },
    null,
    2,
  );

  it("a profile's keys win over the top level's; the others stay", () => {
    const dir = folderWith(text);
    const top = loadConfigFile({ cwd: dir })!;
    expect(top.values.get("kleer.companyId")?.value).toBe(1);
    expect(top.values.has("concurrency")).toBe(false);
    const small = loadConfigFile({ cwd: dir, profile: "small" })!;
    expect(small.values.get("concurrency")).toMatchObject({ value: 2, profile: "small" });
    expect(small.values.get("kleer.companyId")).toMatchObject({ value: 1, profile: undefined });
    const production = loadConfigFile({ cwd: dir, profile: "production" })!;
    expect(production.values.get("kleer.companyId")).toMatchObject({ value: 4875, profile: "production" });
    expect(production.values.get("report")?.value).toBe(join(dir, "reports/sandbox.sqlite"));
    expect(production.profiles).toEqual(["production", "small"]);
  });

  it("a profile that picks live Milltime replaces the top level's snapshot (and the other way round)", () => {
    const dir = folderWith(text);
    const production = loadConfigFile({ cwd: dir, profile: "production" })!;
    expect(production.values.has("milltime.snapshot")).toBe(false);
    expect(production.values.get("milltime.url")?.value).toBe("https://tenant.milltime.se/cgi/mt.cgi");
    expect(loadConfigFile({ cwd: dir })!.values.get("milltime.snapshot")?.value).toBe(join(dir, "snapshots/2026"));
  });

  it("an unknown profile lists the file's profiles and the closest name", () => {
    const dir = folderWith(text);
    expect(configError(() => loadConfigFile({ cwd: dir, profile: "prodution" })).message).toBe(
      '--profile prodution: no such profile in toki-parity.config.json; it has production, small (did you mean "production"?)',
    );
  });

  it("relative paths are resolved against the config file's folder; URLs are left alone", () => {
    const dir = folderWith(JSON.stringify({ mapping: "m/mapping.json", history: "postgres://127.0.0.1/toki", report: "/abs/r.sqlite" }));
    const loaded = loadConfigFile({ cwd: root, configFile: join(dir, "toki-parity.config.json") })!;
    expect(loaded.file).toBe(join(dir.slice(root.length + 1), "toki-parity.config.json"));
    // Paths are opened from the process's working directory (the checkout here), so outside it they are absolute.
    expect(loaded.values.get("mapping")?.value).toBe(join(dir, "m", "mapping.json"));
    expect(loaded.values.get("history")?.value).toBe("postgres://127.0.0.1/toki");
    expect(loaded.values.get("report")?.value).toBe("/abs/r.sqlite");
  });
});
