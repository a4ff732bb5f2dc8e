import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { onTestFinished } from "vitest";
import { parseRunConfig, type RunConfig } from "../../src/config/run-config.js";
import { addDays, instantAt } from "../../src/domain/calendar.js";
import type { FaultOptionsInput } from "../../src/emulator/emulator-faults.js";
import { startKleerEmulator, type KleerEmulatorSeedInput, type RunningKleerEmulator } from "../../src/emulator/kleer/index.js";
import { startMilltimeEmulator, type MilltimeSeedInput, type RunningMilltimeEmulator } from "../../src/emulator/milltime/index.js";

/** Emulator token of the replay tests (long and distinctive, so a leak would be visible). */
export const KLEER_TOKEN = "replay-test-token-8c1d4e";
export const COMPANY_ID = 4875;
export const RANGE = { from: "2026-03-02", to: "2026-03-13" };
export const ZONE = "Europe/Stockholm";

export const P1 = "300000000000000001";
export const P2 = "300000000000000002";
export const P3 = "300000000000000003";
export const A1 = "200000000000000001";
export const A2 = "200000000000000002";
export const A3 = "200000000000000003";
export const A4 = "200000000000000004";

/** Registration ids of the base scenario, by what they exercise. */
export const R = {
  svenHistory: "400000000000000101",
  svenBlankNote: "400000000000000102",
  svenActivityNotAllowed: "400000000000000103",
  svenProject2: "400000000000000104",
  svenAfterMidnight: "400000000000000105",
  svenProjectUnmapped: "400000000000000106",
  svenLockedDay: "400000000000000107",
  ebbaDay: "400000000000000201",
  ebbaEmptyNote: "400000000000000202",
  ebbaPreExisting: "400000000000000203",
  olleUnmapped: "400000000000000301",
} as const;

/** Kleer events already in the sandbox before any replay. */
export const PRE_EXISTING = { unrelated: 9001, ebbaReplayed: 9002 } as const;

type Registration = NonNullable<MilltimeSeedInput["registrations"]>[number];

const reg = (registrationId: string, userId: string, projectId: string, activityId: string, date: string, hours: number, minutes: number, note: string | null): Registration => ({
  registrationId,
  userId,
  projectId,
  activityId,
  date,
  hours,
  minutes,
  note,
  attestLevel: 0,
});

/** Extra replayable entries for Sven (P1/A1 and P2/A3 on open weekdays), ids 4000…0500+. */
export function extraRegistrations(count: number): Registration[] {
  const days = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-12", "2026-03-13"];
  return Array.from({ length: count }, (_, i) => {
    const date = days[i % days.length]!;
    const [project, activity] = i % 3 === 0 ? [P2, A3] : [P1, A1];
    return reg(`4000000000000005${String(i).padStart(2, "0")}`, "301", project, activity, date, i % 4, (i * 7) % 60 || 15, `Extra ${i}`);
  });
}

export function milltimeSeed(extra = 0): MilltimeSeedInput {
  const activity = (activityId: string, name: string) => ({ activityId, name });
  return {
    instance: { instanceId: "000777.1", instanceName: "Replay AB", instanceDb: "milltime_replay" },
    users: [
      { userId: "301", username: "sven", password: "sven-Lösen-1", name: "Sven Ström", startDate: "2026-01-01" },
      { userId: "302", username: "ebba", password: "ebba-Lösen-2", name: "Ebba Åberg", startDate: "2026-01-01" },
      { userId: "303", username: "olle", password: "olle-Lösen-3", name: "Olle Ek", startDate: "2026-01-01" },
    ],
    projects: [
      { projectId: P1, name: "Webbplats", projectNr: "W-1", memberUserIds: ["301", "302", "303"], phases: [{ phaseId: "Default", name: "Bygg", activities: [activity(A1, "Utveckling"), activity(A2, "Granskning")] }] },
      { projectId: P2, name: "Kundportal", memberUserIds: ["301", "302"], phases: [{ phaseId: "Default", name: "Drift", activities: [activity(A3, "Support")] }] },
      { projectId: P3, name: "Gammalt", memberUserIds: ["301"], phases: [{ phaseId: "Default", name: "Arkiv", activities: [activity(A4, "Arkivering")] }] },
    ],
    registrations: [
      reg(R.svenHistory, "301", P1, A1, "2026-03-02", 7, 30, "Startmöte"),
      reg(R.svenBlankNote, "301", P1, A1, "2026-03-03", 8, 0, null),
      reg(R.svenActivityNotAllowed, "301", P1, A2, "2026-03-04", 2, 15, "Granskning"),
      reg(R.svenProject2, "301", P2, A3, "2026-03-05", 1, 0, "Kund 'Ö' \\ ärende"),
      reg(R.svenAfterMidnight, "301", P1, A1, "2026-03-06", 0, 45, "Nattjobb"),
      reg(R.svenProjectUnmapped, "301", P3, A4, "2026-03-09", 3, 0, "Arkiv"),
      reg(R.svenLockedDay, "301", P1, A1, "2026-03-10", 4, 0, "Låst dag"),
      reg(R.ebbaDay, "302", P1, A1, "2026-03-02", 6, 0, "Ebba dag"),
      reg(R.ebbaEmptyNote, "302", P2, A3, "2026-03-03", 2, 30, ""),
      reg(R.ebbaPreExisting, "302", P1, A1, "2026-03-04", 4, 0, "Redan flyttad"),
      reg(R.olleUnmapped, "303", P1, A1, "2026-03-02", 8, 0, "Olle"),
      ...extraRegistrations(extra),
    ],
  };
}

