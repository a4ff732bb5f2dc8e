// Child process of the benchmark: serves both emulators from seed files so that the compare's
// memory and CPU are measured apart from them. Prints one JSON line with the URLs; reads
// `latency <ms>` lines on stdin to change the injected latency and `usage` lines to report the
// process's CPU time so far; exits on stdin end.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { startKleerEmulator } from "../src/emulator/kleer/index.js";
import { startMilltimeEmulator } from "../src/emulator/milltime/milltime-emulator.js";

const [kleerSeedFile, milltimeSeedFile, token] = process.argv.slice(2) as [string, string, string];
const kleer = await startKleerEmulator({ seed: JSON.parse(readFileSync(kleerSeedFile, "utf8")), token, companyId: 4875 });
const milltime = await startMilltimeEmulator({ seed: JSON.parse(readFileSync(milltimeSeedFile, "utf8")), sessionTtlSeconds: 24 * 3600 });
process.stdout.write(`${JSON.stringify({ kleerUrl: `${kleer.url}/v1`, milltimeUrl: `${milltime.url}/cgi/mt.cgi` })}\n`);

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "usage") {
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
    return;
  }
  const m = /^latency (\d+)$/.exec(line.trim());
  if (!m) return;
  const latencyMs = Number(m[1]);
  kleer.setFaults({ latencyMs });
  milltime.setFaults({ latencyMs });
  process.stdout.write(`${JSON.stringify({ latencyMs })}\n`);
});
lines.on("close", async () => {
  await Promise.all([kleer.close(), milltime.close()]);
  process.exit(0);
});
