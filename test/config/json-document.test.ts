import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError } from "../../src/domain/errors.js";
import { formatDocumentIssues, formatPosition, knownKeysAt, parseJsonDocument, pathText, positionAt, validateJsonDocument } from "../../src/config/json-document.js";

// What a user is told about a configuration file: where (file:line:column, as editors link it)
// and what, one line per problem in the order they appear in the file.
const refusal = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
};

describe("positionAt", () => {
  it("counts lines from 1 and columns from 1 after the last line break; an offset past the end is the end", () => {
    const text = 'ab\ncd\n\nef';
    expect(positionAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt(text, 2)).toEqual({ line: 1, column: 3 });
    expect(positionAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(positionAt(text, 7)).toEqual({ line: 4, column: 1 });
    expect(positionAt(text, 9)).toEqual({ line: 4, column: 3 });
    expect(positionAt(text, 50)).toEqual({ line: 4, column: 3 });
    expect(formatPosition("c.json", { line: 4, column: 3 })).toBe("c.json:4:3");
  });
});

describe("parseJsonDocument", () => {
  it("plain JSON refuses comments and trailing commas; with comments it reads them", () => {
    const text = '{\n  // a note\n  "a": [1, 2,],\n}';
    expect(refusal(() => parseJsonDocument(text, "f.json")).issues).toEqual([
      "f.json:2:3: comments are not allowed in this file",
      "f.json:3:14: a value expected",
      "f.json:4:1: a key in double quotes expected",
      "f.json:4:1: a value expected",
    ]);
    expect(parseJsonDocument(text, "f.json", { comments: true }).value).toEqual({ a: [1, 2] });
  });

  it("every syntax error is named in words, at its place; an empty file says so", () => {
    const issues = (text: string) => refusal(() => parseJsonDocument(text, "f.json")).issues;
    expect(issues("")).toEqual(["f.json:1:1: a value expected"]);
    expect(refusal(() => parseJsonDocument("", "f.json")).message).toBe("f.json is not valid JSON");
    expect(issues('{"a" 1}')).toEqual(["f.json:1:6: a colon expected"]);
    expect(issues("[1 2]")).toEqual(["f.json:1:4: a comma expected"]);
    expect(issues("[1")).toEqual(["f.json:1:3: a closing ] expected"]);
    expect(issues('{"a":1')).toEqual(["f.json:1:7: a closing } expected"]);
    expect(issues('"abc')).toEqual(["f.json:1:1: a string is not closed"]);
    expect(issues('{"a": 1.}')).toEqual(["f.json:1:7: a number is cut off"]);
    expect(issues("1 2")).toEqual(["f.json:1:3: end of file expected (one JSON value per file)"]);
    expect(issues('"\\u12"')).toEqual(["f.json:1:1: invalid \\u escape"]);
    expect(issues('"\\q"')).toEqual(["f.json:1:1: invalid escape character"]);
    expect(issues('"a\u0001"')).toEqual(["f.json:1:1: invalid character in a string"]);
    expect(issues("/* open")).toEqual(["f.json:1:1: comments are not allowed in this file", "f.json:1:8: a value expected"]);
    expect(refusal(() => parseJsonDocument("/* open", "f.json", { comments: true })).issues).toEqual(["f.json:1:1: a comment is not closed", "f.json:1:8: a value expected"]);
  });

  it("keeps each value's place, and an absent path falls back to its nearest present parent", () => {
    const doc = parseJsonDocument('{\n  "kleer": {\n    "url": "x",\n    "ids": [1, 22]\n  }\n}', "c.json");
    expect(doc.value).toEqual({ kleer: { url: "x", ids: [1, 22] } });
    expect(doc.locate(["kleer", "url"])).toEqual({ line: 3, column: 12 });
    expect(doc.locate(["kleer", "ids", 1])).toEqual({ line: 4, column: 16 });
    expect(doc.locate(["kleer", "missing", "deeper"])).toEqual({ line: 2, column: 12 });
    expect(doc.locate(["nothing"])).toEqual({ line: 1, column: 1 });
    expect(doc.locateKey(["kleer"], "url")).toEqual({ line: 3, column: 5 });
    expect(doc.locateKey(["kleer"], "absent")).toEqual({ line: 2, column: 12 });
    expect(doc.locateKey(["kleer", "ids"], "0")).toEqual({ line: 4, column: 12 });
  });
});

const schema = z
  .object({
    kleer: z.object({ url: z.string(), companyId: z.number() }).strict().optional(),
    profiles: z.record(z.string(), z.object({ concurrency: z.number().default(4) }).strict()).optional(),
    users: z.array(z.object({ name: z.string() }).strict()).default([]),
    range: z.object({ from: z.string() }).strict().transform((r) => r),
  })
  .strict();

describe("knownKeysAt and pathText", () => {
  it("finds the keys an object accepts through optional, default, pipe, record and array", () => {
    expect(knownKeysAt(schema, [])).toEqual(["kleer", "profiles", "users", "range"]);
    expect(knownKeysAt(schema, ["kleer"])).toEqual(["url", "companyId"]);
    expect(knownKeysAt(schema, ["profiles", "sandbox"])).toEqual(["concurrency"]);
    expect(knownKeysAt(schema, ["users", 3])).toEqual(["name"]);
    expect(knownKeysAt(schema, ["range"])).toEqual(["from"]);
    expect(knownKeysAt(schema, ["kleer", "url"])).toEqual([]);
    expect(knownKeysAt(schema, ["kleer", "url", "deeper"])).toEqual([]);
    expect(knownKeysAt(schema, ["nope", "x"])).toEqual([]);
  });

  it("writes key paths as users do", () => {
    expect(pathText(["kleer", "url"])).toBe("kleer.url");
    expect(pathText(["users", 2, "name"])).toBe("users[2].name");
    expect(pathText([])).toBe("(top level)");
  });
});

describe("validateJsonDocument", () => {
  const text = ['{', '  "users": [{ "name": 5 }],', '  "kleer": { "url": "u", "companyId": "42", "compnyId": 1 },', '  "range": { "from": "x" },', '  "extra": true', '}'].join("\n");

  it("one positioned line per problem, in file order; an unknown key gets the closest known one; a quoted number is named", () => {
    const doc = parseJsonDocument(text, "c.json");
    const error = refusal(() => validateJsonDocument(doc, schema, "config file"));
    expect(error.message).toBe("config file c.json is not valid");
    expect(error.issues).toEqual([
      "c.json:2:23: users[0].name: Invalid input: expected string, received number",
      'c.json:3:39: kleer.companyId: expected a number, got the string "42" (write it without quotes)',
      'c.json:3:45: kleer.compnyId: unknown key (did you mean "companyId"?)',
      "c.json:5:3: extra: unknown key",
    ]);
  });

  it("a key's own message replaces 'unknown key'; a string that is no number keeps zod's message", () => {
    const doc = parseJsonDocument('{ "kleer": { "url": "u", "companyId": "4x", "token": "t" }, "range": { "from": "x" } }', "c.json");
    const parsed = schema.safeParse(doc.value);
    expect(parsed.success).toBe(false);
    const issues = formatDocumentIssues(doc, schema, parsed.error!, { unknownKey: (path, key) => (key === "token" ? `${pathText([...path, key])} belongs in the environment` : undefined) });
    expect(issues).toEqual(["c.json:1:39: kleer.companyId: Invalid input: expected number, received string", "c.json:1:45: kleer.token: kleer.token belongs in the environment"]);
    const other = parseJsonDocument('{ "kleer": { "url": "u", "companyId": true }, "range": { "from": "x" } }', "c.json");
    expect(refusal(() => validateJsonDocument(other, schema, "config file")).issues).toEqual(["c.json:1:39: kleer.companyId: Invalid input: expected number, received boolean"]);
    const blank = parseJsonDocument('{ "kleer": { "url": "u", "companyId": " " }, "range": { "from": "x" } }', "c.json");
    expect(refusal(() => validateJsonDocument(blank, schema, "config file")).issues).toEqual(["c.json:1:39: kleer.companyId: Invalid input: expected number, received string"]);
  });

  it("a number in quotes where a section or a word belongs keeps zod's message", () => {
    const doc = parseJsonDocument('{ "kleer": "42", "period": "7" }', "c.json");
    const words = z.object({ kleer: z.object({ url: z.string() }), period: z.enum(["week", "month"]) });
    expect(refusal(() => validateJsonDocument(doc, words, "config file")).issues).toEqual([
      "c.json:1:12: kleer: Invalid input: expected object, received string",
      'c.json:1:28: period: Invalid option: expected one of "week"|"month"',
    ]);
  });

  it("a record key breaking its rules gets those rules' own messages, not zod's 'Invalid key in record'", () => {
    const doc = parseJsonDocument('{ "P": 1 }', "c.json");
    const names = z.record(z.string().min(2, "at least two letters").regex(/^[a-z]+$/, "lower-case letters only"), z.number());
    expect(refusal(() => validateJsonDocument(doc, names, "config file")).issues).toEqual(["c.json:1:8: P: at least two letters; lower-case letters only"]);
  });

  it("a valid document gives the schema's output, defaults filled", () => {
    const doc = parseJsonDocument('{ "range": { "from": "x" }, "profiles": { "a": {} } }', "c.json");
    expect(validateJsonDocument(doc, schema, "config file")).toEqual({ range: { from: "x" }, profiles: { a: { concurrency: 4 } }, users: [] });
  });
});
