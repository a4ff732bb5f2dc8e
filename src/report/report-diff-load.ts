import { ConfigError } from "../domain/errors.js";
import { systemClock, type Clock } from "../domain/ports.js";
import { diffRuns, type DiffSide, type ReportDiff } from "./report-diff.js";
import { isParityCommand, type ReportReader } from "./report-reader.js";
import { openReportStore } from "./report-store.js";

export interface LoadReportDiffOptions {
  /** The report file holding the later run (and the base, unless `baseFile` is given). */
  reportFile: string;
  /** A second report file: the base run comes from `reportFile`, the later run from this one. */
  otherFile?: string | undefined;
  /** The base run. @default the parity run before `runId` (one file) or the latest parity run of `reportFile` (two files) */
  baseRunId?: string | undefined;
  /** The later run. @default the latest parity run of its file */
  runId?: string | undefined;
  clock?: Clock | undefined;
}

/** Reads one run's users and findings. */
export function readDiffSide(reader: ReportReader, file: string, runId: string | undefined): DiffSide {
  const run = reader.getRun(runId);
  if (!isParityCommand(run.command)) throw new ConfigError(`run ${run.runId} of ${file} is a ${run.command} run, not a parity run: diff and baseline compare parity runs`);
  return { file, run, users: reader.readRunUsers(run.runId), findings: reader.readFindings(run.runId) };
}

/** The parity run started just before `runId` in the same file; ConfigError when there is none. */
export function previousParityRunId(reader: ReportReader, runId: string): string | undefined {
  const parity = reader.listRuns().filter((r) => isParityCommand(r.command));
  const index = parity.findIndex((r) => r.runId === runId);
  return index < 0 ? undefined : parity[index + 1]?.runId;
}

function withReader<T>(file: string, clock: Clock, use: (reader: ReportReader) => T): T {
  const store = openReportStore(file, { clock, mustExist: true });
  try {
    return use(store);
  } finally {
    store.db.close();
  }
}

/** Resolves the base and later runs (in one file or across two) and diffs them. */
export function loadReportDiff(options: LoadReportDiffOptions): ReportDiff {
  const clock = options.clock ?? systemClock;
  if (options.otherFile !== undefined) {
    const base = withReader(options.reportFile, clock, (reader) => readDiffSide(reader, options.reportFile, options.baseRunId));
    const later = withReader(options.otherFile, clock, (reader) => readDiffSide(reader, options.otherFile as string, options.runId));
    // A run compared with itself (the same file twice, or a copy) would report nothing new.
    if (base.run.runId === later.run.runId) throw new ConfigError(`the base and the later run are the same run (${base.run.runId})`, ["pass --base RUN or --run RUN to pick two different runs"]);
    return diffRuns(base, later);
  }
  return withReader(options.reportFile, clock, (reader) => {
    const later = readDiffSide(reader, options.reportFile, options.runId);
    const baseRunId = options.baseRunId ?? previousParityRunId(reader, later.run.runId);
    if (baseRunId === undefined) {
      throw new ConfigError(`${options.reportFile} holds no parity run before run ${later.run.runId}`, [
        "pass --base RUN, or a second report file to compare against",
      ]);
    }
    if (baseRunId === later.run.runId) throw new ConfigError(`the base and the later run are the same run (${baseRunId})`);
    return diffRuns(readDiffSide(reader, options.reportFile, baseRunId), later);
  });
}
