/** The Milltime emulator: login flow, read stores, write stores (logged), seed, faults. */
export {
  startMilltimeEmulator,
  runMilltimeEmulator,
  type EmulatorMilltimeOptions,
  type RunMilltimeEmulatorIo,
  MILLTIME_EMULATOR_SESSION_TTL_SECONDS,
  type MilltimeEmulatorOptions,
  type RunningMilltimeEmulator,
} from "./milltime-emulator.js";
export {
  milltimeSeedSchema,
  parseMilltimeSeed,
  loadMilltimeSeed,
  smallCompanySeedPath,
  type MilltimeSeed,
  type MilltimeSeedInput,
  type MilltimeSeedUser,
  type MilltimeSeedProject,
  type MilltimeSeedRegistration,
} from "./milltime-emulator-seed.js";
export {
  MILLTIME_EMULATOR_PATH,
  MILLTIME_STORE_FAULTS,
  type MilltimeStoreFault,
  type MilltimeReplyTransform,
} from "./milltime-emulator-handlers.js";
export type { MilltimeWriteLogEntry } from "./milltime-emulator-writes.js";
export { MilltimeEmulatorState } from "./milltime-emulator-state.js";
