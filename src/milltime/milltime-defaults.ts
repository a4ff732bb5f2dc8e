// Milltime defaults the CLI shows in `--help`, apart from the HTTP client and the snapshot code so
// the help text does not load undici or zod.

/** Toki's own tenant; tenant-specific, so it is configuration everywhere. */
export const DEFAULT_MILLTIME_INSTANCE_ID = "000224.1";
/** Users exported at once (each user's requests run one after another on that user's session). */
export const MILLTIME_EXPORT_CONCURRENCY = 4;
