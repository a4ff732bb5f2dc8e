/** `toki-parity doctor`: read-only readiness checks before a cutover run. */
export { runDoctor, type DoctorDeps } from "./doctor-run.js";
export { type DoctorOptions, type LoadedDoctorConfig } from "./doctor-config.js";
export { defaultDoctorRange, assertKnownTimeZone } from "./doctor-range.js";
export { formatDoctorJson, formatDoctorText, doctorVerdict } from "./doctor-format.js";
export {
  DOCTOR_CHECK_IDS,
  DOCTOR_CHECK_TITLES,
  type DoctorCheck,
  type DoctorCheckId,
  type DoctorResult,
  type DoctorStatus,
} from "./doctor-types.js";
