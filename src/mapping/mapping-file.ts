import { readFile, rename, writeFile } from "node:fs/promises";
import type { z } from "zod";
import type { CutoverMapping } from "../domain/cutover-mapping.js";
import { ConfigError } from "../domain/errors.js";
import { parseJsonFileText } from "../config/json-file.js";
import { normaliseEmail } from "./mapping-normalise.js";
import { mappingDocumentSchema, type MappingDocument } from "./mapping-schema.js";
import { mappingKeyTypos } from "./mapping-key-typos.js";

export type { MappingActivityEntry, MappingDocument, MappingProjectEntry, MappingUserEntry } from "./mapping-schema.js";

export interface LoadedMapping {
  path: string;
  /** The validated mapping in domain terms (extra keys dropped). */
  mapping: CutoverMapping;
  /** The file as parsed, extra keys kept; hand it back to `writeMappingFile` to preserve them. */
  document: MappingDocument;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || "(root)";
}

function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/** Records the first place each key appears and reports later repeats. */
function uniqueBy<T>(entries: readonly T[], section: string, field: string, key: (e: T) => string | number | undefined, issues: string[], value?: (e: T) => unknown): void {
  const first = new Map<string | number, number>();
  entries.forEach((entry, i) => {
    const k = key(entry);
    if (k === undefined) return;
    const at = first.get(k);
    if (at === undefined) {
      first.set(k, i);
      return;
    }
    const here = `${section}[${i}].${field}`;
    const earlier = entries[at] as T;
    if (value && value(earlier) !== value(entry)) {
      issues.push(`${here}: ${JSON.stringify(k)} is mapped to ${String(value(earlier))} at ${section}[${at}] and to ${String(value(entry))} here (conflict)`);
    } else {
      issues.push(`${here}: ${JSON.stringify(k)} repeats ${section}[${at}] (duplicate entry)`);
    }
  });
}

/** Cross-entry rules: one entry per Milltime id and per Toki user; no Kleer user for two people. */
export function validateMappingDocument(document: MappingDocument): string[] {
  const issues: string[] = [];
  const users = document.users;
  uniqueBy(users, "users", "tokiUserId", (u) => u.tokiUserId, issues);
  uniqueBy(users, "users", "email", (u) => (u.email === undefined || u.email.trim() === "" ? undefined : normaliseEmail(u.email)), issues);
  uniqueBy(users, "users", "milltimeUserId", (u) => u.milltimeUserId, issues);
  uniqueBy(users, "users", "kleerUserId", (u) => u.kleerUserId ?? undefined, issues);
  uniqueBy(document.projects, "projects", "milltimeProjectId", (p) => p.milltimeProjectId, issues, (p) => `Kleer project ${p.kleerProjectId}`);
  uniqueBy(document.activities, "activities", "milltimeActivityId", (a) => a.milltimeActivityId, issues, (a) => `Kleer activity ${a.kleerActivityId}`);
  return issues;
}

/** The domain view of a validated document. */
export function toCutoverMapping(document: MappingDocument): CutoverMapping {
  return {
    users: document.users.map((u) => ({
      tokiUserId: u.tokiUserId,
      email: u.email,
      milltimeUserId: u.milltimeUserId,
      kleerUserId: u.kleerUserId ?? undefined,
    })),
    projects: document.projects.map((p) => ({ milltimeProjectId: p.milltimeProjectId, kleerProjectId: p.kleerProjectId })),
    activities: document.activities.map((a) => ({ milltimeActivityId: a.milltimeActivityId, kleerActivityId: a.kleerActivityId })),
  };
}

/** A document holding exactly the mapping's entries (no extra keys, absent fields omitted). */
export function toMappingDocument(mapping: CutoverMapping): MappingDocument {
  return {
    users: mapping.users.map((u) => ({
      tokiUserId: u.tokiUserId,
      ...(u.email === undefined ? {} : { email: u.email }),
      ...(u.milltimeUserId === undefined ? {} : { milltimeUserId: u.milltimeUserId }),
      ...(u.kleerUserId === undefined ? {} : { kleerUserId: u.kleerUserId }),
    })),
    projects: mapping.projects.map((p) => ({ milltimeProjectId: p.milltimeProjectId, kleerProjectId: p.kleerProjectId })),
    activities: mapping.activities.map((a) => ({ milltimeActivityId: a.milltimeActivityId, kleerActivityId: a.kleerActivityId })),
  };
}

/**
 * Validates a parsed JSON value as a mapping document. Throws one ConfigError whose `issues`
 * name every bad entry by path (`projects[3].kleerProjectId: expected an integer`).
 */
export function parseMappingDocument(value: unknown, source = "mapping"): { mapping: CutoverMapping; document: MappingDocument } {
  const typos = mappingKeyTypos(value);
  const parsed = mappingDocumentSchema.safeParse(value);
  if (!parsed.success || typos.length > 0) {
    const issues = [...(parsed.success ? [] : zodIssues(parsed.error)), ...typos];
    throw new ConfigError(`${source} is not a valid mapping file (${issues.length} problem${issues.length === 1 ? "" : "s"})`, issues.map((i) => `${source}: ${i}`));
  }
  const issues = validateMappingDocument(parsed.data);
  if (issues.length > 0) {
    throw new ConfigError(`${source} has duplicate or conflicting entries (${issues.length})`, issues.map((i) => `${source}: ${i}`));
  }
  return { mapping: toCutoverMapping(parsed.data), document: parsed.data };
}

/** Reads and validates a mapping file. */
export async function loadMappingFile(path: string): Promise<LoadedMapping> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`mapping file not found: ${path}`, [`mapping: cannot read ${path}`], { cause: error });
  }
  const json = parseJsonFileText(text, path, `${path} is not JSON`);
  return { path, ...parseMappingDocument(json, path) };
}

/**
 * Validates and writes a mapping document (2-space JSON, trailing newline) through a
 * temporary file and a rename, so a crash never leaves half a mapping behind.
 */
export async function writeMappingFile(path: string, document: MappingDocument | CutoverMapping): Promise<void> {
  const { document: valid } = parseMappingDocument(document, path);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(valid, null, 2)}\n`, "utf8");
  await rename(temp, path);
}
