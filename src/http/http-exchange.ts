// One HTTP try on an undici dispatcher, its body collected as text. Both providers' clients send
// every request through here. undici's `request()` wraps each reply in a Readable stream and each
// deadline in an AbortSignal.timeout(); per reply that was a third of the client's CPU in a long
// compare, work a body read whole into one string never needed.
import type { Dispatcher } from "undici";

export interface HttpExchangeRequest {
  /** The whole URL; split into origin and path as undici's `request()` splits one. */
  url: string;
  method: Dispatcher.HttpMethod;
  headers?: Record<string, string> | undefined;
  body?: Dispatcher.DispatchOptions["body"] | undefined;
  /** One deadline for the connection, the headers and the whole body. */
  timeoutMs: number;
  /** A body longer than this is not read: the exchange is abandoned (its connection closed). */
  maxBytes?: number | undefined;
}

export interface HttpExchangeReply {
  status: number;
  /** Lower-case names; a repeated header (Set-Cookie) as an array. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body was longer than `maxBytes` (declared or as it arrived); `text` is empty. */
  oversize: boolean;
}

/** The error of a passed deadline; its name is the one AbortSignal.timeout() gives, which the retry policy treats as transient. */
function deadlineError(timeoutMs: number): Error {
  const error = new Error(`The operation was aborted due to timeout (${timeoutMs} ms)`);
  error.name = "TimeoutError";
  return error;
}

/**
 * Sends one request and reads its reply. Rejects with undici's error for a connection that
 * fails, and with a TimeoutError when the deadline passes first (also while waiting for a
 * connection of the pool).
 */
export function exchangeHttp(dispatcher: Dispatcher, req: HttpExchangeRequest): Promise<HttpExchangeReply> {
  const limit = req.maxBytes ?? Number.POSITIVE_INFINITY;
  return new Promise((resolve, reject) => {
    // Thrown in the executor, before any timer: a URL that is not one rejects the exchange.
    const url = new URL(req.url);
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let abortWith: Error | undefined;
    let status = 0;
    let headers: HttpExchangeReply["headers"] = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined, reply?: HttpExchangeReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(reply as HttpExchangeReply);
    };
    const abandon = (reason: Error) => {
      abortWith = reason;
      controller?.abort(reason);
    };
    const timer = setTimeout(() => {
      const error = deadlineError(req.timeoutMs);
      settle(error);
      abandon(error);
    }, req.timeoutMs);
    timer.unref();
    const oversize = () => {
      settle(undefined, { status, headers, text: "", oversize: true });
      abandon(new Error(`reply longer than ${limit} bytes: not read`));
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        // The deadline passed while the request waited for a connection.
        if (abortWith) c.abort(abortWith);
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders as HttpExchangeReply["headers"];
        const declared = Number(headers["content-length"]);
        if (Number.isFinite(declared) && declared > limit) oversize();
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        size += chunk.length;
        if (size > limit) return oversize();
        chunks.push(chunk);
      },
      onResponseEnd() {
        const text = chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
        settle(undefined, { status, headers, text, oversize: false });
      },
      onResponseError(_c, error) {
        settle(error);
      },
    };
    try {
      dispatcher.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: req.method, headers: req.headers, body: req.body ?? null }, handler);
    } catch (error) {
      settle(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
