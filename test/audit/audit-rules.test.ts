import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/domain/errors.js";
import { auditText, compileAuditRules, DEFAULT_AUDIT_RULES_FILE, loadAuditRules, type AuditRuleSet } from "../../src/audit/index.js";
import { auditRulesFileSchema } from "../../src/audit/audit-rules-schema.js";

let rules: AuditRuleSet;
beforeAll(async () => {
  rules = await loadAuditRules();
});

/** `rule severity` of each finding on a one-line file. */
function hits(file: string, line: string): string[] {
  return auditText(file, line, rules).map((f) => `${f.rule} ${f.severity}`);
}

describe("the shipped rules file", () => {
  it("parses with its zod schema and ships inside the package's files", () => {
    const json: unknown = JSON.parse(readFileSync(DEFAULT_AUDIT_RULES_FILE, "utf8"));
    expect(auditRulesFileSchema.safeParse(json).success).toBe(true);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("fixtures");
    expect(DEFAULT_AUDIT_RULES_FILE.replaceAll("\\", "/")).toMatch(/\/fixtures\/audit\/milltime-rules\.json$/);
  });

  it("covers every category", () => {
    expect(new Set(rules.rules.map((r) => r.category))).toEqual(new Set(["ui-copy", "auth", "config", "code", "docs"]));
  });
});

describe("each rule finds its remnant", () => {
  it.each([
    ["app/src/Login.tsx", "<h1>Logga in med Milltime</h1>", ["ui-copy/milltime-text error"]],
    ["app/src/Toasts.ts", 'toast.error("Kunde inte nå Milltime");', ["ui-copy/milltime-text error"]],
    ["app/src/Field.tsx", '<TextField label="Milltime-användare" />', ["ui-copy/milltime-text error"]],
    ["app/src/locales/sv.json", '  "title": "Logga in med Milltime",', ["ui-copy/milltime-text error"]],
    ["app/src/Nav.tsx", '<a href="https://example.milltime.se/">Tid</a>', ["ui-copy/milltime-link error"]],
    ["toki-api/src/error.rs", '#[error("Milltime authentication failed")]', ["ui-copy/backend-message error"]],
    ["toki-api/src/auth.rs", 'jar.get("mt_milltimesessionid")', ["auth/mt-cookie error"]],
    ["app/src/session.ts", "document.cookie = `mt_CSRFToken=${t}`;", ["auth/mt-cookie error"]],
    ["toki-api/src/auth.rs", 'Cookie::new("mt_password", encrypted)', ["auth/mt-cookie error"]],
    ["app/src/session.ts", 'const isMilltimeCookie = (n: string) => n.startsWith("mt_");', ["auth/mt-cookie-prefix warning"]],
    ["toki-api/src/auth.rs", 'let name = format!("mt_{}", key);', ["auth/mt-cookie-prefix warning"]],
    ["toki-api/src/client.rs", 'let cookie = format!("milltimesessionid={}", jwt);', ["auth/milltime-session-cookie error"]],
    ["toki-api/src/router.rs", '.route("/authenticate", post(authenticate))', ["auth/authenticate-endpoint error"]],
    ["app/src/api.ts", 'await api.post("time-tracking/authenticate", body);', ["auth/authenticate-endpoint error"]],
    ["toki-api/src/client.rs", '.text("userlogin", username)', ["auth/milltime-login-fields error"]],
    ["app/src/Login.tsx", "body: JSON.stringify({ username, password }),", ["auth/credentials-payload error"]],
    ["app/src/Login.tsx", '<input type="password" name="pw" />', ["auth/password-input warning"]],
    ["app/src/api.ts", 'if (body.code === "TIME_TRACKING_AUTHENTICATION_FAILED") logout();', ["auth/authentication-failed-code warning"]],
    ["toki-api/src/main.rs", 'let url = std::env::var("MILLTIME_URL")?;', ["config/milltime-env error"]],
    ["toki-api/src/crypto.rs", 'let key = env::var("MT_CRYPTO_KEY").unwrap();', ["config/milltime-env error"]],
    ["app/src/config.ts", "const url = import.meta.env.VITE_MILLTIME_URL;", ["config/milltime-env error"]],
    ["deploy/docker-compose.yml", "      - MT_CRYPTO_KEY", ["config/milltime-env error"]],
    [".env.example", "VITE_TIME_TRACKING_PROVIDER_URL=https://example.milltime.se", ["config/milltime-url error"]],
    ["toki-api/src/defaults.rs", 'const BASE: &str = "https://example.milltime.se/cgi/mt.cgi";', ["config/milltime-url error"]],
    ["deploy/values.yaml", "milltime_url: http://localhost", ["config/milltime-config-key error"]],
    ["config/app.toml", "[milltime]", ["config/milltime-config-key error"]],
    ["config/settings.json", '  "milltimeInstanceId": "000224.1",', ["config/milltime-config-key error"]],
    ["toki-api/src/main.rs", "use milltime::{MilltimeClient, Credentials};", ["code/milltime-rust-module error"]],
    ["toki-api/src/adapters/mod.rs", "pub mod milltime;", ["code/milltime-rust-module error"]],
    ["toki-api/Cargo.toml", 'milltime = { path = "../milltime" }', ["code/milltime-crate-dependency error"]],
    ["Cargo.toml", 'members = ["toki-api", "milltime"]', ["code/milltime-crate-dependency error"]],
    ["toki-api/Cargo.toml", "[dependencies.milltime]", ["code/milltime-crate-dependency error"]],
    ["app/src/App.tsx", 'import { MilltimeClient } from "./lib/milltime-client";', ["code/milltime-js-import error"]],
    ["app/src/App.tsx", 'const m = await import("../milltime/api");', ["code/milltime-js-import error"]],
    ["toki-api/src/repo.rs", "\"SELECT id FROM timer_history WHERE timer_type = 'standalone'\"", ["code/timer-type-column error"]],
    ["toki-api/src/adapters/mod.rs", "pub struct MilltimeAdapter { client: Client }", ["code/milltime-mention error"]],
    ["app/src/hooks.ts", "export const useMilltimeTimer = () => {};", ["code/milltime-mention error"]],
    ["docs/setup.md", "Toki used Milltime until 2026.", ["docs/milltime-mention info"]],
  ])("%s: %s", (file, line, expected) => {
    expect(hits(file, line)).toEqual(expected);
  });

  it("reports every rule of a line that several rules match, catch-all rules only when nothing else did", () => {
    expect(hits(".env.example", "MILLTIME_URL=https://example.milltime.se/cgi/mt.cgi")).toEqual([
      "config/milltime-env error",
      "config/milltime-url error",
    ]);
    expect(hits("app/src/Nav.tsx", '<a href="https://example.milltime.se">Milltime</a>')).toEqual([
      "ui-copy/milltime-text error",
      "ui-copy/milltime-link error",
    ]);
  });
});

