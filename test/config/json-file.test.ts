import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { JsonSyntaxError, parseJsonText } from "../../src/config/json-file.js";
import { loadMappingFile } from "../../src/mapping/mapping-file.js";
import { loadRulesFile } from "../../src/compare/compare-rules-file.js";
import { loadMilltimeCredentials } from "../../src/milltime/milltime-credentials.js";
import { createFileHistorySource } from "../../src/history/file-history-source.js";
import { readAllTimerHistory } from "../../src/history/history-source.js";
import { loadKleerEmulatorSeed } from "../../src/emulator/kleer/kleer-emulator-run.js";
import { loadMilltimeSeed } from "../../src/emulator/milltime/milltime-emulator-seed.js";
import { openMilltimeSnapshot } from "../../src/milltime/milltime-snapshot-source.js";
import { loadTokiUsersFile } from "../../src/map/map-toki-users.js";
import { loadAuditRules } from "../../src/audit/audit-rules.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-json-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A trailing comma on line 3: column 23 is the `]` where a value was expected.
const BROKEN = '{\n  "users": [\n    { "password": 1 },]\n}\n';

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function refusal(load: (path: string) => Promise<unknown>, path: string): Promise<ConfigError> {
  const error = await load(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("JSON syntax errors give line and column", () => {
  it.each([
    ["a blank file", "  \n", 1, 1, "the file is empty"],
    ["a trailing comma", BROKEN, 3, 23, "a value expected"],
    ["an unquoted word (V8 gives no position for it)", '{\n  "a": abc\n}', 2, 8, "unexpected character"],
    ["a missing comma", "[\n  1\n  2\n]", 3, 3, "a comma expected"],
    ["an unclosed object", '{\n  "a": 1\n', 3, 1, "a closing } expected"],
    ["text after the value", "[1]\n[2]", 2, 1, "end of file expected (one JSON value per file)"],
  ])("%s", (_label, text, line, column, reason) => {
    let error: unknown;
    try {
      parseJsonText(text, "f.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).message).toBe(`f.json:${line}:${column}: ${reason}`);
  });

  const syntaxError = (text: string): JsonSyntaxError => {
    try {
      parseJsonText(text, "f.json");
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      return e as JsonSyntaxError;
    }
    throw new Error("expected a JsonSyntaxError");
  };

  it("a place past line 9 and column 9 is read whole", () => {
    const error = syntaxError(`[\n${"  1,\n".repeat(10)}  1\n           2\n]`);
    expect(error).toMatchObject({ name: "JsonSyntaxError", file: "f.json", line: 13, column: 12, reason: "a comma expected", message: "f.json:13:12: a comma expected" });
  });

  // Nested deeper than jsonc-parser's recursion goes (it gives up with a RangeError): V8's position and words are used.
  const deep = "[".repeat(100_000);
  it.each([
    ["left open", deep, "f.json:1:1: unexpected end of JSON input"],
    ["with a value left without a comma", `${deep}1 2`, "f.json:1:100003: expected ',' or ']' after array element"],
    ["with a bad key two lines down", `${deep}\n\n{"password": 1, x}`, "f.json:3:17: expected double-quoted property name"],
  ])("a file nested too deep %s", (_label, text, message) => {
    expect(syntaxError(text).message).toBe(message);
  });

  it("a file nested too deep never has its text quoted, not even the snippet V8 cuts out of a long text", () => {
    const error = syntaxError(`${deep}\n\n"s3cret-pw-4411", x`);
    expect(error.message).toBe("f.json:1:1: unexpected token 'x'");
    expect(`${error.message} ${error.reason}`).not.toMatch(/s3cret|pw-4411/);
  });

  it("parses valid JSON exactly as JSON.parse does", () => {
    const text = '{"a":[1,2.5,"x\\n",null,true],"b":{"c":"\\u00e5"}}';
    expect(parseJsonText(text, "f.json")).toEqual(JSON.parse(text));
  });

  const snapshotDir = (name: string, manifest: string): string => {
    const path = join(dir, name);
    mkdirSync(path);
    writeFileSync(join(path, "manifest.json"), manifest);
    return path;
  };

  it.each<[string, (path: string) => Promise<unknown>, string, RegExp]>([
    ["mapping file", loadMappingFile, "mapping.json", /mapping\.json is not JSON \(line 3, column 23\)$/],
    ["rules file", loadRulesFile, "rules.json", /^rules file .*rules\.json is not valid JSON \(line 3, column 23\)$/],
    ["Milltime credentials file", loadMilltimeCredentials, "credentials.json", /^the Milltime credentials file .* is not valid JSON \(line 3, column 23\)$/],
    ["timer-history JSON export", (path) => readAllTimerHistory(createFileHistorySource({ path })), "history.json", /history\.json is not valid JSON \(line 3, column 23\)$/],
    ["Kleer emulator seed", loadKleerEmulatorSeed, "kleer-seed.json", /^the Kleer emulator seed .* is not JSON \(line 3, column 23\)$/],
    ["Milltime emulator seed", loadMilltimeSeed, "milltime-seed.json", /^the Milltime emulator seed .* is not valid JSON \(line 3, column 23\)$/],
    ["Toki users file", loadTokiUsersFile, "toki-users.json", /^the Toki users file .* is not JSON \(line 3, column 23\)$/],
    ["audit rules file", loadAuditRules, "audit-rules.json", /^rules file .* is not valid JSON \(line 3, column 23\)$/],
  ])("the %s", async (_label, load, name, message) => {
    const path = write(name, BROKEN);
    const error = await refusal(load, path);
    expect(error.message).toMatch(message);
    expect(error.issues).toEqual([`${path}:3:23: a value expected`]);
    expect(`${error.message} ${error.issues.join(" ")}`).not.toMatch(/position|password/);
  });

  it("the Milltime snapshot manifest", async () => {
    const path = snapshotDir("snapshot", BROKEN);
    const error = await refusal(openMilltimeSnapshot, path);
    expect(error.message).toMatch(/manifest\.json is not valid JSON \(line 3, column 23\)$/);
    expect(error.issues).toEqual([`${join(path, "manifest.json")}:3:23: a value expected`]);
  });
});
