import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { z } from "zod";
import { ConfigError } from "../domain/errors.js";
import { didYouMean } from "./did-you-mean.js";

/** A 1-based place in a text file, as editors show it. */
export interface JsonPosition {
  line: number;
  column: number;
}

/** A parsed JSON (or JSONC) file that still knows where each value stood. */
export interface JsonDocument {
  /** The name the file is shown with in messages. */
  file: string;
  value: unknown;
  /** Where the value at `path` starts; for a path that is absent, where its nearest present parent starts. */
  locate(path: readonly PropertyKey[]): JsonPosition;
  /** Where the key `key` of the object at `path` is written. */
  locateKey(path: readonly PropertyKey[], key: string): JsonPosition;
}

export interface ParseJsonOptions {
  /** Accept `//` and block comments and trailing commas (JSONC, as in tsconfig.json). @default false */
  comments?: boolean;
}

/** 1-based line and column of a character offset (an offset past the end is the end). */
export function positionAt(text: string, offset: number): JsonPosition {
  const end = Math.min(offset, text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** `file:line:column`, the form editors and terminals turn into a link. */
export function formatPosition(file: string, position: JsonPosition): string {
  return `${file}:${position.line}:${position.column}`;
}

function segments(path: readonly PropertyKey[]): Array<string | number> {
  // Stryker disable next-line ConditionalExpression: a symbol key (never in parsed JSON) is found neither as itself nor as its text
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

/**
 * Parses JSON text keeping positions; a syntax error is a ConfigError naming the line and column
 * (never the file's content, which may hold a secret).
 */
export function parseJsonDocument(text: string, file: string, options: ParseJsonOptions = {}): JsonDocument {
  const errors: ParseError[] = [];
  const comments = options.comments ?? false;
  const tree = parseTree(text, errors, { disallowComments: !comments, allowTrailingComma: comments, allowEmptyContent: false });
  // With empty content not allowed, jsonc-parser gives no tree only along with an error (an empty file: "a value expected").
  if (
    errors.length > 0 ||
    // Stryker disable next-line ConditionalExpression: as said above, never without an error
    tree === undefined
  )
    throw new ConfigError(`${file} is not valid JSON`, errors.map((e) => `${formatPosition(file, positionAt(text, e.offset))}: ${describeParseError(printParseErrorCode(e.error))}`));
  const root: Node = tree;
  // The empty path finds the root, so the walk up to the nearest present parent ends there.
  const nodeAt = (path: readonly PropertyKey[]): Node => findNodeAtLocation(root, segments(path)) ?? nodeAt(path.slice(0, -1));
  return {
    file,
    value: parseValue(root),
    locate: (path) => positionAt(text, nodeAt(path).offset),
    locateKey: (path, key) => {
      const object = nodeAt(path);
      // The key's value node has the property as its parent, which starts where the key is written.
      const property = findNodeAtLocation(object, [key])?.parent;
      return positionAt(text, (property ?? object).offset);
    },
  };
}

// A tree parsed without errors gives every object and array its children, and every property its key and value.
function parseValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries(node.children!.map((p) => [p.children![0]!.value as string, parseValue(p.children![1]!)]));
    case "array":
      return node.children!.map(parseValue);
    default:
      return node.value;
  }
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: "unexpected character",
    // Stryker disable next-line StringLiteral: jsonc-parser 3 scans only number texts Number() reads, so it never reports this one
    InvalidNumberFormat: "not a valid number",
    PropertyNameExpected: "a key in double quotes expected",
    ValueExpected: "a value expected",
    ColonExpected: "a colon expected",
    CommaExpected: "a comma expected",
    CloseBraceExpected: "a closing } expected",
    CloseBracketExpected: "a closing ] expected",
    EndOfFileExpected: "end of file expected (one JSON value per file)",
    InvalidCommentToken: "comments are not allowed in this file",
    UnexpectedEndOfComment: "a comment is not closed",
    UnexpectedEndOfString: "a string is not closed",
    UnexpectedEndOfNumber: "a number is cut off",
    InvalidUnicode: "invalid \\u escape",
    InvalidEscapeCharacter: "invalid escape character",
    InvalidCharacter: "invalid character in a string",
  };
  return words[code] ?? code;
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
}