export function kleerSeed(): KleerEmulatorSeedInput {
  return {
    integrationUserId: 5500,
    users: [
      { id: 5500, name: "Integration", email: "integration@example.com", hasPayroll: false },
      { id: 5501, name: "Sven Ström", email: "sven@example.com", hasPayroll: false },
      { id: 5502, name: "Ebba Åberg", email: "ebba@example.com", hasPayroll: false },
    ],
    activities: [
      { id: 901, name: "Utveckling" },
      { id: 902, name: "Granskning" },
      { id: 903, name: "Support" },
    ],
    projects: [
      { id: 801, number: "W-1", name: "Webbplats", allActivities: false, activities: [901, 902], users: [{ userId: 5501, activities: [901] }, { userId: 5502 }] },
      { id: 802, name: "Kundportal", allActivities: true, allUsers: true },
    ],
    events: [
      { id: PRE_EXISTING.unrelated, userId: 5501, projectId: 801, activityId: 901, date: "2026-03-02", hours: 1, comment: "Redan i Kleer", foreignId: "toki-5501-801-901-1772438400000000000" },
      { id: PRE_EXISTING.ebbaReplayed, userId: 5502, projectId: 801, activityId: 901, date: "2026-03-04", hours: 4, comment: "Redan flyttad", foreignId: `milltime:${R.ebbaPreExisting}` },
    ],
    dayStatuses: [{ userId: 5501, date: "2026-03-10", status: "approved" }],
  };
}

export const MAPPING = {
  users: [
    { tokiUserId: 1, email: "sven@example.com", milltimeUserId: "301", kleerUserId: 5501 },
    { tokiUserId: 2, email: "ebba@example.com", milltimeUserId: "302", kleerUserId: 5502 },
    { tokiUserId: 3, email: "olle@example.com", milltimeUserId: "303", kleerUserId: null },
  ],
  projects: [
    { milltimeProjectId: P1, kleerProjectId: 801 },
    { milltimeProjectId: P2, kleerProjectId: 802 },
  ],
  activities: [
    { milltimeActivityId: A1, kleerActivityId: 901 },
    { milltimeActivityId: A2, kleerActivityId: 902 },
    { milltimeActivityId: A3, kleerActivityId: 903 },
  ],
};

export const CREDENTIALS = [
  { tokiUserId: 1, username: "sven", password: "sven-Lösen-1", instanceId: "000777.1" },
  { tokiUserId: 2, username: "ebba", password: "ebba-Lösen-2", instanceId: "000777.1" },
  { tokiUserId: 3, username: "olle", password: "olle-Lösen-3", instanceId: "000777.1" },
];

/** Timer-history rows (psql CSV shape) with true starts: 07:15 local for one entry, 00:10 local for another. */
export function historyRows(): Array<{ id: number; userId: number; start: string; end: string; registrationId: string }> {
  const start1 = instantAt("2026-03-02", "07:15:00", ZONE);
  const start5 = instantAt("2026-03-06", "00:10:00", ZONE);
  const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
  return [
    { id: 11, userId: 1, start: start1, end: plus(start1, 450), registrationId: R.svenHistory },
    { id: 12, userId: 1, start: start5, end: plus(start5, 45), registrationId: R.svenAfterMidnight },
    // A link to a blocked entry: relink must list it, not drop it silently.
    { id: 13, userId: 1, start: instantAt("2026-03-04", "09:00:00", ZONE), end: instantAt("2026-03-04", "11:15:00", ZONE), registrationId: R.svenActivityNotAllowed },
    { id: 21, userId: 2, start: instantAt("2026-03-02", "08:30:00", ZONE), end: instantAt("2026-03-02", "14:30:00", ZONE), registrationId: R.ebbaDay },
  ];
}

