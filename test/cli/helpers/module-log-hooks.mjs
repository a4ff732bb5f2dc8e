// Module hooks (they run on Node's loader thread): append every resolved module URL to the file
// the preload passed in, so a test can see which modules a CLI start loaded.
import { appendFileSync } from "node:fs";

let logFile;

export function initialize(data) {
  logFile = data.logFile;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(logFile, `${resolved.url}\n`);
  return resolved;
}
