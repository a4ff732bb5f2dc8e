import { readFile } from "node:fs/promises";
import { ConfigError } from "../domain/errors.js";
import { parseJsonFileText } from "../config/json-file.js";
import { parseParityRules } from "./compare-rules-schema.js";
import { DEFAULT_PARITY_RULES, type ParityRules } from "../parity/parity-rules.js";

/**
 * Reads and validates a rules file (JSON). Without a path, the default rules. Every problem is a
 * ConfigError naming the file and, for validation, each bad key.
 */
export async function loadRulesFile(path: string | undefined): Promise<ParityRules> {
  if (path === undefined) return DEFAULT_PARITY_RULES;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String((error as NodeJS.ErrnoException).code) : String(error);
    throw new ConfigError(`rules file ${path} cannot be read (${reason})`, [], { cause: error });
  }
  const json = parseJsonFileText(text, path, `rules file ${path} is not valid JSON`);
  return parseParityRules(json, `rules file ${path}`);
}
