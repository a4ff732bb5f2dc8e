import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect } from "vitest";

/**
 * Captures the credentials that cross the wire in this process: every X-Token, X-Csrf-Token and
 * session/CSRF cookie undici sends, and every session/CSRF cookie a server sets in reply. These
 * are the values the toolkit must never write anywhere. undici publishes each request's headers
 * and each reply's raw headers on `undici:request:headers` (node:diagnostics_channel), so nothing
 * is patched.
 */

const SECRET_COOKIES = new Set(["milltimesessionid", "csrftoken"]);
const SECRET_HEADERS = new Set(["x-token", "x-csrf-token"]);

/** `[name, value, name, value…]` (undici 7) or `name: value\r\n…` (older) as pairs. */
function headerPairs(headers: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out.push([String(headers[i]).toLowerCase(), String(headers[i + 1])]);
  } else if (typeof headers === "string") {
    for (const line of headers.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  return out;
}

function cookieValues(header: string): string[] {
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => SECRET_COOKIES.has(part.slice(0, Math.max(0, part.indexOf("="))).toLowerCase()))
    .map((part) => part.slice(part.indexOf("=") + 1));
}

/** The secret values in one request's headers and its reply's raw headers. */
export function secretsOfExchange(requestHeaders: unknown, responseHeaders: unknown): string[] {
  const out: string[] = [];
  for (const [name, value] of headerPairs(requestHeaders)) {
    if (SECRET_HEADERS.has(name)) out.push(value);
    if (name === "cookie") out.push(...cookieValues(value));
  }
  for (const [name, value] of headerPairs(responseHeaders)) {
    if (name === "set-cookie") out.push(...cookieValues(value.split(";")[0] ?? ""));
  }
  return out.filter((v) => v.length >= 4);
}

export interface SecretCapture {
  /** Every distinct value captured so far. */
  values(): string[];
  stop(): void;
}

interface HeadersMessage {
  request: { headers: unknown };
  response: { headers: unknown };
}

/** Starts capturing; `onValue` also sees each new value (the CLI preload writes them to a file). */
export function captureHttpSecrets(onValue?: (value: string) => void): SecretCapture {
  const seen = new Set<string>();
  const listener = (message: unknown) => {
    const { request, response } = message as HeadersMessage;
    const raw = Array.isArray(response.headers) ? response.headers.map((h: unknown) => (Buffer.isBuffer(h) ? h.toString("latin1") : h)) : response.headers;
    for (const value of secretsOfExchange(request.headers, raw)) {
      if (seen.has(value)) continue;
      seen.add(value);
      onValue?.(value);
    }
  };
  subscribe("undici:request:headers", listener);
  return { values: () => [...seen], stop: () => void unsubscribe("undici:request:headers", listener) };
}

/** The parts of a JWT worth hunting for on their own: the whole token and its signature. */
export function secretForms(secret: string): string[] {
  const parts = secret.split(".");
  return parts.length === 3 && secret.startsWith("eyJ") && (parts[2] ?? "").length >= 16 ? [secret, parts[2]!] : [secret];
}

/** Fails, naming where and which kind of secret, when `text` holds any of `secrets`. */
export function expectNoSecrets(where: string, text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    for (const form of secretForms(secret)) {
      const at = text.indexOf(form);
      if (at !== -1) {
        const context = text.slice(Math.max(0, at - 60), at + form.length + 20).replace(/\s+/g, " ");
        expect.fail(`${where} holds a secret (${form.slice(0, 6)}…, ${form.length} chars): …${context}…`);
      }
    }
  }
}

/** Every text (and blob, as latin1) value of every column of every table of a SQLite file. */
export function sqliteTexts(file: string): Array<{ where: string; text: string }> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Array<{ where: string; text: string }> = [];
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>;
      rows.forEach((row, index) => {
        for (const [column, value] of Object.entries(row)) {
          if (typeof value === "string") out.push({ where: `${file} ${name}[${index}].${column}`, text: value });
          else if (Buffer.isBuffer(value)) out.push({ where: `${file} ${name}[${index}].${column}`, text: value.toString("latin1") });
        }
      });
    }
    return out;
  } finally {
    db.close();
  }
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Scans every file under `dir`: its bytes as latin1 and as UTF-8, and every SQLite file table by table. */
export function expectDirFreeOfSecrets(dir: string, secrets: readonly string[]): number {
  const files = filesUnder(dir);
  for (const file of files) {
    const bytes = readFileSync(file);
    expectNoSecrets(file, bytes.toString("utf8"), secrets);
    expectNoSecrets(`${file} (bytes)`, bytes.toString("latin1"), secrets);
    if (bytes.subarray(0, 16).toString("latin1") === "SQLite format 3\u0000") {
      for (const { where, text } of sqliteTexts(file)) expectNoSecrets(where, text, secrets);
    }
  }
  return files.length;
}
