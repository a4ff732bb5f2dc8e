import { join } from "node:path";
import Database from "better-sqlite3";
import { http, type RequestHandler } from "msw";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { demoFixturesDir } from "../../src/demo/run-demo.js";
import { serveHandlers, type RunningEmulator } from "../../src/emulator/emulator-server.js";
import { createKleerEmulatorHandlers, createKleerEmulatorState, type KleerEmulatorSeedInput } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type RunningMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import type { MilltimeSeedInput } from "../../src/emulator/milltime/milltime-emulator-seed.js";
import { readDemoFixture, type FuzzReply } from "./fuzz-support.js";

/**
 * Level (c) plumbing: the demo company on both emulators, with one user's replies replaceable.
 * Kleer: a handler in front of the emulator's answers that user's `/event`, `/event/statuses`
 * or payroll requests. Milltime: a loopback proxy in front of the emulator answers the store
 * GETs of the session whose JWT names that user, and forwards everything else.
 */

export const KLEER_TOKEN = "kleer-compare-fuzz-token-91ab";
export const COMPANY_ID = 4875;

/** Which of the target user's requests get the fuzzed reply (`activity` is company-wide: every user's). */
export type KleerTarget = "event" | "event/statuses" | "payroll" | "activity";
export type MilltimeTarget = "UserCalendar" | "TimeInfo";

export interface TargetedReply {
  reply: FuzzReply;
  kleer?: KleerTarget | undefined;
  milltime?: MilltimeTarget | undefined;
}

/**
 * The reply as a Response. `{x-token}` and `{cookie}` in the body become the request's own
 * X-Token and Cookie headers: a server that echoes credentials back (secrets tests use it).
 */
const toResponse = (reply: FuzzReply, request: Request) => {
  const body = reply.body
    .replaceAll("{x-token}", request.headers.get("x-token") ?? "")
    .replaceAll("{cookie}", request.headers.get("cookie") ?? "");
  return new Response(body === "" ? null : body, {
    status: reply.status,
    headers: reply.contentType === null ? {} : { "content-type": reply.contentType },
  });
};

/** The Milltime user id a request's session cookie names (the JWT payload is read, not verified). */
function milltimeUserOf(request: Request): string | undefined {
  const cookie = request.headers.get("cookie") ?? "";
  const jwt = /milltimesessionid=([^;\s]+)/.exec(cookie)?.[1];
  const payload = jwt?.split(".")[1];
  if (!payload) return undefined;
  try {
    return (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { userid?: string }).userid;
  } catch {
    return undefined;
  }
}

/** Headers a proxy must not copy onto the forwarded request. */
const HOP_HEADERS = new Set(["host", "connection", "content-length", "keep-alive", "transfer-encoding"]);

export interface CompareFuzzWorld {
  kleer: RunningEmulator;
  milltime: RunningMilltimeEmulator;
  /** What Milltime clients talk to. */
  milltimeProxy: RunningEmulator;
  /** Sets (or clears) what the target user's requests are answered with. */
  target(next: TargetedReply | undefined): void;
  config(reportFile: string, range?: { from: string; to: string }): RunConfig;
  close(): Promise<void>;
}

/** Starts the demo company with `target` as the user whose replies can be replaced. */
export async function startCompareFuzzWorld(targetUser: { kleerUserId: number; milltimeUserId: string }): Promise<CompareFuzzWorld> {
  let current: TargetedReply | undefined;
  const kleerOverride: RequestHandler[] = [
    http.get("*/company/:companyId/event", ({ request }) => {
      const userId = new URL(request.url).searchParams.get("userId");
      if (current?.kleer === "event" && userId === String(targetUser.kleerUserId)) return toResponse(current.reply, request);
      return undefined;
    }),
    http.get("*/company/:companyId/event/statuses", ({ request }) => {
      const userId = new URL(request.url).searchParams.get("userId");
      if (current?.kleer === "event/statuses" && userId === String(targetUser.kleerUserId)) return toResponse(current.reply, request);
      return undefined;
    }),
    http.get("*/company/:companyId/activity", ({ request }) => (current?.kleer === "activity" ? toResponse(current.reply, request) : undefined)),
    http.get("*/company/:companyId/payroll/user/:userId/*", ({ params, request }) => {
      if (current?.kleer === "payroll" && params.userId === String(targetUser.kleerUserId)) return toResponse(current.reply, request);
      return undefined;
    }),
  ];
  const state = createKleerEmulatorState(readDemoFixture<KleerEmulatorSeedInput>("kleer-seed.json"));
  const kleer = await serveHandlers([...kleerOverride, ...createKleerEmulatorHandlers(state, { token: KLEER_TOKEN, companyId: COMPANY_ID })]);
  const milltime = await startMilltimeEmulator({ seed: readDemoFixture<MilltimeSeedInput>("milltime-seed.json") });

  const proxy = http.all("*", async ({ request }) => {
    const url = new URL(request.url);
    const store = /\/data\/store\/([^/?]+)$/.exec(url.pathname)?.[1];
    if (request.method === "GET" && store !== undefined && store === current?.milltime && milltimeUserOf(request) === targetUser.milltimeUserId) {
      return toResponse(current.reply, request);
    }
    const headers = new Headers();
    request.headers.forEach((value, key) => {
      if (!HOP_HEADERS.has(key)) headers.append(key, value);
    });
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    return fetch(`${milltime.url}${url.pathname}${url.search}`, { method: request.method, headers, body, redirect: "manual" });
  });
  const milltimeProxy = await serveHandlers([proxy]);
  const fixtures = demoFixturesDir();

  return {
    kleer,
    milltime,
    milltimeProxy,
    target: (next) => void (current = next),
    config(reportFile, range = { from: "2026-10-26", to: "2026-11-08" }) {
      const parsed = parseRunConfig({
        ...range,
        period: "week",
        kleer: { baseUrl: `${kleer.url}/v1`, token: KLEER_TOKEN, companyId: COMPANY_ID },
        milltime: { url: `${milltimeProxy.url}/cgi/mt.cgi`, credentialsFile: join(fixtures, "milltime-credentials.json") },
        history: join(fixtures, "timer-history.json"),
        mappingFile: join(fixtures, "mapping.json"),
        reportFile,
      });
      if (!parsed.config) throw new Error(parsed.errors.join("; "));
      return parsed.config;
    },
    close: async () => {
      await Promise.all([kleer.close(), milltime.close(), milltimeProxy.close()]);
    },
  };
}

