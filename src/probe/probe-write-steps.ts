import { TokiError } from "../domain/errors.js";
import type { DateRange, IsoDate } from "../domain/time-entry.js";
import { compareReadBack, describeWrite, probeWrite, type ProbeTarget, type ProbeWrite } from "./probe-plan.js";
import type { ProbeContext } from "./probe-run.js";
import { describeError, stepFail, stepPass, stepSkip, type ProbeStepName, type StepOutcome } from "./probe-steps.js";
import { runLockedDaySteps } from "./probe-locked-steps.js";

/** Length of the probe's event before and after the edit. */
const CREATE_MINUTES = 90;
const EDIT_MINUTES = 135;

const day = (date: IsoDate): DateRange => ({ from: date, to: date });

/** The write steps: the round trip, the locked-day refusal, and the cleanup (always, in `finally`). */
export async function runWriteSteps(ctx: ProbeContext): Promise<void> {
  const { runner } = ctx;
  const target = ctx.target;
  const eventDate = ctx.eventDate;
  const reason = ctx.blockedBy ?? (!target ? "no project and activity to write on" : !eventDate ? "no open day to write on" : undefined);
  if (reason !== undefined || !target || !eventDate) {
    for (const step of ["create", "read-back", "edit", "read-back-edited", "delete", "verify-deleted", "locked-create", "locked-guard", "cleanup"] as const)
      await runner.run(step, async () => stepSkip(`not run: ${reason ?? "a read step failed"}`));
    return;
  }
  const note = `toki-parity probe ${ctx.runId}`;
  const base = { timeZone: ctx.options.timeZone, project: target.project, foreignId: ctx.foreignId };
  const first = probeWrite({ ...base, date: eventDate, minutes: CREATE_MINUTES, activity: target.createActivity, note });
  const second = probeWrite({ ...base, date: eventDate, minutes: EDIT_MINUTES, activity: target.editActivity, note: `${note} (edited)` });
  if (ctx.mode === "dry-run") return describeDryRun(ctx, target, first, second);

  const created = new Set<string>();
  const deleted = new Set<string>();
  try {
    await roundTrip(ctx, first, second, created, deleted);
    await runLockedDaySteps(ctx, target, note, created);
  } finally {
    await runner.run("cleanup", () => cleanup(ctx, created, deleted));
  }
}

async function roundTrip(ctx: ProbeContext, first: ProbeWrite, second: ProbeWrite, created: Set<string>, deleted: Set<string>): Promise<void> {
  const { adapter, runner } = ctx;
  let broken: string | undefined;
  const chain = async (step: ProbeStepName, body: () => Promise<StepOutcome>) => {
    if (broken !== undefined) return runner.run(step, async () => stepSkip(`not run: ${broken}`));
    const record = await runner.run(step, body);
    if (record.verdict === "fail") broken = `${step} failed`;
    return record;
  };
  const readBack = async (id: string, write: ProbeWrite) => {
    const listing = await adapter.listTimeEntries(day(write.date));
    const diffs = compareReadBack(listing.entries.find((e) => e.registrationId === id), write);
    return diffs.length === 0
      ? stepPass(`event ${id} reads back as written: ${describeWrite(write)}, foreign id ${ctx.foreignId}, open`)
      : stepFail(`event ${id} does not read back as written: ${diffs.join("; ")}`);
  };
  let eventId = "";

  await chain("create", async () => {
    eventId = await adapter.createTimeEntry(first.request);
    created.add(eventId);
    return stepPass(`created event ${eventId}: ${describeWrite(first)}, foreign id ${ctx.foreignId}`);
  });
  await chain("read-back", () => readBack(eventId, first));
  await chain("edit", async () => {
    const answered = await adapter.editTimeEntry({ ...second.request, registrationId: eventId });
    const moved = answered !== eventId ? ` (Kleer answered a new id ${answered}; the probe follows it)` : "";
    if (answered !== eventId) {
      created.add(answered);
      eventId = answered;
    }
    return stepPass(`edited event ${eventId}: now ${describeWrite(second)}${moved}`);
  });
  await chain("read-back-edited", () => readBack(eventId, second));
  await chain("delete", async () => {
    await adapter.deleteTimeEntry(eventId);
    deleted.add(eventId);
    return stepPass(`deleted event ${eventId}`);
  });
  await chain("verify-deleted", async () => {
    const listing = await adapter.listTimeEntries(day(first.date));
    const left = [...listing.entries, ...listing.skipped].filter((e) => e.registrationId === eventId || e.foreignId === ctx.foreignId);
    return left.length === 0
      ? stepPass(`event ${eventId} is gone: no event with foreign id ${ctx.foreignId} on ${first.date}`)
      : stepFail(`still listed on ${first.date} after the delete: ${left.map((e) => `event ${e.registrationId}`).join(", ")}`);
  });
}