describe("no false positives", () => {
  it.each([
    ["toki-api/src/format.rs", "impl fmt::Display for Duration { fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {"],
    ["toki-api/src/format.rs", "fn fmt_duration(d: Duration) -> String { let mt = d.as_secs(); format!(\"{mt}\") }"],
    ["app/src/Stats.tsx", '<p className="mt-4 text-sm">Tid: {formatTime(time)}</p>'],
    ["app/src/Ruler.tsx", "<span>Precision: one millimetre, every time</span>"],
    ["app/src/format.ts", 'const fmt_options = { unit: "mt" }; const amt_total = 3;'],
    ["app/src/format.ts", 'const key = "fmt_hours";'],
    ["app/src/Connection.tsx", '<a href="https://app.kleer.se">Öppna Kleer</a>'],
    ["app/src/api.ts", 'const res = await fetch("/time-tracking/connection");'],
    ["app/src/auth.ts", 'window.location.href = "/authenticated-home";'],
    ["toki-api/src/main.rs", 'let token = std::env::var("KLEER_API_TOKEN")?;'],
    ["toki-api/src/db.rs", "let opts = PgConnectOptions::new().username(&user).password(&pass);"],
    ["toki-api/src/kleer.rs", "let instance_id = company.instance_id;"],
    [".env.example", "VITE_TIME_TRACKING_PROVIDER_URL=https://app.kleer.se"],
    ["toki-api/Cargo.toml", 'kleer = { path = "../kleer" }'],
    ["Cargo.lock", 'name = "milltime"'],
  ])("%s: %s", (file, line) => {
    expect(hits(file, line)).toEqual([]);
  });
});

