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
    expect(configError(() => readSecretFile(pointer)).message).toBe(`kleer.tokenFile (c.json:2:20): cannot read ${join(root, "absent-token")}: ENOENT`);
  });
});
