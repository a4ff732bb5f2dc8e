import { ConfigError } from "../domain/errors.js";
import { parseJsonDocument, positionAt } from "./json-document.js";

/**
 * A JSON syntax error at a line and column, the place an editor jumps to (`file:line:column`).
 * Its message never quotes the file's text (a credentials file's password may stand right there),
 * and it carries no cause for the same reason: V8's own message quotes the text around the error.
 */
export class JsonSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = "JsonSyntaxError";
  }
}

/**
 * Where strict JSON text first goes wrong. jsonc-parser (strict mode: no comments, no trailing
 * commas) reports an offset for every kind of error, where V8 gives a character position for only
 * some of them and otherwise quotes the text.
 */
function locateSyntaxError(text: string, file: string, parserMessage: string): JsonSyntaxError {
  if (text.trim() === "") return new JsonSyntaxError(file, 1, 1, "the file is empty");
  try {
    parseJsonDocument(text, file);
  } catch (error) {
    // jsonc-parser's own refusal (always with its issues); anything else, a RangeError for a nesting
    // too deep for its recursion, falls through.
    const m = error instanceof ConfigError ? /:(\d+):(\d+): (.*)/.exec(error.issues[0]!) : null;
    if (m) return new JsonSyntaxError(file, Number(m[1]), Number(m[2]), m[3]!);
  }
  // jsonc-parser gave no place: V8's position, and its message cut before the text it quotes
  // (`, "…"` or, from a long text, `, ..."…"`).
  const position = /position (\d+)/.exec(parserMessage);
  const { line, column } = positionAt(text, position ? Number(position[1]) : 0);
  const reason = parserMessage.split(/, \.*"/)[0]!.replace(/ in JSON at position .*/s, "");
  return new JsonSyntaxError(file, line, column, reason.charAt(0).toLowerCase() + reason.slice(1));
}

/**
 * `JSON.parse` for a file's text; a syntax error is a JsonSyntaxError naming `file:line:column`.
 * Every JSON input (mapping, rules, credentials, history export, seeds, snapshot) goes through it.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw locateSyntaxError(text, file, error instanceof Error ? error.message : String(error));
  }
}

/**
 * `parseJsonText` for a loader: a syntax error becomes the ConfigError
 * `<refusal> (line L, column C)` with the issue `file:L:C: reason`, e.g.
 * `rules file r.json is not valid JSON (line 3, column 5)` / `r.json:3:5: a comma expected`.
 * No cause is attached: the place and the reason are all there is to say, without the text.
 */
export function parseJsonFileText(text: string, file: string, refusal: string): unknown {
  try {
    return parseJsonText(text, file);
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: parseJsonText throws only a JsonSyntaxError; the check is there for the type
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new ConfigError(`${refusal} (line ${error.line}, column ${error.column})`, [error.message]);
  }
}
