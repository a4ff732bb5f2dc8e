// A file export's index is built on a worker thread (src/history/history-index-thread.ts): the
// index it writes must be the one the run's own thread would write, and a bad export must fail
// the same way — a ConfigError with the same message and issues — whichever thread parsed it.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { createFileHistorySource } from "../../src/history/file-history-source.js";
import { buildIndexFile } from "../../src/history/history-index-build.js";
import { openHistoryFileIndex } from "../../src/history/history-file-index.js";
import { readAllTimerHistory } from "../../src/history/history-source.js";
import { buildIndexFileInWorker } from "../../src/history/history-index-thread.js";
import { errorFromMessage, errorToMessage } from "../../src/history/history-index-thread-messages.js";

const dir = mkdtempSync(join(tmpdir(), "toki-parity-index-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = fileURLToPath(new URL("../../fixtures/history/timer-history.csv", import.meta.url));
const range = { from: "2026-05-01", to: "2026-05-31" };
const timeZone = "Europe/Stockholm";
let n = 0;

function tables(file: string): { links: unknown[]; bad: unknown[]; meta: unknown[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      links: db.prepare("SELECT toki_user_id, links_json FROM links ORDER BY rowid").all(),
      bad: db.prepare("SELECT row_json FROM bad_rows ORDER BY rowid").all(),
      meta: db.prepare("SELECT key, format FROM meta").all(),
    };
  } finally {
    db.close();
  }
}

async function bothWays(path: string): Promise<{ here: unknown; worker: unknown }> {
  const here = join(dir, `here-${++n}.sqlite`);
  const there = join(dir, `worker-${n}.sqlite`);
  const hereResult = await buildIndexFile(here, createFileHistorySource({ path, timeZone }), range, "k").then(() => tables(here), (e: unknown) => e);
  const workerResult = await buildIndexFileInWorker({ file: there, path, timeZone, range, key: "k" }).then(({ threadId: id }) => {
    // Built on a thread of its own, not on this one.
    expect(id).toBeGreaterThan(0);
    expect(id).not.toBe(threadId);
    return tables(there);
  }, (e: unknown) => e);
  return { here: hereResult, worker: workerResult };
}

describe("history index built on a worker thread", () => {
  it("writes the same links, bad rows and meta row as a build on the run's own thread", async () => {
    const path = join(dir, "history.csv");
    copyFileSync(fixture, path);
    const { here, worker } = await bothWays(path);
    const built = worker as ReturnType<typeof tables>;
    expect(built.links.length).toBeGreaterThan(0);
    expect(built.bad.length).toBeGreaterThan(0);
    expect(built.meta).toEqual([{ key: "k", format: 4 }]);
    expect(worker).toEqual(here);
  });

  it("gives each user's links in file order across many batches of interleaved users, as the export reads", async () => {
    // More links than one write batch (5,000), users interleaved unevenly: a user's rows are
    // written per batch, and reading them back must keep the file's order.
    const header = "id,user_id,start_time,end_time,project_id,project_name,activity_id,activity_name,note,created_at,registration_id";
    const lines = [header];
    for (let id = 1; id <= 12_500; id++) {
      const user = id % 7 === 0 ? 3 : id % 3 === 0 ? 2 : 1;
      const minute = String(id % 60).padStart(2, "0");
      const day = String(1 + (id % 28)).padStart(2, "0");
      lines.push(`${id},${user},2026-05-${day} 08:${minute}:00+00,2026-05-${day} 09:${minute}:00+00,p,P,a,A,note ${id},,${400000000000000000 + id}`);
    }
    const path = join(dir, "many.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const index = await openHistoryFileIndex({ source: createFileHistorySource({ path, timeZone }), filePath: path, range, timeZone, indexDir: false, worker: true });
    try {
      const { links } = await readAllTimerHistory(createFileHistorySource({ path, timeZone }), { range });
      for (const user of [1, 2, 3]) {
        const expected = links.filter((l) => l.tokiUserId === user);
        expect(expected.length).toBeGreaterThan(1000);
        expect(index.linksOf(user)).toEqual(expected);
      }
      expect(index.linksOf(4)).toEqual([]);
    } finally {
      index.close();
    }
  });

  it("fails a broken export with the ConfigError, message and issues of a build on the run's own thread", async () => {
    const path = join(dir, "broken.csv");
    writeFileSync(path, 'id,user_id,start_time,end_time,registration_id\n1,2,"2026-05-04T07:00:00+00:00,unclosed\n');
    const { here, worker } = await bothWays(path);
    expect(here).toBeInstanceOf(ConfigError);
    expect(worker).toBeInstanceOf(ConfigError);
    expect((worker as ConfigError).message).toMatch(/cannot read .*broken\.csv at line \d+: Quote Not Closed/);
    expect((worker as ConfigError).message).toBe((here as ConfigError).message);
    expect((worker as ConfigError).issues).toEqual((here as ConfigError).issues);
  });

  it("fails an export that is not a timer_history export with its issues", async () => {
    const path = join(dir, "columns.csv");
    writeFileSync(path, "id,user_id\n1,2\n");
    const { here, worker } = await bothWays(path);
    expect((worker as ConfigError).issues).toEqual((here as ConfigError).issues);
    expect((worker as ConfigError).issues.join("\n")).toMatch(/missing column\(s\) start_time, end_time, registration_id/);
  });

  it("rejects with the build's own error when the index file cannot be written", async () => {
    const path = join(dir, "ok.csv");
    copyFileSync(fixture, path);
    const error = await buildIndexFileInWorker({ file: join(dir, "no-such-dir", "x.sqlite"), path, timeZone, range, key: "k" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/directory does not exist|unable to open/i);
  });

  it("carries an error across the thread as its class, message and issues", () => {
    const config = errorFromMessage(errorToMessage(new ConfigError("bad export", ["history: line 3"])));
    expect(config).toBeInstanceOf(ConfigError);
    expect(config).toMatchObject({ message: "bad export", issues: ["history: line 3"] });
    const other = errorFromMessage(errorToMessage(new RangeError("too far")));
    expect(other).not.toBeInstanceOf(ConfigError);
    expect(other).toMatchObject({ name: "RangeError", message: "too far" });
    expect(errorFromMessage(errorToMessage("plain"))).toMatchObject({ name: "Error", message: "plain" });
  });
});
