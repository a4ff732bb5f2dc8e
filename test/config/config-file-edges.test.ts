import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfigFile, locateConfigFile, readSecretFile } from "../../src/config/config-file.js";
import { configError } from "../config-error.js";

// Edges of reading toki-parity.config.json a user meets: where the file and profile were named
// from, a file without profiles, a one-day range, editor keys, an unreadable token file.
const root = mkdtempSync(join(tmpdir(), "toki-parity-config-edges-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function folderWith(text: string | undefined): string {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  if (text !== undefined) writeFileSync(join(dir, "toki-parity.config.json"), text);
  return dir;
}
describe("config file edges", () => {
  it("messages name the file and profile as the user gave them (an environment variable, not a flag)", () => {
    const bare = folderWith(undefined);
    expect(configError(() => loadConfigFile({ cwd: bare, configFile: "nope.json", configFrom: "TOKI_PARITY_CONFIG" })).message).toBe("TOKI_PARITY_CONFIG nope.json: no such file");
    expect(configError(() => loadConfigFile({ cwd: bare, profile: "ci", profileFrom: "TOKI_PARITY_PROFILE" })).message).toBe(
      "TOKI_PARITY_PROFILE ci needs a config file: give --config FILE or create toki-parity.config.json here (toki-parity init)",
    );
    expect(locateConfigFile({ cwd: bare })).toBeUndefined();
    const withFile = folderWith("{}");
    expect(locateConfigFile({ cwd: withFile })).toBe(join(withFile, "toki-parity.config.json"));
    expect(configError(() => loadConfigFile({ cwd: withFile, profile: "ci", profileFrom: "TOKI_PARITY_PROFILE" })).message).toBe(
      "TOKI_PARITY_PROFILE ci: no such profile in toki-parity.config.json; it has no profiles",
    );
  });

  it("a one-day range is fine; editor keys ($schema, $comment) are no settings", () => {
    const dir = folderWith('{ "$schema": "./schema.json", "$comment": "team file", "range": { "from": "2026-03-02", "to": "2026-03-02" } }');
    const loaded = loadConfigFile({ cwd: dir });
    expect([...loaded!.values.keys()]).toEqual(["range.from", "range.to"]);
    expect(loaded).toMatchObject({ file: "toki-parity.config.json", profiles: [] });
  });

  it("a profile's values win and say so; the profile's own range is checked against the top level's", () => {
    const dir = folderWith('{\n  "range": { "from": "2026-03-01" },\n  "profiles": { "late": { "range": { "to": "2026-02-01" } } }\n}');
    const error = configError(() => loadConfigFile({ cwd: dir, profile: "late" }));
    expect(error.issues).toEqual(["toki-parity.config.json:3:44: range.to: 2026-02-01 is before range.from 2026-03-01 (toki-parity.config.json:2:22)"]);
    expect(loadConfigFile({ cwd: dir })!.values.get("range.from")).toMatchObject({ value: "2026-03-01", profile: undefined, where: "toki-parity.config.json:2:22" });
  });

  it("a token file that cannot be read names the key, the file and the reason, never a content", () => {
    const pointer = { key: "kleer.tokenFile", value: join(root, "absent-token"), where: "c.json:2:20" };
    const error = configError(() => readSecretFile(pointer));
    expect(error.message).toBe(`kleer.tokenFile (c.json:2:20): cannot read ${join(root, "absent-token")}: ENOENT`);
    expect(error.issues).toEqual([]);
    expect(error.cause).toMatchObject({ code: "ENOENT" });
  });

  it("a config file that cannot be read (a folder) says so with the reason; a refused file is named in the message", () => {
    const dir = folderWith(undefined);
    mkdirSync(join(dir, "as-folder.json"));
    const unreadable = configError(() => loadConfigFile({ cwd: dir, configFile: "as-folder.json" }));
    expect(unreadable.message).toBe("cannot read the config file as-folder.json: EISDIR: illegal operation on a directory, read");
    expect(unreadable.issues).toEqual([]);
    expect(unreadable.cause).toMatchObject({ code: "EISDIR" });
    expect(configError(() => loadConfigFile({ cwd: folderWith('{ "concurrency": 0 }') })).message).toBe("the config file toki-parity.config.json is not valid");
    expect(configError(() => loadConfigFile({ cwd: folderWith('{ "range": { "from": "2026-03-02", "to": "2026-03-01" } }') })).message).toBe(
      "the config file toki-parity.config.json is not valid",
    );
  });

  it("an unknown key that looks like a secret (a passphrase, an API key) says why it cannot be here", () => {
    const dir = folderWith('{ "milltime": { "passphrase": "p", "apikey": "a", "api_key": "b", "api-key": "c" } }');
    const issues = configError(() => loadConfigFile({ cwd: dir })).issues;
    expect(issues.map((issue) => issue.replace(/^\S+ /, ""))).toEqual(
      ["passphrase", "apikey", "api_key", "api-key"].map((key) => `milltime.${key}: unknown key; secrets do not belong in the config file (it is shared and committed): give secrets by the environment or a file the config names`),
    );
  });
});

describe("config file: values as commands get them", () => {
  it("a path naming the working directory itself stays absolute, never an empty path", () => {
    const loaded = loadConfigFile({ cwd: folderWith(JSON.stringify({ milltime: { snapshot: process.cwd() } })) });
    expect(loaded!.values.get("milltime.snapshot")?.value).toBe(process.cwd());
  });

  it("a history the history reader takes for a database URL stays as written; any other text, and every other path key, is a path", () => {
    // Each file in a folder of its own: a path comes back resolved against that folder.
    const resolved = (key: string, layer: Record<string, unknown>) => {
      const dir = folderWith(JSON.stringify(layer));
      return String(loadConfigFile({ cwd: dir })!.values.get(key)?.value).replace(dir, "<dir>");
    };
    expect(resolved("history", { history: "postgresql://toki@db/toki" })).toBe("postgresql://toki@db/toki");
    // The reader trims the text, so a leading blank still names the database.
    expect(resolved("history", { history: " postgres://toki@db/toki" })).toBe(" postgres://toki@db/toki");
    expect(resolved("history", { history: "exports/history.csv" })).toBe(join("<dir>", "exports", "history.csv"));
    expect(resolved("mapping", { mapping: "postgres://toki@db/toki" })).toBe(join("<dir>", "postgres:", "toki@db", "toki"));
  });

  it("the top level's values, profiles and editor keys aside, are the settings", () => {
    const dir = folderWith('{ "$comment": "x", "concurrency": 2, "profiles": { "ci": { "concurrency": 3 } } }');
    expect([...loadConfigFile({ cwd: dir })!.values.keys()]).toEqual(["concurrency"]);
    expect(loadConfigFile({ cwd: dir, profile: "ci" })!.values.get("concurrency")).toMatchObject({ value: 3, profile: "ci" });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["a Milltime URL alone replaces the top level's snapshot", { url: "https://t.milltime.se/cgi/mt.cgi" }, ["milltime.url"]],
    ["credentials alone replace the top level's snapshot", { credentials: "c.json" }, ["milltime.credentials"]],
    ["an instance id alone keeps the top level's snapshot", { instanceId: "000224.2" }, ["milltime.snapshot", "milltime.instanceId"]],
  ])("a profile's Milltime mode: %s", (_label, milltime, keys) => {
    const dir = folderWith(JSON.stringify({ milltime: { snapshot: "snap" }, profiles: { p: { milltime } } }));
    expect([...loadConfigFile({ cwd: dir, profile: "p" })!.values.keys()].filter((key) => key.startsWith("milltime."))).toEqual(keys);
  });

  it("a profile's snapshot replaces the top level's live Milltime; a profile without Milltime keeps it", () => {
    const dir = folderWith(JSON.stringify({ milltime: { url: "https://t.milltime.se/cgi/mt.cgi", credentials: "c.json" }, profiles: { offline: { milltime: { snapshot: "snap" } }, small: { concurrency: 2 } } }));
    const milltimeKeys = (profile: string) => [...loadConfigFile({ cwd: dir, profile })!.values.keys()].filter((key) => key.startsWith("milltime."));
    expect(milltimeKeys("offline")).toEqual(["milltime.snapshot"]);
    expect(milltimeKeys("small")).toEqual(["milltime.url", "milltime.credentials"]);
  });
});
