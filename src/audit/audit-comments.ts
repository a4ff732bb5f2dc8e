/**
 * Finds the comment spans of a source file so that a match inside a comment can be reported as
 * `info`. A light lexer, not a parser: it knows each language's comment markers and enough of
 * its string literals that a `//` or `#` inside a string is not taken for a comment.
 */

/** Half-open `[start, end)` offsets into the file text. */
export interface CommentSpan {
  start: number;
  end: number;
}

interface QuoteSyntax {
  quote: string;
  /** A newline ends the literal (JS/TS `'`/`"`; also recovers from JSX text such as `Don't`). */
  endsAtNewline: boolean;
}

interface CommentSyntax {
  line: readonly string[];
  block: ReadonlyArray<readonly [string, string]>;
  quotes: readonly QuoteSyntax[];
  /** Rust: block comments nest, raw strings `r#"…"#`, `'a` is a lifetime unless it closes as a char. */
  rust?: boolean;
  /** `#` starts a comment only at the start of a line or after whitespace (shell, TOML, dotenv). */
  lineMarkerNeedsSpace?: boolean;
}

const SINGLE_LINE_QUOTES: QuoteSyntax[] = [
  { quote: '"', endsAtNewline: true },
  { quote: "'", endsAtNewline: true },
];

const C_LIKE: CommentSyntax = {
  line: ["//"],
  block: [["/*", "*/"]],
  quotes: [...SINGLE_LINE_QUOTES, { quote: "`", endsAtNewline: false }],
};
const RUST: CommentSyntax = { line: ["//"], block: [["/*", "*/"]], quotes: [{ quote: '"', endsAtNewline: false }], rust: true };
const WEB_COMPONENT: CommentSyntax = { ...C_LIKE, block: [["/*", "*/"], ["<!--", "-->"]] };
const MARKUP: CommentSyntax = { line: [], block: [["<!--", "-->"]], quotes: [] };
const HASH: CommentSyntax = { line: ["#"], block: [], quotes: SINGLE_LINE_QUOTES, lineMarkerNeedsSpace: true };
const SQL: CommentSyntax = {
  line: ["--"],
  block: [["/*", "*/"]],
  quotes: [{ quote: "'", endsAtNewline: false }, { quote: '"', endsAtNewline: false }],
};

const SYNTAX_BY_EXTENSION: Record<string, CommentSyntax> = {
  rs: RUST,
  ts: C_LIKE, tsx: C_LIKE, mts: C_LIKE, cts: C_LIKE,
  js: C_LIKE, jsx: C_LIKE, mjs: C_LIKE, cjs: C_LIKE,
  css: C_LIKE, scss: C_LIKE, less: C_LIKE, jsonc: C_LIKE, json5: C_LIKE,
  go: C_LIKE, java: C_LIKE, kt: C_LIKE, swift: C_LIKE, c: C_LIKE, h: C_LIKE, cpp: C_LIKE, cs: C_LIKE,
  vue: WEB_COMPONENT, svelte: WEB_COMPONENT, astro: WEB_COMPONENT,
  html: MARKUP, htm: MARKUP, xml: MARKUP, svg: MARKUP,
  toml: HASH, yaml: HASH, yml: HASH, sh: HASH, bash: HASH, zsh: HASH, py: HASH, rb: HASH,
  env: HASH, ini: HASH, conf: HASH, cfg: HASH, properties: HASH, tf: HASH, tfvars: HASH, nix: HASH,
  sql: SQL,
};

const HASH_BASENAMES = /^(?:\.env(?:\..*)?|\.envrc|Dockerfile(?:\..*)?|Containerfile(?:\..*)?|Makefile|justfile|Justfile|Procfile|\.gitignore|\.dockerignore)$/;

function syntaxFor(relativePath: string): CommentSyntax | undefined {
  const base = relativePath.slice(relativePath.lastIndexOf("/") + 1);
  if (HASH_BASENAMES.test(base)) return HASH;
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return undefined;
  return SYNTAX_BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}

/** Whether comments are recognised in this file type (the rest of its text is all code). */
export function hasCommentSyntax(relativePath: string): boolean {
  return syntaxFor(relativePath) !== undefined;
}

