import { describe, expect, it } from "vitest";
import { createProgressReporter, HEARTBEAT_MS } from "../../src/cli/progress.js";
import { reportReplayProgress } from "../../src/cli/replay-progress.js";

/** A non-TTY stream, a clock the test moves and the heartbeat timer it fires by hand. */
function harness(isTTY = false) {
  const lines: string[] = [];
  let clock = 0;
  const ticks = new Set<() => void>();
  const reporter = createProgressReporter({
    stream: { isTTY, write: (text: string) => void lines.push(...text.split("\n").filter(Boolean)) },
    now: () => clock,
    every: (_ms, tick) => {
      ticks.add(tick);
      return () => ticks.delete(tick);
    },
  });
  const advance = (ms: number) => {
    // The timer fires in small steps, as a real interval would.
    for (let t = 0; t < ms; t += 250) {
      clock += Math.min(250, ms - t);
      for (const tick of [...ticks]) tick();
    }
  };
  return { reporter, lines, advance, timers: () => ticks.size };
}

describe("non-TTY progress", () => {
  it("prints one line per 10 % of a long step, never one per entry", () => {
    const { reporter, lines } = harness();
    for (let done = 1; done <= 942; done++) reporter.update("replay apply", "entries", { done, total: 942 });
    reporter.stop();
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("replay apply: 1/942 entries (0 %) · 0.0 s");
    expect(lines.slice(1).map((l) => /\((\d+) %\)/.exec(l)?.[1])).toEqual(["10", "20", "30", "40", "50", "60", "70", "80", "90", "100"]);
    expect(lines.at(-1)).toBe("replay apply: 942/942 entries (100 %) · 0.0 s");
  });

  it("prints one line per step when a step has fewer than ten units, with its detail", () => {
    const { reporter, lines } = harness();
    for (let done = 1; done <= 4; done++) reporter.update("compare", "users", { done, total: 4, detail: `${done} blocking` });
    reporter.stop();
    expect(lines).toEqual([
      "compare: 1/4 users (25 %) · 1 blocking · 0.0 s",
      "compare: 2/4 users (50 %) · 2 blocking · 0.0 s",
      "compare: 3/4 users (75 %) · 3 blocking · 0.0 s",
      "compare: 4/4 users (100 %) · 4 blocking · 0.0 s",
    ]);
  });

  it("is never silent longer than the heartbeat while a step runs, and quiet once it stops", () => {
    const { reporter, lines, advance, timers } = harness();
    reporter.begin("compare", "users");
    advance(HEARTBEAT_MS - 250);
    expect(lines).toEqual([]);
    advance(250);
    expect(lines).toEqual(["compare: 0 users done yet · 5.0 s (working)"]);
    reporter.update("compare", "users", { done: 1, total: 200 });
    expect(lines.at(-1)).toBe("compare: 1/200 users (0 %) · 5.0 s");
    reporter.update("compare", "users", { done: 2, total: 200 });
    advance(HEARTBEAT_MS);
    expect(lines.at(-1)).toBe("compare: 2/200 users (1 %) · 10.0 s (working)");
    expect(lines).toHaveLength(3);
    advance(HEARTBEAT_MS * 3);
    expect(lines).toHaveLength(6);
    reporter.stop();
    expect(timers()).toBe(0);
    const count = lines.length;
    advance(HEARTBEAT_MS * 2);
    expect(lines).toHaveLength(count);
  });

  it("ends a step with its last state when the last update fell between two tenths", () => {
    const { reporter, lines } = harness();
    for (let done = 1; done <= 15; done++) reporter.update("replay plan", "users", { done, total: 100 });
    reporter.update("replay apply", "entries", { done: 1, total: 3 });
    expect(lines).toEqual([
      "replay plan: 1/100 users (1 %) · 0.0 s",
      "replay plan: 10/100 users (10 %) · 0.0 s",
      "replay plan: 15/100 users (15 %) · 0.0 s",
      "replay apply: 1/3 entries (33 %) · 0.0 s",
    ]);
  });

  it("reports a replay's apply phase by entry, with the users done beside it", () => {
    const { reporter, lines } = harness();
    reportReplayProgress(reporter, { phase: "plan", done: 1, total: 1, tokiUserId: 1 });
    reportReplayProgress(reporter, { phase: "apply", done: 0, total: 2, tokiUserId: 1, entries: { done: 5, total: 10 } });
    reporter.stop();
    expect(lines).toEqual(["replay plan: 1/1 users (100 %) · 0.0 s", "replay apply: 5/10 entries (50 %) · 0/2 users done · 0.0 s"]);
  });

  it("draws no lines on a TTY (a bar redrawn in place) and starts no heartbeat", () => {
    const { reporter, lines, timers } = harness(true);
    reporter.begin("compare", "users");
    expect(timers()).toBe(0);
    reporter.stop();
    expect(lines).toEqual([]);
  });
});
