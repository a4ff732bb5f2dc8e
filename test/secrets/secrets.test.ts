import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { ProviderHttpError, TokiError } from "../../src/domain/errors.js";
import { demoFixturesDir, runDemo, type RunDemoResult } from "../../src/demo/run-demo.js";
import { serveHandlers } from "../../src/emulator/emulator-server.js";
import { startMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import type { MilltimeSeedInput } from "../../src/emulator/milltime/milltime-emulator-seed.js";
import { createMilltimeClient, exportMilltimeSnapshot, loadMilltimeCredentials } from "../../src/milltime/index.js";
import { exportReport } from "../../src/report/index.js";
import { compareFromConfig } from "../../src/run/run-compare.js";
import { readDemoFixture } from "../fuzz/fuzz-support.js";
import { milltimeStoreCases } from "../fuzz/milltime-samples.js";
import { KLEER_TOKEN, readRunRows, startCompareFuzzWorld, type CompareFuzzWorld } from "../fuzz/compare-fuzz-kit.js";
import { captureHttpSecrets, expectDirFreeOfSecrets, expectNoSecrets, secretsOfExchange, sqliteTexts } from "./secret-capture.js";

/**
 * No secret reaches an output: the Kleer token, the Milltime passwords, and the session JWTs and
 * CSRF tokens the Milltime emulator issues (captured off the wire as they are sent) are hunted
 * for in stdout, stderr, every column of every report table, every export, every snapshot file,
 * and in the messages of errors provoked by servers that echo credentials back.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = demoFixturesDir();
const work = mkdtempSync(join(tmpdir(), "toki-parity-secrets-"));
const passwords = (JSON.parse(readFileSync(join(fixtures, "milltime-credentials.json"), "utf8")) as Array<{ password: string }>).map((c) => c.password);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Captured values sorted into kinds, so a test can prove it hunted for real sessions. */
function kinds(values: readonly string[]) {
  return {
    jwts: values.filter((v) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(v)),
    others: values.filter((v) => !v.startsWith("eyJ")),
  };
}

describe("the secret hunt itself", () => {
  const jwt = "eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyaWQiOiIyMDEifQ.c2lnbmF0dXJlLXBsYW50ZWQtaW4tYS1maWxl";

  it("picks the credentials out of request and reply headers", () => {
    const found = secretsOfExchange(
      ["x-token", "tok-123456", "cookie", `CSRFToken=abcdef0123; milltimeinstanceid=000224.1; milltimesessionid=${jwt}`, "x-csrf-token", "abcdef0123"],
      ["set-cookie", `milltimesessionid=${jwt}; Path=/; HttpOnly`, "set-cookie", "milltimeinstanceid=000224.1; Path=/", "content-type", "application/json"],
    );
    expect(new Set(found)).toEqual(new Set(["tok-123456", "abcdef0123", jwt]));
  });

  it("finds a secret planted in a report table, in a file's bytes, or a JWT's signature on its own", () => {
    const planted = join(work, "planted");
    mkdirSync(planted, { recursive: true });
    const db = new Database(join(planted, "report.sqlite"));
    db.exec("CREATE TABLE findings (message TEXT)");
    db.prepare("INSERT INTO findings (message) VALUES (?)").run(`Milltime said: session ${jwt} expired`);
    db.close();
    expect(() => expectDirFreeOfSecrets(planted, [jwt])).toThrow(/holds a secret/);
    rmSync(join(planted, "report.sqlite"));
    writeFileSync(join(planted, "notes.md"), `signature ${jwt.split(".")[2]} only`);
    expect(() => expectDirFreeOfSecrets(planted, [jwt])).toThrow(/notes\.md holds a secret/);
  });
});

describe("the demo (runDemo) with a known Kleer token", () => {
  const outDir = join(work, "demo");
  const token = "kleer-secret-demo-token-8c41f07a";
  let result: RunDemoResult;
  let secrets: string[];
  let printed = "";
  let stdout = "";
  let stderr = "";

  beforeAll(async () => {
    const capture = captureHttpSecrets();
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      result = await runDemo({ outDir, kleerToken: token, write: (text) => void (printed += text) });
    } finally {
      out.mockRestore();
      err.mockRestore();
      capture.stop();
    }
    secrets = [token, ...passwords, ...capture.values()];
  }, 120_000);

  it("hunts for real values: the token, ten passwords, and the session JWT and CSRF token of every login", () => {
    const captured = kinds(secrets);
    expect(captured.others).toContain(token);
    expect(passwords).toHaveLength(10);
    // Ten Milltime users log in for each of the demo's two compare runs.
    expect(captured.jwts.length).toBeGreaterThanOrEqual(10);
    expect(captured.others.filter((v) => /^[0-9a-f]{48}$/.test(v)).length).toBeGreaterThanOrEqual(10);
  });

  it("prints none of them (what the demo writes, stdout, stderr)", () => {
    expect(printed).toContain("Comparing");
    for (const [where, text] of [["demo output", printed], ["stdout", stdout], ["stderr", stderr]] as const) expectNoSecrets(where, text, secrets);
  });

  it("stores none of them in any text column of any table of either report file", () => {
    for (const file of [result.files.sqlite, result.files.accepted]) {
      const texts = sqliteTexts(file);
      expect(texts.length).toBeGreaterThan(1000);
      for (const { where, text } of texts) expectNoSecrets(where, text, secrets);
    }
  });

  it("exports none of them (json, junit, md, html)", () => {
    for (const file of [result.files.json, result.files.junit, result.files.md, result.files.html]) {
      expect(existsSync(file), file).toBe(true);
      expectNoSecrets(file, readFileSync(file, "utf8"), secrets);
    }
  });

  it("leaves none of them in any byte of any file of the output folder", () => {
    expect(expectDirFreeOfSecrets(outDir, secrets)).toBeGreaterThanOrEqual(6);
  });
});