/** The comment spans of `text`, in order; empty for file types without known comment syntax. */
export function findCommentSpans(relativePath: string, text: string): CommentSpan[] {
  const syntax = syntaxFor(relativePath);
  return syntax ? scan(text, syntax) : [];
}

/** Whether `offset` lies inside one of `spans` (sorted, non-overlapping). */
export function isInComment(spans: readonly CommentSpan[], offset: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid]!;
    if (offset < span.start) hi = mid - 1;
    else if (offset >= span.end) lo = mid + 1;
    else return true;
  }
  return false;
}

function scan(text: string, syntax: CommentSyntax): CommentSpan[] {
  const spans: CommentSpan[] = [];
  let i = 0;
  outer: while (i < text.length) {
    const c = text[i]!;
    for (const marker of syntax.line) {
      if (!text.startsWith(marker, i) || !lineMarkerApplies(text, i, marker, syntax)) continue;
      const end = lineEnd(text, i);
      spans.push({ start: i, end });
      i = end;
      continue outer;
    }
    for (const [open, close] of syntax.block) {
      if (!text.startsWith(open, i)) continue;
      const end = syntax.rust ? nestedBlockEnd(text, i, open, close) : plainBlockEnd(text, i + open.length, close);
      spans.push({ start: i, end });
      i = end;
      continue outer;
    }
    if (syntax.rust) {
      const skipped = skipRustLiteral(text, i);
      if (skipped !== i) {
        i = skipped;
        continue;
      }
    }
    const quote = syntax.quotes.find((q) => q.quote === c);
    if (quote) {
      i = stringEnd(text, i + 1, quote);
      continue;
    }
    i += 1;
  }
  return spans;
}

function lineMarkerApplies(text: string, i: number, marker: string, syntax: CommentSyntax): boolean {
  const before = i > 0 ? text[i - 1]! : "\n";
  // `https://host` in a string-free context (JSX text, Markdown-ish copy) is a URL, not a comment.
  if (marker === "//" && before === ":") return false;
  if (syntax.lineMarkerNeedsSpace) return /\s/.test(before);
  return true;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf("\n", from);
  return newline === -1 ? text.length : newline;
}

function plainBlockEnd(text: string, from: number, close: string): number {
  const at = text.indexOf(close, from);
  return at === -1 ? text.length : at + close.length;
}

function nestedBlockEnd(text: string, start: number, open: string, close: string): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith(open, i)) {
      depth += 1;
      i += open.length;
    } else if (text.startsWith(close, i)) {
      depth -= 1;
      i += close.length;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return text.length;
}

function stringEnd(text: string, from: number, quote: QuoteSyntax): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === quote.quote) return i + 1;
    if (c === "\n" && quote.endsAtNewline) return i;
    i += 1;
  }
  return text.length;
}

/** Skips a Rust raw/byte string or char literal starting at `i`; returns `i` when there is none. */
function skipRustLiteral(text: string, i: number): number {
  const previous = i > 0 ? text[i - 1]! : " ";
  if (/[A-Za-z0-9_]/.test(previous)) return i;
  const raw = /^(?:br|r|cr)(#*)"/.exec(text.slice(i, i + 260));
  if (raw) {
    const terminator = `"${raw[1]!}`;
    const at = text.indexOf(terminator, i + raw[0].length);
    return at === -1 ? text.length : at + terminator.length;
  }
  const prefixed = text[i] === "b" || text[i] === "c" ? 1 : 0;
  if (text[i + prefixed] !== "'") return i;
  const start = i + prefixed + 1;
  if (text[start] === "\\") {
    const close = text.indexOf("'", start + 2);
    return close === -1 || close - start > 12 ? i : close + 1;
  }
  const codePoint = text.codePointAt(start);
  if (codePoint === undefined) return i;
  const width = codePoint > 0xffff ? 2 : 1;
  // `'x'` is a char; `'a` without a closing quote is a lifetime or label and stays code.
  return text[start + width] === "'" ? start + width + 1 : i;
}
