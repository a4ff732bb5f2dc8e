export {
  startKleerEmulator,
  KLEER_EMULATOR_DEV_TOKEN,
  KLEER_EMULATOR_DEFAULT_COMPANY_ID,
  type RunningKleerEmulator,
  type StartKleerEmulatorOptions,
} from "./kleer-emulator.js";
export { createKleerEmulatorHandlers, PAYROLL_USER_MISSING_MESSAGE, type KleerEmulatorHandlerOptions } from "./kleer-emulator-handlers.js";
export {
  createKleerEmulatorState,
  emulatorAllowedActivities,
  type KleerEmulatorEventInput,
  type KleerEmulatorPayrollEvent,
  type KleerEmulatorState,
  type KleerEmulatorWriteResult,
} from "./kleer-emulator-state.js";
export {
  kleerEmulatorSeedSchema,
  parseKleerEmulatorSeed,
  type KleerEmulatorSeed,
  type KleerEmulatorSeedInput,
  type KleerSeedActivity,
  type KleerSeedDayStatus,
  type KleerSeedEvent,
  type KleerSeedPayrollEvent,
  type KleerSeedProject,
  type KleerSeedSchedule,
  type KleerSeedUser,
} from "./kleer-emulator-seed.js";
export {
  describeKleerEmulator,
  loadKleerEmulatorSeed,
  runKleerEmulator,
  type EmulatorKleerOptions,
  type EmulatorRunIo,
} from "./kleer-emulator-run.js";
