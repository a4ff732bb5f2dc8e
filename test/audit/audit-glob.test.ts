import { describe, expect, it } from "vitest";
import { compileGlob } from "../../src/audit/audit-glob.js";

describe("compileGlob", () => {
  it.each([
    ["**/*.rs", "main.rs", true],
    ["**/*.rs", "toki-api/src/main.rs", true],
    ["**/*.rs", "toki-api/src/main.rs.bak", false],
    ["*.rs", "toki-api/main.rs", false],
    ["**/migrations/**", "migrations/20241001_add_timer_type.sql", true],
    ["**/migrations/**", "toki-api/migrations/x.sql", true],
    ["**/migrations/**", "toki-api/migrationsx/x.sql", false],
    ["**/.env.*", ".env.example", true],
    ["**/.env.*", "app/.env.local", true],
    ["**/.env.*", ".env", false],
    ["**/*.{ts,tsx}", "app/src/Login.tsx", true],
    ["**/*.{ts,tsx}", "app/src/Login.jsx", false],
    ["**/{Dockerfile,Containerfile}.*", "deploy/Dockerfile.prod", true],
    ["**/{locales,i18n}/**/*.json", "app/src/locales/sv.json", true],
    ["**/{locales,i18n}/**/*.json", "app/src/i18n/sv/common.json", true],
    ["**/{locales,i18n}/**/*.json", "app/src/tsconfig.json", false],
    ["**/*", "a/b/c", true],
    ["file-?.txt", "file-1.txt", true],
    ["file-?.txt", "file-10.txt", false],
    ["file-[0-9].txt", "file-7.txt", true],
    ["file-[!0-9].txt", "file-7.txt", false],
    ["**/{a,{b,c}d}.ts", "x/cd.ts", true],
    ["**/*.config.{ts,js}", "app/vite.config.ts", true],
    ["a+b(c).md", "a+b(c).md", true],
  ])("%s on %s → %s", (glob, path, expected) => {
    expect(compileGlob(glob)(path)).toBe(expected);
  });

  it.each([["a/**b"], ["{a,b"], ["[abc"], ["/abs/**"], [""]])("rejects the malformed glob %j", (glob) => {
    expect(() => compileGlob(glob)).toThrow();
  });
});
