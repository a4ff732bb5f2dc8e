// The I/O floor's connections to a compare's two providers: the same pool sizes, the same Kleer
// headers, and one Milltime login per user with the credentials the compare used.
import { Agent } from "undici";
import type { RunConfig } from "../../src/config/run-config.js";
import { KLEER_CHUNK_CONCURRENCY } from "../../src/kleer/index.js";
import { MILLTIME_USER_READ_CONCURRENCY } from "../../src/compare/compare-options.js";
import { loadMilltimeCredentials, login } from "../../src/milltime/index.js";
import { storeHeaders } from "../../src/milltime/milltime-client.js";
import { poolConnectionsFor } from "../../src/run/run-sources.js";
import type { IoFloorOptions } from "./io-floor.js";

/** Floor options for a compare's configuration (live Milltime with password credentials); `close` ends the pools. */
export async function floorOptionsFor(config: RunConfig): Promise<IoFloorOptions & { close(): Promise<void> }> {
  const milltimeUrl = config.milltime.url;
  if (!milltimeUrl || !config.milltime.credentialsFile) throw new Error("the I/O floor needs a live Milltime (URL and credentials file)");
  const credentials = new Map((await loadMilltimeCredentials(config.milltime.credentialsFile)).map((c) => [c.tokiUserId, c]));
  const kleerDispatcher = new Agent({ connections: poolConnectionsFor(config.concurrency, KLEER_CHUNK_CONCURRENCY), keepAliveTimeout: 10_000 });
  const milltimeDispatcher = new Agent({ connections: poolConnectionsFor(config.concurrency, MILLTIME_USER_READ_CONCURRENCY), keepAliveTimeout: 10_000 });
  return {
    concurrency: config.concurrency,
    kleerPerUser: KLEER_CHUNK_CONCURRENCY,
    milltimePerUser: MILLTIME_USER_READ_CONCURRENCY,
    kleer: {
      baseUrl: config.kleer.baseUrl.replace(/\/+$/, ""),
      headers: { "x-token": config.kleer.token, accept: "application/json", "content-type": "application/json" },
      dispatcher: kleerDispatcher,
    },
    milltime: {
      baseUrl: milltimeUrl.trim().replace(/\/+$/, ""),
      dispatcher: milltimeDispatcher,
      async login(tokiUserId) {
        const c = credentials.get(tokiUserId);
        if (!c?.password) throw new Error(`the I/O floor has no Milltime password for Toki user ${tokiUserId}`);
        return storeHeaders(await login({ baseUrl: milltimeUrl, username: c.username, password: c.password, instanceId: c.instanceId, dispatcher: milltimeDispatcher }));
      },
    },
    async close() {
      await Promise.all([kleerDispatcher.close(), milltimeDispatcher.close()]);
    },
  };
}
