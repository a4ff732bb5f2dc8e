import { describe, expect, it } from "vitest";
import { findCommentSpans, isInComment } from "../../src/audit/audit-comments.js";

/** The text of each comment span, for readable expectations. */
function comments(file: string, text: string): string[] {
  return findCommentSpans(file, text).map((span) => text.slice(span.start, span.end));
}

describe("comment detection", () => {
  it.each([
    ["a.ts", 'const a = 1; // Milltime\nconst b = "x";', ["// Milltime"]],
    ["a.ts", "/* Milltime\n spans lines */ const a = 1;", ["/* Milltime\n spans lines */"]],
    ["a.ts", 'const url = "https://x.milltime.se"; // real', ["// real"]],
    ["a.ts", "const s = 'not // a comment';", []],
    ["a.ts", "const t = `multi\n// still string\n`;", []],
    ["a.tsx", "<a href={x}>Visit https://example.milltime.se</a>", []],
    ["a.tsx", "<p>Don't</p>\n// after an apostrophe", ["// after an apostrophe"]],
    ["a.tsx", "{/* Milltime */}<p>x</p>", ["/* Milltime */"]],
    ["a.rs", "/// Milltime client\nfn f() {}", ["/// Milltime client"]],
    ["a.rs", "/* outer /* inner */ still */ code", ["/* outer /* inner */ still */"]],
    ["a.rs", 'let s = "multi\n// line string";', []],
    ["a.rs", "fn f<'a>(x: &'a str) -> char { '/' } // c", ["// c"]],
    ["a.rs", 'let r = r#"a "quoted" // b"#; // c', ["// c"]],
    ["a.rs", "let c = '\\''; // c", ["// c"]],
    ["Cargo.toml", 'milltime = { path = "../milltime" } # old', ["# old"]],
    ["Cargo.toml", 'name = "a#b"', []],
    [".env.example", "# MILLTIME_URL=x\nURL=https://a/#frag", ["# MILLTIME_URL=x"]],
    ["x.sql", "SELECT 'a -- b'; -- Milltime\n/* c */", ["-- Milltime", "/* c */"]],
    ["index.html", "<!-- Milltime --><p>x</p>", ["<!-- Milltime -->"]],
    ["data.json", '{"a": "// no comments in JSON"}', []],
  ])("%s: %j", (file, text, expected) => {
    expect(comments(file, text)).toEqual(expected);
  });

  it("answers whether an offset lies in a comment", () => {
    const text = "a /* b */ c // d\ne";
    const spans = findCommentSpans("x.ts", text);
    expect([0, 2, 5, 9, 10, 13, 17].map((offset) => isInComment(spans, offset))).toEqual([false, true, true, false, false, true, false]);
  });
});
