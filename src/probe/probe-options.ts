import { z } from "zod";
import { formatZodIssues, RUN_CONFIG_OPTION_NAMES, runConfigSchema } from "../config/run-config.js";
import { isIsoDate } from "../domain/calendar.js";
import { ConfigError } from "../domain/errors.js";

const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });

/** Days in the default probe window (today and the 61 days before it: about two months of locks). */
export const PROBE_DEFAULT_WINDOW_DAYS = 62;

/** The probe's options: one schema, each key documented and defaulted (flags and env feed it). */
export const probeOptionsSchema = z
  .object({
    kleer: runConfigSchema.shape.kleer,
    mappingFile: z.string().min(1).default("mapping.json").describe("Milltime→Kleer id mapping file: names the probe's Kleer user."),
    reportFile: z.string().min(1).default("reports/parity.sqlite").describe("SQLite report file the probe run is recorded in."),
    timeZone: z
      .string()
      .default("Europe/Stockholm")
      .refine(
        (zone) => {
          try {
            new Intl.DateTimeFormat("en", { timeZone: zone });
            return true;
          } catch {
            return false;
          }
        },
        { message: "unknown time zone" },
      )
      .describe("Zone of 'today' and of the registration day written."),
    tokiUserId: z.number().int().positive().optional().describe("The mapped Toki user to probe as (--user); the first mapped user with a Kleer user when absent."),
    from: isoDate.optional().describe(`First day of the probe window. @default ${PROBE_DEFAULT_WINDOW_DAYS - 1} days before --to`),
    to: isoDate.optional().describe("Last day of the probe window. @default today in --time-zone"),
    lockedDate: isoDate.optional().describe("Day the locked-day refusal is tried on; the latest approved/certified day of the window when absent."),
    apply: z.boolean().default(false).describe("Run the write steps; without it only the read steps run."),
    allowProduction: z.boolean().default(false).describe("Allow --apply against a production Kleer host."),
    takeOverRunId: z
      .string()
      .min(1)
      .optional()
      .describe("Take the Kleer company's write lease over from this run (--take-over RUN), a run whose process is known to be gone."),
  })
  .describe("toki-parity probe options");

export type ProbeOptions = z.infer<typeof probeOptionsSchema>;
export type ProbeOptionsInput = z.input<typeof probeOptionsSchema>;

const OPTION_NAMES: Record<string, string> = {
  ...RUN_CONFIG_OPTION_NAMES,
  tokiUserId: "--user",
  lockedDate: "--locked-date",
  apply: "--apply",
  allowProduction: "--allow-production",
  takeOverRunId: "--take-over",
};

/** schema → normalise → cross-field rules; a bad option is a ConfigError naming the flag (exit 2). */
export function parseProbeOptions(input: unknown): { options: ProbeOptions; warnings: string[] } {
  const parsed = probeOptionsSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError("invalid probe options", formatZodIssues(parsed.error, OPTION_NAMES));
  const options: ProbeOptions = { ...parsed.data, kleer: { ...parsed.data.kleer, baseUrl: parsed.data.kleer.baseUrl.replace(/\/+$/, "") } };
  const errors: string[] = [];
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) errors.push(`--from ${options.from} is after --to ${options.to}`);
  if (errors.length > 0) throw new ConfigError("invalid probe options", errors);
  const warnings =
    new URL(options.kleer.baseUrl).hostname === "test-api.kleer.se"
      ? ["Kleer's test API keeps its own storage: the probe's events are invisible in my.kleer.se"]
      : [];
  return { options, warnings };
}
