import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startKleerEmulator, type KleerEmulatorSeedInput } from "../../src/emulator/kleer/index.js";
import type { WeeklyStats } from "../../src/domain/time-info.js";
import { createKleerAdapter, createKleerClient } from "../../src/kleer/index.js";
import { runReaderContract, type ReaderContractSubject } from "../contract/reader-contract.js";

const TOKEN = "contract-token";
const seed = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../fixtures/kleer/small-company.json", import.meta.url)), "utf8"),
) as KleerEmulatorSeedInput;

function kleerSubject(kleerUserId: number) {
  return async (): Promise<ReaderContractSubject<WeeklyStats>> => {
    const emulator = await startKleerEmulator({ seed, token: TOKEN, companyId: 4875 });
    const client = createKleerClient({ baseUrl: `${emulator.url}/v1`, token: TOKEN, companyId: 4875 });
    return {
      reader: createKleerAdapter({ client, kleerUserId }),
      close: async () => {
        await client.close();
        await emulator.close();
      },
    };
  };
}

const MAY = { from: "2026-05-01", to: "2026-05-31" };
const MARCH = { from: "2026-03-01", to: "2026-03-31" };
const ALL_ACTIVITIES = ["44310", "44311", "44312", "44313", "44314"];

runReaderContract("Kleer adapter, small company, Kim Berg (5512)", kleerSubject(5512), {
  range: MAY,
  emptyRange: MARCH,
  registrationIds: ["7001201", "7001202", "7001203", "7001204", "7001205"],
  skippedRegistrationIds: ["7001206", "7001207", "7001208"],
  projectIds: ["880021", "880022", "880023"],
  activityIdsByProject: { "880021": ["44310", "44311", "44312"], "880022": ALL_ACTIVITIES, "880023": ["44313"] },
  hiddenProjectId: "880024",
  sampleEntry: {
    registrationId: "7001204",
    projectId: "880023",
    projectName: "Internt",
    activityId: "44313",
    activityName: "Support",
    date: "2026-05-11",
    hours: 2.25,
    note: "Driftstörning mejl",
    startTime: null,
    endTime: null,
    weekNumber: 20,
    lock: { kind: "status", status: "open" },
    foreignId: undefined,
  },
  lockedRegistrationIds: ["7001201", "7001202", "7001203"],
  timeInfo: { workedHours: 22.5, scheduledHours: 40, absenceHours: 11.5, coveredHours: 34, remainingHours: 6, periodFlexHours: -6 },
});

runReaderContract("Kleer adapter, small company, Erik Öberg (5514, no payroll)", kleerSubject(5514), {
  range: MAY,
  emptyRange: MARCH,
  registrationIds: ["7001401"],
  projectIds: ["880022", "880023"],
  activityIdsByProject: { "880022": ALL_ACTIVITIES, "880023": [] },
  hiddenProjectId: "880021",
  sampleEntry: {
    registrationId: "7001401",
    projectId: "880023",
    projectName: "Internt",
    activityId: "44311",
    activityName: "Möten",
    date: "2026-05-06",
    hours: 4,
    note: "Internmöte",
    startTime: null,
    endTime: null,
    weekNumber: 19,
    lock: { kind: "status", status: "open" },
    foreignId: "toki-5514-880023-44311-1778054400000000000",
  },
  lockedRegistrationIds: [],
  timeInfo: { workedHours: 4, scheduledHours: 0, absenceHours: 0, coveredHours: 4, remainingHours: 0, periodFlexHours: 4 },
});
