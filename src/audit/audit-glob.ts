/**
 * A small glob compiler for rule file patterns, matched against POSIX paths relative to the
 * audited root. Supports `**` (any number of whole segments), `*` and `?` (within a segment,
 * dotfiles included), `{a,b}` alternation (nestable) and `[...]` classes. Node's own
 * `path.matchesGlob` is still experimental on Node 20 and prints a warning on every run.
 */
export type GlobMatcher = (relativePath: string) => boolean;

/** Compiles one glob into a predicate; throws a plain Error naming the glob when it is malformed. */
export function compileGlob(glob: string): GlobMatcher {
  if (glob.length === 0) throw new Error("empty glob");
  if (glob.startsWith("/")) throw new Error(`glob "${glob}" must be relative to the audited folder`);
  const regex = new RegExp(`^${translate(glob, 0, false).source}$`, "u");
  return (relativePath) => regex.test(relativePath);
}

/** Compiles a list of globs into one predicate matching when any of them matches. */
export function compileGlobs(globs: readonly string[]): GlobMatcher {
  const matchers = globs.map(compileGlob);
  return (relativePath) => matchers.some((match) => match(relativePath));
}

interface Translated {
  source: string;
  /** Index just past the last consumed character. */
  end: number;
}

function translate(glob: string, start: number, inBraces: boolean): Translated {
  let out = "";
  let i = start;
  while (i < glob.length) {
    const c = glob[i]!;
    if (inBraces && (c === "," || c === "}")) return { source: out, end: i };
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atSegmentStart = i === 0 || glob[i - 1] === "/";
        const next = glob[i + 2];
        if (atSegmentStart && next === "/") {
          out += "(?:[^/]*/)*";
          i += 3;
          continue;
        }
        if (atSegmentStart && next === undefined) {
          out += ".*";
          i += 2;
          continue;
        }
        throw new Error(`glob "${glob}": "**" must be a whole path segment`);
      }
      out += "[^/]*";
      i += 1;
    } else if (c === "?") {
      out += "[^/]";
      i += 1;
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) throw new Error(`glob "${glob}": unclosed "["`);
      const body = glob.slice(i + 1, close);
      const negated = body.startsWith("!") || body.startsWith("^");
      const chars = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&");
      out += negated ? `[^/${chars}]` : `[${chars}]`;
      i = close + 1;
    } else if (c === "{") {
      const alternatives: string[] = [];
      let j = i + 1;
      for (;;) {
        const part = translate(glob, j, true);
        alternatives.push(part.source);
        if (part.end >= glob.length) throw new Error(`glob "${glob}": unclosed "{"`);
        j = part.end + 1;
        if (glob[part.end] === "}") break;
      }
      out += `(?:${alternatives.join("|")})`;
      i = j;
    } else {
      out += c.replace(/[.+^$()|\\\]}]/g, "\\$&");
      i += 1;
    }
  }
  if (inBraces) return { source: out, end: glob.length };
  return { source: out, end: i };
}
