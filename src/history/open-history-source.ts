import { createFileHistorySource, type HistoryFileFormat } from "./file-history-source.js";
import type { HistorySourceOptions, TimerHistorySource } from "./history-source.js";
import { createPostgresHistorySource } from "./postgres-history-source.js";
import { isPostgresUrl } from "./postgres-url.js";
import type { SecretRedactor } from "../http/redact.js";

export interface OpenHistorySourceOptions extends HistorySourceOptions {
  /** PostgreSQL only: rows per page. @default 1000 */
  pageSize?: number | undefined;
  /** PostgreSQL only. @default 10000 */
  connectTimeoutMs?: number | undefined;
  /** Files only: overrides the extension. */
  format?: HistoryFileFormat | undefined;
  /** @default globalRedactor */
  redactor?: SecretRedactor | undefined;
}

/**
 * Opens the timer-history source a `--history` value names: a `postgres://` or
 * `postgresql://` URL reads Toki's database, anything else is a `.csv` or `.json` export.
 * Nothing is read or connected until `read()`.
 */
export function openTimerHistorySource(spec: string, options: OpenHistorySourceOptions = {}): TimerHistorySource {
  const { timeZone, logger } = options;
  if (isPostgresUrl(spec)) {
    return createPostgresHistorySource({
      url: spec.trim(),
      timeZone,
      logger,
      pageSize: options.pageSize,
      connectTimeoutMs: options.connectTimeoutMs,
      redactor: options.redactor,
    });
  }
  return createFileHistorySource({ path: spec, timeZone, logger, format: options.format });
}
