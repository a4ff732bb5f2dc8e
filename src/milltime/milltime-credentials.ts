import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError } from "../domain/errors.js";
import { parseJsonFileText } from "../config/json-file.js";
import { unknownKeysMessage } from "../config/unknown-keys.js";
import { globalRedactor } from "../http/redact.js";
import type { MilltimeUserCredentials } from "./milltime-client.js";
import { formatIssuePath } from "./milltime-stores.js";

/** One row of the credentials file: a Toki user and that person's way into Milltime. */
export const milltimeCredentialRowSchema = z
  .strictObject({
    tokiUserId: z.number().int().positive().describe("The Toki user (timer_history.user_id)."),
    username: z.string().min(1).describe("Milltime login name (`userlogin`)."),
    password: z.string().min(1).optional().describe("Milltime password; lets the reader log in and log in again."),
    sessionId: z.string().min(1).optional().describe("A `milltimesessionid` JWT from a browser session."),
    csrfToken: z.string().min(1).optional().describe("The `CSRFToken` cookie of that browser session."),
    instanceId: z.string().min(1).optional().describe("Milltime tenant instance id; overrides --instance-id."),
  })
  .superRefine((row, ctx) => {
    if (row.sessionId !== undefined && row.csrfToken === undefined)
      ctx.addIssue({ code: "custom", path: ["csrfToken"], message: "required together with sessionId" });
    if (row.csrfToken !== undefined && row.sessionId === undefined)
      ctx.addIssue({ code: "custom", path: ["sessionId"], message: "required together with csrfToken" });
    if (row.password === undefined && row.sessionId === undefined && row.csrfToken === undefined)
      ctx.addIssue({ code: "custom", path: ["password"], message: "give a password, or a sessionId with a csrfToken" });
  });

/** The keys a row may hold, for the "did you mean" of an unknown one. */
const CREDENTIAL_KEYS = Object.keys(milltimeCredentialRowSchema.shape);

export type MilltimeCredential = MilltimeUserCredentials & { tokiUserId: number };

const SECRET_KEYS = ["password", "sessionId", "csrfToken"] as const;

function registerSecrets(rows: unknown[]): void {
  for (const row of rows) {
    if (row === null || typeof row !== "object") continue;
    for (const key of SECRET_KEYS) {
      const value = (row as Record<string, unknown>)[key];
      if (typeof value === "string") globalRedactor.add(value);
    }
  }
}

/**
 * Validates the parsed credentials file: one issue per bad row (row index, Toki user, field).
 * Every password, session id and CSRF token is registered with `globalRedactor` first.
 */
export function parseMilltimeCredentials(value: unknown, sourceName = "the Milltime credentials"): MilltimeCredential[] {
  if (!Array.isArray(value)) {
    throw new ConfigError(`${sourceName} must be a JSON array of {tokiUserId, username, password | sessionId+csrfToken} rows`);
  }
  registerSecrets(value);
  const issues: string[] = [];
  const out: MilltimeCredential[] = [];
  const seen = new Map<number, number>();
  value.forEach((row, index) => {
    const tokiUserId = row !== null && typeof row === "object" ? (row as Record<string, unknown>).tokiUserId : undefined;
    const label = `row ${index}${typeof tokiUserId === "number" ? ` (tokiUserId ${tokiUserId})` : ""}`;
    const result = milltimeCredentialRowSchema.safeParse(row);
    if (!result.success) {
      const details = result.error.issues
        .map((i) => `${formatIssuePath(i.path)}: ${i.code === "unrecognized_keys" ? unknownKeysMessage(i.keys, CREDENTIAL_KEYS) : i.message}`)
        .join("; ");
      issues.push(`${label}: ${details}`);
      return;
    }
    const first = seen.get(result.data.tokiUserId);
    if (first !== undefined) {
      issues.push(`${label}: tokiUserId ${result.data.tokiUserId} already used by row ${first}`);
      return;
    }
    seen.set(result.data.tokiUserId, index);
    out.push(result.data);
  });
  if (issues.length > 0) throw new ConfigError(`${sourceName} has ${issues.length} invalid row(s)`, issues);
  return out;
}

/** Reads and validates a credentials file. Its content never reaches an error message. */
export async function loadMilltimeCredentials(path: string): Promise<MilltimeCredential[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the Milltime credentials file ${path}: ${(error as NodeJS.ErrnoException).code ?? "read error"}`, [], { cause: error });
  }
  // parseJsonFileText never quotes the text around the error, which may hold a password.
  const value = parseJsonFileText(text, path, `the Milltime credentials file ${path} is not valid JSON`);
  return parseMilltimeCredentials(value, `the Milltime credentials file ${path}`);
}