describe("the demo command as a child process", () => {
  it("writes none of the secrets its HTTP clients used to stdout, stderr or the report folder", async () => {
    const outDir = join(work, "cli-demo");
    const captureFile = join(work, "cli-captured.txt");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", "./test/secrets/capture-preload.ts", "src/cli/main.ts", "demo", "--out-dir", outDir],
      { cwd: root, env: { ...process.env, TOKI_SECRETS_CAPTURE: captureFile, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stdout, stderr).toContain("Findings match the seeded discrepancies");
    expect(code).toBe(0);
    const captured = [...new Set(readFileSync(captureFile, "utf8").split("\n").filter((v) => v.length >= 4))];
    // The demo's random Kleer token, and a JWT and a CSRF token per login.
    expect(captured.some((v) => v.startsWith("demo-"))).toBe(true);
    expect(kinds(captured).jwts.length).toBeGreaterThanOrEqual(10);
    const secrets = [...captured, ...passwords];
    expectNoSecrets("stdout", stdout, secrets);
    expectNoSecrets("stderr", stderr, secrets);
    expect(expectDirFreeOfSecrets(outDir, secrets)).toBeGreaterThanOrEqual(6);
  }, 120_000);
});

describe("a Milltime snapshot (exportMilltimeSnapshot)", () => {
  it("holds none of the passwords, session JWTs or CSRF tokens in any file", async () => {
    const emulator = await startMilltimeEmulator({ seed: readDemoFixture<MilltimeSeedInput>("milltime-seed.json") });
    const outDir = join(work, "snapshot");
    const capture = captureHttpSecrets();
    try {
      const result = await exportMilltimeSnapshot({
        from: "2026-10-26",
        to: "2026-11-08",
        credentials: await loadMilltimeCredentials(join(fixtures, "milltime-credentials.json")),
        baseUrl: emulator.milltimeUrl,
        outDir,
      });
      // The demo's user 9 has a wrong password on purpose: its refusal is in the manifest too.
      expect(result.failedUsers.map((u) => [u.tokiUserId, u.error?.code])).toEqual([[9, "AUTH_FAILED"]]);
    } finally {
      capture.stop();
      await emulator.close();
    }
    const secrets = [...passwords, ...capture.values()];
    expect(kinds(secrets).jwts).toHaveLength(9);
    expect(expectDirFreeOfSecrets(outDir, secrets)).toBeGreaterThan(50);
  });
});

describe("errors provoked by servers that echo credentials back", () => {
  let world: CompareFuzzWorld;
  const TARGET = { tokiUserId: 2, kleerUserId: 5502, milltimeUserId: "202" };
  let n = 0;

  beforeAll(async () => {
    world = await startCompareFuzzWorld(TARGET);
  });
  afterAll(() => world.close());

  /** One compare run with the target's replies set; returns the secrets used and the report file. */
  async function compareEchoing(target: Parameters<CompareFuzzWorld["target"]>[0]) {
    const reportFile = join(work, `echo-${++n}.sqlite`);
    const capture = captureHttpSecrets();
    world.target(target);
    try {
      await compareFromConfig(world.config(reportFile));
    } finally {
      world.target(undefined);
      capture.stop();
    }
    const secrets = [KLEER_TOKEN, ...passwords, ...capture.values()];
    const rows = readRunRows(reportFile);
    const findings = rows.users.get(TARGET.tokiUserId)!.findings.map((f) => JSON.parse(f) as { kind: string; message: string });
    const sourceErrors = findings.filter((f) => f.kind === "source_error").map((f) => f.message);
    for (const { where, text } of sqliteTexts(reportFile)) expectNoSecrets(where, text, secrets);
    for (const format of ["json", "junit", "md", "html"]) expectNoSecrets(format, (await exportReport({ reportFile, format })).text, secrets);
    return { sourceErrors, secrets };
  }

  it("a wrong Kleer token echoed in a 401 body: AUTH_FAILED, exit code 3, the token redacted on stderr", async () => {
    const wrong = "kleer-wrong-token-3e9d7b21";
    const echo = await serveHandlers([
      http.all("*", ({ request }) =>
        HttpResponse.json({ message: `X-Token ${request.headers.get("x-token")} is not valid for this company` }, { status: 401 }),
      ),
    ]);
    try {
      const config = { ...world.config(join(work, "wrong-token.sqlite")), kleer: { baseUrl: `${echo.url}/v1`, token: wrong, companyId: 4875 } };
      const error = await compareFromConfig(config).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderHttpError);
      const http401 = error as ProviderHttpError;
      expect(http401.code).toBe("AUTH_FAILED");
      expect(http401.message).toContain("X-Token [redacted] is not valid");
      for (const text of [http401.message, http401.bodyExcerpt ?? "", String(http401.stack)]) expectNoSecrets("AUTH_FAILED error", text, [wrong]);

      let stderr = "";
      const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
        stderr += String(chunk);
        return true;
      });
      const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      const previous = process.env.TOKI_KLEER__TOKEN;
      process.env.TOKI_KLEER__TOKEN = wrong;
      let code: number;
      try {
        code = await runCli([
          "compare",
          "--from", "2026-11-02",
          "--to", "2026-11-08",
          "--kleer-url", `${echo.url}/v1`,
          "--kleer-company", "4875",
          "--milltime-url", `${world.milltimeProxy.url}/cgi/mt.cgi`,
          "--milltime-credentials", join(fixtures, "milltime-credentials.json"),
          "--mapping", join(fixtures, "mapping.json"),
          "--report", join(work, "wrong-token-cli.sqlite"),
        ]);
      } finally {
        err.mockRestore();
        out.mockRestore();
        if (previous === undefined) delete process.env.TOKI_KLEER__TOKEN;
        else process.env.TOKI_KLEER__TOKEN = previous;
      }
      expect(code).toBe(3);
      expect(stderr).toContain("AUTH_FAILED");
      expect(stderr).toContain("[redacted]");
      expectNoSecrets("stderr", stderr, [wrong]);
    } finally {
      await echo.close();
    }
  });

  it("a Kleer error body that echoes the token: the user's source_error says [redacted], no table or export holds the token", async () => {
    const { sourceErrors } = await compareEchoing({
      kleer: "event",
      reply: { status: 500, contentType: "application/json", body: '{"message":"internal error for X-Token {x-token}"}', label: "echo" },
    });
    expect(sourceErrors).toEqual([expect.stringContaining("kleer: PROVIDER_ERROR: Kleer failed: HTTP 500 on GET /company/{companyId}/event")]);
    expect(sourceErrors[0]).toContain("internal error for X-Token [redacted]");
  });

  it("a Milltime 500 page that echoes the session cookie: the source_error holds neither the JWT nor the CSRF token", async () => {
    const { sourceErrors } = await compareEchoing({
      milltime: "UserCalendar",
      reply: { status: 500, contentType: "text/html", body: "<html><body><h1>500</h1><pre>Cookie: {cookie}</pre></body></html>", label: "echo" },
    });
    expect(sourceErrors).toEqual([expect.stringMatching(/^milltime: PROVIDER_ERROR: Milltime answered 500 to GET \/data\/store\/UserCalendar/)]);
    expect(sourceErrors[0]).toContain("[redacted]");
  });

  it("a 200 HTML page that echoes the session cookie: INVALID_RESPONSE, redacted", async () => {
    const { sourceErrors } = await compareEchoing({
      milltime: "TimeInfo",
      reply: { status: 200, contentType: "text/html", body: "<!DOCTYPE html><html><body>Session {cookie} expired</body></html>", label: "echo" },
    });
    expect(sourceErrors).toEqual([expect.stringMatching(/^milltime: INVALID_RESPONSE: Milltime answered GET \/data\/store\/TimeInfo.* with HTML instead of JSON/)]);
    expect(sourceErrors[0]).toContain("[redacted]");
  });

  it("a snapshot of a store reply that echoes the session cookie is written redacted", async () => {
    const timeInfo = milltimeStoreCases().find((c) => c.store === "TimeInfo")!;
    const body = JSON.stringify({ ...timeInfo.sample, debug: "{cookie}" });
    const outDir = join(work, "echo-snapshot");
    const capture = captureHttpSecrets();
    world.target({ milltime: "TimeInfo", reply: { status: 200, contentType: "application/json", body, label: "echo" } });
    try {
      const credentials = (await loadMilltimeCredentials(join(fixtures, "milltime-credentials.json"))).filter((c) => c.tokiUserId === TARGET.tokiUserId);
      const result = await exportMilltimeSnapshot({ from: "2026-11-02", to: "2026-11-08", credentials, baseUrl: `${world.milltimeProxy.url}/cgi/mt.cgi`, outDir });
      expect(result.failedUsers).toEqual([]);
      const echoed = result.manifest.files.filter((f) => f.store === "TimeInfo").map((f) => readFileSync(join(outDir, f.path), "utf8"));
      expect(echoed.length).toBeGreaterThan(0);
      for (const text of echoed) expect(text).toContain("[redacted]");
    } finally {
      world.target(undefined);
      capture.stop();
    }
    expectDirFreeOfSecrets(outDir, [...passwords, ...capture.values()]);
  });

  it("a Milltime login error that echoes the password JSON-escaped or URL-encoded: those forms are redacted too", async () => {
    const password = 'Lösen"ord\\#Vår 7';
    const forms = [
      JSON.stringify(password).slice(1, -1),
      JSON.stringify(password).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
      encodeURIComponent(password),
      new URLSearchParams({ p: password }).toString().slice(2),
    ];
    const echo = await serveHandlers([
      http.post("*/cgi/mt.cgi/api/login", async ({ request }) => {
        if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
          return new Response('{"success":true}', { headers: { "content-type": "application/json", "set-cookie": "CSRFToken=csrf-echo-fedcba9876543210; Path=/" } });
        }
        return new Response(`{"success":false,"message":"Login failed: ${forms.join(" | ")}"}`, { status: 500, headers: { "content-type": "application/json" } });
      }),
    ]);
    try {
      const client = createMilltimeClient({ baseUrl: `${echo.url}/cgi/mt.cgi`, credentials: { username: "anna", password }, who: "Toki user 1 (anna)", retry: false });
      const error = (await client.session().then(() => undefined, (e: unknown) => e)) as ProviderHttpError;
      await client.close();
      expect(error.code).toBe("PROVIDER_ERROR");
      expect(error.message).toContain("Login failed: [redacted] | [redacted] | [redacted] | [redacted]");
      for (const text of [error.message, error.bodyExcerpt ?? ""]) expectNoSecrets("login error", text, [password, ...forms]);
    } finally {
      await echo.close();
    }
  });

  it("a Milltime login that fails with a page echoing the form: the password stays out of the error", async () => {
    const password = "pw-echoed-in-a-500-page-41";
    const echo = await serveHandlers([
      http.post("*/cgi/mt.cgi/api/login", async ({ request }) => {
        if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
          return new Response('{"success":true}', { headers: { "content-type": "application/json", "set-cookie": "CSRFToken=csrf-echo-0123456789abcdef; Path=/" } });
        }
        const form = await request.formData();
        return new Response(`<html><body>Login failed for ${String(form.get("userlogin"))} / ${String(form.get("password"))} (${request.headers.get("cookie")})</body></html>`, {
          status: 500,
          headers: { "content-type": "text/html" },
        });
      }),
    ]);
    try {
      const client = createMilltimeClient({ baseUrl: `${echo.url}/cgi/mt.cgi`, credentials: { username: "anna", password }, who: "Toki user 1 (anna)", retry: false });
      const error = await client.session().then(
        () => undefined,
        (e: unknown) => e,
      );
      await client.close();
      expect(error).toBeInstanceOf(TokiError);
      const failure = error as ProviderHttpError;
      expect(failure.code).toBe("PROVIDER_ERROR");
      expect(failure.message).toContain("Login failed for anna / [redacted]");
      for (const text of [failure.message, failure.bodyExcerpt ?? ""]) expectNoSecrets("login error", text, [password, "csrf-echo-0123456789abcdef"]);
    } finally {
      await echo.close();
    }
  });
});
