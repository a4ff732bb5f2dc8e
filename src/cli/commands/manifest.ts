import type { Command } from "commander";

/** One top-level command as `toki-parity --help` lists it, and how to load its definition. */
export interface CommandManifestEntry {
  name: string;
  /** The command's line in the list (`gate [options] [file]`), as commander prints it. */
  term: string;
  description: string;
  /** Imports the definition module (flags and help; the action imports the implementation). */
  load: () => Promise<() => Command>;
}

/**
 * Every top-level command, in the order `--help` lists them, without importing any of them: a
 * start loads only the definition of the command it runs. test/cli/command-manifest.test.ts checks
 * each entry's name, term and description against the real definition.
 */
export const COMMAND_MANIFEST: readonly CommandManifestEntry[] = [
  {
    name: "demo",
    term: "demo [options]",
    description: "Run the whole toolkit on the built-in emulators: a seeded company, a parity run, reports in reports/.",
    load: async () => (await import("./demo.js")).defineDemoCommand,
  },
  {
    name: "compare",
    term: "compare [options]",
    description: "Compare what Toki showed from Milltime with what it will show from Kleer (read-only on both sides) and write a parity run to the report file.",
    load: async () => (await import("./compare.js")).defineCompareCommand,
  },
  {
    name: "gate",
    term: "gate [options] [file]",
    description: "Pass or fail a run of a report file for CI: exit 0 when it passes, 1 when it does not.",
    load: async () => (await import("./gate.js")).defineGateCommand,
  },
  {
    name: "report",
    term: "report [options] [file]",
    description: "Export one run of a report file as JSON, JUnit XML, Markdown or a self-contained HTML page (to stdout or --out); `report merge` combines shard reports; `report diff` compares two parity runs.",
    load: async () => (await import("./report.js")).defineReportCommand,
  },
  {
    name: "replay",
    term: "replay [options]",
    description: "Replay legacy Milltime entries into a Kleer sandbox as Toki would write them (foreign-id milltime:<id>): dry run by default, --apply writes (journaled, idempotent, resumable) and then compares.",
    load: async () => (await import("./replay.js")).defineReplayCommand,
  },
  {
    name: "relink",
    term: "relink [options]",
    description: "Emit (or --apply) the timer_history updates of a replay run: Milltime registration id → Kleer event id per Toki user, in one transaction with a backup table for the revert.",
    load: async () => (await import("./relink.js")).defineRelinkCommand,
  },
  {
    name: "cleanup",
    term: "cleanup [options]",
    description: "Delete exactly the Kleer events a replay run created (each verified by GET: same user, foreign-id milltime:<legacy id>); dry run by default, idempotent.",
    load: async () => (await import("./cleanup.js")).defineCleanupCommand,
  },
  {
    name: "map",
    term: "map",
    description: "Suggest and check the Milltime→Kleer id mapping file (read-only on both sides).",
    load: async () => (await import("./map.js")).defineMapCommand,
  },
  {
    name: "milltime",
    term: "milltime",
    description: "The legacy Milltime side (read-only).",
    load: async () => (await import("./milltime-export.js")).defineMilltimeCommand,
  },
  {
    name: "doctor",
    term: "doctor [options]",
    description: "Check that a cutover run can start: configuration, Kleer token and lists, payroll, Milltime logins or snapshot, timer history, mapping coverage (read-only).",
    load: async () => (await import("./doctor.js")).defineDoctorCommand,
  },
  {
    name: "probe",
    term: "probe [options]",
    description: "Contract round trip through the Kleer adapter for one mapped user: list projects and activities, then with --apply create, read back, edit, delete an event and check that a locked day refuses writes. Everything it creates is deleted again.",
    load: async () => (await import("./probe.js")).defineProbeCommand,
  },
  {
    name: "audit",
    term: "audit [options] <path>",
    description: "Scan a Toki checkout (Rust backend + React front end) for Milltime remnants; exit 1 when blocking ones remain.",
    load: async () => (await import("./audit.js")).defineAuditCommand,
  },
  {
    name: "emulator",
    term: "emulator",
    description: "Serve a local emulator of the Kleer or Milltime API on 127.0.0.1 (for Toki's developers too).",
    load: async () => (await import("./emulator.js")).defineEmulatorCommand,
  },
  {
    name: "init",
    term: "init [options]",
    description: "Write a commented starter toki-parity.config.json (or the --config file) from the Kleer, Milltime, mapping and history locations given as flags; never overwrites without --force. Secrets stay out of it.",
    load: async () => (await import("./config.js")).defineInitCommand,
  },
  {
    name: "config",
    term: "config",
    description: "The config file toki-parity.config.json (see also `toki-parity init`).",
    load: async () => (await import("./config.js")).defineConfigCommand,
  },
];