describe("downgrade to info", () => {
  it.each([
    ["a comment in TS", "app/src/Login.tsx", "// TODO: drop the Milltime login", "ui-copy/milltime-text info", "comment"],
    ["a JSX comment", "app/src/Login.tsx", "{/* Logga in med Milltime */}", "ui-copy/milltime-text info", "comment"],
    ["a Rust doc comment", "toki-api/src/lib.rs", "/// Talks to the Milltime API.", "code/milltime-mention info", "comment"],
    ["a commented-out env var", ".env.example", "# MILLTIME_URL=", "config/milltime-env info", "comment"],
    ["a Markdown file", "README.md", "Set `MILLTIME_URL` before starting.", "config/milltime-env info", "docs"],
    ["a migration", "toki-api/migrations/20241001_add_timer_type.sql", "ADD COLUMN timer_type TEXT DEFAULT 'milltime';", "code/timer-type-column info", "history"],
    ["a root migrations folder", "migrations/20260115_drop_milltime.sql", "DELETE FROM timer_history WHERE note = 'milltime';", "code/milltime-mention info", "history"],
  ])("%s", (_name, file, line, expected, context) => {
    const findings = auditText(file, line, rules);
    expect(findings.map((f) => `${f.rule} ${f.severity}`)).toEqual([expected]);
    expect(findings[0]!.context).toBe(context);
  });

  it("keeps the rule's severity when the same line also has the match in code", () => {
    const findings = auditText("app/src/a.ts", 'toast("Milltime"); // Milltime', rules);
    expect(findings).toMatchObject([{ rule: "ui-copy/milltime-text", severity: "error", context: "code" }]);
  });

  it("follows block comments across lines", () => {
    const text = "/*\n * Milltime used to\n */\nconst x = 1;\nconst y = \"Milltime\";\n";
    expect(auditText("app/src/a.ts", text, rules).map((f) => `${f.line} ${f.severity}`)).toEqual(["2 info", "5 error"]);
  });
});

describe("invalid rules files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "audit-rules-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const rule = { id: "code/x", category: "code", severity: "error", description: "x", files: ["**/*.rs"], pattern: "x" };

  it.each([
    ["an unknown category", { version: 1, rules: [{ ...rule, category: "style" }] }, "rules[0].category"],
    ["a bad severity", { version: 1, rules: [{ ...rule, severity: "fatal" }] }, "rules[0].severity"],
    ["a bad regex", { version: 1, rules: [{ ...rule, pattern: "(unclosed" }] }, "rules[0].pattern: invalid regular expression"],
    ["a regex matching everything", { version: 1, rules: [{ ...rule, pattern: "a*" }] }, "rules[0].pattern: matches the empty string"],
    ["bad flags", { version: 1, rules: [{ ...rule, flags: "gi" }] }, "rules[0].flags"],
    ["a bad glob", { version: 1, rules: [{ ...rule, files: ["src/**x"] }] }, "rules[0].files[0]"],
    ["an unknown file set", { version: 1, rules: [{ ...rule, exclude: ["@nope"] }] }, 'rules[0].exclude[0]: unknown file set "@nope"'],
    ["duplicate ids", { version: 1, rules: [rule, rule] }, 'rules[1].id: duplicate rule id "code/x"'],
    ["an unknown key", { version: 1, rules: [{ ...rule, severty: "error" }] }, "rules[0]"],
    ["a missing version", { rules: [rule] }, "version"],
  ])("rejects %s, naming the field", (_name, input, issue) => {
    try {
      compileAuditRules(input, "test-rules.json");
      expect.unreachable("the rules should be rejected");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain("test-rules.json");
      expect((error as ConfigError).issues.join("\n")).toContain(issue);
    }
  });

  it("rejects a file that is missing or not JSON", async () => {
    await expect(loadAuditRules(join(dir, "missing.json"))).rejects.toThrow(/not found/);
    const broken = join(dir, "broken.json");
    await writeFile(broken, "{ not json", "utf8");
    await expect(loadAuditRules(broken)).rejects.toBeInstanceOf(ConfigError);
  });

  it("loads a custom rules file with file sets and info paths", async () => {
    const file = join(dir, "custom.json");
    const custom = {
      version: 1,
      fileSets: { code: ["**/*.ts"] },
      infoPaths: { docs: ["notes/**"] },
      rules: [{ ...rule, id: "code/legacy", files: ["@code"], pattern: "legacyApi", flags: "i" }],
    };
    await writeFile(file, JSON.stringify(custom), "utf8");
    const loaded = await loadAuditRules(file);
    expect(auditText("src/a.ts", "call(LegacyApi)", loaded).map((f) => `${f.rule} ${f.severity}`)).toEqual(["code/legacy error"]);
    expect(auditText("notes/a.ts", "call(LegacyApi)", loaded).map((f) => f.severity)).toEqual(["info"]);
    expect(auditText("src/a.rs", "call(LegacyApi)", loaded)).toEqual([]);
  });
});
