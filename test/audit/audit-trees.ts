import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Writes `files` (root-relative POSIX paths) into a fresh temporary folder and returns its path. */
export async function writeTree(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "toki-audit-"));
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return root;
}

/** A Milltime-era checkout with one planted remnant (or more) per category. */
export const DIRTY_TREE: Record<string, string | Uint8Array> = {
  "toki-api/Cargo.toml": [
    "[package]",
    'name = "toki-api"',
    'version = "0.1.0"',
    "",
    "[dependencies]",
    'axum = "0.7"',
    'milltime = { path = "../milltime" }',
    "",
  ].join("\n"),
  "toki-api/src/config.rs": [
    "use std::env;",
    "",
    "pub struct Config {",
    "    pub milltime_url: String,",
    "}",
    "",
    "pub fn load() -> Config {",
    '    let milltime_url = env::var("MILLTIME_URL").expect("MILLTIME_URL must be set");',
    "    Config { milltime_url }",
    "}",
    "",
  ].join("\n"),
  "toki-api/src/auth.rs": [
    "use axum_extra::extract::cookie::CookieJar;",
    "use milltime::MilltimeClient;",
    "",
    "/// Reads the Milltime session from the browser's cookies.",
    "pub fn session(jar: &CookieJar) -> Option<String> {",
    '    jar.get("mt_milltimesessionid").map(|c| c.value().to_string())',
    "}",
    "",
    "pub fn router() -> Router {",
    '    Router::new().route("/authenticate", post(authenticate))',
    "}",
    "",
  ].join("\n"),
  "toki-api/src/error.rs": [
    "#[derive(Debug, thiserror::Error)]",
    "pub enum TimeTrackingError {",
    '    #[error("Milltime authentication failed")]',
    "    AuthenticationFailed,",
    "}",
    "",
    'pub const AUTH_FAILED_CODE: &str = "TIME_TRACKING_AUTHENTICATION_FAILED";',
    "",
  ].join("\n"),
  "toki-api/migrations/20241001_add_timer_type.sql": [
    "ALTER TABLE timer_history",
    "    ADD COLUMN timer_type TEXT NOT NULL DEFAULT 'milltime';",
    "-- rows created before this migration were all Milltime timers",
    "",
  ].join("\n"),
  "app/src/components/LoginForm.tsx": [
    'import { useState } from "react";',
    'import { milltimeApi } from "../lib/milltime-client";',
    "",
    "export function LoginForm() {",
    '  const [username, setUsername] = useState("");',
    '  const [password, setPassword] = useState("");',
    "  const submit = () =>",
    '    fetch("/time-tracking/authenticate", { method: "POST", body: JSON.stringify({ username, password }) });',
    "  return (",
    "    <form onSubmit={submit}>",
    "      <h1>Logga in med Milltime</h1>",
    "      {/* Milltime wants the instance id too */}",
    '      <input name="username" value={username} />',
    '      <input type="password" value={password} />',
    '      <a href="https://example.milltime.se">Öppna tidrapporteringen</a>',
    "    </form>",
    "  );",
    "}",
    "",
  ].join("\n"),
  "app/src/lib/session.ts": [
    'const SESSION_COOKIE = "mt_milltimesessionid";',
    "",
    "export function hasMilltimeSession(cookies: string): boolean {",
    "  return cookies.includes(`${SESSION_COOKIE}=`);",
    "}",
    "",
  ].join("\n"),
  "app/src/locales/sv.json": ["{", '  "login": {', '    "title": "Logga in med Milltime"', "  }", "}", ""].join("\n"),
  ".env.example": [
    "DATABASE_URL=postgres://toki:hunter2@localhost/toki",
    "MILLTIME_URL=https://example.milltime.se/cgi/mt.cgi",
    "MT_CRYPTO_KEY=c2VjcmV0LWtleS0xMjM0NTY3ODkw",
    "# MILLTIME_INSTANCE_ID=000999.1",
    "",
  ].join("\n"),
  "README.md": ["# Toki", "", "Time tracking used to go through Milltime.", "", "Set `MILLTIME_URL` before starting.", ""].join("\n"),
  // Never scanned: dependencies, build output, VCS data.
  "node_modules/milltime-client/index.js": 'export const label = "Milltime";\n',
  "app/node_modules/x/index.ts": 'import { a } from "milltime";\n',
  "toki-api/target/debug/build/out.rs": "use milltime::Client;\n",
  "app/dist/assets/index.js": 'document.title = "Logga in med Milltime";\n',
  ".git/config": "[remote]\n  url = https://example.milltime.se/toki.git\n",
  // Binary: skipped although its name matches a rule.
  "app/public/logo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x4d, 0x69, 0x6c, 0x6c, 0x74, 0x69, 0x6d, 0x65]),
};

/** The same product after the Kleer cutover, plus words that look like remnants but are not. */
export const CLEAN_TREE: Record<string, string> = {
  "toki-api/Cargo.toml": ['[package]', 'name = "toki-api"', "", "[dependencies]", 'kleer = { path = "../kleer" }', 'sqlx = "0.8"', ""].join("\n"),
  "toki-api/src/config.rs": [
    "use std::fmt;",
    "",
    "pub struct Config {",
    "    pub kleer_token: String,",
    "    pub kleer_company_id: i64,",
    "}",
    "",
    "pub fn load() -> anyhow::Result<Config> {",
    '    let kleer_token = std::env::var("KLEER_API_TOKEN")?;',
    '    let kleer_company_id = std::env::var("KLEER_COMPANY_ID")?.parse()?;',
    "    Ok(Config { kleer_token, kleer_company_id })",
    "}",
    "",
    "impl fmt::Display for Config {",
    "    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {",
    '        write!(f, "company {}", self.kleer_company_id)',
    "    }",
    "}",
    "",
    "pub fn fmt_duration(secs: i64) -> String {",
    "    let mt = secs / 60; // minutes of time",
    '    format!("{mt} min")',
    "}",
    "",
  ].join("\n"),
  "toki-api/src/db.rs": "let opts = PgConnectOptions::new().username(&user).password(&pass);\n",
  "toki-api/migrations/20250301_user_links.sql": [
    "CREATE TABLE time_tracking_user_links (",
    "    id SERIAL PRIMARY KEY,",
    "    provider TEXT NOT NULL -- always 'kleer'",
    ");",
    "",
  ].join("\n"),
  "app/src/components/ConnectionStatus.tsx": [
    'import { useQuery } from "@tanstack/react-query";',
    'import { kleerApi } from "../lib/kleer-client";',
    "",
    "const mt = 4;",
    "const fmt_options = { maximumFractionDigits: 1 };",
    "",
    "export function ConnectionStatus() {",
    '  const { data } = useQuery({ queryKey: ["connection"], queryFn: () => fetch("/time-tracking/connection") });',
    "  return (",
    '    <div className={`mt-${mt} text-sm`}>',
    "      <p>Ansluten till Kleer som {data?.providerUserName}</p>",
    "      <p>Precision: one millimetre, every time</p>",
    '      <a href="https://app.kleer.se">Öppna Kleer</a>',
    "    </div>",
    "  );",
    "}",
    "",
  ].join("\n"),
  "app/src/locales/sv.json": ['{ "connection": { "title": "Anslut till Kleer" } }', ""].join("\n"),
  ".env.example": ["KLEER_API_TOKEN=", "KLEER_COMPANY_ID=", "VITE_TIME_TRACKING_PROVIDER_URL=https://app.kleer.se", ""].join("\n"),
  "README.md": "# Toki\n\nTime tracking goes through Kleer.\n",
};
