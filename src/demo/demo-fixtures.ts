import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { credentialsOf, historyExportOf, toKleerSeed, toMilltimeSeed } from "./company-seeds.js";
import { generateSyntheticCompany, mappingOf, type SyntheticCompany } from "./synthetic-company.js";
import { expectedFindingCounts } from "./expected-findings.js";

/** The demo company: ~10 users, 8 ISO weeks, every discrepancy kind planted once or twice. */
export const DEMO_COMPANY_OPTIONS = {
  users: 10,
  to: "2026-11-22",
  days: 56,
  seed: 20261125,
  plantEveryKind: true,
  plantUserProblems: true,
  plantPayrollMissing: true,
} as const;

export function generateDemoCompany(): SyntheticCompany {
  return generateSyntheticCompany({ ...DEMO_COMPANY_OPTIONS });
}

/** File names inside fixtures/demo/. */
export const DEMO_FILES = {
  kleerSeed: "kleer-seed.json",
  milltimeSeed: "milltime-seed.json",
  credentials: "milltime-credentials.json",
  mapping: "mapping.json",
  history: "timer-history.json",
  expected: "expected-findings.json",
  suppressions: "rules-accept-known.json",
} as const;

/** Writes the demo's fixture files (run by `npm run demo:fixtures`; the output is committed). */
export function writeDemoFixtures(dir: string): void {
  const company = generateDemoCompany();
  mkdirSync(dir, { recursive: true });
  const write = (name: string, value: unknown) => writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  write(DEMO_FILES.kleerSeed, toKleerSeed(company));
  write(DEMO_FILES.milltimeSeed, toMilltimeSeed(company));
  write(DEMO_FILES.credentials, credentialsOf(company));
  write(DEMO_FILES.mapping, mappingOf(company));
  write(DEMO_FILES.history, historyExportOf(company));
  write(DEMO_FILES.suppressions, acceptKnownRules(company));
  write(DEMO_FILES.expected, {
    range: company.range,
    period: "week",
    findingsByKind: expectedFindingCounts(company),
    // Users with a planted problem doctor must name: no Kleer user, a wrong password, or legacy
    // entries on an unmapped project or activity.
    problemUsers: [
      ...new Set([
        ...company.users.filter((u) => u.kleerUserId === null || u.wrongPassword).map((u) => u.tokiUserId),
        ...company.seeded.filter((s) => s.kind === "unmapped_project" || s.kind === "unmapped_activity").map((s) => s.tokiUserId),
      ]),
    ].sort((a, b) => a - b),
    seeded: company.seeded,
  });
}

const REASONS: Record<string, string> = {
  missing_in_kleer: "Deleted in Milltime before the cutover; the team agreed not to carry it over (ticket CUT-101)",
  extra_in_kleer: "Registered directly in Kleer during the parallel run (ticket CUT-102)",
  duplicate_in_kleer: "Duplicate from the first import attempt; removed in Kleer by the admin (ticket CUT-103)",
  date_mismatch: "Early-morning timer start stored under the UTC date by the old importer (ticket CUT-104)",
  hours_mismatch: "Corrected in Kleer by payroll after the import (ticket CUT-105)",
  project_mismatch: "Re-booked to the right project in Kleer by the project lead (ticket CUT-106)",
  activity_mismatch: "Re-booked to the right activity in Kleer (ticket CUT-107)",
  editability_regression: "Week re-opened on request in Kleer; will be certified again (ticket CUT-108)",
  unmapped_project: "Internal project closed before the cutover; not migrated (ticket CUT-109)",
  unmapped_activity: "Conference activity discontinued; not migrated (ticket CUT-110)",
  unmapped_user: "Consultant left before the cutover; no Kleer account (ticket CUT-111)",
  toki_decode_error: "Kleer support re-saves the event with its status spelled OPEN/APPROVED/CERTIFIED before the cutover (ticket CUT-113)",
};

/**
 * The rules file a cutover team would write after reviewing the demo's blocking findings: each
 * known, accepted difference is suppressed narrowly (by user and id) with its reason. A source
 * error cannot be suppressed (a user who was not read is never ready): the demo leaves that user
 * out of the accepted run instead.
 */
export function acceptKnownRules(company: SyntheticCompany): unknown {
  const suppressions: Array<Record<string, unknown>> = [];
  for (const s of company.seeded) {
    const reason = REASONS[s.kind];
    if (!reason) continue;
    const narrow = s.legacyId !== undefined ? { legacy_id: s.legacyId } : s.kleerId !== undefined ? { kleer_id: s.kleerId } : {};
    suppressions.push({ kind: s.kind, user_key: s.tokiUserId, ...narrow, reason });
    if (s.kind === "unmapped_project" || s.kind === "unmapped_activity") {
      suppressions.push({ kind: "missing_in_kleer", user_key: s.tokiUserId, legacy_id: s.legacyId, reason });
    }
  }
  for (const u of company.users) {
    if (u.kleerUserId === null) suppressions.push({ kind: "unmapped_user", user_key: u.tokiUserId, reason: REASONS.unmapped_user });
  }
  return { version: 1, suppressions };
}
