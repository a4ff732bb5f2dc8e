import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const root = fileURLToPath(new URL("../../", import.meta.url));
const mainTs = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** The CLI as users run it (src/cli/main.ts). */
export function cliScript(): string {
  return mainTs;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Spawns `node --import tsx <cli> ...args` in the repository root (the emulators stay in the test process). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const base = { ...process.env };
  // The test's own Kleer settings come from flags only.
  for (const key of ["TOKI_KLEER__TOKEN", "TOKI_KLEER__BASE_URL", "TOKI_KLEER__COMPANY_ID", "TOKI_MILLTIME__URL"]) delete base[key];
  const child = spawn(process.execPath, ["--import", "tsx", cliScript(), ...args], {
    cwd: root,
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the CLI to the end. */
export async function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnCli(args, env).done;
}

/** The newest replay run of a report file (opened and closed again), if any. */
export function latestReplayRun(reportFile: string): string | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(reportFile, { fileMustExist: true });
    const row = db.prepare("SELECT run_id FROM runs WHERE command = 'replay' ORDER BY started_at DESC, rowid DESC LIMIT 1").get() as { run_id: string } | undefined;
    return row?.run_id;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
