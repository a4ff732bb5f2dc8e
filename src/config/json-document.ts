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
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

/** `file:line:column`, the form editors and terminals turn into a link. */
export function formatPosition(file: string, position: JsonPosition): string {
  return `${file}:${position.line}:${position.column}`;
}

function segments(path: readonly PropertyKey[]): Array<string | number> {
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
  if (errors.length > 0 || tree === undefined) {
    const issues = errors.map((e) => `${formatPosition(file, positionAt(text, e.offset))}: ${describeParseError(printParseErrorCode(e.error))}`);
    throw new ConfigError(`${file} is not valid JSON`, issues.length > 0 ? issues : [`${file}:1:1: the file is empty`]);
  }
  const root: Node = tree;
  const nodeAt = (path: readonly PropertyKey[]): Node => {
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, segments(path.slice(0, n)));
      if (node) return node;
    }
    return root;
  };
  return {
    file,
    value: parseValue(root),
    locate: (path) => positionAt(text, nodeAt(path).offset),
    locateKey: (path, key) => {
      const object = nodeAt(path);
      const property = object.type === "object" ? object.children?.find((p) => p.children?.[0]?.value === key) : undefined;
      return positionAt(text, (property ?? object).offset);
    },
  };
}

function parseValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries((node.children ?? []).map((p) => [p.children?.[0]?.value as string, p.children?.[1] ? parseValue(p.children[1]) : undefined]));
    case "array":
      return (node.children ?? []).map(parseValue);
    default:
      return node.value;
  }
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: "unexpected character",
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
  let rest = [...path];
  for (let guard = 0; current !== undefined && guard < 100; guard++) {
    const def: SchemaDef = (current as unknown as { _zod: { def: SchemaDef } })._zod.def;
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else if (rest.length === 0) return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
    else if (def.type === "object" && def.shape) current = def.shape[String(rest.shift())];
    else if (def.type === "record" && def.valueType) {
      rest.shift();
      current = def.valueType;
    } else if (def.type === "array" && def.element) {
      rest.shift();
      current = def.element;
    } else return [];
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

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const p of path) current = current !== null && typeof current === "object" ? (current as Record<PropertyKey, unknown>)[p] : undefined;
  return current;
}

/** zod's message, plus the fix for the commonest slip: a number written in quotes. */
function messageOf(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === "invalid_type" && issue.expected === "number" && typeof raw === "string" && raw.trim() !== "" && Number.isFinite(Number(raw)))
    return `expected a number, got the string "${raw}" (write it without quotes)`;
  return issue.message;
}

/** Validates a parsed document with `schema`; a failure is a ConfigError with one positioned line per problem. */
export function validateJsonDocument<S extends z.ZodType>(doc: JsonDocument, schema: S, what: string, options: DocumentIssueOptions = {}): z.output<S> {
  const parsed = schema.safeParse(doc.value);
  if (!parsed.success) throw new ConfigError(`${what} ${doc.file} is not valid`, formatDocumentIssues(doc, schema, parsed.error, options));
  return parsed.data;
}
