/** A Node system error's `code` (`EADDRINUSE`, `EPIPE`, …), if the value is one. */
export function systemErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z_]+$/.test(code) ? code : undefined;
}
