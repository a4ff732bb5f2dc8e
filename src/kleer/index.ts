export {
  createKleerClient,
  KLEER_DEFAULT_MAX_REPLY_BYTES,
  KLEER_DEFAULT_TIMEOUT_MS,
  KLEER_KEEP_ALIVE_MS,
  KLEER_POOL_CONNECTIONS,
  type KleerClient,
  type KleerClientOptions,
  type KleerEventQuery,
} from "./kleer-client.js";
export { createKleerCompanyLookups, type KleerCompanyLookups } from "./kleer-lookups.js";
export {
  createKleerAdapter,
  KLEER_CHUNK_CONCURRENCY,
  KLEER_DEFAULT_TIME_ZONE,
  type KleerAdapter,
  type KleerAdapterOptions,
} from "./kleer-adapter.js";
export { KleerPayrollUserMissingError, KleerSpanRefusedError, isPayrollUserMissing } from "./kleer-errors.js";
export { createKleerSpanLimits, KLEER_DEFAULT_MAX_SPAN_MONTHS, type KleerSpanEndpoint, type KleerSpanLimits } from "./kleer-span.js";
export { MISSING_NOTE_PLACEHOLDER, tokiForeignId, unixNanosOf } from "./kleer-mapping.js";