/** The keys an object schema at `path` accepts (wrappers unwrapped), for a "did you mean". */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  const rest = [...path];
  // Each kind is known by the part it holds: a wrapper's innerType, a pipe's input, an object's shape,
  // a record's valueType, an array's element. The walk ends: an unwrapped schema was built before its
  // wrapper, and every other step takes one part of the path.
  while (current !== undefined) {
    const def: SchemaDef = (current as unknown as { _zod: { def: SchemaDef } })._zod.def;
    const inner = def.innerType ?? def.in;
    if (inner) current = inner;
    else if (rest.length === 0) return def.shape ? Object.keys(def.shape) : [];
    else {
      const part = rest.shift();
      current = def.shape ? def.shape[String(part)] : (def.valueType ?? def.element);
    }
  }
  return [];
}

/** `kleer.url`, `users[2]`: a key path as users write it. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("") || "(top level)";
}

export interface DocumentIssueOptions {
  /** A message of its own for an unknown key (e.g. one that looks like a secret), instead of "unknown key". */
  unknownKey?: (path: readonly PropertyKey[], key: string) => string | undefined;
}

/** One `file:line:column: key.path: message` line per zod issue; an unknown key gets a "did you mean". */
export function formatDocumentIssues(doc: JsonDocument, schema: z.ZodType, error: z.ZodError, options: DocumentIssueOptions = {}): string[] {
  const lines: Array<{ at: JsonPosition; text: string }> = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const own = options.unknownKey?.(issue.path, key);
        lines.push({ at: doc.locateKey(issue.path, key), text: `${pathText([...issue.path, key])}: ${own ?? `unknown key${didYouMean(key, known)}`}` });
      }
      continue;
    }
    lines.push({ at: doc.locate(issue.path), text: `${pathText(issue.path)}: ${messageOf(issue, valueAt(doc.value, issue.path))}` });
  }
  return lines.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column).map((l) => `${formatPosition(doc.file, l.at)}: ${l.text}`);
}

/** The value at a zod issue's path in the input that was parsed (undefined when it is not there). */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const p of path)
    current =
      typeof current === "object" &&
      // Stryker disable next-line ConditionalExpression: zod reports no path below a null, so a null is only ever the last step
      current !== null
        ? (current as Record<PropertyKey, unknown>)[p]
        : undefined;
  return current;
}

/** zod's message, plus the fix for the commonest slip: a number written in quotes. */
function messageOf(issue: z.core.$ZodIssue, raw: unknown): string {
  // zod 4 wraps a record key's refusal as "Invalid key in record": the key's own rule says more.
  if (issue.code === "invalid_key") return issue.issues.map((inner) => inner.message).join("; ");
  if (
    typeof raw === "string" &&
    // Stryker disable next-line ConditionalExpression: only an invalid_type issue carries `expected` (zod 4); the check is there for the type
    issue.code === "invalid_type" &&
    issue.expected === "number" &&
    raw.trim() !== "" &&
    Number.isFinite(Number(raw))
  )
    return `expected a number, got the string "${raw}" (write it without quotes)`;
  return issue.message;
}

/** Validates a parsed document with `schema`; a failure is a ConfigError with one positioned line per problem. */
export function validateJsonDocument<S extends z.ZodType>(doc: JsonDocument, schema: S, what: string, options: DocumentIssueOptions = {}): z.output<S> {
  const parsed = schema.safeParse(doc.value);
  if (!parsed.success) throw new ConfigError(`${what} ${doc.file} is not valid`, formatDocumentIssues(doc, schema, parsed.error, options));
  return parsed.data;
}
