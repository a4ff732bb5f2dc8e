import type { z } from "zod";
import { InvalidResponseError, ProviderHttpError, TokiError, type HttpErrorDetails, type TokiErrorCode } from "../domain/errors.js";

/**
 * Kleer's answer (HTTP 500, body naming `PayrollUserDoesNotExistException`) to a payroll request
 * for a user without a payroll record. Toki reads it as "no schedule, no absence"; the adapter
 * catches it by class, everything else keeps treating it as a provider error.
 */
export class KleerPayrollUserMissingError extends ProviderHttpError {
  constructor(message: string, details: HttpErrorDetails) {
    super("PROVIDER_ERROR", message, details);
  }
}

export function isPayrollUserMissing(error: unknown): error is KleerPayrollUserMissingError {
  return error instanceof KleerPayrollUserMissingError;
}

/** Kleer's status → the toolkit's stable code (kleer-api.md §6). */
export function codeForStatus(status: number): TokiErrorCode {
  if (status === 401) return "AUTH_FAILED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  return "PROVIDER_ERROR";
}

const MESSAGE_LIMIT = 500;

/** The body's JSON `message` as Toki prints it: CR/LF/TAB → space, cut at 500; null when blank or absent. */
export function kleerMessageOf(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || !("message" in parsed)) return null;
  const message = (parsed as { message: unknown }).message;
  if (typeof message !== "string" || message.trim() === "") return null;
  const flat = message.replace(/[\r\n\t]/g, " ");
  return flat.length > MESSAGE_LIMIT ? flat.slice(0, MESSAGE_LIMIT) : flat;
}

/** `event-readables[3].hours` from zod's path segments. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "(root)" : out;
}

/** Turns a failed parse into an error whose message starts with the path of the first bad field. */
export function invalidResponseFromZod(error: z.ZodError, where: string): InvalidResponseError {
  const first = error.issues[0];
  const fieldPath = first ? formatFieldPath(first.path) : "(root)";
  const reason = (first?.message ?? "invalid value").replace(/^Invalid input: /, "");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more issue${error.issues.length > 2 ? "s" : ""})` : "";
  return new InvalidResponseError(`${fieldPath}: ${reason}${more} — in Kleer's reply to ${where}`, fieldPath, { cause: error });
}

/** Names what a 2xx body that should have been JSON looks like. */
export function describeNonJson(body: string, contentType: string): string {
  const head = body.trimStart().slice(0, 200).toLowerCase();
  if (body.trim() === "") return "an empty body";
  if (contentType.includes("html") || head.startsWith("<!doctype html") || head.startsWith("<html")) return "HTML";
  if (contentType.includes("xml") || head.startsWith("<?xml") || head.startsWith("<")) return "XML";
  if (head.startsWith("{") || head.startsWith("[")) return "malformed or truncated JSON";
  return `non-JSON content${contentType ? ` (${contentType})` : ""}`;
}

/** Why Kleer's answer to a ranged read counts as a refusal of its span. */
export type KleerSpanRefusal = "status" | "timeout" | "oversize";

/**
 * Kleer refused a ranged read of more than one day (an HTTP error other than auth or rate
 * limit, no complete reply in time, or a reply above the size bound). The adapter retries the
 * span as two halves; `cause` is the error the refusal would otherwise have been.
 */
export class KleerSpanRefusedError extends TokiError {
  readonly refusal: KleerSpanRefusal;
  constructor(message: string, refusal: KleerSpanRefusal, cause: Error) {
    super(cause instanceof TokiError ? cause.code : "PROVIDER_ERROR", message, { cause });
    this.refusal = refusal;
  }
}

/** HTTP statuses that are never a span refusal: splitting cannot help against auth or a rate limit. */
const NOT_A_SPAN_REFUSAL: ReadonlySet<number> = new Set([401, 403, 407, 429]);

/** True when a failed ranged read's status may mean "this span is too long" (any other 4xx/5xx). */
export function isSpanRefusalStatus(status: number): boolean {
  return status >= 400 && status <= 599 && !NOT_A_SPAN_REFUSAL.has(status);
}
