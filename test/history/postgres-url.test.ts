import { describe, expect, it } from "vitest";
import { isPostgresUrl, maskPostgresUrl, registerPostgresUrl } from "../../src/history/postgres-url.js";
import { SecretRedactor } from "../../src/http/redact.js";

describe("PostgreSQL URLs", () => {
  it("recognises postgres:// and postgresql:// only", () => {
    expect(isPostgresUrl("postgres://u@127.0.0.1/db")).toBe(true);
    expect(isPostgresUrl(" POSTGRESQL://u@127.0.0.1/db")).toBe(true);
    expect(isPostgresUrl("timer_history.csv")).toBe(false);
    expect(isPostgresUrl("mysql://u@h/db")).toBe(false);
  });

  it("masks the password in the user info and in a password= parameter", () => {
    expect(maskPostgresUrl("postgres://toki:p%40ss@127.0.0.1:5432/toki")).toBe("postgres://toki:***@127.0.0.1:5432/toki");
    expect(maskPostgresUrl("postgres://toki@127.0.0.1/toki?sslmode=disable&password=hunter22")).toBe("postgres://toki@127.0.0.1/toki?sslmode=disable&password=***");
    expect(maskPostgresUrl("postgres://toki@127.0.0.1:5432/toki")).toBe("postgres://toki@127.0.0.1:5432/toki");
    expect(maskPostgresUrl("postgres://toki:secret@[bad")).toBe("postgres://toki:***@[bad");
  });

  it("registers the password, raw and decoded, and never echoes it in an error", () => {
    const redactor = new SecretRedactor();
    expect(registerPostgresUrl("postgres://toki:p%40ssw0rd@127.0.0.1/toki", redactor)).toBe("postgres://toki:***@127.0.0.1/toki");
    expect(redactor.redact("p@ssw0rd and p%40ssw0rd")).toBe("[redacted] and [redacted]");
    expect(() => registerPostgresUrl("postgres://toki:topsecret@[bad", redactor)).toThrow(/^not a valid PostgreSQL URL: postgres:\/\/toki:\*\*\*@\[bad$/);
  });
});
