import type { Activity, Project, TimeEntryDayStatus } from "../domain/time-entry.js";
import { chooseTarget, pickEventDate, pickLockedDate, PROBE_PROJECT_SCAN_LIMIT } from "./probe-plan.js";
import type { ProbeContext } from "./probe-run.js";
import { stepFail, stepPass, stepSkip } from "./probe-steps.js";

/** The read steps (run in dry-run and apply mode): projects, activities, day statuses. */
export async function runReadSteps(ctx: ProbeContext): Promise<void> {
  const { adapter, runner, kleerUserId, window } = ctx;
  let projects: Project[] = [];

  const projectsStep = await runner.run("list-projects", async () => {
    projects = await adapter.getProjects();
    if (projects.length === 0) {
      return stepFail(`no project is visible to Kleer user ${kleerUserId}: nothing can be written (add the user to a project in my.kleer.se)`);
    }
    return stepPass(`${projects.length} project${projects.length === 1 ? "" : "s"} visible to Kleer user ${kleerUserId}`);
  });

  await runner.run("list-activities", async () => {
    if (projectsStep.verdict !== "pass") return stepSkip("not run: list-projects failed");
    const candidates: Array<{ project: Project; activities: Activity[] }> = [];
    for (const project of projects.slice(0, PROBE_PROJECT_SCAN_LIMIT)) {
      const activities = await adapter.getActivities(project.id, window);
      candidates.push({ project, activities });
      if (activities.length >= 2) break;
    }
    ctx.target = chooseTarget(candidates);
    const target = ctx.target;
    if (!target) {
      return stepFail(`none of the ${candidates.length} visible projects asked allows Kleer user ${kleerUserId} an activity: nothing can be written`);
    }
    const listed = candidates.find((c) => c.project.id === target.project.id)?.activities.length ?? 0;
    const edit =
      target.editActivity.id === target.createActivity.id
        ? "the edit keeps it (the project allows only one activity)"
        : `the edit moves it to ${target.editActivity.id} "${target.editActivity.name}"`;
    return stepPass(
      `project ${target.project.id} "${target.project.name}" allows ${listed} activit${listed === 1 ? "y" : "ies"}; ` +
        `the probe creates on activity ${target.createActivity.id} "${target.createActivity.name}", ${edit}`,
    );
  });

  await runner.run("day-statuses", async () => {
    const statuses = await adapter.getTimeEntryDayStatuses(window);
    ctx.eventDate = pickEventDate(window, statuses);
    const locked = statuses.filter((s) => s.status !== "open");
    const given = ctx.options.lockedDate;
    if (given !== undefined) {
      const inWindow = given >= window.from && given <= window.to;
      const rows: TimeEntryDayStatus[] = inWindow ? statuses : await adapter.getTimeEntryDayStatuses({ from: given, to: given });
      ctx.lockedDate = { date: given, status: rows.find((s) => s.date === given)?.status ?? "open" };
    } else {
      ctx.lockedDate = pickLockedDate(window, statuses);
    }
    const summary = `${window.from}..${window.to}: ${locked.length} locked day${locked.length === 1 ? "" : "s"} for Kleer user ${kleerUserId}`;
    const lockedText = ctx.lockedDate
      ? `the locked-day check uses ${ctx.lockedDate.date} (${ctx.lockedDate.status}${given !== undefined ? ", given with --locked-date" : ""})`
      : "no approved or certified day: the locked-day check will be skipped (give --locked-date D)";
    if (!ctx.eventDate) {
      return stepFail(`${summary}; every day is locked, so the probe has no day to write on (move the window with --from/--to); ${lockedText}`);
    }
    return stepPass(`${summary}; the probe writes on ${ctx.eventDate}; ${lockedText}`);
  });

  const failed = runner.steps.find((s) => s.verdict === "fail");
  if (failed) ctx.blockedBy = `${failed.step} failed`;
}
