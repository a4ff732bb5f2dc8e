import { ConfigError } from "../domain/errors.js";
import type { Logger } from "../domain/ports.js";
import type { IsoDate } from "../domain/time-entry.js";
import { loadMilltimeCredentials } from "./milltime-credentials.js";
import { exportMilltimeSnapshot, type ExportMilltimeSnapshotOptions, type ExportMilltimeSnapshotResult } from "./milltime-snapshot.js";

/** What `toki-parity milltime export` passes on. */
export interface MilltimeExportOptions {
  from: IsoDate;
  to: IsoDate;
  credentialsFile: string;
  outDir: string;
  /** From --milltime-url or TOKI_MILLTIME__URL. */
  baseUrl?: string | undefined;
  /** @default "000224.1" */
  instanceId?: string | undefined;
  /** @default MILLTIME_EXPORT_CONCURRENCY */
  concurrency?: number | undefined;
  logger?: Logger | undefined;
  /** Where the summary goes (stdout in the CLI). */
  write(text: string): void;
  /** Called after each user's export. */
  onProgress?: ExportMilltimeSnapshotOptions["onProgress"];
}

/** Loads the credentials, exports the snapshot and writes a summary; failed users are listed, not thrown. */
export async function runMilltimeExport(options: MilltimeExportOptions): Promise<ExportMilltimeSnapshotResult> {
  if (!options.baseUrl) throw new ConfigError("the Milltime URL is missing", ["--milltime-url / TOKI_MILLTIME__URL: required"]);
  const credentials = await loadMilltimeCredentials(options.credentialsFile);
  const result = await exportMilltimeSnapshot({
    from: options.from,
    to: options.to,
    credentials,
    baseUrl: options.baseUrl,
    outDir: options.outDir,
    instanceId: options.instanceId,
    concurrency: options.concurrency,
    logger: options.logger,
    onProgress: options.onProgress,
  });
  const ok = result.manifest.users.length - result.failedUsers.length;
  options.write(
    `Milltime snapshot ${options.from}..${options.to} written to ${result.outDir}: ${ok} of ${result.manifest.users.length} users, ${result.manifest.files.length} files\n`,
  );
  for (const user of result.failedUsers) options.write(`  failed: Toki user ${user.tokiUserId} (${user.username}): ${user.error?.code}: ${user.error?.message}\n`);
  return result;
}
