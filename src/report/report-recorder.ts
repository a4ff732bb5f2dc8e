import type { RequestRecord, RequestRecorder } from "../http/request-log.js";

/**
 * A RequestRecorder that keeps one user's request rows until the user's batch is written:
 * the rows land in the same transaction as the user's results (or not at all).
 */
export interface BufferedRequestRecorder extends RequestRecorder {
  /** Returns the buffered rows and empties the buffer. */
  drain(): RequestRecord[];
}

export function createBufferedRecorder(): BufferedRequestRecorder {
  let buffer: RequestRecord[] = [];
  return {
    record(entry) {
      buffer.push({ ...entry });
    },
    drain() {
      const out = buffer;
      buffer = [];
      return out;
    },
  };
}
