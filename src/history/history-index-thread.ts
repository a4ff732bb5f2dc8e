// Starts the index build of a file export on a worker thread. A run reads its first users'
// Kleer and Milltime data while the export is parsed (the largest fixed cost of a run over a long
// history); on one thread the parse held up every reply that arrived meanwhile.
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { errorFromMessage, type IndexBuildJob, type IndexBuildReply } from "./history-index-thread-messages.js";

/**
 * The worker of this module's own build: compiled JavaScript in a package, TypeScript in a
 * source checkout (run by tsx or vitest), where the worker registers tsx itself, since a
 * loader of the parent thread does not reach a worker.
 */
function startWorker(job: IndexBuildJob): Worker {
  const self = fileURLToPath(import.meta.url);
  const entry = new URL(`./history-index-worker${extname(self)}`, import.meta.url);
  if (extname(self) !== ".ts") return new Worker(entry, { workerData: job });
  // tsx's ESM API (its CommonJS build cannot be loaded from a worker's eval'd code).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData: job });
}

/**
 * Builds the index file `job.file` on a worker thread and resolves with that thread's id;
 * rejects with the build's error (a ConfigError for a bad export).
 */
export function buildIndexFileInWorker(job: IndexBuildJob): Promise<{ threadId: number }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, threadId = -1) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve({ threadId });
    };
    const worker = startWorker(job);
    worker.on("message", (reply: IndexBuildReply) => (reply.ok ? settle(undefined, reply.threadId) : settle(errorFromMessage(reply.error))));
    worker.on("error", (error) => settle(error));
    worker.on("exit", (code) => settle(new Error(`the timer-history index worker stopped (exit code ${code}) before it finished the index`)));
  });
}
