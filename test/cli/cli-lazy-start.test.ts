import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Which modules a CLI start loads, recorded by a preload (ES modules through a resolve hook,
// CommonJS through Module._load): `--help` and `--version` must load command definitions only.
const root = join(import.meta.dirname, "../..");
const main = join(root, "src/cli/main.ts");
const preload = join(import.meta.dirname, "helpers/module-log.mjs");
const dir = mkdtempSync(join(tmpdir(), "toki-parity-lazy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packages a start must not load: the HTTP stack, the emulators, the report store, zod, … */
const HEAVY_PACKAGES = ["msw", "better-sqlite3", "undici", "zod", "pg", "cli-progress", "diff", "csv-parse", "papaparse", "csv-stringify", "date-fns", "@date-fns/tz", "p-limit"];

let runs = 0;
function loadedModules(args: string[]): { urls: string[]; status: number | null; stdout: string } {
  const logFile = join(dir, `modules-${runs++}.txt`);
  const result = spawnSync(process.execPath, ["--import", "tsx", "--import", preload, main, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TOKI_PARITY_MODULE_LOG: logFile },
    timeout: 60_000,
  });
  const urls = [...new Set(readFileSync(logFile, "utf8").split("\n").filter(Boolean))];
  return { urls, status: result.status, stdout: result.stdout };
}

const packagesOf = (urls: string[]) =>
  new Set(urls.flatMap((url) => {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return m ? [m[1]!] : [];
  }));

describe("lazy start", () => {
  it.each([[["--version"]], [["--help"]], [["compare", "--help"]], [["emulator", "kleer", "--help"]], [["report", "diff", "--help"]]])("%j loads no implementation and no heavy package", (args) => {
    const { urls, status, stdout } = loadedModules(args);
    expect(status).toBe(0);
    expect(stdout.length).toBeGreaterThan(0);
    const packages = packagesOf(urls);
    for (const heavy of HEAVY_PACKAGES) expect(packages.has(heavy), `${args.join(" ")} loaded ${heavy}`).toBe(false);
    expect(urls.filter((url) => url.includes("/src/cli/actions/"))).toEqual([]);
    // Only the definition of the command asked for (`--help` and `--version`: none).
    const definitions = urls.filter((url) => /\/src\/cli\/commands\/(?!manifest)/.test(url)).map((url) => url.replace(/^.*\/src\/cli\/commands\//, ""));
    expect(definitions.every((file) => args[0] !== undefined && file.startsWith(args[0]!.replace(/^--.*/, "\0")))).toBe(true);
    expect(urls.filter((url) => /\/src\/(run|replay|compare|report\/report-store|emulator\/kleer\/kleer-emulator\.ts|milltime\/milltime-http)/.test(url))).toEqual([]);
  }, 70_000);

  it("--help still lists every command and a command's help every flag", () => {
    const top = loadedModules(["--help"]);
    for (const name of ["demo", "compare", "gate", "report", "replay", "relink", "cleanup", "map", "milltime", "doctor", "probe", "audit", "emulator"]) expect(top.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    expect(packagesOf(top.urls).has("commander")).toBe(true);
    const compare = loadedModules(["compare", "--help"]);
    for (const flag of ["--from", "--to", "--mapping", "--kleer-url", "--milltime-credentials", "--history", "--report", "--shard"]) expect(compare.stdout).toContain(flag);
  }, 70_000);

  it("the recorder sees what a running command loads (CommonJS packages included)", () => {
    const { urls } = loadedModules(["gate", join(dir, "missing.sqlite")]);
    expect(urls.some((url) => url.includes("/src/cli/actions/gate.ts"))).toBe(true);
    expect(packagesOf(urls).has("better-sqlite3")).toBe(true);
  }, 70_000);

  it("the calendar loads date-fns one function at a time, not its index (~250 modules, in every run and its history worker)", () => {
    const logFile = join(dir, `modules-${runs++}.txt`);
    const calendar = pathToFileURL(join(root, "src/domain/calendar.ts")).href;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--import", preload, "--input-type=module", "-e", `await import(${JSON.stringify(calendar)});`], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TOKI_PARITY_MODULE_LOG: logFile },
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const urls = [...new Set(readFileSync(logFile, "utf8").split("\n").filter(Boolean))];
    const dateFns = urls.filter((url) => url.includes("/node_modules/date-fns/"));
    expect(dateFns.some((url) => url.includes("/getISOWeek"))).toBe(true);
    expect(dateFns.filter((url) => /\/date-fns\/index\.(c?js|mjs)$/.test(url))).toEqual([]);
    expect(dateFns.length).toBeLessThan(40);
  }, 70_000);
});
