import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MockAgent, Pool } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { exchangeHttp } from "../../src/http/http-exchange.js";
import { isTransientError } from "../../src/http/retry.js";

const servers: Server[] = [];
const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.destroy()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, connections = 1): Promise<{ origin: string; pool: Pool; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool(origin, { connections });
  pools.push(pool);
  return { origin, pool, seen };
}

describe("exchangeHttp", () => {
  it("sends method, path, headers and body, and reads status, lower-case headers (repeated ones as arrays) and the body as UTF-8 text", async () => {
    let received = "";
    const { origin, pool, seen } = await serve((req, res) => {
      req.on("data", (c: Buffer) => (received += c.toString()));
      req.on("end", () => {
        res.writeHead(201, [["Content-Type", "application/json"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"], ["X-Auth", String(req.headers["x-auth"])]]);
        res.write('{"name":"Åsa ');
        res.end('Öberg"}');
      });
    });
    const reply = await exchangeHttp(pool, { url: `${origin}/v1/x?y=1`, method: "POST", headers: { "x-auth": "k" }, body: '{"a":1}', timeoutMs: 5000 });
    expect(seen).toEqual(["POST /v1/x?y=1"]);
    expect(received).toBe('{"a":1}');
    expect(reply).toMatchObject({ status: 201, text: '{"name":"Åsa Öberg"}', oversize: false });
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(reply.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(reply.headers["x-auth"]).toBe("k");
  });

  it("reads a reply within the bound; one declared or arriving longer is not read and its connection is closed", async () => {
    const { origin, pool } = await serve((req, res) => {
      if (req.url === "/declared") {
        res.writeHead(200, { "content-length": "2000" });
        res.end("x".repeat(2000));
      } else if (req.url === "/chunked") {
        res.writeHead(200);
        res.write("y".repeat(600));
        setTimeout(() => res.end("y".repeat(600)), 20);
      } else res.end("z".repeat(1000));
    });
    expect(await exchangeHttp(pool, { url: `${origin}/exact`, method: "GET", timeoutMs: 5000, maxBytes: 1000 })).toMatchObject({ status: 200, text: "z".repeat(1000), oversize: false });
    expect(await exchangeHttp(pool, { url: `${origin}/declared`, method: "GET", timeoutMs: 5000, maxBytes: 1000 })).toMatchObject({ status: 200, text: "", oversize: true });
    expect(await exchangeHttp(pool, { url: `${origin}/chunked`, method: "GET", timeoutMs: 5000, maxBytes: 1000 })).toMatchObject({ status: 200, text: "", oversize: true });
    // The pool still serves after abandoned replies.
    expect((await exchangeHttp(pool, { url: `${origin}/exact`, method: "GET", timeoutMs: 5000 })).text).toHaveLength(1000);
  });

  it("gives up with a transient TimeoutError when the headers, the body or a free connection take longer than the deadline", async () => {
    const { origin, pool } = await serve((req, res) => {
      if (req.url === "/slow-body") {
        res.writeHead(200);
        res.write("a");
        return; // never ends
      }
      if (req.url === "/hang") return;
      res.end("ok");
    });
    for (const path of ["/hang", "/slow-body"]) {
      const started = performance.now();
      const error = await exchangeHttp(pool, { url: `${origin}${path}`, method: "GET", timeoutMs: 150 }).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(Error);
      expect((error as Error).name).toBe("TimeoutError");
      expect(isTransientError(error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(2000);
    }
    // One connection, held by a hanging request: the next one times out while it waits for it.
    const holding = exchangeHttp(pool, { url: `${origin}/hang`, method: "GET", timeoutMs: 400 }).catch((e: unknown) => e);
    const queued = await exchangeHttp(pool, { url: `${origin}/fast`, method: "GET", timeoutMs: 100 }).catch((e: unknown) => e);
    expect((queued as Error).name).toBe("TimeoutError");
    expect(((await holding) as Error).name).toBe("TimeoutError");
    expect((await exchangeHttp(pool, { url: `${origin}/fast`, method: "GET", timeoutMs: 2000 })).text).toBe("ok");
  });

  it("rejects a reply cut off before its declared length, never returning the part as the body", async () => {
    const { origin, pool } = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("x".repeat(10));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await exchangeHttp(pool, { url: `${origin}/cut`, method: "GET", timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).not.toBe("TimeoutError");
  });

  it("rejects, sending nothing, a URL that is not one", async () => {
    const { pool, seen } = await serve((_req, res) => res.end());
    await expect(exchangeHttp(pool, { url: "not a url", method: "GET", timeoutMs: 2000 })).rejects.toThrow(TypeError);
    expect(seen).toEqual([]);
  });

  it("rejects with undici's error when nothing listens", async () => {
    const { origin, pool } = await serve((_req, res) => res.end());
    await new Promise((r) => (servers.pop() as Server).close(r));
    const error = await exchangeHttp(pool, { url: `${origin}/`, method: "GET", timeoutMs: 2000 }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("ECONNREFUSED");
    expect(isTransientError(error)).toBe(true);
  });

  it("works on an injected MockAgent, as the clients promise (docs/kleer.md)", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get("http://kleer.example").intercept({ path: "/v1/x?y=1", method: "GET" }).reply(200, { a: 1 }, { headers: { "content-type": "application/json" } });
    const reply = await exchangeHttp(agent, { url: "http://kleer.example/v1/x?y=1", method: "GET", timeoutMs: 1000 });
    expect(reply).toMatchObject({ status: 200, text: '{"a":1}', oversize: false });
    expect(reply.headers["content-type"]).toBe("application/json");
    await agent.close();
  });
});
