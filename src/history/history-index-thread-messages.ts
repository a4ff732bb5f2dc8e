// What the index worker and the run exchange: plain data, since an error's class does not cross
// a thread. A ConfigError is sent as its message and issues and raised again as a ConfigError, so
// that a bad export reads the same whichever thread parsed it.
import { ConfigError } from "../domain/errors.js";
import type { DateRange } from "../domain/time-entry.js";

export interface IndexBuildJob {
  /** The index file to write. */
  file: string;
  /** The export (CSV or JSON, by its extension). */
  path: string;
  timeZone: string;
  range: DateRange;
  key: string;
}

export interface ErrorMessage {
  name: string;
  message: string;
  issues?: string[] | undefined;
}

/** `threadId`: the worker's, which the run logs nowhere but a test can tell from its own. */
export type IndexBuildReply = { ok: true; threadId: number } | { ok: false; error: ErrorMessage };

export function errorToMessage(error: unknown): ErrorMessage {
  if (error instanceof ConfigError) return { name: "ConfigError", message: error.message, issues: [...error.issues] };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

export function errorFromMessage(data: ErrorMessage): Error {
  if (data.name === "ConfigError") return new ConfigError(data.message, data.issues ?? []);
  const error = new Error(data.message);
  error.name = data.name;
  return error;
}
