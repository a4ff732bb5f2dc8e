// Compiles the bench's compare child (scripts/bench-compare.ts and the bench modules it imports)
// to JavaScript, so that the measured compare runs under plain `node` as bin/toki-parity.js runs
// it. Under tsx's loader the compare paid for it: every module load went through tsx's hooks, and
// the timer-history worker thread, which inherits the process's `--import tsx`, started tsx too
// (about a second of CPU and 50 MB of RSS at 40 users, none of which a user's run has).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** Static `import … from "./x.js"` / `export … from "./x.js"` specifiers of compiled JavaScript (type-only imports are gone by then). */
export function relativeImportsOf(javascript: string): string[] {
  const found: string[] = [];
  for (const m of javascript.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["'](\.{1,2}\/[^"']+)["']/gm)) found.push(m[1] as string);
  for (const m of javascript.matchAll(/^\s*import\s*["'](\.{1,2}\/[^"']+)["']/gm)) found.push(m[1] as string);
  return found;
}

/**
 * Transpiles `entry` (a .ts file under `root`) and every module it imports by a relative static
 * import into `outDir`, keeping their paths below `root`, each with an inline source map back to
 * its source. No type checking (`npm run typecheck` does that); returns the compiled entry.
 * A dynamic import is not followed: the child imports the compare's module by the path it is given.
 */
export function buildCompareChild(entry: string, outDir: string, root: string = process.cwd()): string {
  const pending = [resolve(entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const source = pending.pop() as string;
    if (done.has(source)) continue;
    done.add(source);
    const rel = relative(root, source);
    if (rel.startsWith("..")) throw new Error(`the compare child imports ${source}, outside ${root}`);
    const { outputText } = ts.transpileModule(readFileSync(source, "utf8"), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, inlineSourceMap: true, inlineSources: true },
    });
    const out = join(outDir, rel.replace(/\.ts$/, ".js"));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
    for (const specifier of relativeImportsOf(outputText)) pending.push(resolve(dirname(source), specifier.replace(/\.js$/, ".ts")));
  }
  return join(outDir, relative(root, resolve(entry)).replace(/\.ts$/, ".js"));
}
