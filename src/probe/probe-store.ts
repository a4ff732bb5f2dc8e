import type Database from "better-sqlite3";
import { globalRedactor, type SecretRedactor } from "../http/redact.js";
import type { RequestRecord } from "../http/request-log.js";

/** The verdict of one probe step. */
export type ProbeVerdict = "pass" | "fail" | "skip";

/** One step as the report's `probe_steps` table holds it. */
export interface ProbeStepRecord {
  seq: number;
  step: string;
  verdict: ProbeVerdict;
  detail: string;
  durationMs: number;
  /** The step's requests: `GET /company/{companyId}/event/{eventId} → 200`. */
  requests: string[];
}

export function describeRequest(r: RequestRecord): string {
  return `${r.method} ${r.route} → ${r.status ?? "no response"}`;
}

/** Writes probe steps, each with its request rows, in one transaction per step. */
export interface ProbeReportWriter {
  writeStep(step: Omit<ProbeStepRecord, "seq" | "requests">, requests: readonly RequestRecord[]): ProbeStepRecord;
}

export function createProbeReportWriter(db: Database.Database, runId: string, userKey: number, redactor: SecretRedactor = globalRedactor): ProbeReportWriter {
  const insertStep = db.prepare(
    "INSERT INTO probe_steps (run_id, seq, step, verdict, detail, duration_ms, requests_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertRequest = db.prepare(
    "INSERT INTO requests (run_id, user_key, system, method, route, status, attempts, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  let seq = 0;
  const write = db.transaction((record: ProbeStepRecord, requests: readonly RequestRecord[]) => {
    insertStep.run(runId, record.seq, record.step, record.verdict, record.detail, record.durationMs, JSON.stringify(record.requests));
    for (const r of requests) insertRequest.run(runId, userKey, r.system, r.method, redactor.redact(r.route), r.status ?? null, r.attempts, r.durationMs);
  });
  return {
    writeStep(step, requests) {
      seq += 1;
      const record: ProbeStepRecord = {
        ...step,
        seq,
        detail: redactor.redact(step.detail),
        requests: requests.map((r) => redactor.redact(describeRequest(r))),
      };
      write.immediate(record, requests);
      return record;
    },
  };
}

/** The steps of a probe run, in order (tests and exports read them). */
export function readProbeSteps(db: Database.Database, runId: string): ProbeStepRecord[] {
  const rows = db.prepare("SELECT * FROM probe_steps WHERE run_id = ? ORDER BY seq").all(runId) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    seq: Number(r.seq),
    step: String(r.step),
    verdict: r.verdict as ProbeVerdict,
    detail: String(r.detail),
    durationMs: Number(r.duration_ms),
    requests: JSON.parse(String(r.requests_json)) as string[],
  }));
}
