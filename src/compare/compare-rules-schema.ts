import { z } from "zod";
import { isIsoDate } from "../domain/calendar.js";
import { ConfigError } from "../domain/errors.js";
import { knownKeysAt } from "../config/json-document.js";
import { unknownKeysMessage } from "../config/unknown-keys.js";
import { DEFAULT_SEVERITIES, FINDING_KINDS, SEVERITIES, type FindingKind, type Severity } from "../parity/finding-kinds.js";
import {
  DEFAULT_FLEX_DRIFT_THRESHOLD,
  type FlexDriftRules,
  type FlexDriftThreshold,
  DEFAULT_TOLERANCES,
  MINUTE_IN_HOURS,
  type ParityRules,
  type Suppression,
} from "../parity/parity-rules.js";

const isoDate = z.string().refine(isIsoDate, { message: "expected a real date in YYYY-MM-DD form" });
const findingKind = z.enum(FINDING_KINDS, { message: `expected one of the finding kinds (${FINDING_KINDS.join(", ")})` });
const lockedStatus = z.enum(["approved", "certified"], { message: 'expected "approved" or "certified"' });
/** The default correspondence as the file spells it: any locked status for any lock. */
const ANY_LOCKED_STATUS: Array<z.infer<typeof lockedStatus>> = ["approved", "certified"];
/** A single status or a list of them; a lone string becomes a one-element list. */
const lockedStatuses = z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(lockedStatus).min(1, "give at least one status"));
const minutes = z.number().min(0, "a tolerance cannot be negative").max(24 * 60, "a tolerance above 24 hours makes no sense");

const suppressionSchema = z
  .object({
    kind: findingKind.describe("The finding kind to suppress."),
    user_key: z.number().int().positive().optional().describe("Only findings of this Toki user id."),
    from: isoDate.optional().describe("Only findings dated on or after this day."),
    to: isoDate.optional().describe("Only findings dated on or before this day."),
    legacy_id: z.string().min(1).optional().describe("Only findings about this Milltime registration id."),
    kleer_id: z.union([z.string().min(1), z.number().int()]).optional().describe("Only findings about this Kleer event id."),
    reason: z.string().trim().min(1, "a suppression needs a non-empty reason").describe("Why the finding is accepted (recorded in the report)."),
  })
  .strict()
  .refine((s) => s.from === undefined || s.to === undefined || s.from <= s.to, { message: "from is after to", path: ["to"] });

const driftHours = z.number().positive("a flex drift threshold must be above 0 hours").max(10_000);
const flexDriftThresholdSchema = z
  .object({
    warning_hours: driftHours.optional().describe("Cumulative flex drift (hours, either sign) above which the user's flex gap is a warning."),
    blocking_hours: driftHours.nullable().optional().describe("Cumulative flex drift above which it is blocking; null or absent: never (opt-in)."),
  })
  .strict();
const flexDriftSchema = flexDriftThresholdSchema
  .extend({
    users: z
      .record(z.string().regex(/^[1-9]\d*$/, "expected a Toki user id"), flexDriftThresholdSchema)
      .default({})
      .describe("Per Toki user id (as a string key): thresholds overriding the defaults above for that user."),
  })
  .strict()
  .default({ users: {} })
  .describe(`Cumulative flex drift thresholds (flex_drift findings). Default: warning above ${DEFAULT_FLEX_DRIFT_THRESHOLD.warningHours} h, never blocking.`);

