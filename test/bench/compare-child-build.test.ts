import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildCompareChild, relativeImportsOf } from "../../scripts/bench/compare-child-build.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "toki-parity-child-build-"));
  dirs.push(dir);
  return dir;
};

describe("the bench's compiled compare child", () => {
  it("follows static relative imports and re-exports, not packages, node's modules or dynamic imports", () => {
    const js = [
      'import { a } from "./a.js";',
      'export { b } from "../b.js";',
      'import "./side-effect.js";',
      'import { readFileSync } from "node:fs";',
      'import pLimit from "p-limit";',
      'const m = await import("../src/run/run-compare.js");',
    ].join("\n");
    expect(relativeImportsOf(js)).toEqual(["./a.js", "../b.js", "./side-effect.js"]);
  });

  it("compiles scripts/bench-compare.ts and the bench modules it imports into JavaScript plain node runs", () => {
    const out = tempDir();
    const entry = buildCompareChild("scripts/bench-compare.ts", out);
    expect(entry).toBe(join(out, "scripts", "bench-compare.js"));
    for (const file of ["scripts/bench-compare.js", "scripts/bench/request-plan.js", "scripts/bench/profile-session.js"]) expect(existsSync(join(out, file)), file).toBe(true);
    // io-floor imports undici and p-limit, which a child compiled outside the project could not resolve.
    expect(existsSync(join(out, "scripts/bench/io-floor.js"))).toBe(false);
    const child = readFileSync(entry, "utf8");
    expect(child).not.toMatch(/from\s*["']tsx/);
    expect(child).toContain("sourceMappingURL=data:application/json");
    // No loader: node itself imports the compiled plan module and runs it.
    const printed = execFileSync(process.execPath, [
      "--input-type=module",
      "-e",
      `const { plannedRequestOf } = await import(${JSON.stringify(join(out, "scripts/bench/request-plan.js"))});
       console.log(JSON.stringify(plannedRequestOf(7, { system: "kleer", method: "GET", route: "r", status: 200, attempts: 1, durationMs: 1, path: "/p" })));`,
    ]).toString();
    expect(JSON.parse(printed)).toEqual({ tokiUserId: 7, system: "kleer", method: "GET", path: "/p", status: 200 });
  });

  it("refuses a module outside the project root", () => {
    const out = tempDir();
    expect(() => buildCompareChild("scripts/bench-compare.ts", out, join(process.cwd(), "scripts", "bench"))).toThrow(/outside/);
  });
});