/** Rows of one run, without run ids and row ids, per user: what "compared normally" is checked against. */
export interface RunRows {
  status: string;
  users: Map<number, { user: Record<string, unknown>; entries: string[]; findings: string[]; timeInfo: string[] }>;
}

const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Reads the latest run of a report file table by table (every table must be readable). */
export function readRunRows(reportFile: string): RunRows {
  const db = new Database(reportFile, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const table of tables) db.prepare(`SELECT * FROM "${table}"`).all();
    const run = db.prepare("SELECT run_id, status FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1").get() as { run_id: string; status: string };
    const users = new Map<number, { user: Record<string, unknown>; entries: string[]; findings: string[]; timeInfo: string[] }>();
    const userRows = db.prepare("SELECT * FROM run_users WHERE run_id = ?").all(run.run_id) as Array<Record<string, unknown>>;
    for (const row of userRows) {
      const key = row.user_key as number;
      const { run_id: _run, ...user } = row;
      users.set(key, {
        user,
        entries: sorted(db.prepare("SELECT user_key, date, legacy_id, kleer_id, outcome, evidence, legacy_hours, kleer_hours FROM entries WHERE run_id = ? AND user_key = ?").all(run.run_id, key)),
        findings: sorted(
          db
            .prepare("SELECT kind, severity, user_key, date, legacy_id, kleer_id, field, legacy_value, kleer_value, message, details_json, suppressed FROM findings WHERE run_id = ? AND user_key = ?")
            .all(run.run_id, key),
        ),
        timeInfo: sorted(db.prepare("SELECT * FROM time_info WHERE run_id = ? AND user_key = ?").all(run.run_id, key).map((r) => ({ ...(r as object), run_id: null }))),
      });
    }
    // Rows of users without a run_users row would be a half-written batch.
    const strays = db
      .prepare(
        `SELECT 'entries' AS t, user_key FROM entries WHERE run_id = ? AND user_key NOT IN (SELECT user_key FROM run_users WHERE run_id = ?)
         UNION ALL SELECT 'findings', user_key FROM findings WHERE run_id = ? AND user_key NOT IN (SELECT user_key FROM run_users WHERE run_id = ?)`,
      )
      .all(run.run_id, run.run_id, run.run_id, run.run_id);
    if (strays.length > 0) throw new Error(`rows without their user's run_users row: ${JSON.stringify(strays)}`);
    return { status: run.status, users };
  } finally {
    db.close();
  }
}

/** A user's counters in run_users agree with the rows written for that user (the batch is whole). */
export function batchIsWhole(rows: RunRows["users"] extends Map<number, infer U> ? U : never): string[] {
  const problems: string[] = [];
  const u = rows.user as Record<string, number>;
  const parsed = rows.entries.map((e) => JSON.parse(e) as { outcome: string; kleer_id: string | null });
  // A skipped row with a Kleer id is a Kleer event Toki's listing skips (kleer_skipped), not a legacy entry.
  const outcomes = parsed.map((e) => (e.outcome === "skipped" && e.kleer_id !== null ? "kleer_skipped" : e.outcome));
  const count = (o: string) => outcomes.filter((x) => x === o).length;
  const expect = (label: string, actual: number, wanted: number) => {
    if (actual !== wanted) problems.push(`${label}: run_users says ${wanted}, rows say ${actual}`);
  };
  expect("matches", count("match"), u.matches!);
  expect("mismatches", count("mismatch"), u.mismatches!);
  expect("missing", count("missing_in_kleer"), u.missing!);
  expect("extra", count("extra_in_kleer"), u.extra!);
  expect("unmapped", count("unmapped"), u.unmapped!);
  expect("skipped", count("skipped"), u.skipped!);
  expect("kleer_skipped", count("kleer_skipped"), u.kleer_skipped!);
  expect("legacy entries", count("match") + count("mismatch") + count("missing_in_kleer") + count("unmapped") + count("skipped"), u.legacy_entries!);
  expect("findings", rows.findings.length, u.blocking! + u.warnings! + u.infos! + u.suppressed!);
  return problems;
}
