// The benchmark's I/O floor: the requests a compare made, fetched again from the same emulators
// with the same concurrency (users at once, reads per user at once), bodies read and dropped.
// No parsing, comparison or report writes: what is left is the cost of the replies themselves.
import pLimit from "p-limit";
import type { Dispatcher } from "undici";
import type { PlannedRequest } from "./request-plan.js";

export { plannedRequestOf, type PlannedRequest } from "./request-plan.js";

/** One read of the floor and the status the compare got for it. */
export interface FloorRead {
  path: string;
  status: number | null;
}

/** One user's share of the floor: a Milltime login (if the compare logged in) and the GETs. */
export interface FloorUser {
  tokiUserId: number | null;
  kleer: FloorRead[];
  /** Login POSTs the compare sent (two per login). */
  milltimeLogins: number;
  /** Whether every login POST of the compare was answered 2xx (a refused login stays refused). */
  milltimeLoginOk: boolean;
  milltime: FloorRead[];
}

const MILLTIME_LOGIN_PATH = "/api/login";

/**
 * Groups the compare's requests per user, in the order users first appear. A Milltime login is
 * two POSTs the floor makes again as one login; any other non-GET is refused: a compare only
 * reads, and the floor must never replay a write.
 */
export function planIoFloor(requests: readonly PlannedRequest[]): FloorUser[] {
  const users = new Map<number | null, FloorUser>();
  for (const r of requests) {
    let user = users.get(r.tokiUserId);
    if (!user) users.set(r.tokiUserId, (user = { tokiUserId: r.tokiUserId, kleer: [], milltimeLogins: 0, milltimeLoginOk: true, milltime: [] }));
    if (r.system === "milltime" && r.method === "POST" && r.path === MILLTIME_LOGIN_PATH) {
      user.milltimeLogins += 1;
      if (r.status === null || r.status < 200 || r.status > 299) user.milltimeLoginOk = false;
      continue;
    }
    if (r.method !== "GET") throw new Error(`the I/O floor replays reads only, not ${r.method} ${r.path}`);
    (r.system === "kleer" ? user.kleer : user.milltime).push({ path: r.path, status: r.status });
  }
  return [...users.values()];
}

/** Compare wall ÷ floor wall; null when the floor took no measurable time. */
export function ioFloorRatio(compareMs: number, floorMs: number): number | null {
  return floorMs > 0 ? compareMs / floorMs : null;
}

export interface IoFloorOptions {
  /** Users at once (the compare's `--concurrency`). */
  concurrency: number;
  /** Kleer reads of one user at once (the adapter's chunk concurrency). */
  kleerPerUser: number;
  /** Milltime reads of one user at once. */
  milltimePerUser: number;
  kleer: { baseUrl: string; headers: Record<string, string>; dispatcher: Dispatcher };
  /** `login` opens the user's session and returns the headers of its GETs. */
  milltime: { baseUrl: string; dispatcher: Dispatcher; login(tokiUserId: number): Promise<Record<string, string>> };
}

export interface IoFloorResult {
  wallMs: number;
  /** Requests sent, the logins' two POSTs each included. */
  requests: number;
  bytes: number;
  /**
   * Replies whose status differs from the compare's, and logins whose outcome differs: a floor
   * that did not get the compare's replies is not its floor.
   */
  mismatches: number;
}

/**
 * One GET whose body is counted and dropped, on undici's lowest level (no Readable stream, no
 * string): the cheapest way to have the reply, cheaper than the compare's own exchange.
 */
function getAndDrop(dispatcher: Dispatcher, url: URL, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let bytes = 0;
    dispatcher.dispatch(
      { origin: url.origin, path: `${url.pathname}${url.search}`, method: "GET", headers },
      {
        // undici tells its handler kinds apart by this method (without it: the legacy onConnect kind).
        onRequestStart: () => {},
        onResponseStart: (_c, statusCode) => void (status = statusCode),
        onResponseData: (_c, chunk) => void (bytes += chunk.length),
        onResponseEnd: () => resolve({ status, bytes }),
        onResponseError: (_c, error) => reject(error),
      },
    );
  });
}

/** Replays the plan: each user's Kleer and Milltime reads side by side, as the compare reads them. */
export async function replayIoFloor(plan: readonly FloorUser[], options: IoFloorOptions): Promise<IoFloorResult> {
  let requests = 0;
  let bytes = 0;
  let mismatches = 0;
  const fetchAndDrop = async (base: string, read: FloorRead, headers: Record<string, string>, dispatcher: Dispatcher) => {
    const res = await getAndDrop(dispatcher, new URL(`${base}${read.path}`), headers);
    requests += 1;
    if (res.status !== read.status) mismatches += 1;
    bytes += res.bytes;
  };
  const started = performance.now();
  const users = pLimit(options.concurrency);
  await Promise.all(
    plan.map((user) =>
      users(async () => {
        const kleerLimit = pLimit(options.kleerPerUser);
        const milltimeLimit = pLimit(options.milltimePerUser);
        const { kleer: k, milltime: m } = options;
        const kleer = Promise.all(user.kleer.map((read) => kleerLimit(() => fetchAndDrop(k.baseUrl, read, k.headers, k.dispatcher))));
        const milltime = (async () => {
          if (user.milltime.length === 0 && user.milltimeLogins === 0) return;
          if (user.tokiUserId === null) throw new Error("a Milltime read outside any user's session");
          let headers: Record<string, string> | undefined;
          try {
            headers = await m.login(user.tokiUserId);
          } catch (error) {
            // The compare's login was refused too: the floor has made the same requests.
            if (user.milltimeLoginOk) throw error;
          }
          requests += 2;
          if (headers === undefined) {
            mismatches += user.milltime.length;
            return;
          }
          if (!user.milltimeLoginOk) mismatches += 1;
          const session = headers;
          await Promise.all(user.milltime.map((read) => milltimeLimit(() => fetchAndDrop(m.baseUrl, read, session, m.dispatcher))));
        })();
        await Promise.all([kleer, milltime]);
      }),
    ),
  );
  return { wallMs: performance.now() - started, requests, bytes, mismatches };
}
