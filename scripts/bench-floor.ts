// Child process of the benchmark: the I/O floor (scripts/bench/io-floor.ts) of one compare run,
// from the request plan it wrote. Prints one JSON line with the floor's wall time and counts.
import { readFileSync } from "node:fs";
import type { RunConfig } from "../src/config/run-config.js";
import { planIoFloor, replayIoFloor, type PlannedRequest } from "./bench/io-floor.js";
import { floorOptionsFor } from "./bench/floor-sources.js";

const config = JSON.parse(process.argv[2] as string) as RunConfig;
const text = readFileSync(process.argv[3] as string, "utf8");
// One JSON line per request (a JSON array is read too).
const requests = (text.startsWith("[") ? JSON.parse(text) : text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line))) as PlannedRequest[];
const plan = planIoFloor(requests);
const options = await floorOptionsFor(config);
try {
  process.stdout.write(`${JSON.stringify(await replayIoFloor(plan, options))}\n`);
} finally {
  await options.close();
}