function historyCsv(): string {
  const lines = ["id,user_id,start_time,end_time,registration_id"];
  for (const r of historyRows()) lines.push(`${r.id},${r.userId},${r.start},${r.end},${r.registrationId}`);
  return `${lines.join("\n")}\n`;
}

export interface ReplayWorld {
  dir: string;
  kleer: RunningKleerEmulator;
  milltime: RunningMilltimeEmulator;
  reportFile: string;
  mappingFile: string;
  credentialsFile: string;
  historyFile: string;
  kleerUrl: string;
  /** CLI flags for replay against this world (without --apply). */
  args(extra?: string[]): string[];
  config(overrides?: Partial<Record<string, unknown>>): RunConfig;
  /** Kleer events (all users) as the emulator holds them. */
  events(): ReturnType<RunningKleerEmulator["state"]["events"]>;
  /** Write requests (PUT/POST/DELETE) the Kleer emulator served. */
  writes(): string[];
  report(): Database.Database;
}

export interface WorldOptions {
  extraEntries?: number;
  kleerFaults?: FaultOptionsInput;
  kleerSeed?: KleerEmulatorSeedInput;
}

/** One test's own Kleer and Milltime emulators on 127.0.0.1:0 plus mapping, credentials and history files. */
export async function startWorld(options: WorldOptions = {}): Promise<ReplayWorld> {
  const dir = mkdtempSync(join(tmpdir(), "toki-replay-"));
  const kleer = await startKleerEmulator({ seed: options.kleerSeed ?? kleerSeed(), token: KLEER_TOKEN, companyId: COMPANY_ID, faults: options.kleerFaults });
  const milltime = await startMilltimeEmulator({ seed: milltimeSeed(options.extraEntries ?? 0) });
  const mappingFile = join(dir, "mapping.json");
  const credentialsFile = join(dir, "credentials.json");
  const historyFile = join(dir, "history.csv");
  const reportFile = join(dir, "report.sqlite");
  writeFileSync(mappingFile, JSON.stringify(MAPPING, null, 2));
  writeFileSync(credentialsFile, JSON.stringify(CREDENTIALS, null, 2));
  writeFileSync(historyFile, historyCsv());
  const kleerUrl = `${kleer.url}/v1`;
  const dbs: Database.Database[] = [];
  onTestFinished(async () => {
    for (const db of dbs) db.close();
    await Promise.all([kleer.close(), milltime.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const world: ReplayWorld = {
    dir,
    kleer,
    milltime,
    reportFile,
    mappingFile,
    credentialsFile,
    historyFile,
    kleerUrl,
    args: (extra = []) => [
      "--from", RANGE.from, "--to", RANGE.to,
      "--report", reportFile, "--mapping", mappingFile,
      "--kleer-url", kleerUrl, "--kleer-token", KLEER_TOKEN, "--kleer-company", String(COMPANY_ID),
      "--milltime-url", milltime.milltimeUrl, "--milltime-credentials", credentialsFile,
      "--history", historyFile,
      ...extra,
    ],
    config(overrides = {}) {
      const result = parseRunConfig({
        from: RANGE.from,
        to: RANGE.to,
        kleer: { baseUrl: kleerUrl, token: KLEER_TOKEN, companyId: COMPANY_ID },
        milltime: { url: milltime.milltimeUrl, credentialsFile },
        history: historyFile,
        mappingFile,
        reportFile,
        ...overrides,
      });
      if (!result.config) throw new Error(result.errors.join("; "));
      return result.config;
    },
    events: () => kleer.state.events({}),
    writes: () => kleer.requestLog.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`),
    report() {
      const db = new Database(reportFile, { readonly: true });
      dbs.push(db);
      return db;
    },
  };
  return world;
}

/** Foreign-id → number of Kleer events carrying it. */
export function foreignIdCounts(world: ReplayWorld): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of world.events()) out.set(e.foreignId, (out.get(e.foreignId) ?? 0) + 1);
  return out;
}

/** The legacy ids the base scenario replays (create or already present). */
export const REPLAYABLE = [R.svenHistory, R.svenBlankNote, R.svenProject2, R.svenAfterMidnight, R.ebbaDay, R.ebbaEmptyNote, R.ebbaPreExisting];
export const BLOCKED = [R.svenActivityNotAllowed, R.svenProjectUnmapped, R.svenLockedDay, R.olleUnmapped];

export { addDays };