/** The rules file (JSON). Every key is optional; absent keys keep the defaults. */
export const parityRulesFileSchema = z
  .object({
    $schema: z.string().optional().describe("Ignored; lets editors attach a JSON schema."),
    version: z.literal(1).default(1).describe("Format version of the rules file."),
    period: z.enum(["week", "month"]).optional().describe("Period for the TimeInfo comparison when the command gives none."),
    severities: z
      .partialRecord(findingKind, z.enum(SEVERITIES, { message: `expected one of ${SEVERITIES.join(", ")}` }))
      .default({})
      .describe("Severity per finding kind, overriding the defaults."),
    tolerances: z
      .object({
        entry_minutes: minutes.default(DEFAULT_TOLERANCES.entryHours * 60).describe("Hours tolerance per entry, in minutes."),
        timeinfo_minutes: minutes.default(DEFAULT_TOLERANCES.timeInfoHours * 60).describe("Tolerance per TimeInfo figure, in minutes."),
        link_minutes: minutes.default(DEFAULT_TOLERANCES.linkHours * 60).describe("Timer-history link duration tolerance, in minutes."),
      })
      .strict()
      .default({
        entry_minutes: DEFAULT_TOLERANCES.entryHours * 60,
        timeinfo_minutes: DEFAULT_TOLERANCES.timeInfoHours * 60,
        link_minutes: DEFAULT_TOLERANCES.linkHours * 60,
      })
      .describe("Tolerances in minutes."),
    status_correspondence: z
      .object({
        week: lockedStatuses.default([...ANY_LOCKED_STATUS]).describe("Kleer status(es) for attest level 1 (week)."),
        month: lockedStatuses.default([...ANY_LOCKED_STATUS]).describe("Kleer status(es) for attest level 2 (month)."),
      })
      .strict()
      .default({ week: [...ANY_LOCKED_STATUS], month: [...ANY_LOCKED_STATUS] })
      .describe("Attest level → Kleer status correspondence; attest level none is always open. By default any locked status corresponds to any lock."),
    suppressions: z.array(suppressionSchema).default([]).describe("Findings to keep but mark suppressed."),
    flex_drift: flexDriftSchema,
  })
  .strict()
  .describe("toki-parity rules file");

export type ParityRulesFile = z.input<typeof parityRulesFileSchema>;

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    const message =
      issue.code !== "unrecognized_keys"
        ? issue.message
        : path === "severities"
          ? `${unknownKeysMessage(issue.keys, FINDING_KINDS)} (not a finding kind)`
          : unknownKeysMessage(issue.keys, knownKeysAt(parityRulesFileSchema, issue.path));
    return `${path || "(root)"}: ${message}`;
  });
}

/**
 * A user whose data was not (fully) read can never be ready for cutover, so `source_error` stays
 * blocking and unsuppressed whatever the rules file says; a file that tries is refused at load.
 */
function refuseSilencedSourceErrors(file: z.output<typeof parityRulesFileSchema>, source: string): void {
  const issues: string[] = [];
  const severity = file.severities.source_error;
  if (severity !== undefined && severity !== "blocking") {
    issues.push(`severities.source_error: "${severity}" is refused: a source error means the user's data was not (fully) read, which always blocks the verdict`);
  }
  file.suppressions.forEach((s, i) => {
    if (s.kind === "source_error") {
      issues.push(`suppressions[${i}]: a source_error cannot be suppressed: fix the source (see \`toki-parity doctor\`) or leave the user out of the run with --users`);
    }
  });
  if (issues.length > 0) throw new ConfigError(`${source} silences source errors`, issues);
}

/**
 * Validates a parsed rules file and normalises it (minutes → hours, single status → list).
 * Throws ConfigError whose issues name each bad key, e.g. `suppressions[0].reason: …`.
 */
