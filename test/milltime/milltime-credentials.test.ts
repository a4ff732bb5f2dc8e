import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { globalRedactor } from "../../src/http/redact.js";
import { loadMilltimeCredentials, parseMilltimeCredentials } from "../../src/milltime/milltime-credentials.js";

function file(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mt-cred-"));
  const path = join(dir, "credentials.json");
  writeFileSync(path, content);
  return path;
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("Milltime credentials file", () => {
  it("reads password rows and session rows, with an optional instance id", async () => {
    const rows = [
      { tokiUserId: 1, username: "anna", password: "Anna-Lösen-1" },
      { tokiUserId: 2, username: "erik", sessionId: "eyJhbGciOi.eyJleHAiOj.sig", csrfToken: "csrf-erik-1234", instanceId: "000999.1" },
    ];
    expect(await loadMilltimeCredentials(file(JSON.stringify(rows)))).toEqual(rows);
  });

  it("registers every password, session id and CSRF token with the global redactor", () => {
    parseMilltimeCredentials([
      { tokiUserId: 1, username: "anna", password: "Registrerat-Lösen" },
      { tokiUserId: 2, username: "erik", sessionId: "session-registered", csrfToken: "csrf-registered" },
    ]);
    expect(globalRedactor.redact("Registrerat-Lösen session-registered csrf-registered")).toBe("[redacted] [redacted] [redacted]");
  });

  it("registers the secrets of invalid rows too", () => {
    expect(() => parseMilltimeCredentials([{ tokiUserId: 3, username: "bad", password: "Även-felaktig-rad", extra: 1 }])).toThrow(ConfigError);
    expect(globalRedactor.redact("Även-felaktig-rad")).toBe("[redacted]");
  });

  it("reports one clear issue per bad row, naming the row index, Toki user and field", async () => {
    const rows = [
      { tokiUserId: 1, username: "anna", password: "ok-password" },
      { tokiUserId: 2, username: "erik" },
      { tokiUserId: 3, username: "maria", sessionId: "only-a-session" },
      { tokiUserId: "4", username: "lars", password: "Lars-Lösen" },
      { tokiUserId: 5, username: "", password: "pw-five" },
      { tokiUserId: 1, username: "anna2", password: "other-pw" },
      { tokiUserId: 6, username: "sara", pasword: "typo-in-key" },
    ];
    const error = await configError(loadMilltimeCredentials(file(JSON.stringify(rows))));
    expect(error.message).toMatch(/has 6 invalid row\(s\)$/);
    expect(error.issues).toEqual([
      "row 1 (tokiUserId 2): password: give a password, or a sessionId with a csrfToken",
      "row 2 (tokiUserId 3): csrfToken: required together with sessionId",
      "row 3: tokiUserId: Invalid input: expected number, received string",
      "row 4 (tokiUserId 5): username: Too small: expected string to have >=1 characters",
      "row 5 (tokiUserId 1): tokiUserId 1 already used by row 0",
      'row 6 (tokiUserId 6): (root): unknown key "pasword" (did you mean "password"?); password: give a password, or a sessionId with a csrfToken',
    ]);
    const shown = [error.message, ...error.issues].join("\n");
    for (const secret of ["ok-password", "only-a-session", "Lars-Lösen", "pw-five", "other-pw", "typo-in-key"]) expect(shown).not.toContain(secret);
  });

  it("never echoes the file's content when it is not JSON", async () => {
    const error = await configError(loadMilltimeCredentials(file('[{"tokiUserId":1,"username":"anna","password":"Hemligt-Lösen-9"},]')));
    expect(error.message).toMatch(/is not valid JSON( \(line 1, column \d+\))?$/);
    expect(error.message).not.toContain("Hemligt");
    expect(error.cause).toBeUndefined();
  });

  it("rejects a file that is not an array, and a missing file", async () => {
    expect((await configError(loadMilltimeCredentials(file('{"anna":"x"}')))).message).toContain("must be a JSON array");
    expect((await configError(loadMilltimeCredentials("/nonexistent/credentials.json"))).message).toContain("ENOENT");
  });
});
