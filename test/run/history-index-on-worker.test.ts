// A run builds a file export's history index on a worker thread (src/run/run-sources.ts passes
// `worker: true`): on the run's own thread the parse held up every reply that arrived meanwhile.
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { threadId } from "node:worker_threads";
import { silentLogger } from "../../src/domain/ports.js";
import { buildIndexFileInWorker } from "../../src/history/history-index-thread.js";
import { openHistorySide } from "../../src/run/run-sources.js";

vi.mock("../../src/history/history-index-thread.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/history/history-index-thread.js")>();
  return { ...actual, buildIndexFileInWorker: vi.fn(actual.buildIndexFileInWorker) };
});

const history = fileURLToPath(new URL("../../fixtures/history/timer-history.csv", import.meta.url));
const range = { from: "2026-05-01", to: "2026-05-31" };

describe("a run's history index", () => {
  it("is built on a worker thread, once, and answers the users' links", async () => {
    const side = openHistorySide(history, "Europe/Stockholm", silentLogger, { indexDir: false });
    await side.prepare(range);
    const links = [];
    for (const user of [1, 2, 3, 4]) links.push(...(await side.linksFor(user, range)));
    await side.close();
    const build = vi.mocked(buildIndexFileInWorker);
    expect(build).toHaveBeenCalledTimes(1);
    expect(build.mock.calls[0]?.[0]).toMatchObject({ path: history, timeZone: "Europe/Stockholm", range });
    const { threadId: builtOn } = await (build.mock.results[0]?.value as Promise<{ threadId: number }>);
    expect(builtOn).not.toBe(threadId);
    expect(links.length).toBeGreaterThan(0);
  });
});
