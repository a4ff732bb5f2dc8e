import { runMilltimeEmulator, type EmulatorMilltimeOptions } from "../../emulator/milltime/index.js";

/** The `emulator milltime` action, loaded only when the command runs: serves until SIGINT/SIGTERM. */
export async function runEmulatorMilltimeCommand(options: EmulatorMilltimeOptions): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await runMilltimeEmulator(options, { write: (text) => process.stdout.write(text), stop: controller.signal });
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
