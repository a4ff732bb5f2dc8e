/** The read-only Milltime side: client, login, reader (live or snapshot), credentials, snapshots. */
export {
  createMilltimeClient,
  type MilltimeClient,
  type MilltimeClientOptions,
  type MilltimeStoreReply,
  type MilltimeUserCredentials,
} from "./milltime-client.js";
export { login, decodeSessionJwt, type MilltimeLoginOptions, type MilltimeSession, type MilltimeSessionInfo } from "./milltime-login.js";
export {
  createMilltimeDispatcher,
  DEFAULT_MILLTIME_INSTANCE_ID,
  MILLTIME_TIMEOUT_MS,
  MILLTIME_USER_AGENT,
} from "./milltime-http.js";
export {
  createMilltimeReader,
  type MilltimeReader,
  type MilltimeReaderOptions,
  type MilltimeReaderSource,
  type MilltimeStoreSource,
} from "./milltime-reader.js";
export { loadMilltimeCredentials, parseMilltimeCredentials, type MilltimeCredential } from "./milltime-credentials.js";
export {
  exportMilltimeSnapshot,
  MILLTIME_EXPORT_CONCURRENCY,
  type ExportMilltimeSnapshotOptions,
  type ExportMilltimeSnapshotResult,
} from "./milltime-snapshot.js";
export { openMilltimeSnapshot, type MilltimeSnapshot } from "./milltime-snapshot-source.js";
export { type MilltimeSnapshotManifest, type SnapshotUser, MILLTIME_SNAPSHOT_MANIFEST } from "./milltime-snapshot-manifest.js";
export { MILLTIME_READ_STORES, type MilltimeReadStore, type MilltimeStoreRequest, type MilltimeFilter } from "./milltime-stores.js";
export { runMilltimeExport, type MilltimeExportOptions } from "./milltime-export-run.js";
