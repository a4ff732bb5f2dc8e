import { describe, expect, it } from "vitest";
import { excerptAuditLine, redactAuditLine } from "../../src/audit/audit-excerpt.js";
import { SecretRedactor } from "../../src/http/redact.js";

describe("redacting finding text", () => {
  it.each([
    ["MT_CRYPTO_KEY=c2VjcmV0LWtleQ==", "MT_CRYPTO_KEY=[redacted]"],
    ["export MILLTIME_PASSWORD='hunter2' # old", "export MILLTIME_PASSWORD=[redacted] # old"],
    ['  "milltimeSessionId": "abc123",', '  "milltimeSessionId": [redacted]'],
    ["mt_crypto_key: 0123456789abcdef", "mt_crypto_key: [redacted]"],
    ["Cookie: mt_milltimesessionid=abc.def.ghi; mt_user=anna", "Cookie: mt_milltimesessionid=[redacted]; mt_user=[redacted]"],
    ['let jwt = "eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyaWQiOiIyMTcifQ.c2lnbmF0dXJl";', 'let jwt = "[redacted]";'],
    ["MILLTIME_URL=https://anna:hunter2@example.milltime.se/cgi/mt.cgi", "MILLTIME_URL=https://[redacted]@example.milltime.se/cgi/mt.cgi"],
  ])("%s", (line, expected) => {
    expect(redactAuditLine(line, new SecretRedactor())).toBe(expected);
  });

  it.each([
    ['let key = env::var("MT_CRYPTO_KEY").unwrap();'],
    ['jar.get("mt_password")'],
    ["MILLTIME_URL=https://example.milltime.se/cgi/mt.cgi"],
    ["    pub mt_password: String,"],
  ])("leaves code and non-secret values alone: %s", (line) => {
    expect(redactAuditLine(line, new SecretRedactor())).toBe(line);
  });

  it("applies registered secrets", () => {
    const redactor = new SecretRedactor();
    redactor.add("s3cr3t-value");
    expect(redactAuditLine('const MILLTIME_X = "s3cr3t-value";', redactor)).toBe('const MILLTIME_X = "[redacted]";');
  });
});

describe("excerpting", () => {
  it("trims short lines", () => {
    expect(excerptAuditLine("    <h1>Milltime</h1>   ", "Milltime", new SecretRedactor())).toBe("<h1>Milltime</h1>");
  });

  it("keeps the start of a long line when the match is near it", () => {
    const text = excerptAuditLine(`Milltime ${"x".repeat(400)}`, "Milltime", new SecretRedactor());
    expect(text).toHaveLength(200);
    expect(text.startsWith("Milltime")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
  });

  it("keeps the end of a long line when the match is at its end", () => {
    const text = excerptAuditLine(`${"x".repeat(400)} Milltime`, "Milltime", new SecretRedactor());
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.startsWith("…")).toBe(true);
    expect(text.endsWith("Milltime")).toBe(true);
  });
});