export function parseParityRules(input: unknown, source = "rules file"): ParityRules {
  const parsed = parityRulesFileSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(`${source} is not valid`, formatIssues(parsed.error));
  const file = parsed.data;
  const driftIssues = checkFlexDriftOrder(flexDriftRulesOf(file.flex_drift));
  if (driftIssues.length > 0) throw new ConfigError(`${source} is not valid`, driftIssues);
  refuseSilencedSourceErrors(file, source);
  const severities = { ...DEFAULT_SEVERITIES } as Record<FindingKind, Severity>;
  const explicitSeverities = new Set<FindingKind>();
  for (const [kind, severity] of Object.entries(file.severities) as Array<[FindingKind, Severity | undefined]>) {
    if (!severity) continue;
    severities[kind] = severity;
    explicitSeverities.add(kind);
  }
  const suppressions: Suppression[] = file.suppressions.map((s) => ({
    kind: s.kind,
    userKey: s.user_key,
    from: s.from,
    to: s.to,
    legacyId: s.legacy_id,
    kleerId: s.kleer_id === undefined ? undefined : String(s.kleer_id),
    reason: s.reason,
  }));
  return {
    severities,
    explicitSeverities,
    tolerances: {
      entryHours: file.tolerances.entry_minutes * MINUTE_IN_HOURS,
      timeInfoHours: file.tolerances.timeinfo_minutes * MINUTE_IN_HOURS,
      linkHours: file.tolerances.link_minutes * MINUTE_IN_HOURS,
    },
    statusCorrespondence: { week: file.status_correspondence.week, month: file.status_correspondence.month },
    period: file.period,
    suppressions,
    flexDrift: flexDriftRulesOf(file.flex_drift),
  };
}

type FlexDriftFile = z.infer<typeof flexDriftSchema>;
type ThresholdFile = z.infer<typeof flexDriftThresholdSchema>;

function thresholdOf(entry: ThresholdFile, base: FlexDriftThreshold): FlexDriftThreshold {
  return { warningHours: entry.warning_hours ?? base.warningHours, blockingHours: entry.blocking_hours === undefined ? base.blockingHours : entry.blocking_hours };
}

/** Defaults, then the file's defaults, then per user (a user inherits what it does not set). */
function flexDriftRulesOf(file: FlexDriftFile): FlexDriftRules {
  const base = thresholdOf(file, DEFAULT_FLEX_DRIFT_THRESHOLD);
  return { default: base, users: new Map(Object.entries(file.users).map(([id, entry]) => [Number(id), thresholdOf(entry, base)])) };
}

/** A blocking threshold at or below the warning threshold makes the warning unreachable. */
function checkFlexDriftOrder(rules: FlexDriftRules): string[] {
  const all: Array<[string, FlexDriftThreshold]> = [["flex_drift", rules.default], ...[...rules.users].map(([id, t]): [string, FlexDriftThreshold] => [`flex_drift.users.${id}`, t])];
  return all.filter(([, t]) => t.blockingHours !== null && t.blockingHours < t.warningHours).map(([path, t]) => `${path}: blocking_hours (${t.blockingHours}) is below warning_hours (${t.warningHours})`);
}

/** The rules as recorded in a report's options (file keys, minutes), so a run shows what it used. */
export function describeParityRules(rules: ParityRules): Record<string, unknown> {
  const changed = Object.fromEntries(
    (Object.entries(rules.severities) as Array<[FindingKind, Severity]>).filter(([kind, s]) => DEFAULT_SEVERITIES[kind] !== s || rules.explicitSeverities?.has(kind)),
  );
  return {
    period: rules.period ?? null,
    severities: changed,
    tolerances: {
      entry_minutes: rules.tolerances.entryHours * 60,
      timeinfo_minutes: rules.tolerances.timeInfoHours * 60,
      link_minutes: rules.tolerances.linkHours * 60,
    },
    status_correspondence: { week: [...rules.statusCorrespondence.week], month: [...rules.statusCorrespondence.month] },
    suppressions: rules.suppressions.length,
    flex_drift: describeFlexDrift(rules.flexDrift),
  };
}

function describeFlexDrift(rules: FlexDriftRules | undefined): Record<string, unknown> {
  const t = rules?.default ?? DEFAULT_FLEX_DRIFT_THRESHOLD;
  const users = Object.fromEntries([...(rules?.users ?? new Map<number, FlexDriftThreshold>())].map(([id, u]) => [String(id), { warning_hours: u.warningHours, blocking_hours: u.blockingHours }]));
  return { warning_hours: t.warningHours, blocking_hours: t.blockingHours, users };
}
