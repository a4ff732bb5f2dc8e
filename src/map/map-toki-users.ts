import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError } from "../domain/errors.js";
import { parseJsonFileText } from "../config/json-file.js";
import { silentLogger, type Logger } from "../domain/ports.js";
import { createPostgresHistorySource, isPostgresUrl, openTimerHistorySource } from "../history/index.js";
import type { MappingDocument, TokiUserRef } from "../mapping/index.js";
import { formatIssuePath } from "../milltime/milltime-stores.js";

/** `--toki-users FILE`: Toki's users as `select id as "tokiUserId", email from users` gives them. */
export const tokiUsersFileSchema = z.array(
  z.looseObject({
    tokiUserId: z.number({ error: "expected a number (users.id)" }).int({ error: "expected an integer" }).positive({ error: "expected a positive integer" }),
    email: z.string({ error: "expected a string" }).trim().min(1, { error: "expected a non-empty email" }),
  }),
  { error: "expected a JSON array of {tokiUserId, email} objects" },
);

/** Reads `--toki-users`; every bad row is named by its index and field. */
export async function loadTokiUsersFile(path: string): Promise<TokiUserRef[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the Toki users file ${path}: ${(error as NodeJS.ErrnoException).code ?? "read error"}`, [], { cause: error });
  }
  const value = parseJsonFileText(text, path, `the Toki users file ${path} is not JSON`);
  const parsed = tokiUsersFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${path}: ${formatIssuePath(i.path)}: ${i.message}`);
    throw new ConfigError(`the Toki users file ${path} is not valid`, issues);
  }
  const seen = new Set<number>();
  const repeats = parsed.data.filter((u) => (seen.has(u.tokiUserId) ? true : (seen.add(u.tokiUserId), false)));
  if (repeats.length > 0) throw new ConfigError(`the Toki users file ${path} lists a Toki user twice`, repeats.map((u) => `${path}: tokiUserId ${u.tokiUserId} repeats`));
  return parsed.data.map((u) => ({ tokiUserId: u.tokiUserId, email: u.email }));
}

/**
 * Toki users with an email from the timer history: PostgreSQL gives the whole `users` table;
 * an export gives each `user_id` with its first non-empty `user_email` (every row, no range:
 * a user who timed nothing in the range still gets matched).
 */
export async function tokiUsersFromHistory(spec: string, timeZone: string, logger: Logger = silentLogger): Promise<TokiUserRef[]> {
  if (isPostgresUrl(spec)) {
    const rows = await createPostgresHistorySource({ url: spec.trim(), timeZone, logger }).listTokiUsers();
    return rows.filter((r) => typeof r.email === "string" && r.email.trim() !== "");
  }
  const emails = new Map<number, string>();
  for await (const link of openTimerHistorySource(spec, { timeZone, logger }).read()) {
    if (!emails.has(link.tokiUserId) && link.userEmail && link.userEmail.trim() !== "") emails.set(link.tokiUserId, link.userEmail);
  }
  return [...emails.entries()].sort(([a], [b]) => a - b).map(([tokiUserId, email]) => ({ tokiUserId, email }));
}

/** The users the engine matches, and a line saying where they came from. */
export interface CollectedTokiUsers {
  users: TokiUserRef[];
  describe: string;
}

export interface CollectTokiUsersInput {
  /** `--toki-users`: when given, the only source. */
  file?: string | undefined;
  /** `--history`. */
  history?: string | undefined;
  timeZone: string;
  /** Emails the existing mapping already records. */
  existing?: MappingDocument | undefined;
  /** Milltime user names that are emails, per Toki user (credentials or snapshot). */
  accountEmails?: ReadonlyArray<{ tokiUserId: number; email?: string | undefined }> | undefined;
  logger?: Logger | undefined;
}

/**
 * `--toki-users` alone when given; otherwise, per Toki user, the first email of: the timer
 * history (Toki's own table), the existing mapping, a Milltime user name that is an email.
 */
export async function collectTokiUsers(input: CollectTokiUsersInput): Promise<CollectedTokiUsers> {
  if (input.file) {
    const users = await loadTokiUsersFile(input.file);
    return { users, describe: `${users.length} from ${input.file}` };
  }
  const byId = new Map<number, string>();
  const counts: string[] = [];
  const add = (label: string, list: ReadonlyArray<{ tokiUserId: number; email?: string | undefined }>) => {
    let added = 0;
    for (const u of list) {
      if (!u.email || u.email.trim() === "" || byId.has(u.tokiUserId)) continue;
      byId.set(u.tokiUserId, u.email);
      added += 1;
    }
    if (added > 0) counts.push(`${added} from ${label}`);
  };
  if (input.history) add("the timer history", await tokiUsersFromHistory(input.history, input.timeZone, input.logger));
  if (input.existing) add("the existing mapping", input.existing.users);
  if (input.accountEmails) add("Milltime user names", input.accountEmails);
  const users = [...byId.entries()].sort(([a], [b]) => a - b).map(([tokiUserId, email]) => ({ tokiUserId, email }));
  return { users, describe: counts.length > 0 ? counts.join(", ") : "none with an email" };
}
