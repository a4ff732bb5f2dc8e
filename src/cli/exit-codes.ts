import { TokiError } from "../domain/errors.js";

/** The CLI's public exit codes (CI pipelines depend on them; change only additively). */
export const ExitCode = {
  Ok: 0,
  GateFailed: 1,
  UsageOrConfig: 2,
  SourceUnreachable: 3,
  Internal: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A command's verdict that is not an error but must end the process with a given code. */
export class CommandExit extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = "CommandExit";
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommandExit) return error.exitCode;
  if (error instanceof TokiError) {
    switch (error.code) {
      case "CONFIG":
      case "USAGE":
      case "REFUSED":
        return ExitCode.UsageOrConfig;
      case "AUTH_FAILED":
      case "FORBIDDEN":
      case "UNREACHABLE":
        return ExitCode.SourceUnreachable;
      default:
        return ExitCode.SourceUnreachable;
    }
  }
  return ExitCode.Internal;
}
