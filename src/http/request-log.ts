/** One HTTP request as the report's `requests` table stores it. */
export interface RequestRecord {
  system: "kleer" | "milltime" | "history";
  method: string;
  /** Ids, dates and query values templated out: `/company/{companyId}/event/{eventId}`. */
  route: string;
  /** HTTP status of the last attempt; undefined when no response arrived. */
  status: number | undefined;
  attempts: number;
  durationMs: number;
  /** First and last day a ranged read asked for (Kleer's per-user endpoints). */
  spanFrom?: string | undefined;
  spanTo?: string | undefined;
  /** The provider refused the span and the caller retried it as two halves. */
  split?: boolean | undefined;
  /**
   * The path below the client's base URL with its query, as sent (ids and dates; credentials
   * travel in headers and bodies only). Not stored in reports; the benchmark's I/O floor replays it.
   */
  path?: string | undefined;
}

/** Receives every request a client makes (the report store, a test, the benchmark). */
export interface RequestRecorder {
  record(entry: RequestRecord): void;
}

export const nullRecorder: RequestRecorder = { record() {} };

/** Collects records in memory; tests and the benchmark read `records`. */
export function createMemoryRecorder(): RequestRecorder & { records: RequestRecord[] } {
  const records: RequestRecord[] = [];
  return { records, record: (entry) => void records.push(entry) };
}

/** Fans one record out to several recorders. */
export function teeRecorders(...recorders: RequestRecorder[]): RequestRecorder {
  return { record: (entry) => recorders.forEach((r) => r.record(entry)) };
}
