import { appendFileSync } from "node:fs";
import { captureHttpSecrets } from "./secret-capture.js";

/**
 * Loaded with `node --import tsx --import ./test/secrets/capture-preload.ts` into a CLI child
 * process: appends every credential the child's HTTP clients send or receive to the file named
 * by TOKI_SECRETS_CAPTURE, one per line, so the test can hunt for them in the child's outputs.
 */
const file = process.env.TOKI_SECRETS_CAPTURE;
if (file) captureHttpSecrets((value) => appendFileSync(file, `${value}\n`));
