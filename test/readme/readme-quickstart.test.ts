import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

// Keeps the README's quickstart honest: its commands, read from README.md (never copied here),
// run in order in one bash shell, as a user pasting them line by line would, against the
// standalone emulators; only the emulator ports are swapped for free ones.
const root = join(import.meta.dirname, "../..");

/** The quickstart's commands: the first fenced block under the quickstart heading, continuation lines joined. */
export function quickstartCommands(readme: string): string[] {
  const lines = readme.split("\n");
  const heading = lines.findIndex((l) => /^#{2,3} .*quickstart/i.test(l));
  if (heading < 0) throw new Error("README.md has no quickstart heading");
  const open = lines.findIndex((l, i) => i > heading && /^```(sh|bash|shell|console)?\s*$/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^```\s*$/.test(l));
  if (open < 0 || close < 0) throw new Error("the quickstart has no fenced block");
  const commands: string[] = [];
  let pending = "";
  for (const line of lines.slice(open + 1, close)) {
    if (pending === "" && /^\s*(#.*)?$/.test(line)) continue;
    if (/\\$/.test(line)) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    commands.push(`${pending}${line}`.trim());
    pending = "";
  }
  return commands;
}

/** A free loopback port (the emulators then bind it; a clash is a test failure with exit 2). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const isBackground = (command: string) => /[^&]&\s*(#.*)?$/.test(command);

/** The bash script: each command as written, with its output and exit code recorded around it. */
function harnessScript(commands: readonly string[], out: string): string {
  const lines = ["set +e", "shopt -s expand_aliases", "exec 3>&1 4>&2"];
  commands.forEach((command, i) => {
    lines.push(`exec >"${out}/${i}.out" 2>"${out}/${i}.err"`, command, `rc=$?`, "exec 1>&3 2>&4", `echo "${i} $rc" >>"${out}/rc"`);
    if (isBackground(command)) {
      lines.push(`echo $! >>"${out}/pids"`);
      // A user waits for the emulator to say it listens before the next line; so does the harness.
      const port = /--port\s+(\d+)/.exec(command)?.[1];
      if (port) lines.push(`for _ in $(seq 1200); do (exec 5<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && break; sleep 0.1; done`);
    }
  });
  lines.push("wait");
  return `${lines.join("\n")}\n`;
}

function runBash(script: string, cwd: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd, stdio: "ignore", env: { ...process.env, TOKI_PARITY_DEBUG: "1" } });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
}

describe("the README quickstart", () => {
  const dir = mkdtempSync(join(tmpdir(), "toki-parity-quickstart-"));
  const out = join(dir, ".harness");
  afterAll(() => {
    // Emulators a failed run left behind.
    const pids = existsSync(join(out, "pids")) ? readFileSync(join(out, "pids"), "utf8").split("\n").filter(Boolean) : [];
    for (const pid of pids) {
      try {
        process.kill(Number(pid));
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("is a block of commands with a compare among them", () => {
    const commands = quickstartCommands(readFileSync(join(root, "README.md"), "utf8"));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    expect(commands.length).toBeLessThanOrEqual(12);
    expect(commands.some((c) => /^toki-parity compare\b/.test(c))).toBe(true);
  });

  it("run line by line against the standalone emulators, reaches a compare whose match rate is above 80 %", async () => {
    let commands = quickstartCommands(readFileSync(join(root, "README.md"), "utf8"));
    const ports = [...new Set(commands.flatMap((c) => [...c.matchAll(/--port\s+(\d+)/g)].map((m) => m[1]!)))];
    for (const port of ports) {
      const free = String(await freePort());
      commands = commands.map((c) => c.replace(new RegExp(`\\b${port}\\b`, "g"), free));
    }
    // The repository root as the user's working directory, but with reports of its own.
    for (const name of ["bin", "fixtures"]) symlinkSync(join(root, name), join(dir, name));
    writeFileSync(join(dir, "package.json"), readFileSync(join(root, "package.json")));
    mkdirSync(out);
    await runBash(harnessScript(commands, out), dir);

    const codes = new Map(readFileSync(join(out, "rc"), "utf8").trim().split("\n").map((l) => l.split(" ").map(Number) as [number, number]));
    const outputOf = (i: number) => `${readFileSync(join(out, `${i}.out`), "utf8")}${readFileSync(join(out, `${i}.err`), "utf8")}`;
    const transcript = commands.map((c, i) => `$ ${c}\n[exit ${codes.get(i)}]\n${outputOf(i)}`).join("\n");
    expect(codes.size, transcript).toBe(commands.length);
    // A quickstart line is never a usage, configuration, reachability or internal error.
    for (const [i, code] of codes) expect([0, 1], `${commands[i]}\n${transcript}`).toContain(code);

    const compare = commands.findIndex((c) => /^toki-parity compare\b/.test(c));
    expect(codes.get(compare), transcript).toBe(0);
    const rate = /^Match rate (\d+\.\d+) %/m.exec(readFileSync(join(out, `${compare}.out`), "utf8"));
    expect(rate, transcript).not.toBeNull();
    expect(Number(rate![1])).toBeGreaterThan(80);

    // The report file agrees with what was printed.
    const reportFile = /--report\s+(\S+)/.exec(commands[compare]!)?.[1] ?? "reports/parity.sqlite";
    const db = new Database(join(dir, reportFile), { readonly: true });
    const totals = db.prepare("SELECT SUM(matches) AS matches, SUM(compared) AS compared FROM run_users").get() as { matches: number; compared: number };
    db.close();
    expect(totals.compared).toBeGreaterThan(500);
    expect(totals.matches / totals.compared).toBeGreaterThan(0.8);
    // Progress went to stderr, the results to stdout.
    expect(readFileSync(join(out, `${compare}.out`), "utf8")).not.toMatch(/\(\d+ %\) · /);
    expect(readFileSync(join(out, `${compare}.err`), "utf8")).toMatch(/^compare: \d+\/\d+ users \(100 %\)/m);
  }, 240_000);
});
