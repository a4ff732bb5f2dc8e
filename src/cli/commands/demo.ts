import { Command } from "commander";

export function defineDemoCommand(): Command {
  return new Command("demo")
    .description("Run the whole toolkit on the built-in emulators: a seeded company, a parity run, reports in reports/.")
    .option("--out-dir <dir>", "folder for the report files", "reports")
    .action(async (flags: { outDir: string }) => {
      const { runDemoCommand } = await import("../actions/demo.js");
      await runDemoCommand(flags);
    });
}
