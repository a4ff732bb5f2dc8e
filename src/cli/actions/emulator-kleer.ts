import { runKleerEmulator, type EmulatorKleerOptions } from "../../emulator/kleer/index.js";

/** The `emulator kleer` action, loaded only when the command runs: serves until SIGINT/SIGTERM. */
export async function runEmulatorKleerCommand(options: EmulatorKleerOptions): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await runKleerEmulator(options, { write: (text) => process.stdout.write(text), stop: controller.signal });
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
