import { Help } from "commander";
import { describe, expect, it, vi } from "vitest";
import { COMMAND_MANIFEST } from "../../src/cli/commands/manifest.js";
import { buildProgram } from "../../src/cli/program.js";
import { buildProgramFor, requestedCommand } from "../../src/cli/lazy-program.js";

describe("command manifest", () => {
  it("lists every command in order with the term and description of its real definition", async () => {
    const real = buildProgram().commands;
    const help = new Help();
    expect(COMMAND_MANIFEST.map((e) => e.name)).toEqual(real.map((c) => c.name()));
    for (const [i, entry] of COMMAND_MANIFEST.entries()) {
      const command = real[i]!;
      expect(entry.term, entry.name).toBe(help.subcommandTerm(command));
      expect(entry.description, entry.name).toBe(command.description());
      expect((await entry.load())().name()).toBe(entry.name);
    }
  });

  it("--help of the lazy program is the full program's", async () => {
    const lazy = await buildProgramFor(["--help"]);
    expect(lazy.helpInformation()).toBe(buildProgram().helpInformation());
  });

  it.each([
    [["compare", "--from", "x"], "compare"],
    [["--config", "c.json", "--profile", "sandbox", "gate", "r.sqlite"], "gate"],
    [["help", "report"], "report"],
    [["--help"], undefined],
    [["--config=c.json", "map", "check"], "map"],
  ])("%j runs %s", (argv, name) => {
    expect(requestedCommand(argv)).toBe(name);
  });

  it("a stand-in that runs after all loads its definition and parses again", async () => {
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      // Nothing loaded: `emulator kleer --help` reaches the emulator stand-in, which loads the real one.
      const program = await buildProgramFor(["emulator", "kleer", "--help"], "none");
      await program.parseAsync(["emulator", "kleer", "--help"], { from: "user" }).catch((error: unknown) => {
        if ((error as { code?: string }).code !== "commander.helpDisplayed") throw error;
      });
    } finally {
      spy.mockRestore();
    }
    expect(out).toContain("Usage: toki-parity emulator kleer [options]");
    expect(out).toContain("--accept-locked-writes");
  });
});