/**
 * Deletes every event of this run that is still there: the ids the probe saw created and not
 * deleted, plus any event on the probe's days carrying its foreign id (a create whose reply was
 * lost still left one).
 */
async function cleanup(ctx: ProbeContext, created: ReadonlySet<string>, deleted: ReadonlySet<string>): Promise<StepOutcome> {
  const { adapter } = ctx;
  const candidates = new Set([...created].filter((id) => !deleted.has(id)));
  const problems: string[] = [];
  const days = [...new Set([ctx.eventDate, ctx.lockedDate?.date].filter((d): d is IsoDate => d !== undefined))];
  for (const date of days) {
    try {
      const listing = await adapter.listTimeEntries(day(date));
      for (const e of [...listing.entries, ...listing.skipped]) if (e.foreignId === ctx.foreignId) candidates.add(e.registrationId);
    } catch (error) {
      problems.push(`could not list ${date} to look for the probe's events: ${describeError(error)}`);
    }
  }
  const removed: string[] = [];
  for (const id of [...candidates].sort()) {
    try {
      await adapter.deleteTimeEntry(id);
      removed.push(id);
    } catch (error) {
      if (error instanceof TokiError && error.code === "NOT_FOUND") continue;
      // An event Kleer accepted on a locked day: the adapter refuses to touch that day, the raw client may.
      if (error instanceof TokiError && error.code === "DATE_LOCKED" && /^\d+$/.test(id)) {
        try {
          await ctx.client.deleteEvent(Number(id));
          removed.push(id);
          continue;
        } catch (rawError) {
          if (rawError instanceof TokiError && rawError.code === "NOT_FOUND") continue;
        }
      }
      ctx.leftovers.push(id);
      problems.push(`could not delete event ${id}: ${describeError(error)}`);
    }
  }
  if (problems.length > 0) {
    return stepFail(`${problems.join("; ")}. Delete what is left by hand in my.kleer.se: events with foreign id ${ctx.foreignId}`);
  }
  return removed.length > 0
    ? stepPass(`deleted ${removed.length} event${removed.length === 1 ? "" : "s"} the probe had left: ${removed.join(", ")}`)
    : stepPass(`nothing left behind: no event with foreign id ${ctx.foreignId} on ${days.join(", ")}`);
}

async function describeDryRun(ctx: ProbeContext, target: ProbeTarget, first: ProbeWrite, second: ProbeWrite): Promise<void> {
  const user = `Kleer user ${ctx.kleerUserId}`;
  const locked = ctx.lockedDate;
  if (!locked) ctx.warnings.push(`no approved or certified day for ${user} in ${ctx.window.from}..${ctx.window.to}: the locked-day refusal would not be checked (give --locked-date D)`);
  const lines: Array<[ProbeStepName, string]> = [
    ["create", `dry run: would PUT /event for ${user}: ${describeWrite(first)}, foreign id ${ctx.foreignId}`],
    ["read-back", `dry run: would list ${first.date} and expect the event as written`],
    ["edit", `dry run: would POST /event/{eventId}: ${describeWrite(second)}`],
    ["read-back-edited", `dry run: would list ${second.date} and expect the edited event`],
    ["delete", "dry run: would DELETE /event/{eventId}"],
    ["verify-deleted", `dry run: would list ${first.date} and expect no event with foreign id ${ctx.foreignId}`],
    [
      "locked-create",
      locked
        ? `dry run: would send a create on ${locked.date} (${locked.status}) with activity ${target.createActivity.id} to Kleer directly and expect Kleer to refuse it`
        : `no approved or certified day in ${ctx.window.from}..${ctx.window.to}: the locked-day check would be skipped (give --locked-date D)`,
    ],
    [
      "locked-guard",
      locked
        ? `dry run: would try the same create through this toolkit's adapter and expect DATE_LOCKED before any request`
        : `no approved or certified day in ${ctx.window.from}..${ctx.window.to}: the adapter's guard would not be checked`,
    ],
    ["cleanup", "dry run: nothing was written, nothing to delete"],
  ];
  for (const [step, detail] of lines) await ctx.runner.run(step, async () => stepSkip(detail));
}
