import { Presets, SingleBar } from "cli-progress";

/** Where progress goes: stderr in the CLI, so stdout keeps only the results. */
export interface ProgressStream {
  isTTY?: boolean | undefined;
  write(text: string): unknown;
}

/** One update of a long step: `done` of `total` units, with a short detail (`2 blocking`). */
export interface StepUpdate {
  done: number;
  total: number;
  detail?: string | undefined;
}

export interface ProgressReporter {
  /**
   * Reports a step's progress. A new step name ends the previous step; the first update of a
   * step starts it (and its heartbeat).
   */
  update(step: string, unit: string, update: StepUpdate): void;
  /** Starts a step before its first unit is done, so the heartbeat covers the wait for it. */
  begin(step: string, unit: string): void;
  /** Ends the current step (prints its last line when a non-TTY line is still owed). */
  stop(): void;
}

export interface ProgressOptions {
  /** @default process.stderr */
  stream?: ProgressStream | undefined;
  /** Milliseconds since some origin. @default Date.now */
  now?: (() => number) | undefined;
  /** Runs `tick` every `ms` until the returned function is called. @default an unref'd setInterval */
  every?: ((ms: number, tick: () => void) => () => void) | undefined;
  /** Longest silence on a non-TTY stream while a step runs. @default HEARTBEAT_MS */
  heartbeatMs?: number | undefined;
}

/** A non-TTY log (CI, `2> file`, a pipe) hears from a running step at least this often. */
export const HEARTBEAT_MS = 5_000;

const defaultEvery = (ms: number, tick: () => void) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

const percent = (done: number, total: number) => (total === 0 ? 100 : Math.floor((done * 100) / total));

/**
 * Progress of long steps (compare per user, replay apply, milltime export). On a TTY a
 * cli-progress bar redrawn in place; elsewhere one line per 10 % (and when the step completes),
 * plus a heartbeat line when the step has been quiet for `heartbeatMs`: never a line per entry,
 * never minutes of silence in a CI log.
 */
export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const every = options.every ?? defaultEvery;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const tty = stream.isTTY === true;

  let step: string | undefined;
  let unit = "";
  let last: StepUpdate | undefined;
  let startedAt = 0;
  let lastLineAt = 0;
  let lastDecile = -1;
  let printed: StepUpdate | undefined;
  let stopTimer: (() => void) | undefined;
  let bar: SingleBar | undefined;

  const seconds = () => `${((now() - startedAt) / 1000).toFixed(1)} s`;
  const line = (u: StepUpdate | undefined, note = "") => {
    const count = u ? `${u.done}/${u.total} ${unit} (${percent(u.done, u.total)} %)` : `0 ${unit} done yet`;
    stream.write(`${step}: ${count}${u?.detail ? ` · ${u.detail}` : ""} · ${seconds()}${note}\n`);
    lastLineAt = now();
    printed = u;
  };

  const end = () => {
    stopTimer?.();
    stopTimer = undefined;
    if (bar) bar.stop();
    else if (step !== undefined && last && last !== printed && !tty) line(last);
    bar = undefined;
    step = undefined;
    last = undefined;
  };

  const start = (name: string, unitName: string) => {
    if (step === name) return;
    end();
    step = name;
    unit = unitName;
    startedAt = lastLineAt = now();
    lastDecile = -1;
    printed = undefined;
    if (tty) return;
    stopTimer = every(Math.max(250, Math.floor(heartbeatMs / 5)), () => {
      if (step !== undefined && now() - lastLineAt >= heartbeatMs) line(last, " (working)");
    });
  };

  return {
    begin: start,
    update(name, unitName, u) {
      start(name, unitName);
      last = u;
      if (tty) {
        if (!bar) {
          bar = new SingleBar({ format: `${name} {bar} {value}/{total} ${unitName}{detail}`, stream: stream as NodeJS.WriteStream }, Presets.shades_classic);
          bar.start(u.total, u.done, { detail: u.detail ? ` · ${u.detail}` : "" });
        } else {
          bar.setTotal(u.total);
          bar.update(u.done, { detail: u.detail ? ` · ${u.detail}` : "" });
        }
        return;
      }
      const decile = Math.floor(percent(u.done, u.total) / 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        line(u);
      }
    },
    stop: end,
  };
}
