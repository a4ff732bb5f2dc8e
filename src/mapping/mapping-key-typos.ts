import { closestName } from "../config/did-you-mean.js";
import { mappingActivitySchema, mappingDocumentSchema, mappingProjectSchema, mappingUserSchema } from "./mapping-schema.js";

/**
 * The mapping file is open by contract: any key the toolkit does not read (`kleerName`, `reason`,
 * `comment`, a team name) is allowed and kept when the file is rewritten. A key that is a slip of
 * one it reads is not: `kleerUserID` would leave the user unmapped while the file looks right. So an
 * unknown key is refused when it is near a known key (a case slip, or a few letters off) and
 * is not one of the annotations the toolkit itself writes or documents.
 */
const SECTIONS = {
  users: Object.keys(mappingUserSchema.shape),
  projects: Object.keys(mappingProjectSchema.shape),
  activities: Object.keys(mappingActivitySchema.shape),
} as const;
const TOP_LEVEL = Object.keys(mappingDocumentSchema.shape);

/** Keys `map suggest` writes or the docs name as annotations; never taken for a typo. */
const ANNOTATIONS = new Set(["kleerName", "milltimeName", "reason", "confidence", "suggested", "kleerActive", "comment", "note", "name", "version", "$schema", "$comment"]);

function typosIn(object: unknown, known: readonly string[], at: string, issues: string[]): void {
  if (object === null || typeof object !== "object" || Array.isArray(object)) return;
  for (const key of Object.keys(object)) {
    if (known.includes(key) || ANNOTATIONS.has(key)) continue;
    const near = closestName(key, known);
    if (near !== undefined) issues.push(`${at}${at ? "." : ""}${key}: unknown key (did you mean ${JSON.stringify(near)}?)`);
  }
}

/** One issue per key of the document that looks like a misspelt key the toolkit reads. */
export function mappingKeyTypos(document: unknown): string[] {
  const issues: string[] = [];
  typosIn(document, TOP_LEVEL, "", issues);
  if (document === null || typeof document !== "object") return issues;
  for (const [section, known] of Object.entries(SECTIONS)) {
    const entries = (document as Record<string, unknown>)[section];
    if (Array.isArray(entries)) entries.forEach((entry, i) => typosIn(entry, known, `${section}[${i}]`, issues));
  }
  return issues;
}
