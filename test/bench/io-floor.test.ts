import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ioFloorRatio, plannedRequestOf, planIoFloor, replayIoFloor, type PlannedRequest } from "../../scripts/bench/io-floor.js";

const get = (tokiUserId: number | null, system: "kleer" | "milltime", path: string, status: number | null = 200): PlannedRequest => ({ tokiUserId, system, method: "GET", path, status });
const loginPost = (tokiUserId: number, status = 200): PlannedRequest => ({ tokiUserId, system: "milltime", method: "POST", path: "/api/login", status });
const read = (path: string, status: number | null = 200) => ({ path, status });

describe("planIoFloor", () => {
  it("groups the compare's requests per user in first-seen order and turns the two login POSTs into one login", () => {
    const plan = planIoFloor([
      get(null, "kleer", "/company/1/user/me"),
      loginPost(7),
      get(7, "kleer", "/company/1/event?user=70"),
      loginPost(7),
      get(3, "kleer", "/company/1/event?user=30"),
      get(7, "milltime", "/data/store/TimeInfo?filter=a"),
      get(7, "kleer", "/company/1/activity", 500),
      loginPost(3),
      loginPost(3, 401),
    ]);
    expect(plan).toEqual([
      { tokiUserId: null, kleer: [read("/company/1/user/me")], milltimeLogins: 0, milltimeLoginOk: true, milltime: [] },
      { tokiUserId: 7, kleer: [read("/company/1/event?user=70"), read("/company/1/activity", 500)], milltimeLogins: 2, milltimeLoginOk: true, milltime: [read("/data/store/TimeInfo?filter=a")] },
      { tokiUserId: 3, kleer: [read("/company/1/event?user=30")], milltimeLogins: 2, milltimeLoginOk: false, milltime: [] },
    ]);
  });

  it("refuses to replay anything but reads", () => {
    expect(() => planIoFloor([{ tokiUserId: 1, system: "kleer", method: "PUT", path: "/company/1/event", status: 200 }])).toThrow(/reads only, not PUT/);
    expect(() => planIoFloor([{ tokiUserId: 1, system: "milltime", method: "POST", path: "/data/store/TimerRegistration", status: 200 }])).toThrow(/reads only/);
  });

  it("takes Kleer and Milltime records with a path and leaves history and path-less records out", () => {
    expect(plannedRequestOf(5, { system: "kleer", method: "GET", route: "/company/{companyId}/user/me", status: 200, attempts: 1, durationMs: 1, path: "/company/1/user/me" })).toEqual(get(5, "kleer", "/company/1/user/me"));
    expect(plannedRequestOf(5, { system: "kleer", method: "GET", route: "r", status: undefined, attempts: 5, durationMs: 1, path: "/t" })).toEqual(get(5, "kleer", "/t", null));
    expect(plannedRequestOf(undefined, { system: "milltime", method: "GET", route: "r", status: 200, attempts: 1, durationMs: 1, path: "/p" })).toEqual(get(null, "milltime", "/p"));
    expect(plannedRequestOf(5, { system: "history", method: "GET", route: "r", status: 200, attempts: 1, durationMs: 1, path: "/x" })).toBeUndefined();
    expect(plannedRequestOf(5, { system: "kleer", method: "GET", route: "r", status: 200, attempts: 1, durationMs: 1 })).toBeUndefined();
  });
});

describe("ioFloorRatio", () => {
  it("is compare wall ÷ floor wall, null for a floor of no time", () => {
    expect(ioFloorRatio(30_000, 20_000)).toBe(1.5);
    expect(ioFloorRatio(10_000, 0)).toBeNull();
  });
});

