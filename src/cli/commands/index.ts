import type { Command } from "commander";
import { defineAuditCommand } from "./audit.js";
import { defineCompareCommand } from "./compare.js";
import { defineDemoCommand } from "./demo.js";
import { defineDoctorCommand } from "./doctor.js";
import { defineMapCommand } from "./map.js";
import { defineProbeCommand } from "./probe.js";
import { defineReplayCommand } from "./replay.js";
import { defineCleanupCommand } from "./cleanup.js";
import { defineRelinkCommand } from "./relink.js";
import { defineEmulatorCommand } from "./emulator.js";
import { defineMilltimeCommand } from "./milltime-export.js";
import { defineGateCommand } from "./gate.js";
import { defineReportCommand } from "./report.js";
import { defineConfigCommand, defineInitCommand } from "./config.js";

/**
 * Every top-level command, in the order `--help` lists them. Each entry builds a commander
 * Command whose action parses flags into `<Name>Options` and calls one library function.
 */
export const commandDefinitions: Array<() => Command> = [defineDemoCommand, defineCompareCommand, defineGateCommand, defineReportCommand, defineReplayCommand, defineRelinkCommand, defineCleanupCommand, defineMapCommand, defineMilltimeCommand, defineDoctorCommand, defineProbeCommand, defineAuditCommand, defineEmulatorCommand, defineInitCommand, defineConfigCommand];
