import { ProviderHttpError, TokiError } from "../domain/errors.js";
import { buildEventWritable } from "../kleer/kleer-mapping.js";
import { probeWrite, type ProbeTarget } from "./probe-plan.js";
import type { ProbeContext } from "./probe-run.js";
import { describeError, stepFail, stepPass, stepSkip } from "./probe-steps.js";

/** Length of the locked-day attempts. */
const LOCKED_MINUTES = 30;

/**
 * The two facts about a locked day, reported separately:
 * - `locked-create`: does Kleer itself refuse a write on an approved or certified day? The
 *   create goes to Kleer through the raw client, past our adapter's pre-check, because Toki's own
 *   Kleer adapter has no such guard: it sends the create as is
 *   (toki-api/src/adapters/outbound/kleer/mod.rs:444-466: project/activity checked, then create_event, no day status read). Kleer's status and body are
 *   recorded; an accepted event is deleted at once and the step fails (blocking).
 * - `locked-guard`: does this toolkit's adapter refuse it before sending anything (DATE_LOCKED
 *   raised by the adapter, not a mapped Kleer reply)? That protects this toolkit's own writes only.
 */
export async function runLockedDaySteps(ctx: ProbeContext, target: ProbeTarget, note: string, created: Set<string>): Promise<void> {
  const locked = ctx.lockedDate;
  if (!locked) {
    const warning = `no approved or certified day for Kleer user ${ctx.kleerUserId} in ${ctx.window.from}..${ctx.window.to}: the locked-day refusal was not checked (give --locked-date D)`;
    ctx.warnings.push(warning);
    await ctx.runner.run("locked-create", async () => stepSkip(warning));
    await ctx.runner.run("locked-guard", async () => stepSkip(warning));
    return;
  }
  if (locked.status === "open") {
    // A write on an open day proves nothing about locked days and would be a real entry.
    const detail = `--locked-date ${locked.date} is open in Kleer: the locked-day refusal cannot be tested on it (give an approved or certified day); nothing was written`;
    await ctx.runner.run("locked-create", async () => stepFail(detail));
    await ctx.runner.run("locked-guard", async () => stepSkip(`not run: ${locked.date} is open in Kleer`));
    return;
  }
  const write = probeWrite({
    timeZone: ctx.options.timeZone,
    project: target.project,
    foreignId: ctx.foreignId,
    date: locked.date,
    minutes: LOCKED_MINUTES,
    activity: target.createActivity,
    note: `${note} (locked day)`,
  });
  const where = `${locked.date} (${locked.status} in Kleer)`;

  await ctx.runner.run("locked-create", async () => {
    const writable = buildEventWritable({
      request: write.request,
      kleerUserId: ctx.kleerUserId,
      projectId: Number(target.project.id),
      activityId: Number(target.createActivity.id),
      timeZone: ctx.options.timeZone,
    });
    let eventId: number;
    try {
      eventId = await ctx.client.createEvent(writable);
    } catch (error) {
      if (error instanceof ProviderHttpError && error.status !== undefined && error.status >= 400 && error.status < 500) {
        return stepPass(`Kleer refused a create on ${where}: HTTP ${error.status}${error.bodyExcerpt ? ` ${error.bodyExcerpt}` : ""}`);
      }
      return stepFail(`Kleer's answer to a create on ${where} does not say whether it refuses locked days: ${describeError(error)}`);
    }
    created.add(String(eventId));
    const removal = await deleteRaw(ctx, eventId);
    return stepFail(
      `Kleer accepted a write on a locked day: a create on ${where} was stored as event ${eventId}. Toki has no guard of its own ` +
        `(its Kleer adapter sends the create as is), so Toki users could write on locked days after the cutover. ${removal}`,
    );
  });

  await ctx.runner.run("locked-guard", async () => {
    try {
      const id = await ctx.adapter.createTimeEntry(write.request);
      created.add(id);
      return stepFail(`this toolkit's adapter sent a create on ${where} and it was stored as event ${id}; the cleanup deletes it`);
    } catch (error) {
      if (error instanceof TokiError && error.code === "DATE_LOCKED" && !(error instanceof ProviderHttpError)) {
        return stepPass(`this toolkit's adapter refuses a create on ${where} before sending it (${describeError(error)}); Toki's own adapter has no such check`);
      }
      return stepFail(`this toolkit's adapter did not refuse a create on ${where} by itself: ${describeError(error)}`);
    }
  });
}

/** Deletes an event through the raw client (the adapter refuses to touch a locked day). */
export async function deleteRaw(ctx: ProbeContext, eventId: number): Promise<string> {
  try {
    await ctx.client.deleteEvent(eventId);
    return `Event ${eventId} was deleted again.`;
  } catch (error) {
    if (error instanceof TokiError && error.code === "NOT_FOUND") return `Event ${eventId} is gone already.`;
    return `Deleting event ${eventId} failed (${describeError(error)}): the cleanup tries again.`;
  }
}