describe("replayIoFloor", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("fetches every planned path once, at most `concurrency` users and the per-user limits at a time, counting bytes", async () => {
    const seen: string[] = [];
    const inFlightByUser = new Map<string, number>();
    let maxUsers = 0;
    const maxPerUser = new Map<string, number>();
    server = createServer((req, res) => {
      const url = req.url ?? "";
      seen.push(url);
      // /k/<user>/<n> and /m/<user>/<n>: system and user in the path.
      const [, system, user] = url.split("/");
      const key = `${system}/${user}`;
      const now = (inFlightByUser.get(key) ?? 0) + 1;
      inFlightByUser.set(key, now);
      maxPerUser.set(key, Math.max(maxPerUser.get(key) ?? 0, now));
      const busyUsers = new Set([...inFlightByUser].filter(([, n]) => n > 0).map(([k]) => k.split("/")[1]));
      maxUsers = Math.max(maxUsers, busyUsers.size);
      setTimeout(() => {
        inFlightByUser.set(key, (inFlightByUser.get(key) ?? 1) - 1);
        if (req.headers["x-session"] !== undefined && system === "m" && req.headers["x-session"] !== `s${user}`) res.statusCode = 401;
        res.end("x".repeat(100));
      }, 5);
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const requests: PlannedRequest[] = [];
    for (let user = 1; user <= 5; user++) {
      requests.push(loginPost(user), loginPost(user));
      for (let n = 0; n < 6; n++) requests.push(get(user, "kleer", `/k/${user}/${n}`), get(user, "milltime", `/m/${user}/${n}`));
    }
    const logins: number[] = [];
    const dispatcher = new Agent({ connections: 64 });
    const result = await replayIoFloor(planIoFloor(requests), {
      concurrency: 2,
      kleerPerUser: 3,
      milltimePerUser: 2,
      kleer: { baseUrl: base, headers: {}, dispatcher },
      milltime: {
        baseUrl: base,
        dispatcher,
        async login(tokiUserId) {
          logins.push(tokiUserId);
          return { "x-session": `s${tokiUserId}` };
        },
      },
    });
    await dispatcher.close();
    const planned = requests.filter((r) => r.method === "GET").map((r) => r.path);
    expect([...seen].sort()).toEqual([...planned].sort());
    expect(logins.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(result).toMatchObject({ requests: 60 + 10, bytes: 60 * 100, mismatches: 0 });
    expect(maxUsers).toBeLessThanOrEqual(2);
    for (const [key, max] of maxPerUser) expect(max, key).toBeLessThanOrEqual(key.startsWith("k/") ? 3 : 2);
    expect(result.wallMs).toBeGreaterThan(0);
  });

  it("counts replies whose status differs from the compare's, and a login whose outcome differs", async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === "/ok" ? 200 : 500;
      res.end("no");
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dispatcher = new Agent();
    const options = (login: () => Promise<Record<string, string>>) => ({
      concurrency: 1,
      kleerPerUser: 1,
      milltimePerUser: 1,
      kleer: { baseUrl: base, headers: {}, dispatcher },
      milltime: { baseUrl: base, dispatcher, login },
    });
    const same = await replayIoFloor(planIoFloor([get(1, "kleer", "/ok"), get(1, "kleer", "/b", 500)]), options(async () => ({})));
    expect(same).toMatchObject({ requests: 2, mismatches: 0 });
    const differs = await replayIoFloor(planIoFloor([get(1, "kleer", "/a"), get(1, "kleer", "/ok", 500)]), options(async () => ({})));
    expect(differs).toMatchObject({ requests: 2, mismatches: 2 });
    // The compare's login was refused and so is the floor's: the same two POSTs, no mismatch.
    const refused = async (): Promise<Record<string, string>> => {
      throw new Error("401");
    };
    expect(await replayIoFloor(planIoFloor([loginPost(1), loginPost(1, 401)]), options(refused))).toMatchObject({ requests: 2, mismatches: 0 });
    // A login the compare got that the floor does not is an error, not a faster floor.
    await expect(replayIoFloor(planIoFloor([loginPost(1), loginPost(1), get(1, "milltime", "/ok")]), options(refused))).rejects.toThrow("401");
    // The other way round: the compare's login was refused, the floor's is not.
    expect(await replayIoFloor(planIoFloor([loginPost(1), loginPost(1, 401)]), options(async () => ({})))).toMatchObject({ requests: 2, mismatches: 1 });
    await dispatcher.close();
  });
});
