import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getResponse, type RequestHandler } from "msw";
import { createFaultPlan, type FaultOptionsInput } from "./emulator-faults.js";

/** One request as an emulator saw it (tests prove read-only behaviour and request budgets with it). */
export interface EmulatorRequestLogEntry {
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
  fault: string | null;
}

export interface ServeOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** Only loopback is allowed. @default "127.0.0.1" */
  host?: "127.0.0.1" | "localhost" | "::1";
  faults?: FaultOptionsInput;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  server: Server;
  /** Every request served, in order. */
  requestLog: EmulatorRequestLogEntry[];
  /** Replaces the fault settings of the running server (tests switch faults on and off). */
  setFaults(faults: FaultOptionsInput): void;
  /**
   * Holds every write request (POST, PUT, DELETE, PATCH) before it is handled until `release()`:
   * lines up concurrent writers (two processes that have both read before either writes).
   */
  holdWrites(): { waiting(): number; release(): void };
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toFetchRequest(req: IncomingMessage, body: Buffer, origin: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
    else if (value !== undefined) headers.set(key, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && body.length > 0;
  return new Request(new URL(req.url ?? "/", origin), { method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

const WRITE_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Serves msw request handlers over real HTTP on loopback, so that undici clients (which msw
 * cannot intercept) talk to the emulator exactly as they would to the real API.
 */
export async function serveHandlers(handlers: RequestHandler[], options: ServeOptions = {}): Promise<RunningEmulator> {
  let plan = createFaultPlan(options.faults);
  const requestLog: EmulatorRequestLogEntry[] = [];
  const host = options.host ?? "127.0.0.1";
  let origin = "";
  let hold: { gate: Promise<void>; waiting: number } | undefined;

  const server = createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    try {
      const body = await readBody(req);
      if (hold && WRITE_METHODS.has(method.toUpperCase())) {
        const current = hold;
        current.waiting++;
        await current.gate;
      }
      const decision = plan.decide(method, url.split("?")[0]);
      if (plan.options.latencyMs > 0) await sleep(plan.options.latencyMs);
      if (decision.kind === "drop") {
        requestLog.push({ method, url, status: 0, fault: "drop" });
        req.socket.destroy();
        return;
      }
      if (decision.kind === "rate-limit") {
        requestLog.push({ method, url, status: 429, fault: "rate-limit" });
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(decision.retryAfterSeconds) });
        res.end(JSON.stringify({ message: "Too many requests" }));
        return;
      }
      if (decision.kind === "error") {
        requestLog.push({ method, url, status: decision.status, fault: "error" });
        res.writeHead(decision.status, { "content-type": "text/html" });
        res.end(`<html><body><h1>${decision.status} Bad Gateway</h1></body></html>`);
        return;
      }
      const response = (await getResponse(handlers, toFetchRequest(req, body, origin))) ??
        new Response(JSON.stringify({ message: "No such endpoint" }), {
          status: 404,
          headers: { "content-type": "application/json" },
        });
      if (decision.kind === "drop-after-write") {
        // The write has been carried out by the handler; only the reply is lost.
        requestLog.push({ method, url, status: response.status, fault: "drop-after-write" });
        req.socket.destroy();
        return;
      }
      if (decision.kind === "empty-reply" && response.status === 200) {
        // Well-formed JSON that lists nothing: the reply a client must not read as "no rows".
        requestLog.push({ method, url, status: 200, fault: "empty-reply" });
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
        return;
      }
      requestLog.push({ method, url, status: response.status, fault: null });
      await writeResponse(res, response);
    } catch (error) {
      requestLog.push({ method, url, status: 500, fault: "emulator-error" });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `Emulator error: ${(error as Error).message}` }));
    }
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host === "::1" ? "[::1]" : host}:${port}`;

  return {
    url: origin,
    port,
    server,
    requestLog,
    setFaults(faults) {
      plan = createFaultPlan(faults);
    },
    holdWrites() {
      let open = () => {};
      const current = { gate: new Promise<void>((resolve) => (open = resolve)), waiting: 0 };
      hold = current;
      return {
        waiting: () => current.waiting,
        release() {
          if (hold === current) hold = undefined;
          open();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
