/** Stable error codes: CLI exit codes, report findings and tests key on these strings. */
export type TokiErrorCode =
  | "AUTH_FAILED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "PROJECT_NOT_FOUND"
  | "ACTIVITY_NOT_ALLOWED"
  | "DATE_LOCKED"
  | "PROVIDER_ERROR"
  | "INVALID_RESPONSE"
  | "UNREACHABLE"
  | "CONFIG"
  | "USAGE"
  | "REFUSED";

export interface TokiErrorOptions {
  cause?: unknown;
}

/** Base of every error the toolkit raises on purpose. */
export class TokiError extends Error {
  readonly code: TokiErrorCode;
  constructor(code: TokiErrorCode, message: string, options: TokiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

export interface HttpErrorDetails {
  system: "kleer" | "milltime";
  status?: number | undefined;
  method: string;
  /** The route with ids templated out, e.g. `/company/{companyId}/event/{eventId}`. */
  route: string;
  /** At most 256 characters of the body, already free of secrets. */
  bodyExcerpt?: string | undefined;
}

/** An HTTP-level failure talking to a provider. Never carries a token, password or cookie. */
export class ProviderHttpError extends TokiError {
  readonly system: "kleer" | "milltime";
  readonly status: number | undefined;
  readonly method: string;
  readonly route: string;
  readonly bodyExcerpt: string | undefined;
  constructor(code: TokiErrorCode, message: string, details: HttpErrorDetails, options: TokiErrorOptions = {}) {
    super(code, message, options);
    this.system = details.system;
    this.status = details.status;
    this.method = details.method;
    this.route = details.route;
    this.bodyExcerpt = details.bodyExcerpt;
  }
}

/** A reply that is not what the wire schema says: names the path of the bad field. */
export class InvalidResponseError extends TokiError {
  readonly fieldPath: string;
  constructor(message: string, fieldPath: string, options: TokiErrorOptions = {}) {
    super("INVALID_RESPONSE", message, options);
    this.fieldPath = fieldPath;
  }
}

/** A configuration or input file that does not validate; `issues` name the bad keys. */
export class ConfigError extends TokiError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = [], options: TokiErrorOptions = {}) {
    super("CONFIG", message, options);
    this.issues = issues;
  }
}

export function isTokiError(error: unknown): error is TokiError {
  return error instanceof TokiError;
}
