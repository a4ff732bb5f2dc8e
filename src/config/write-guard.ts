import { isIPv4 } from "node:net";
import { TokiError } from "../domain/errors.js";

/**
 * Hosts a write may go to without any override: loopback (the emulators) and Kleer's test API. A
 * URL's hostname, as the URL parser gives it: an IPv6 address in brackets, an IPv4 one in four parts.
 */
function isSandboxHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || (isIPv4(hostname) && hostname.startsWith("127.")) || hostname === "test-api.kleer.se";
}

export interface WriteGuardOptions {
  baseUrl: string;
  /** `--apply` was given. */
  apply: boolean;
  /** `--allow-production` was given. */
  allowProduction: boolean;
}

export type WriteMode = "dry-run" | "apply";

/**
 * Dry-run unless `--apply`; any host other than loopback or Kleer's test API counts as
 * production and needs `--allow-production` as well.
 */
export function resolveWriteMode(options: WriteGuardOptions): WriteMode {
  if (!options.apply) return "dry-run";
  const host = new URL(options.baseUrl).hostname;
  if (!isSandboxHost(host) && !options.allowProduction) {
    throw new TokiError(
      "REFUSED",
      `refusing to write to ${host}: it is a production Kleer host. Pass --allow-production together with --apply if you really mean it.`,
    );
  }
  return "apply";
}
