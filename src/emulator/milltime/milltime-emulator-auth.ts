import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../../domain/ports.js";
import type { MilltimeSeed, MilltimeSeedUser } from "./milltime-emulator-seed.js";

/** An issued login, as the emulator remembers it. */
export interface EmulatedSession {
  sid: string;
  userId: string;
  csrfToken: string;
  /** Unix seconds. */
  exp: number;
}

export type AuthOutcome = { ok: true; user: MilltimeSeedUser; session: EmulatedSession } | { ok: false; status: 401 | 403; message: string };

export type LoginOutcome =
  | { ok: true; jwt: string; expires: Date; session: EmulatedSession }
  | { ok: false; status: 401 | 403; message: string };

/** Reads a Cookie header; bare attribute words (Toki's `Secure`) are ignored. */
export function parseCookieHeader(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/**
 * Milltime's login and session checks: CSRF tokens from the first POST, the multipart login, a
 * JWT-shaped HS512 session cookie with `exp`, and the cookie + header checks on every store call.
 */
export class EmulatedAuth {
  private readonly secret = randomBytes(32);
  private readonly issuedCsrf = new Set<string>();
  private readonly sessions = new Map<string, EmulatedSession>();

  constructor(
    private readonly seed: () => MilltimeSeed,
    private readonly instanceId: string,
    private readonly clock: Clock,
    private readonly sessionTtlSeconds: number,
  ) {}

  issueCsrfToken(): string {
    const token = randomBytes(24).toString("hex");
    this.issuedCsrf.add(token);
    return token;
  }

  login(fields: { userlogin: string; password: string; instanceid: string }, headerToken: string | null, cookieToken: string | undefined): LoginOutcome {
    if (!headerToken || headerToken !== cookieToken || !this.issuedCsrf.has(headerToken)) {
      return { ok: false, status: 403, message: "Invalid CSRF token" };
    }
    if (fields.instanceid !== this.instanceId) return { ok: false, status: 401, message: "Unknown instance" };
    const user = this.seed().users.find((u) => u.username === fields.userlogin);
    if (!user || user.password !== fields.password) return { ok: false, status: 401, message: "Invalid username or password" };
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const session: EmulatedSession = { sid: randomBytes(5).toString("hex"), userId: user.userId, csrfToken: headerToken, exp: iat + this.sessionTtlSeconds };
    this.sessions.set(session.sid, session);
    const instance = this.seed().instance;
    const header = b64url(JSON.stringify({ alg: "HS512", typ: "JWT", sub: user.userId }));
    const payload = b64url(
      JSON.stringify({
        exp: session.exp,
        iat,
        instancedb: instance.instanceDb,
        instanceid: this.instanceId,
        instancename: instance.instanceName,
        ruserid: user.userId,
        sid: session.sid,
        sub: user.userId,
        userid: user.userId,
      }),
    );
    const jwt = `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
    return { ok: true, jwt, expires: new Date(session.exp * 1000), session };
  }

  private sign(data: string): string {
    return createHmac("sha512", this.secret).update(data).digest("base64url");
  }

  /** Checks the session cookie (signature, known sid, not expired), the instance cookie and the CSRF pair. */
  authenticate(cookieHeader: string | null, csrfHeader: string | null): AuthOutcome {
    const cookies = parseCookieHeader(cookieHeader);
    const jwt = cookies.get("milltimesessionid");
    if (!jwt) return { ok: false, status: 401, message: "Not logged in" };
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return { ok: false, status: 401, message: "Malformed session" };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, status: 401, message: "Invalid session" };
    let claims: { sid?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sid?: unknown; exp?: unknown };
    } catch {
      return { ok: false, status: 401, message: "Malformed session" };
    }
    const session = typeof claims.sid === "string" ? this.sessions.get(claims.sid) : undefined;
    if (!session) return { ok: false, status: 401, message: "Unknown session" };
    if (session.exp * 1000 <= this.clock.now().getTime()) return { ok: false, status: 401, message: "Session expired" };
    if (cookies.get("milltimeinstanceid") !== this.instanceId) return { ok: false, status: 401, message: "Missing or wrong milltimeinstanceid cookie" };
    if (!csrfHeader || csrfHeader !== session.csrfToken || cookies.get("CSRFToken") !== session.csrfToken) {
      return { ok: false, status: 403, message: "CSRF token mismatch" };
    }
    const user = this.seed().users.find((u) => u.userId === session.userId);
    if (!user) return { ok: false, status: 401, message: "Unknown user" };
    return { ok: true, user, session };
  }
}
