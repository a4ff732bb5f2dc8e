// Worker-thread entry: builds one index file from a file export (history-index-thread.ts starts
// it), so that the export's parse runs beside the run's reads of the first users, not between them.
import { parentPort, threadId, workerData } from "node:worker_threads";
import { buildIndexFile } from "./history-index-build.js";
import { createFileHistorySource } from "./file-history-source.js";
import { errorToMessage, type IndexBuildJob } from "./history-index-thread-messages.js";

const job = workerData as IndexBuildJob;
try {
  const source = createFileHistorySource({ path: job.path, timeZone: job.timeZone });
  await buildIndexFile(job.file, source, job.range, job.key);
  parentPort?.postMessage({ ok: true, threadId });
} catch (error) {
  parentPort?.postMessage({ ok: false, error: errorToMessage(error) });
}
