// Shards of one export share its history index: built once (a lock file lets concurrent runs
// take turns), published under its final name only complete, and keyed by content, range, zone
// and reader, so a changed export is never answered from an old index.
import { spawn } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { historyIndexKey } from "../../src/history/history-file-index.js";
import { openHistorySide } from "../../src/run/run-sources.js";
import { silentLogger } from "../../src/domain/ports.js";

const root = mkdtempSync(join(tmpdir(), "toki-parity-index-sharing-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fixture = fileURLToPath(new URL("../../fixtures/history/timer-history.csv", import.meta.url));
const range = { from: "2026-05-01", to: "2026-05-31" };
const zone = "Europe/Stockholm";
let n = 0;

function freshDirs(): { indexDir: string; history: string } {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  const history = join(dir, "history.csv");
  copyFileSync(fixture, history);
  return { indexDir: join(dir, "index"), history };
}

/** Everything a run reads from the index: each user's links and every bad row. */
const shared: string[] = [];
const logger = { ...silentLogger, info: (message: string) => void (message.includes("index shared") && shared.push(message)) };

async function readAll(history: string, indexDir: string | false): Promise<string> {
  const side = openHistorySide(history, zone, logger, { indexDir });
  await side.prepare(range);
  const links = [];
  for (const user of [1, 2, 3, 4, 99]) links.push(await side.linksFor(user, range));
  const out = JSON.stringify({ links, bad: side.unattributedBadRows(new Set()) });
  await side.close();
  return out;
}

const files = (dir: string) => readdirSync(dir).sort();

describe("history index shared by shards", () => {
  it("is built by the first run and read by the next, with the same links and bad rows as a private index", async () => {
    const { indexDir, history } = freshDirs();
    const privateRead = await readAll(history, false);
    expect(JSON.parse(privateRead).links.flat().length).toBeGreaterThan(0);
    expect(JSON.parse(privateRead).bad.length).toBeGreaterThan(0);
    shared.length = 0;
    const first = await readAll(history, indexDir);
    expect(shared).toHaveLength(0);
    const [indexFile] = files(indexDir);
    expect(files(indexDir)).toEqual([indexFile]);
    expect(indexFile).toMatch(/^[0-9a-f]{40}\.sqlite$/);
    const second = await readAll(history, indexDir);
    expect(shared).toHaveLength(1);
    expect(first).toBe(privateRead);
    expect(second).toBe(privateRead);
    expect(files(indexDir)).toEqual([indexFile]);
  });

  it("is built once when two runs of one process start together, and neither sees a half-built index", async () => {
    const { indexDir, history } = freshDirs();
    const reference = await readAll(history, false);
    shared.length = 0;
    const [a, b] = await Promise.all([readAll(history, indexDir), readAll(history, indexDir)]);
    // One built it, the other waited on the lock and read it.
    expect(shared).toHaveLength(1);
    expect(a).toBe(reference);
    expect(b).toBe(reference);
    expect(files(indexDir).filter((f) => f.endsWith(".sqlite"))).toHaveLength(1);
    expect(files(indexDir).filter((f) => !f.endsWith(".sqlite"))).toEqual([]);
  });

  it("is not corrupted by shards in separate processes building at the same moment", async () => {
    const { indexDir, history } = freshDirs();
    const reference = await readAll(history, false);
    const script = join(root, `shard-reader-${n}.mts`);
    writeFileSync(
      script,
      `import { openHistorySide } from ${JSON.stringify(fileURLToPath(new URL("../../src/run/run-sources.ts", import.meta.url)))};
const side = openHistorySide(${JSON.stringify(history)}, ${JSON.stringify(zone)}, undefined, { indexDir: ${JSON.stringify(indexDir)} });
await side.prepare(${JSON.stringify(range)});
const links = [];
for (const user of [1, 2, 3, 4, 99]) links.push(await side.linksFor(user, ${JSON.stringify(range)}));
process.stdout.write(JSON.stringify({ links, bad: side.unattributedBadRows(new Set()) }));
await side.close();
`,
    );
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (c: Buffer) => void (out += c.toString()));
        child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`shard reader exited ${code}`))));
      });
    const outs = await Promise.all([run(), run(), run()]);
    for (const out of outs) expect(out).toBe(reference);
    expect(files(indexDir).filter((f) => f.endsWith(".sqlite"))).toHaveLength(1);
    expect(files(indexDir).filter((f) => !f.endsWith(".sqlite"))).toEqual([]);
  }, 60_000);

  it("takes over a lock left by a process that died, and rebuilds for an export whose content changed", async () => {
    const { indexDir, history } = freshDirs();
    mkdirSync(indexDir, { recursive: true });
    const key = await historyIndexKey(history, range, zone);
    // pid 2^22 + 1 is above Linux's pid_max default: no such process.
    writeFileSync(join(indexDir, `${key}.sqlite.lock`), String(4_194_305));
    const reference = await readAll(history, false);
    expect(await readAll(history, indexDir)).toBe(reference);
    expect(files(indexDir)).toEqual([`${key}.sqlite`]);

    appendFileSync(history, "12,4,2026-05-20 08:00:00+00,2026-05-20 09:00:00+00,1,P,2,A,late row,2026-05-20 09:00:00+00,400000000000999999,\n");
    const changed = await readAll(history, indexDir);
    expect(changed).toBe(await readAll(history, false));
    expect(changed).not.toBe(reference);
    expect(changed).toContain("400000000000999999");
    expect(files(indexDir)).toHaveLength(2);
    // Another range or zone is another index too.
    expect(await historyIndexKey(history, { ...range, to: "2026-05-30" }, zone)).not.toBe(await historyIndexKey(history, range, zone));
    expect(await historyIndexKey(history, range, "UTC")).not.toBe(await historyIndexKey(history, range, zone));
  });

  it("rebuilds an index file that is not the complete index of its key instead of reading it", async () => {
    const { indexDir, history } = freshDirs();
    const reference = await readAll(history, false);
    const key = await historyIndexKey(history, range, zone);
    // A complete index of another export (a row more), put under this export's name.
    const other = freshDirs();
    appendFileSync(other.history, "12,4,2026-05-20 08:00:00+00,2026-05-20 09:00:00+00,1,P,2,A,late row,2026-05-20 09:00:00+00,400000000000999999,\n");
    await readAll(other.history, other.indexDir);
    const [otherFile] = files(other.indexDir);
    mkdirSync(indexDir, { recursive: true });
    copyFileSync(join(other.indexDir, otherFile as string), join(indexDir, `${key}.sqlite`));
    shared.length = 0;
    const read = await readAll(history, indexDir);
    expect(read).not.toContain("400000000000999999");
    expect(read).toBe(reference);
    expect(shared).toHaveLength(0);
    // Rebuilt in place: the next run reads it.
    expect(await readAll(history, indexDir)).toBe(reference);
    expect(shared).toHaveLength(1);
    // Not SQLite at all, or an empty file: rebuilt too.
    for (const junk of ["not an index", ""]) {
      writeFileSync(join(indexDir, `${key}.sqlite`), junk);
      expect(await readAll(history, indexDir)).toBe(reference);
    }
    expect(files(indexDir)).toEqual([`${key}.sqlite`]);
  });
});
