import { chmod, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditTokiCheckout, formatAuditJson, type AuditFinding, type AuditResult } from "../../src/audit/index.js";
import { TokiError } from "../../src/domain/errors.js";
import { CLEAN_TREE, DIRTY_TREE, writeTree } from "./audit-trees.js";

const roots: string[] = [];
async function tree(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await writeTree(files);
  roots.push(root);
  return root;
}
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

const brief = (f: AuditFinding): string => `${f.file}:${f.line} ${f.rule} ${f.severity}`;

describe("a Milltime-era checkout", () => {
  let result: AuditResult;
  beforeAll(async () => {
    result = await auditTokiCheckout({ root: await tree(DIRTY_TREE) });
  });

  it("finds every planted remnant with its rule, severity, file and line, in file/line/rule order", () => {
    expect(result.findings.map(brief)).toEqual([
      ".env.example:2 config/milltime-env error",
      ".env.example:2 config/milltime-url error",
      ".env.example:3 config/milltime-env error",
      ".env.example:4 config/milltime-env info",
      "README.md:3 docs/milltime-mention info",
      "README.md:5 config/milltime-env info",
      "app/src/components/LoginForm.tsx:2 code/milltime-js-import error",
      "app/src/components/LoginForm.tsx:8 auth/authenticate-endpoint error",
      "app/src/components/LoginForm.tsx:8 auth/credentials-payload error",
      "app/src/components/LoginForm.tsx:11 ui-copy/milltime-text error",
      "app/src/components/LoginForm.tsx:12 ui-copy/milltime-text info",
      "app/src/components/LoginForm.tsx:14 auth/password-input warning",
      "app/src/components/LoginForm.tsx:15 ui-copy/milltime-link error",
      "app/src/lib/session.ts:1 auth/mt-cookie error",
      "app/src/lib/session.ts:3 code/milltime-mention error",
      "app/src/locales/sv.json:3 ui-copy/milltime-text error",
      "toki-api/Cargo.toml:7 code/milltime-crate-dependency error",
      "toki-api/migrations/20241001_add_timer_type.sql:2 code/timer-type-column info",
      "toki-api/migrations/20241001_add_timer_type.sql:3 code/milltime-mention info",
      "toki-api/src/auth.rs:2 code/milltime-rust-module error",
      "toki-api/src/auth.rs:4 code/milltime-mention info",
      "toki-api/src/auth.rs:6 auth/mt-cookie error",
      "toki-api/src/auth.rs:10 auth/authenticate-endpoint error",
      "toki-api/src/config.rs:4 code/milltime-mention error",
      "toki-api/src/config.rs:8 config/milltime-env error",
      "toki-api/src/config.rs:9 code/milltime-mention error",
      "toki-api/src/error.rs:3 ui-copy/backend-message error",
      "toki-api/src/error.rs:7 auth/authentication-failed-code warning",
    ]);
  });

  it("reports category, context and the trimmed line", () => {
    const at = (file: string, line: number, rule: string) => result.findings.find((f) => f.file === file && f.line === line && f.rule === rule);
    expect(at("toki-api/src/config.rs", 8, "config/milltime-env")).toEqual({
      rule: "config/milltime-env",
      category: "config",
      severity: "error",
      file: "toki-api/src/config.rs",
      line: 8,
      text: 'let milltime_url = env::var("MILLTIME_URL").expect("MILLTIME_URL must be set");',
      context: "code",
    });
    expect(at("app/src/components/LoginForm.tsx", 11, "ui-copy/milltime-text")).toMatchObject({ category: "ui-copy", text: "<h1>Logga in med Milltime</h1>" });
    expect(at("app/src/components/LoginForm.tsx", 12, "ui-copy/milltime-text")).toMatchObject({ context: "comment" });
    expect(at("toki-api/src/auth.rs", 6, "auth/mt-cookie")).toMatchObject({ category: "auth" });
    expect(at("toki-api/Cargo.toml", 7, "code/milltime-crate-dependency")).toMatchObject({ category: "code", text: 'milltime = { path = "../milltime" }' });
    expect(at("README.md", 3, "docs/milltime-mention")).toMatchObject({ category: "docs", context: "docs" });
    expect(at("toki-api/migrations/20241001_add_timer_type.sql", 2, "code/timer-type-column")).toMatchObject({ context: "history" });
  });

  it("never puts a secret value into a finding", () => {
    const texts = result.findings.map((f) => f.text).join("\n");
    expect(texts).toContain("MT_CRYPTO_KEY=[redacted]");
    expect(texts).not.toContain("c2VjcmV0LWtleS0xMjM0NTY3ODkw");
    expect(texts).not.toContain("hunter2");
  });

  it("skips node_modules, target, dist and .git, and reports binary files as skipped", () => {
    const files = new Set(result.findings.map((f) => f.file));
    for (const file of files) expect(file).not.toMatch(/(^|\/)(node_modules|target|dist|\.git)\//);
    expect(result.skipped).toEqual([{ file: "app/public/logo.png", reason: "binary" }]);
    expect(result.filesScanned).toBe(10);
  });

  it("serialises exactly {findings:[{rule, category, severity, file, line, text}]}", () => {
    const json = JSON.parse(formatAuditJson(result)) as { findings: Array<Record<string, unknown>> };
    expect(Object.keys(json)).toEqual(["findings"]);
    expect(json.findings).toHaveLength(result.findings.length);
    for (const finding of json.findings) {
      expect(Object.keys(finding)).toEqual(["rule", "category", "severity", "file", "line", "text"]);
      expect(typeof finding.line).toBe("number");
    }
    expect(json.findings[0]).toEqual({
      rule: "config/milltime-env",
      category: "config",
      severity: "error",
      file: ".env.example",
      line: 2,
      text: "MILLTIME_URL=https://example.milltime.se/cgi/mt.cgi",
    });
  });

  it("is deterministic", async () => {
    const again = await auditTokiCheckout({ root: await tree(DIRTY_TREE) });
    expect(again.findings).toEqual(result.findings);
  });
});

describe("a Kleer-era checkout", () => {
  it("has no findings, including for millimetre, mt-4, fmt_ and std::fmt", async () => {
    const result = await auditTokiCheckout({ root: await tree(CLEAN_TREE) });
    expect(result.findings).toEqual([]);
    expect(result.filesScanned).toBe(Object.keys(CLEAN_TREE).length);
  });
});

describe("limits and inputs", () => {
  it("skips files over the size limit", async () => {
    const root = await tree({ "app/src/big.ts": `// ${"x".repeat(200)}\nconst a = "Milltime";\n`, "app/src/small.ts": 'const b = "Milltime";\n' });
    const result = await auditTokiCheckout({ root, maxFileBytes: 100 });
    expect(result.findings.map(brief)).toEqual(["app/src/small.ts:1 ui-copy/milltime-text error"]);
    expect(result.skipped).toEqual([{ file: "app/src/big.ts", reason: "too-large" }]);
  });

  it("honours custom ignored folder names", async () => {
    const root = await tree({ "vendor/a.ts": 'const a = "Milltime";\n', "src/b.ts": 'const b = "Milltime";\n' });
    const result = await auditTokiCheckout({ root, ignoredDirs: ["vendor"] });
    expect(result.findings.map((f) => f.file)).toEqual(["src/b.ts"]);
  });

  it("cuts long lines to about 200 characters around the match", async () => {
    const line = `const bundle = "${"a".repeat(500)}Logga in med Milltime${"b".repeat(500)}";`;
    const root = await tree({ "app/src/long.ts": `${line}\n` });
    const [finding] = (await auditTokiCheckout({ root })).findings;
    expect(finding!.text.length).toBeLessThanOrEqual(200);
    expect(finding!.text).toContain("Milltime");
    expect(finding!.text.startsWith("…") && finding!.text.endsWith("…")).toBe(true);
  });

  it("handles CRLF line endings and a byte order mark", async () => {
    const root = await tree({ "app/src/win.ts": '\uFEFFconst a = 1;\r\nconst b = "Milltime";\r\n' });
    const result = await auditTokiCheckout({ root });
    expect(result.findings).toMatchObject([{ line: 2, text: 'const b = "Milltime";' }]);
  });

  it.skipIf(process.platform === "win32" || process.getuid?.() === 0)("reports a sub-folder it cannot list as skipped", async () => {
    const root = await tree({ "locked/a.ts": 'const a = "Milltime";\n', "open/b.ts": 'const b = "Milltime";\n' });
    await chmod(join(root, "locked"), 0o000);
    try {
      const result = await auditTokiCheckout({ root });
      expect(result.findings.map((f) => f.file)).toEqual(["open/b.ts"]);
      expect(result.skipped).toEqual([{ file: "locked", reason: "unreadable" }]);
    } finally {
      await chmod(join(root, "locked"), 0o755);
    }
  });

  it("rejects a missing root, a file as root and a bad size limit as usage errors", async () => {
    const root = await tree({ "a.ts": "" });
    await expect(auditTokiCheckout({ root: join(root, "nope") })).rejects.toMatchObject({ code: "USAGE" });
    await writeFile(join(root, "file.txt"), "x");
    await expect(auditTokiCheckout({ root: join(root, "file.txt") })).rejects.toBeInstanceOf(TokiError);
    await expect(auditTokiCheckout({ root, maxFileBytes: 0 })).rejects.toMatchObject({ code: "USAGE" });
  });
});
