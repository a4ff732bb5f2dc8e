import { Command, Help } from "commander";
import { COMMAND_MANIFEST } from "./commands/manifest.js";
import { createRootCommand, finishProgram } from "./program-setup.js";

/** Global options that take a value (their value is not the command name). */
const GLOBAL_VALUE_OPTIONS = new Set(["--config", "--profile"]);

/** The top-level command `argv` runs (`help X` asks for X's help), if it names one. */
export function requestedCommand(argv: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith("-")) words.push(arg);
  }
  return words[0] === "help" ? words[1] : words[0];
}

/**
 * The program for one command line: the command it runs gets its real definition, every other
 * command a stand-in with the same line in `--help`. `toki-parity --help` thus loads no command
 * module and `compare --help` only compare's. Should a stand-in run after all (a command line
 * this scan reads differently from commander), it loads its definition and parses again.
 */
export async function buildProgramFor(argv: readonly string[], load: string | undefined = requestedCommand(argv)): Promise<Command> {
  const program = createRootCommand();
  const terms = new Map<string, string>();
  for (const entry of COMMAND_MANIFEST) {
    if (entry.name === load) {
      program.addCommand((await entry.load())());
      continue;
    }
    terms.set(entry.name, entry.term);
    const standIn = new Command(entry.name)
      .description(entry.description)
      // Its --help too goes to the action, which shows the real command's help.
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(async () => {
        await (await buildProgramFor(argv, entry.name)).parseAsync([...argv], { from: "user" });
      });
    program.addCommand(standIn);
  }
  program.configureHelp({ subcommandTerm: (command) => terms.get(command.name()) ?? new Help().subcommandTerm(command) });
  return finishProgram(program);
}

