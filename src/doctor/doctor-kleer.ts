import pLimit from "p-limit";
import type { UserLink } from "../domain/cutover-mapping.js";
import { TokiError } from "../domain/errors.js";
import type { DateRange } from "../domain/time-entry.js";
import { isPayrollUserMissing, type KleerClient } from "../kleer/index.js";
import { fail, listSome, messageOf, notRun, pass, plural, warn, type CheckOutcome } from "./doctor-types.js";

export type KleerProjectRow = Awaited<ReturnType<KleerClient["listClientProjects"]>>[number];
export type KleerActivityRow = Awaited<ReturnType<KleerClient["listActivities"]>>[number];
export type KleerUserRow = Awaited<ReturnType<KleerClient["listUsers"]>>[number];

/** The company-wide Kleer lists the later checks work from. */
export interface KleerCompanyLists {
  projects: KleerProjectRow[];
  activeProjects: KleerProjectRow[];
  activities: KleerActivityRow[];
  users: KleerUserRow[];
}

/** The fix for a failed Kleer call, by the error's stable code. */
export function kleerHint(error: unknown, companyId: number): string {
  const code = error instanceof TokiError ? error.code : undefined;
  switch (code) {
    case "AUTH_FAILED":
      return (
        `set TOKI_KLEER__TOKEN (or --kleer-token) to the integration token of company ${companyId}; ` +
        "a token belongs to one host: test-api.kleer.se and api.kleer.se do not share tokens"
      );
    case "NOT_FOUND":
      return `check --kleer-company / TOKI_KLEER__COMPANY_ID: company ${companyId} is not reachable with this token (Toki's integration company was 4875, not 1)`;
    case "FORBIDDEN":
      return `the token's user may not read company ${companyId}: ask a Kleer admin for API access, or use the right company id`;
    case "UNREACHABLE":
      return "check --kleer-url / TOKI_KLEER__BASE_URL (e.g. https://api.kleer.se/v1) and the network or proxy";
    case "INVALID_RESPONSE":
      return "the URL does not answer like Kleer's API: check --kleer-url / TOKI_KLEER__BASE_URL ends in /v1";
    default:
      return "retry; if it persists, Kleer itself is failing: check status.kleer.se or contact Kleer support with the request above";
  }
}

/** `kleer-auth`: GET /user/me names the user the token belongs to. */
export async function checkKleerAuth(client: KleerClient): Promise<CheckOutcome> {
  try {
    const me = await client.getCurrentUser();
    const who = `Kleer user ${me.id} ${me.name} <${me.email}>`;
    if (!me.active) {
      return warn(
        `the token authenticates as ${who} in company ${client.companyId}, but that user is inactive`,
        "an inactive integration user may lose access: use an active integration user's token",
      );
    }
    return pass(`the token authenticates as ${who} in company ${client.companyId}`);
  } catch (error) {
    return fail(messageOf(error), kleerHint(error, client.companyId));
  }
}

/** `kleer-lookups`: all and active projects, activities and users load. */
export async function checkKleerLookups(client: KleerClient): Promise<{ outcome: CheckOutcome; lists?: KleerCompanyLists }> {
  let lists: KleerCompanyLists;
  try {
    const [projects, activeProjects, activities, users] = await Promise.all([
      client.listClientProjects(),
      client.listActiveClientProjects(),
      client.listActivities(),
      client.listUsers(),
    ]);
    lists = { projects, activeProjects, activities, users };
  } catch (error) {
    return { outcome: fail(messageOf(error), kleerHint(error, client.companyId)) };
  }
  const activeUsers = lists.users.filter((u) => u.active).length;
  const detail =
    `${plural(lists.projects.length, "project")} (${lists.activeProjects.length} active), ` +
    `${plural(lists.activities.length, "activity", "activities")}, ${plural(lists.users.length, "user")} (${activeUsers} active)`;
  if (lists.activeProjects.length === 0 || lists.activities.length === 0) {
    return {
      outcome: warn(`${detail}: nobody can report time`, "create at least one active project and one activity in my.kleer.se (or check the company id)"),
      lists,
    };
  }
  return { outcome: pass(detail), lists };
}

type PayrollOutcome = { user: UserLink & { kleerUserId: number }; kind: "ok" } | { user: UserLink & { kleerUserId: number }; kind: "missing" } | { user: UserLink & { kleerUserId: number }; kind: "error"; error: unknown };

function nameOf(user: UserLink & { kleerUserId: number }, users: readonly KleerUserRow[] | undefined): string {
  const row = users?.find((u) => u.id === user.kleerUserId);
  return `Toki user ${user.tokiUserId} (Kleer user ${user.kleerUserId}${row ? ` ${row.name}` : ""})`;
}

/**
 * `kleer-payroll`: both payroll endpoints answer for every mapped user in scope. Kleer's
 * "PayrollUserDoesNotExistException" is the known no-payroll case: a warning naming the users
 * (Toki then counts scheduled 0 and absence 0), not a failure.
 */
export async function checkKleerPayroll(
  client: KleerClient,
  users: readonly UserLink[],
  range: DateRange,
  concurrency: number,
  kleerUsers: readonly KleerUserRow[] | undefined,
): Promise<CheckOutcome> {
  const mapped = users.filter((u): u is UserLink & { kleerUserId: number } => u.kleerUserId !== undefined);
  if (mapped.length === 0) {
    return warn("no mapped user in scope has a Kleer user id, so no payroll was read", "add kleerUserId to the users of the mapping file (or widen --users)");
  }
  const limit = pLimit(concurrency);
  const outcomes = await Promise.all(
    mapped.map((user) =>
      limit(async (): Promise<PayrollOutcome> => {
        const query = { userId: user.kleerUserId, range };
        try {
          await Promise.all([client.getPayrollSchedule(query), client.listPayrollEvents(query)]);
          return { user, kind: "ok" };
        } catch (error) {
          return isPayrollUserMissing(error) ? { user, kind: "missing" } : { user, kind: "error", error };
        }
      }),
    ),
  );
  const errors = outcomes.filter((o) => o.kind === "error");
  const missing = outcomes.filter((o) => o.kind === "missing");
  const okCount = outcomes.length - errors.length - missing.length;
  const missingText = missing.length > 0 ? `no payroll record for ${listSome(missing.map((o) => nameOf(o.user, kleerUsers)))}` : "";
  if (errors.length > 0) {
    const first = errors[0]!;
    const text = errors.map((o) => `${nameOf(o.user, kleerUsers)}: ${messageOf(o.kind === "error" ? o.error : "")}`);
    return fail(
      `payroll failed for ${plural(errors.length, "user")} of ${mapped.length}: ${listSome(text, 3)}${missingText ? `; ${missingText}` : ""}`,
      first.kind === "error" ? kleerHint(first.error, client.companyId) : "",
    );
  }
  if (missing.length > 0) {
    return warn(
      `payroll answers for ${okCount} of ${plural(mapped.length, "mapped user")}; ${missingText}: ` +
        "Toki counts their scheduled hours as 0 (remaining 0, period flex = worked)",
      "expected for users without salary in Kleer (consultants, leavers); otherwise ask the Kleer admin to add them to payroll before the cutover",
    );
  }
  return pass(`payroll schedule and events answer for all ${plural(mapped.length, "mapped user")} in ${range.from}..${range.to}`);
}

/** The outcome of a Kleer check that needs the token to work. */
export const kleerNotRun = (): CheckOutcome => notRun("the Kleer token did not authenticate", "fix the kleer-auth check first");
