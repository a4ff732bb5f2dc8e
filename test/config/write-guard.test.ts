import { describe, expect, it } from "vitest";
import { resolveWriteMode } from "../../src/config/write-guard.js";

// Dry-run by default; a write to anything but loopback or Kleer's test API needs --allow-production too.
describe("resolveWriteMode", () => {
  it("without --apply every host is a dry run, production included", () => {
    expect(resolveWriteMode({ baseUrl: "https://api.kleer.se/v1", apply: false, allowProduction: false })).toBe("dry-run");
    expect(resolveWriteMode({ baseUrl: "https://api.kleer.se/v1", apply: false, allowProduction: true })).toBe("dry-run");
  });

  it.each(["http://localhost:4010/v1", "http://127.0.0.1:4010/v1", "http://127.8.9.10/v1", "http://127.10.200.1/v1", "http://127.1/v1", "http://[0:0:0:0:0:0:0:1]/v1", "http://[::1]:4010/v1", "https://test-api.kleer.se/v1"])(
    "--apply writes to the sandbox host %s without --allow-production",
    (baseUrl) => {
      expect(resolveWriteMode({ baseUrl, apply: true, allowProduction: false })).toBe("apply");
    },
  );

  it.each(["https://api.kleer.se/v1", "https://test-api.kleer.se.evil.example/v1", "https://eviltest-api.kleer.se/v1", "http://128.0.0.1/v1", "http://127.0.0.1.example/v1", "http://127.example/v1", "http://localhost.example/v1", "http://10.0.0.1/v1", "http://[::2]/v1"])(
    "--apply to %s counts as production and is refused without --allow-production",
    (baseUrl) => {
      const host = new URL(baseUrl).hostname;
      expect(() => resolveWriteMode({ baseUrl, apply: true, allowProduction: false })).toThrow(
        expect.objectContaining({
          code: "REFUSED",
          message: `refusing to write to ${host}: it is a production Kleer host. Pass --allow-production together with --apply if you really mean it.`,
        }),
      );
      expect(resolveWriteMode({ baseUrl, apply: true, allowProduction: true })).toBe("apply");
    },
  );
});
