import { globalRedactor } from "../http/redact.js";

/** Outcome of one readiness check. */
export type DoctorStatus = "pass" | "warn" | "fail";

/** The checks, in the order doctor runs and prints them. Ids are stable: scripts key on them. */
export const DOCTOR_CHECK_IDS = [
  "config",
  "kleer-auth",
  "kleer-lookups",
  "kleer-payroll",
  "milltime",
  "history",
  "mapping-coverage",
] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECK_IDS)[number];

/** Titles as printed (the Milltime check is named after the mode it checked). */
export const DOCTOR_CHECK_TITLES: Readonly<Record<DoctorCheckId, string>> = {
  config: "Configuration",
  "kleer-auth": "Kleer token and company",
  "kleer-lookups": "Kleer projects, activities and users",
  "kleer-payroll": "Kleer payroll for mapped users",
  milltime: "Milltime access",
  history: "Timer history",
  "mapping-coverage": "Mapping coverage",
};

/** One check as `--json` prints it (the stable machine shape). */
export interface DoctorCheck {
  id: DoctorCheckId;
  title: string;
  status: DoctorStatus;
  /** True when this result makes doctor fail (exit 1); a warning never blocks. */
  blocking: boolean;
  /** What was found; never a token, password or cookie. */
  detail: string;
  /** How to fix a warning or failure; null on a pass. */
  hint: string | null;
}

/** The whole verdict: `ok` is false when any check is blocking. */
export interface DoctorResult {
  checks: DoctorCheck[];
  ok: boolean;
}

/** What a check function returns before it is given its id and title. */
export interface CheckOutcome {
  status: DoctorStatus;
  detail: string;
  hint?: string | undefined;
  /** Overrides the title (the Milltime check names its mode). */
  title?: string | undefined;
  /** A fail that does not block by itself (the check could not run because another one failed). */
  notBlocking?: boolean | undefined;
}

export const pass = (detail: string, title?: string): CheckOutcome => ({ status: "pass", detail, title });
export const warn = (detail: string, hint: string, title?: string): CheckOutcome => ({ status: "warn", detail, hint, title });
export const fail = (detail: string, hint: string, title?: string): CheckOutcome => ({ status: "fail", detail, hint, title });

/** A check that was not run because `dependency` did not pass; its failure is not counted twice. */
export function notRun(reason: string, hint: string): CheckOutcome {
  return { status: "fail", detail: `not run: ${reason}`, hint, notBlocking: true };
}

/** Gives an outcome its id and title; every text goes through the global redactor once more. */
export function toCheck(id: DoctorCheckId, outcome: CheckOutcome): DoctorCheck {
  return {
    id,
    title: outcome.title ?? DOCTOR_CHECK_TITLES[id],
    status: outcome.status,
    blocking: outcome.status === "fail" && outcome.notBlocking !== true,
    detail: globalRedactor.redact(outcome.detail),
    hint: outcome.status === "pass" ? null : globalRedactor.redact(outcome.hint ?? ""),
  };
}

/** Lists at most `limit` items, then "… and N more". */
export function listSome(items: readonly string[], limit = 5): string {
  if (items.length <= limit) return items.join("; ");
  return `${items.slice(0, limit).join("; ")}; … and ${items.length - limit} more`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The message of any thrown value (already redacted by the clients that raise it). */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return globalRedactor.redact(text).replace(/[\r\n\t]+/g, " ");
}
