// Preload (`node --import ./module-log.mjs …`) that records every module the process loads into
// $TOKI_PARITY_MODULE_LOG: ES modules through a resolve hook, CommonJS ones through Module._load
// (a package required from CommonJS never reaches the ESM hooks).
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { pathToFileURL } from "node:url";

const logFile = process.env.TOKI_PARITY_MODULE_LOG;
if (logFile) {
  register("./module-log-hooks.mjs", import.meta.url, { data: { logFile } });
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    try {
      appendFileSync(logFile, `${pathToFileURL(Module._resolveFilename(request, parent, isMain)).href}\n`);
    } catch {
      appendFileSync(logFile, `${request}\n`);
    }
    return load.apply(this, arguments);
  };
}
