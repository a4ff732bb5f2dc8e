/** `toki-parity probe`: a contract round trip through the Kleer adapter against a sandbox company. */
export { runProbe, pickProbeUser, type ProbeDeps, type ProbeResult } from "./probe-run.js";
export { parseProbeOptions, probeOptionsSchema, PROBE_DEFAULT_WINDOW_DAYS, type ProbeOptions, type ProbeOptionsInput } from "./probe-options.js";
export { formatProbeJson, formatProbeText, probeVerdict } from "./probe-format.js";
export { PROBE_STEPS, type ProbeStepName } from "./probe-steps.js";
export { readProbeSteps, type ProbeStepRecord, type ProbeVerdict } from "./probe-store.js";
export { PROBE_FOREIGN_ID_PREFIX, probeForeignId, probeWindow, pickEventDate, pickLockedDate } from "./probe-plan.js";
