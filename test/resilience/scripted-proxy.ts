import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { onTestFinished } from "vitest";

/** What the proxy does with one request: pass it on, lose it, or answer it itself. */
export type ProxyStep = "forward" | "drop" | { status: number; body?: string; headers?: Record<string, string> };

export interface ProxyHit {
  method: string;
  url: string;
  step: ProxyStep;
  body: string;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host"]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A loopback HTTP proxy in front of an emulator (or of nothing) that applies `script` to the
 * requests in arrival order — one step per request, "forward" once the script is used up — so a
 * test decides exactly which try fails and how. Closed when the test finishes.
 */
export async function startScriptedProxy(target: string | undefined, script: ProxyStep[]) {
  const steps = [...script];
  const hits: ProxyHit[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const step = steps.shift() ?? "forward";
    hits.push({ method: req.method ?? "GET", url: req.url ?? "/", step, body: body.toString("latin1") });
    if (step === "drop") {
      req.socket.destroy();
      return;
    }
    if (step !== "forward") {
      res.writeHead(step.status, { "content-type": "text/html", ...step.headers });
      res.end(step.body ?? `<html><body><h1>${step.status} Service Unavailable</h1></body></html>`);
      return;
    }
    if (!target) throw new Error("the script ran out and the proxy has no target");
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(key)) headers[key] = value;
    const upstream = await request(`${target}${req.url ?? "/"}`, {
      method: (req.method ?? "GET") as "GET",
      headers,
      body: body.length > 0 ? body : undefined,
    });
    const out: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(upstream.headers)) if (value !== undefined && !HOP_BY_HOP.has(key)) out[key] = value;
    res.writeHead(upstream.statusCode, out);
    res.end(Buffer.from(await upstream.body.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

/** A sleep that records its waits and returns at once (retry tests stay fast and deterministic). */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}
